"""`microstructure.io` against pydantic v2 on a network of 150 microstructures.

The peer is a set of pydantic v2 models of the same shape (`Network`, `Microstructure`,
`Site`, `Professional`, `ProgramMembership`) with the same checks: strict strings,
identifiers, non-empty names, enums by value, RPPS numbers with their Luhn digit, known
canonical department and region codes, at least one GP per team, end on or after start,
ISO dates given as strings, unknown keys rejected. Rows, each the median time ratio
(ours / pydantic) with min–max over interleaved repeats, after checking equal results:

- `io.dumps` (default ``indent=2``) vs ``model_dump_json(indent=2)``: the same text;
- `io.dumps(indent=None)` vs ``model_dump_json()``: the same JSON value;
- `io.from_data` vs ``model_validate`` on the same dicts: the same objects (as data);
- `io.loads` vs ``model_validate_json`` on the same text: the same objects (as data);
- the floors of both: the library's attrs constructors alone, called by hand on the same
  dicts (values taken as they are, enums and dates converted, no type test, unknown keys
  not looked for), and for `loads` the same after `json.loads` refusing duplicate keys as
  the library does (``object_pairs_hook``). No converter can build the library's objects
  for less: the constructors run the validators that are the library's checks;
- where the time goes: `from_data` and the constructors by hand with attrs validators
  switched off (``attrs.validators.disabled()``, not a mode the library offers), so that
  the page shows the share of the converter, of attrs' ``__init__`` and of the checks.

Run: python benchmarks/bench_io.py [--teams 150] [--repeats 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Annotated, Any

import _fixtures
import _harness
import attrs
import pendulum
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictStr,
    StringConstraints,
    model_validator,
)

from microstructure import teams
from microstructure.io import dumps, from_data, loads, to_data
from microstructure.teams import Network, Role, SiteKind
from microstructure.territory import departments, regions

LOOPS = 10  # calls per timed run, so that each run lasts long enough to time

LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")
DEPARTMENT_CODES = frozenset(d.code for d in departments())
REGION_CODES = frozenset(r.code for r in regions())


def _non_empty(value: str) -> str:
    if not value.strip():
        msg = "expected a non-empty string"
        raise ValueError(msg)
    return value


def _rpps(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        msg = "expected an RPPS number of 11 digits"
        raise ValueError(msg)
    # Luhn's rule, written as fast as the library's: every second digit from the right
    # doubled (less 9 above 9), the digits summed from their ASCII codes.
    doubled = value[-2::-2].translate(LUHN_DOUBLED)
    total = sum(value[-1::-2].encode()) + sum(doubled.encode()) - 48 * len(value)
    if total % 10:
        msg = "expected an RPPS number whose last digit is its Luhn check digit"
        raise ValueError(msg)
    return value


def _known(codes: frozenset[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in codes:
            msg = f"expected a canonical INSEE {what} code"
            raise ValueError(msg)
        return value

    return AfterValidator(check)


def _iso_string(value: object) -> object:
    if not isinstance(value, str):
        msg = "expected an ISO 8601 date string"
        raise ValueError(msg)  # noqa: TRY004 - pydantic wants ValueError
    return value


Id = Annotated[StrictStr, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
Name = Annotated[StrictStr, AfterValidator(_non_empty)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_string)]
CONFIG = ConfigDict(extra="forbid", frozen=True)


class Professional(BaseModel):
    """A team member."""

    model_config = CONFIG
    id: Id
    role: Role
    rpps: Annotated[StrictStr | None, AfterValidator(_rpps)] = None
    display_name: StrictStr | None = None


class Site(BaseModel):
    """The care site of a team."""

    model_config = CONFIG
    id: Id
    name: Name
    kind: SiteKind
    department: Annotated[StrictStr, _known(DEPARTMENT_CODES, "department")]


class ProgramMembership(BaseModel):
    """A team's time in a program."""

    model_config = CONFIG
    program: Id
    valid_from: IsoDate
    valid_until: IsoDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ProgramMembership:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            msg = "expected valid_until on or after valid_from"
            raise ValueError(msg)
        return self


def _has_gp(members: tuple[Professional, ...]) -> tuple[Professional, ...]:
    if not any(p.role is Role.GENERAL_PRACTITIONER for p in members):
        msg = "expected at least one member with role 'gp'"
        raise ValueError(msg)
    return members


class Microstructure(BaseModel):
    """A team and its members."""

    model_config = CONFIG
    id: Id
    name: Name
    site: Site
    members: Annotated[tuple[Professional, ...], AfterValidator(_has_gp)]
    programs: tuple[ProgramMembership, ...] = ()


class NetworkModel(BaseModel):
    """A regional network of teams."""

    model_config = CONFIG
    id: Id
    name: Name
    region: Annotated[StrictStr, _known(REGION_CODES, "region")]
    coordination: tuple[Professional, ...] = ()
    microstructures: tuple[Microstructure, ...] = ()


def _date(text: str) -> pendulum.Date:
    day = dt.date.fromisoformat(text)
    return pendulum.Date(day.year, day.month, day.day)


def _professional(data: dict[str, Any]) -> teams.Professional:
    return teams.Professional(
        id=data["id"],
        role=Role(data["role"]),
        rpps=data.get("rpps"),
        display_name=data.get("display_name"),
    )


def _microstructure(data: dict[str, Any]) -> teams.Microstructure:
    site = data["site"]
    return teams.Microstructure(
        id=data["id"],
        name=data["name"],
        site=teams.Site(
            id=site["id"],
            name=site["name"],
            kind=SiteKind(site["kind"]),
            department=site["department"],
        ),
        members=tuple(_professional(p) for p in data["members"]),
        programs=tuple(
            teams.ProgramMembership(
                program=p["program"],
                valid_from=_date(p["valid_from"]),
                valid_until=None if p.get("valid_until") is None else _date(p["valid_until"]),
            )
            for p in data.get("programs", ())
        ),
    )


def constructors_only(data: dict[str, Any]) -> Network:
    """The floor of `from_data`: the attrs constructors (and their validators) alone."""
    return Network(
        id=data["id"],
        name=data["name"],
        region=data["region"],
        coordination=tuple(_professional(p) for p in data.get("coordination", ())),
        microstructures=tuple(_microstructure(m) for m in data["microstructures"]),
    )


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        msg = "duplicate key"
        raise ValueError(msg)
    return result


def _loop(action: Any) -> Any:
    def run() -> Any:
        for _ in range(LOOPS - 1):
            action()
        return action()

    return run


def run(args: argparse.Namespace) -> None:
    network = _fixtures.network(args.teams)
    data = to_data(network)
    text = json.dumps(data)
    model = NetworkModel.model_validate(data)
    _harness.require_equal(
        "the peer's model holds the same data", model.model_dump(mode="json"), data
    )
    members = sum(len(ms.members) for ms in network.microstructures)
    _harness.note(
        f"network: {args.teams} microstructures, {members} members, "
        f"{len(dumps(network)) / 1024:,.0f} KiB of JSON (indent=2); {LOOPS} calls per timed run"
    )
    peer = "pydantic v2"
    _harness.compare(
        "io.dumps (default indent=2)",
        _loop(lambda: dumps(network)),
        _loop(lambda: model.model_dump_json(indent=2)),
        peer_name=f"{peer} model_dump_json(indent=2)",
        repeats=args.repeats,
        aim="<= 1.5x",
    )
    floor = _harness.compare(
        "floor: to_data, then json.dumps without indent (C encoder)",
        _loop(lambda: json.dumps(to_data(network), ensure_ascii=False)),
        _loop(lambda: model.model_dump_json(indent=2)),
        peer_name=f"{peer} model_dump_json(indent=2)",
        repeats=args.repeats,
        same=lambda a, b: (json.loads(a), json.loads(b)),
    )
    _harness.note(
        f"the stdlib floor of io.dumps (to_data, then the C encoder writing no indentation) "
        f"is {floor.median:.2f}x pydantic's indented output"
    )
    _harness.compare(
        "io.dumps(indent=None)",
        _loop(lambda: dumps(network, indent=None)),
        _loop(model.model_dump_json),
        peer_name=f"{peer} model_dump_json()",
        repeats=args.repeats,
        same=lambda a, b: (json.loads(a), json.loads(b)),
    )

    def as_data(ours: object, peer: Any) -> tuple[object, object]:
        return to_data(ours), peer.model_dump(mode="json")

    _harness.compare(
        "io.from_data",
        _loop(lambda: from_data(Network, data)),
        _loop(lambda: NetworkModel.model_validate(data)),
        peer_name=f"{peer} model_validate",
        repeats=args.repeats,
        same=as_data,
        aim="<= 1.3x",
    )
    _harness.compare(
        "io.loads",
        _loop(lambda: loads(Network, text)),
        _loop(lambda: NetworkModel.model_validate_json(text)),
        peer_name=f"{peer} model_validate_json",
        repeats=args.repeats,
        same=as_data,
        aim="<= 1.3x",
    )
    _harness.compare(
        "floor of from_data: the attrs constructors alone, by hand",
        _loop(lambda: constructors_only(data)),
        _loop(lambda: NetworkModel.model_validate(data)),
        peer_name=f"{peer} model_validate",
        repeats=args.repeats,
        same=as_data,
    )
    _harness.compare(
        "floor of loads: json.loads refusing duplicate keys, then the constructors",
        _loop(lambda: constructors_only(json.loads(text, object_pairs_hook=_pairs))),
        _loop(lambda: NetworkModel.model_validate_json(text)),
        peer_name=f"{peer} model_validate_json",
        repeats=args.repeats,
        same=as_data,
    )

    def unchecked(action: Any) -> Any:
        def run() -> Any:
            with attrs.validators.disabled():
                return action()

        return run

    _harness.compare(
        "share: from_data with the validators switched off",
        _loop(unchecked(lambda: from_data(Network, data))),
        _loop(lambda: NetworkModel.model_validate(data)),
        peer_name=f"{peer} model_validate",
        repeats=args.repeats,
        same=as_data,
    )
    _harness.compare(
        "share: the constructors by hand with the validators switched off",
        _loop(unchecked(lambda: constructors_only(data))),
        _loop(lambda: NetworkModel.model_validate(data)),
        peer_name=f"{peer} model_validate",
        repeats=args.repeats,
        same=as_data,
    )
    _harness.compare(
        "json.loads refusing duplicate keys (object_pairs_hook)",
        _loop(lambda: json.loads(text, object_pairs_hook=_pairs)),
        _loop(lambda: json.loads(text)),
        peer_name="json.loads (duplicate keys: the last wins)",
        repeats=args.repeats,
    )


if __name__ == "__main__":
    arguments = _harness.parser(__doc__)
    arguments.add_argument("--teams", type=int, default=150)
    _harness.main(run, arguments)

"""The synthetic nation: the poster's figures through the evaluation engine, seeds, validity.

The poster's patient groups are read as the programs: "followed for addiction and/or
precarity" = active in Equip'addict (every such patient has an addiction, 40 % also
precarity), "for mental health" = active in santé mentale. Counts by role and networks
are the distinct professionals and networks of the store's ``members`` and ``org``
tables.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pendulum
import pytest
from tests.schema.helpers import problems

from microstructure.cli import main
from microstructure.eligibility import Outcome, Situation, decide, instrument
from microstructure.errors import ConfigurationError, FieldError, NotFoundError
from microstructure.evaluation import Database, ReportingPeriod, compute
from microstructure.programs import load_program, programs
from microstructure.records import (
    Assessment,
    Consultation,
    Event,
    Inclusion,
    Patient,
    Referral,
    session_ref,
)
from microstructure.scheduling import expand, load_schedule
from microstructure.synthetic import Nation, nation, poster_figures, write_nation
from microstructure.teams import NationalCoordination, read_team_file
from microstructure.territory import public_holidays

PERIOD = ReportingPeriod.custom(pendulum.date(2021, 1, 1), pendulum.date(2023, 12, 31))
NAMES = ("teams.json", "schedule.json", "program-sante-mentale.json", "records.jsonl")


def _database(directory: Path) -> Database:
    teams = read_team_file(directory / "teams.json")
    assert isinstance(teams, NationalCoordination)
    override = load_program(directory / "program-sante-mentale.json")
    return Database(
        teams,
        schedule=load_schedule(directory / "schedule.json"),
        programs=programs(overrides=[override]),
    )


def _totals(directory: Path) -> dict[str, Any]:
    """The national figures of a written nation, through microstructure.evaluation."""
    with _database(directory) as db:
        db.add_records(directory / "records.jsonl")
        table = compute(
            db,
            ["active-file", "mean-age", "share-of-women", "substances"],
            periods=[PERIOD],
            levels=["nation"],
            breakdowns=[None, "program"],
        )
        roles = dict(
            db.connection.sql(
                "SELECT role, count(DISTINCT professional) FROM members GROUP BY role"
            ).fetchall()
        )
        ((networks,),) = db.connection.sql("SELECT count(DISTINCT network) FROM org").fetchall()
    cells: dict[tuple[str, str | None, str | None, str | None], Any] = {
        (c.indicator, None if c.breakdown is None else c.breakdown.value, c.category, c.by): c
        for c in table.cells
        if c.unit == "FR" and c.period == PERIOD.label
    }
    substances = {
        by: cell.numerator
        for (ind, brk, _, by), cell in cells.items()
        if ind == "substances" and brk is None and by is not None and cell.numerator
    }
    return {
        "networks": networks,
        "roles": roles,
        "equip-addict": cells["active-file", "program", "equip-addict", None].value,
        "sante-mentale": cells["active-file", "program", "sante-mentale", None].value,
        "active": cells["active-file", None, None, None].value,
        "mean-age": cells["mean-age", None, None, None].value,
        "women": cells["share-of-women", None, None, None].value,
        "substances": substances,
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 nation of seed 0, written once for the module."""
    directory = tmp_path_factory.mktemp("nation-0")
    write_nation(nation(seed=0), directory)
    return directory


@pytest.fixture(scope="module")
def events() -> list[Event]:
    """The scale-1 nation's events, seed 0."""
    return list(nation(seed=0).events())


def test_national_totals_are_the_posters_figures(written: Path) -> None:
    """Networks, professionals by role, patients by program, age, women and substances."""
    figures = poster_figures()
    totals = _totals(written)
    assert totals["networks"] == figures.networks == 22
    assert (
        totals["roles"]
        == {
            "gp": figures.general_practitioners,
            "social-worker": figures.social_workers,
            "psychologist": figures.psychologists,
            "psychiatrist": figures.psychiatrists,
        }
        == {"gp": 350, "social-worker": 70, "psychologist": 80, "psychiatrist": 8}
    )
    assert totals["equip-addict"] == 4730
    assert totals["sante-mentale"] == 500
    assert totals["active"] == 5230
    assert abs(totals["mean-age"] - 45) <= 1
    assert 45 <= totals["women"] <= 55
    substances = totals["substances"]
    ranked = sorted(substances, key=substances.get, reverse=True)
    assert ranked[:5] == ["alcohol", "tobacco", "cannabis", "cocaine", "opioids"]
    assert len(set(substances.values())) == len(substances)  # a strict ranking


def test_same_seed_same_bytes_through_the_command(written: Path, tmp_path: Path) -> None:
    """`microstructure synthesize --seed 0` writes byte for byte what write_nation wrote."""
    out = tmp_path / "again"
    assert main(["synthesize", "--seed", "0", "--scale", "1", "--out", str(out)]) == 0
    for name in NAMES:
        assert (out / name).read_bytes() == (written / name).read_bytes(), name


def test_other_seed_other_patients_same_totals(written: Path, tmp_path: Path) -> None:
    """Another seed draws other patients and keeps every national total."""
    write_nation(nation(seed=5), tmp_path)

    def codes(directory: Path) -> set[str]:
        with (directory / "records.jsonl").open(encoding="utf-8") as lines:
            next(lines)
            return {json.loads(line).get("patient") for line in lines} - {None}

    other, first_codes = codes(tmp_path), codes(written)
    assert len(other) == len(first_codes) == 5230
    assert len(other & first_codes) < 50  # other patients, not the same ones renamed
    first, second = _totals(written), _totals(tmp_path)
    for key in ("networks", "roles", "equip-addict", "sante-mentale", "active", "mean-age"):
        assert first[key] == second[key], key
    assert (tmp_path / "records.jsonl").read_bytes() != (written / "records.jsonl").read_bytes()


def test_every_file_passes_check_and_validate(
    written: Path, events: list[Event], capsys: pytest.CaptureFixture[str]
) -> None:
    """Team check (today and during the programs), records validate and schedule: no error finding."""
    program = str(written / "program-sante-mentale.json")
    teams = str(written / "teams.json")
    assert main(["check", teams, "--program", program]) == 0
    assert main(["check", teams, "--program", program, "--on", "2022-06-01"]) == 0
    capsys.readouterr()
    status = main(
        [
            *("records", "validate", str(written / "records.jsonl"), "--teams", teams),
            *("--program", program, "--format", "json"),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["valid"]
    assert report["events"] == len(events)
    assert not [f for f in report["findings"] if f["severity"] == "error"]
    assert problems("findings", report) == []
    schedule = str(written / "schedule.json")
    argv = ["schedule", teams, "--schedule", schedule, "--from", "2021-01-01", "--to", "2023-12-31"]
    assert main(argv) == 0  # no professional booked twice


def test_screenings_make_the_default_policies_include_the_patients(events: list[Event]) -> None:
    """Each inclusion's referral and screening give an eligible decision under the default policy."""
    referral: dict[str, Referral] = {}
    screening: dict[str, Assessment] = {}
    sex: dict[str, str] = {}
    decided = 0
    for event in events:
        if isinstance(event, Patient):
            sex[event.patient.value] = event.sex.value
        elif isinstance(event, Referral):
            referral[event.patient.value] = event
        elif isinstance(event, Assessment) and event.stage.value == "inclusion":
            screening[event.patient.value] = event
        elif isinstance(event, Inclusion) and decided < 600:
            code = event.patient.value
            ref, tool = referral[code], screening[code]
            score = instrument(tool.instrument).score(tool.answers or (), sex=sex[code])
            assert score.positive is not False, (tool.instrument, score.total)
            situation = Situation(
                indications=set(ref.indications),
                substances=set(ref.substances),
                situations=set(ref.situations),
                followed_by=set(),
                answers={tool.instrument: tool.answers or ()},
            )
            assert decide(situation, event.program).outcome is Outcome.ELIGIBLE
            decided += 1
    assert decided == 600


def test_consultations_sit_on_expanded_sessions_away_from_holidays(events: list[Event]) -> None:
    """Every consultation is on a session of the expansion; none on a local public holiday."""
    n = nation(seed=0)
    planned = {
        (o.microstructure, session_ref(o.rule, o.start))
        for o in expand(n.schedule, n.teams, pendulum.date(2021, 1, 1), pendulum.date(2023, 12, 31))
    }
    site = {ms.id: ms.site for network in n.teams.networks for ms in network.microstructures}
    holidays = {
        dep: public_holidays(dep, (2021, 2022, 2023))
        for dep in {s.department for s in site.values()}
    }
    member_of = {
        (ms.id, p.id)
        for network in n.teams.networks
        for ms in network.microstructures
        for p in ms.members
    }
    offsets: Counter[tuple[str, float]] = Counter()
    consultations = [e for e in events if isinstance(e, Consultation)]
    by_ms = {}
    for event in events:
        if isinstance(event, Inclusion):
            by_ms[event.patient.value] = event.microstructure
    for c in consultations:
        ms = by_ms[c.patient.value]
        assert (ms, c.session) in planned
        assert (ms, c.professional) in member_of
        assert c.start.date() not in holidays[site[ms].department]
        offset = c.start.utcoffset()
        assert offset is not None
        offsets[site[ms].department, offset.total_seconds() / 3600] += 1
    assert offsets["974", 4.0] > 0  # La Réunion: UTC+4 all year
    assert {k for k in offsets if k[0] == "67"} == {("67", 1.0), ("67", 2.0)}  # DST in Paris


def test_alsace_moselle_saint_stephen_has_no_session() -> None:
    """26 December is a holiday in Alsace-Moselle only: no session there, sessions elsewhere."""
    n = nation(seed=0)
    day = pendulum.date(2022, 12, 26)  # a Monday, the psychologists' most common day
    occurrences = expand(n.schedule, n.teams, day, day)
    department_of = {
        ms.id: ms.site.department for net in n.teams.networks for ms in net.microstructures
    }
    that_day = {department_of[o.microstructure] for o in occurrences}
    assert not that_day & {"57", "67", "68"}
    assert {"75", "59"} <= that_day  # the rest of France works on 26 December


def test_presence_missed_and_rcp_indicators_are_informative(written: Path) -> None:
    """Some sessions missed, some consultations missed, some RCPs not held: below 100 %."""
    with _database(written) as db:
        db.add_records(written / "records.jsonl")
        table = compute(
            db,
            ["psychologist-presence", "social-worker-presence", "missed-consultations", "rcp-held"],
            periods=[PERIOD],
            levels=["nation"],
        )
    values: dict[str, Any] = {
        c.indicator: c.value for c in table.cells if c.category is None and c.by is None
    }
    assert 60 < values["psychologist-presence"] < 99
    assert 40 < values["social-worker-presence"] < 99
    assert 2 < values["missed-consultations"] < 20
    assert 80 < values["rcp-held"] < 99


def test_every_name_is_visibly_fictional() -> None:
    """Networks, microstructures, sites and professionals all say fictif or fictive."""
    n = nation(seed=0)
    names: list[str | None] = [n.teams.name]
    for network in n.teams.networks:
        names += [network.name, *(p.display_name for p in network.coordination)]
        for ms in network.microstructures:
            names += [ms.name, ms.site.name, *(p.display_name for p in ms.members)]
    assert all(name and ("fictif" in name.lower() or "fictiv" in name.lower()) for name in names)


@pytest.mark.parametrize("scale", [2, 3])
def test_scale_multiplies_every_count(scale: int) -> None:
    """At scale N: N times the networks, the professionals and the planned patients."""
    n = nation(seed=1, scale=scale)
    people = {
        (p.id, p.role.value)
        for net in n.teams.networks
        for ms in net.microstructures
        for p in ms.members
    }
    roles = Counter(role for _, role in people)
    assert len(n.teams.networks) == 22 * scale
    assert roles == {
        "gp": 350 * scale,
        "social-worker": 70 * scale,
        "psychologist": 80 * scale,
        "psychiatrist": 8 * scale,
    }
    network = n.teams.networks[-1].id
    patients = sum(isinstance(e, Patient) for e in n.events(network=network))
    assert patients > 0


def test_one_network_is_the_same_alone_or_in_the_nation(events: list[Event]) -> None:
    """events(network=…) gives exactly that network's share of the whole nation."""
    n = nation(seed=0)
    network = n.teams.networks[19]
    mine = {ms.id for ms in network.microstructures}
    alone = list(n.events(network=network.id))
    prefixes = tuple(f"{m}-" for m in mine)
    assert alone == [e for e in events if e.id.startswith(prefixes)]
    assert alone


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"seed": "1"}, "seed"),
        ({"scale": 0}, "scale"),
        ({"scale": 1001}, "scale"),
        ({"scale": 10**30}, "scale"),
        ({"scale": 1.5}, "scale"),
    ],
)
def test_bad_arguments_are_located_field_errors(arguments: dict[str, object], field: str) -> None:
    """A bad seed or scale is a FieldError naming the argument."""
    with pytest.raises(FieldError) as caught:
        nation(**arguments)  # type: ignore[arg-type]
    assert field in str(caught.value)


def test_unknown_network_and_bad_directory_are_refused(tmp_path: Path) -> None:
    """An unknown network id is a NotFoundError; a missing directory a ConfigurationError."""
    n = nation(seed=0)
    with pytest.raises(NotFoundError):
        next(n.events(network="reseau-inconnu"))
    with pytest.raises(ConfigurationError):
        write_nation(n, tmp_path / "missing")
    with pytest.raises(FieldError):
        write_nation("not a nation", tmp_path)  # type: ignore[arg-type]
    assert isinstance(n, Nation)


def test_identified_patients_have_distinct_national_pseudonyms(events: list[Event]) -> None:
    """About six patients in ten have a national pseudonym (v1n:), each their own."""
    patients = [e for e in events if isinstance(e, Patient)]
    pseudonyms = [p.national_pseudonym for p in patients if p.national_pseudonym is not None]
    assert 0.5 < len(pseudonyms) / len(patients) < 0.7
    assert len(set(pseudonyms)) == len(pseudonyms)
    assert all(p.startswith("v1n:") and len(p) == 68 for p in pseudonyms)
    assert len({p.patient.value for p in patients}) == len(patients) == 5230

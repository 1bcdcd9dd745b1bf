"""Building eligibility situations against pydantic v2, and deciding the default policies.

Run with ``python benchmarks/bench_eligibility.py [--situations N] [--seed S]``.

- headline: building N varied `Situation`s from the same keyword arguments (codes as
  strings, sets, answers to AUDIT-C, PHQ-9 and EPICES) vs a pydantic v2 model with the
  same checks (opaque code, age 0–130, age band, sex, codes of each enum, situation codes
  of the taxonomy or ``x-`` codes) that scores the answers the same way (the instruments'
  point tables, bands, cut-offs and flags, read beforehand). Both sides must give the
  same fields and the same scores. Median time ratio with min–max, and situations/s.
- deciding the three default policies for every situation (`decide` builds a full
  `Decision` with its explanation tree): decisions/s. No Python library evaluates
  these three-valued criteria with explanations, so this line has no peer: it is
  printed next to the cost of building the situation it decides on.
"""

from __future__ import annotations

import argparse
import decimal
import random
import re
import statistics
from typing import Annotated, Any

import _harness
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

from microstructure.eligibility import (
    Behaviour,
    FollowUp,
    Indication,
    Sex,
    Situation,
    Substance,
    decide,
    default_policies,
    instruments,
    taxonomy,
)

_CODE = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
_NETWORK_CODE_RE = re.compile(r"^x-[a-z0-9]+(?:-[a-z0-9]+)*$")
_AGE_BAND_RE = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")


def _maybe(rng: random.Random, value: object, known: float = 0.85) -> object:
    return value if rng.random() < known else None


def synthetic_arguments(count: int, seed: int) -> list[dict[str, Any]]:
    """Keyword arguments of ``count`` varied situations, some fields unknown."""
    rng = random.Random(seed)
    codes = sorted(taxonomy().situations)
    follow_ups = [f.value for f in FollowUp]
    out = []
    for number in range(count):
        answers: dict[str, list[int | bool]] = {}
        if rng.random() < 0.3:
            answers["audit-c"] = [rng.randint(0, 4) for _ in range(3)]
        if rng.random() < 0.2:
            answers["phq-9"] = [rng.randint(0, 3) for _ in range(9)]
        if rng.random() < 0.1:
            answers["epices"] = [rng.random() < 0.5 for _ in range(11)]
        out.append({
            "code": f"S{number:06d}",
            "age": _maybe(rng, rng.randint(16, 90)),
            "sex": _maybe(rng, rng.choice([Sex.FEMALE.value, Sex.MALE.value])),
            "indications": _maybe(rng, set(rng.sample([i.value for i in Indication], rng.randint(0, 2)))),
            "substances": _maybe(rng, set(rng.sample([s.value for s in Substance], rng.choice([0, 0, 1, 2])))),
            "behaviours": _maybe(rng, set(rng.sample([b.value for b in Behaviour], rng.choice([0, 0, 0, 1])))),
            "situations": _maybe(rng, set(rng.sample(codes, rng.randint(0, 3)))),
            "followed_by": _maybe(rng, set(rng.sample(follow_ups, rng.choice([0, 0, 0, 1]))), 0.6),
            "answers": answers,
        })  # fmt: skip
    return out


# -- the peer: a pydantic v2 model with the same checks and the same scoring ----------


class _Scorer:
    """An instrument's point tables, bands and cut-offs, as plain data."""

    def __init__(self, instrument: Any) -> None:
        self.id = instrument.id
        self.tables = [
            {(type(o.answer), o.answer): o.points for o in item.options}
            for item in instrument.items
        ]
        self.intercept = instrument.intercept
        self.quantum = (
            None if instrument.decimals == 0 else decimal.Decimal(1).scaleb(-instrument.decimals)
        )
        scheme = instrument.scheme()
        self.scheme = scheme.id
        self.bands = [(b.low, b.high, b.id, b.sex) for b in scheme.bands]
        self.cutoffs = [(c.at_least, c.sex) for c in instrument.positive]
        index = {item.id: i for i, item in enumerate(instrument.items)}
        self.flags = [(f.id, [index[i] for i in f.items], f.at_least) for f in instrument.flags]

    def score(self, answers: tuple[int | bool, ...], sex: Sex | None) -> tuple[object, ...]:
        if len(answers) != len(self.tables):
            msg = f"expected {len(self.tables)} answers to {self.id}"
            raise ValueError(msg)
        points = []
        for table, answer in zip(self.tables, answers, strict=True):
            found = table.get((type(answer), answer))
            if found is None:
                msg = f"expected a valid answer to {self.id}"
                raise ValueError(msg)
            points.append(found)
        raw = self.intercept + sum(points, decimal.Decimal(0))
        total = (
            int(raw)
            if self.quantum is None
            else raw.quantize(self.quantum, decimal.ROUND_HALF_EVEN)
        )
        known = sex in (Sex.FEMALE, Sex.MALE)
        band = None
        for low, high, band_id, band_sex in self.bands:
            if not low <= total <= high or (band_sex is not None and known and band_sex is not sex):
                continue
            if band is not None and band != band_id:
                band = None
                break
            band = band_id
        positives = {
            total >= at
            for at, cut_sex in self.cutoffs
            if cut_sex is None or not known or cut_sex is sex
        }
        positive = positives.pop() if len(positives) == 1 else None
        flags = tuple(f for f, items, at in self.flags if any(points[i] >= at for i in items))
        return (total, band, positive, flags)


SCORERS = {key: _Scorer(value) for key, value in instruments().items()}
SITUATION_CODES = frozenset(taxonomy().situations)


def _situation_codes(values: frozenset[str] | None) -> frozenset[str] | None:
    if values is not None and not all(
        c in SITUATION_CODES or _NETWORK_CODE_RE.match(c) for c in values
    ):
        msg = "expected situation codes of the taxonomy, or network codes starting with 'x-'"
        raise ValueError(msg)
    return values


def _age_band(value: str | None) -> str | None:
    if value is None:
        return None
    match = _AGE_BAND_RE.match(value)
    high = None if match is None else int(match.group(2) or 130)
    if match is None or not int(match.group(1)) <= high <= 130:  # type: ignore[operator]
        msg = "expected an age band such as '18-24' or '65+'"
        raise ValueError(msg)
    return value


class SituationModel(BaseModel):
    """The peer of `Situation`: the same checks, and the same scores."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Annotated[StrictStr, StringConstraints(pattern=_CODE)] | None = None
    age: (
        Annotated[StrictInt, AfterValidator(lambda v: v if 0 <= v <= 130 else _too_old())] | None
    ) = None
    age_band: Annotated[StrictStr | None, AfterValidator(_age_band)] = None
    sex: Sex | None = None
    indications: frozenset[Indication] | None = None
    substances: frozenset[Substance] | None = None
    behaviours: frozenset[Behaviour] | None = None
    situations: Annotated[frozenset[StrictStr] | None, AfterValidator(_situation_codes)] = None
    followed_by: frozenset[FollowUp] | None = None
    answers: dict[StrictStr, tuple[StrictBool | StrictInt, ...]] = {}
    _results: dict[str, tuple[object, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _score(self) -> SituationModel:
        for key, answers in self.answers.items():
            scorer = SCORERS.get(key)
            if scorer is None:
                msg = "expected an instrument id"
                raise ValueError(msg)
            self._results[key] = scorer.score(answers, self.sex)
        return self


def _too_old() -> int:
    msg = "expected an age in whole years from 0 to 130"
    raise ValueError(msg)


def _ours_view(s: Situation) -> tuple[object, ...]:
    scores = {k: (r.total, r.band, r.positive, r.flags) for k in s.answers if (r := s.score(k))}
    fields = (s.code, s.age, s.sex, s.indications, s.substances, s.behaviours, s.situations)
    return (*fields, s.followed_by, s.answers, scores)


def _peer_view(s: SituationModel) -> tuple[object, ...]:
    fields = (s.code, s.age, s.sex, s.indications, s.substances, s.behaviours, s.situations)
    return (*fields, s.followed_by, s.answers, s._results)  # noqa: SLF001


def run(args: argparse.Namespace) -> None:
    kwargs = synthetic_arguments(args.situations, args.seed)
    row = _harness.compare(
        f"building {len(kwargs):,} situations",
        lambda: [Situation(**k) for k in kwargs],
        lambda: [SituationModel(**k) for k in kwargs],
        peer_name="pydantic v2 model, same checks and scoring",
        repeats=args.repeats,
        same=lambda a, b: ([_ours_view(s) for s in a], [_peer_view(s) for s in b]),
    )
    built = len(kwargs) / statistics.median(row.ours)
    _harness.note(
        f"building situations: {built:,.0f}/s (aim >= 100,000/s); pydantic v2: "
        f"{len(kwargs) / statistics.median(row.theirs):,.0f}/s"
    )
    situations = [Situation(**k) for k in kwargs]
    policies = list(default_policies().values())
    for policy in policies:  # warm the compiled-policy cache
        decide(situations[0], policy)
    counts: dict[str, int] = {}

    def decide_all() -> None:
        counts.clear()
        for situation in situations:
            for policy in policies:
                outcome = decide(situation, policy).outcome.value
                counts[outcome] = counts.get(outcome, 0) + 1

    times = [_harness.timed(decide_all) for _ in range(args.repeats)]
    decisions = len(situations) * len(policies)
    _harness.note(
        f"deciding {len(policies)} default policies for each situation: "
        f"{decisions / statistics.median(times):,.0f} decisions/s (median of {len(times)}; "
        f"no peer); outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    arguments = _harness.parser(__doc__)
    arguments.add_argument("--situations", type=int, default=100_000)
    arguments.add_argument("--seed", type=int, default=2026)
    _harness.main(run, arguments)

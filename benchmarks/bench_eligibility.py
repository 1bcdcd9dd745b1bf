"""Decisions per second of the default eligibility policies on synthetic situations.

Run with ``python benchmarks/bench_eligibility.py [--situations N] [--seed S]``.
Situations are built before timing; the figure is for `decide` alone, which builds a
full `Decision` with its explanation tree.
"""

from __future__ import annotations

import argparse
import random
import time

from microstructure.eligibility import (
    Behaviour,
    FollowUp,
    Indication,
    Situation,
    Substance,
    decide,
    default_policies,
    taxonomy,
)


def _maybe(rng: random.Random, value: object, known: float = 0.85) -> object:
    return value if rng.random() < known else None


def synthetic_situations(count: int, seed: int) -> list[Situation]:
    """``count`` varied situations, some fields unknown, with answers for a few instruments."""
    rng = random.Random(seed)
    codes = sorted(taxonomy().situations)
    follow_ups = list(FollowUp)
    out = []
    for number in range(count):
        answers: dict[str, list[int | bool]] = {}
        if rng.random() < 0.3:
            answers["audit-c"] = [rng.randint(0, 4) for _ in range(3)]
        if rng.random() < 0.2:
            answers["phq-9"] = [rng.randint(0, 3) for _ in range(9)]
        if rng.random() < 0.1:
            answers["epices"] = [rng.random() < 0.5 for _ in range(11)]
        out.append(
            Situation(
                code=f"S{number:06d}",
                age=_maybe(rng, rng.randint(16, 90)),  # type: ignore[arg-type]
                sex=_maybe(rng, rng.choice(["f", "m"])),  # type: ignore[arg-type]
                indications=_maybe(  # type: ignore[arg-type]
                    rng, set(rng.sample(list(Indication), rng.randint(0, 2)))
                ),
                substances=_maybe(  # type: ignore[arg-type]
                    rng, set(rng.sample(list(Substance), rng.choice([0, 0, 1, 2])))
                ),
                behaviours=_maybe(  # type: ignore[arg-type]
                    rng, set(rng.sample(list(Behaviour), rng.choice([0, 0, 0, 1])))
                ),
                situations=_maybe(rng, set(rng.sample(codes, rng.randint(0, 3)))),  # type: ignore[arg-type]
                followed_by=_maybe(  # type: ignore[arg-type]
                    rng, set(rng.sample(follow_ups, rng.choice([0, 0, 0, 1]))), 0.6
                ),
                answers=answers,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--situations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    start = time.perf_counter()
    situations = synthetic_situations(args.situations, args.seed)
    built = time.perf_counter() - start
    print(
        f"built {len(situations):,} situations in {built:.2f} s ({len(situations) / built:,.0f}/s)"
    )

    policies = list(default_policies().values())
    for policy in policies:  # warm the compiled-policy cache
        decide(situations[0], policy)
    counts: dict[str, int] = {}
    start = time.perf_counter()
    for situation in situations:
        for policy in policies:
            outcome = decide(situation, policy).outcome
            counts[outcome.value] = counts.get(outcome.value, 0) + 1
    elapsed = time.perf_counter() - start
    decisions = len(situations) * len(policies)
    print(
        f"{decisions:,} decisions ({len(policies)} default policies) in {elapsed:.2f} s: "
        f"{decisions / elapsed:,.0f} decisions/s"
    )
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

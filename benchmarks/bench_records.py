"""Read and validate generated care records: events per second and peak memory.

Run with ``python benchmarks/bench_records.py [--events 1000000] [--small 100000]
[--seed S] [--folder DIR]``. It generates (once, kept in ``--folder``) records files of
about ``--small`` and ``--events`` events with `microstructure.synthetic.generate`, then,
each in a fresh subprocess so that peak memory (VmHWM) is its own:

- the raw peer: ``json.loads`` of every line of the same file, nothing else;
- `microstructure.records.validate_file` against the bundled example teams: read,
  structure, de-duplicate and check every lifecycle rule.

It prints events per second, the ratio to the raw peer, and peak RSS with the number of
patients, for both sizes. Memory grows with patients (one summary each), not events: a
third file holds the small file's events each sent ten times (as ``--events`` lines, for
the patients of ``--small``), and peaks near the small file, not the large one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS_PER_PATIENT = 30  # a little under what the default generator gives


def _vmhwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1  # pragma: no cover - not Linux


def _child(kind: str, path: str) -> None:
    if kind == "raw":
        start = time.perf_counter()
        count = 0
        with Path(path).open(encoding="utf-8") as handle:
            next(handle)
            for line in handle:
                json.loads(line)
                count += 1
        seconds = time.perf_counter() - start
        result = {"events": count, "seconds": seconds, "patients": None}
    else:
        from microstructure.examples import example_national  # noqa: PLC0415 - timed child
        from microstructure.records import validate_file  # noqa: PLC0415

        teams = example_national()
        start = time.perf_counter()
        report = validate_file(path, teams)
        seconds = time.perf_counter() - start
        if report.findings:
            sys.exit(f"unexpected findings: {report.findings[:3]}")
        result = {"events": report.events, "seconds": seconds, "patients": report.patients}
    result["vmhwm_kb"] = _vmhwm_kb()
    print(json.dumps(result))


def _run(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]


def _file(folder: Path, events: int, seed: int) -> Path:
    from microstructure.records import write_records  # noqa: PLC0415 - parent only
    from microstructure.synthetic import generate  # noqa: PLC0415

    patients = max(1, round(events / EVENTS_PER_PATIENT))
    path = folder / f"records-{patients}p-{seed}.jsonl"
    if not path.exists():
        start = time.perf_counter()
        count = write_records(path, generate(patients=patients, seed=seed))
        took = time.perf_counter() - start
        print(f"generated {count:,} events for {patients:,} patients in {took:.1f} s -> {path}")
    return path


def _repeated(path: Path, times: int) -> Path:
    """The same events, each line sent ``times`` times in a row (duplicates, one id)."""
    target = path.with_name(f"{path.stem}-x{times}.jsonl")
    if not target.exists():
        with path.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
            out.write(next(source))
            for line in source:
                out.write(line * times)
    return target


def _report(label: str, path: Path) -> None:
    raw = _run("raw", path)
    ours = _run("validate", path)
    rate = ours["events"] / ours["seconds"]
    raw_rate = raw["events"] / raw["seconds"]
    print(
        f"{label}: {int(ours['events']):,} events, {int(ours['patients']):,} patients: "
        f"validate_file {rate:,.0f} events/s, json.loads alone {raw_rate:,.0f} lines/s, "
        f"ratio {rate / raw_rate:.2f}; peak RSS {ours['vmhwm_kb'] / 1024:,.0f} MiB "
        f"(json.loads alone {raw['vmhwm_kb'] / 1024:,.0f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--folder", default=str(Path(tempfile.gettempdir()) / "microstructure-bench-records")
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    small = _file(folder, args.small, args.seed)
    _report("small", small)
    _report("large", _file(folder, args.events, args.seed))
    _report("small x10", _repeated(small, max(1, args.events // args.small)))


if __name__ == "__main__":
    main()

"""Generate and write the synthetic nation: time and peak memory, against a raw json.dumps loop.

Run with ``python benchmarks/bench_synthetic.py [--scales 1 20] [--repeats 3]
[--big-repeats 1] [--seed S] [--json FILE]``. For each scale, each side runs in a fresh
subprocess, so that its peak memory (VmHWM) is its own and its CPU time counts whole:

- ours: `microstructure.synthetic.write_nation(nation(seed=S, scale=N), DIR)`: plan the
  teams and schedules, expand every schedule (holidays, time zones), generate and
  validate every event (attrs), and write the four files;
- the peer: a raw loop writing as many JSON lines (``json.dumps`` of a plain dict of a
  consultation's fields, values from ``random``) to a file: the least a generator of
  the same output could cost in Python, with no model, no schedule and no check.

Both sides must write the same number of lines (checked before any time is printed).
The ratio is ours / peer (above 1: slower than the raw loop). Scales above 1 run
``--big-repeats`` times (scale 20 writes about 1.7 million events).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import Row, main, note, parser, require_equal, summarize


def _vmhwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1  # pragma: no cover - not Linux


def _cpu() -> float:
    return time.process_time()


def _child(kind: str, scale: int, seed: int, lines: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-synthetic-") as folder:
        start = _cpu()
        if kind == "ours":
            from microstructure.synthetic import nation, write_nation  # noqa: PLC0415

            paths = write_nation(nation(seed=seed, scale=scale), folder)
            with paths[-1].open(encoding="utf-8") as records:
                written = sum(1 for _ in records) - 1  # less the header
        else:
            rng = random.Random(seed)
            with (Path(folder) / "records.jsonl").open("w", encoding="utf-8") as out:
                out.write(json.dumps({"format": "microstructure-records", "version": 1}) + "\n")
                for number in range(lines):
                    event = {
                        "type": "consultation",
                        "id": f"ms-fictive-{number % 100}-{number}-c{number}",
                        "recorded_at": f"2022-03-{1 + number % 28:02d}T12:30:00+01:00",
                        "patient": "".join(rng.choice("0123456789ACDEFG") for _ in range(8)),
                        "start": f"2022-03-{1 + number % 28:02d}T08:30:00+01:00",
                        "professional": f"psy-fictif-{rng.randrange(80)}",
                        "role": "psychologist",
                        "status": rng.choice(("held", "missed")),
                        "mode": "on-site",
                        "duration": "PT45M",
                        "session": f"psy@2022-03-{1 + number % 28:02d}T08:30",
                    }
                    out.write(json.dumps(event, ensure_ascii=False) + "\n")
            written = lines
        seconds = _cpu() - start
    print(json.dumps({"lines": written, "seconds": seconds, "vmhwm_kb": _vmhwm_kb()}))


def _run(kind: str, scale: int, seed: int, lines: int = 0) -> dict[str, float]:
    argv = [sys.executable, __file__, "--child", kind, str(scale), str(seed), str(lines)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])  # type: ignore[no-any-return]


def run(args: object) -> None:
    scales: list[int] = args.scales  # type: ignore[attr-defined]
    seed: int = args.seed  # type: ignore[attr-defined]
    for scale in scales:
        repeats = args.repeats if scale == 1 else args.big_repeats  # type: ignore[attr-defined]
        ours_times: list[float] = []
        peer_times: list[float] = []
        ours_peak = peer_peak = 0.0
        lines = 0
        for index in range(repeats):
            if index % 2:  # alternate which side runs first
                peer = _run("peer", scale, seed, lines)
                ours = _run("ours", scale, seed)
            else:
                ours = _run("ours", scale, seed)
                lines = int(ours["lines"])
                peer = _run("peer", scale, seed, lines)
            require_equal(f"scale {scale} lines", int(ours["lines"]), int(peer["lines"]))
            ours_times.append(ours["seconds"])
            peer_times.append(peer["seconds"])
            ours_peak = max(ours_peak, ours["vmhwm_kb"] / 1024)
            peer_peak = max(peer_peak, peer["vmhwm_kb"] / 1024)
        summarize(
            Row(
                f"synthesize scale {scale} ({lines:,} events)",
                "json.dumps raw loop",
                ours_times,
                peer_times,
                aim="scale 1 in a few seconds",
            )
        )
        note(
            f"scale {scale}: peak RSS ours {ours_peak:,.0f} MiB, "
            f"json.dumps raw loop {peer_peak:,.0f} MiB"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, scale, seed, lines = sys.argv[2:6]
        _child(kind, int(scale), int(seed), int(lines))
    else:
        arguments = parser(__doc__ or "")
        arguments.set_defaults(repeats=3)
        arguments.add_argument("--scales", type=int, nargs="+", default=[1, 20])
        arguments.add_argument("--big-repeats", type=int, default=1)
        arguments.add_argument("--seed", type=int, default=0)
        main(run, arguments)

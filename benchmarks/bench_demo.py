"""``microstructure demo``, run as a user runs it, against ``python -c "import microstructure"``.

Each side runs in a fresh interpreter with cached bytecode (as after ``pip install``),
output to a pipe: ours is ``python -m microstructure demo`` (build the synthetic nation,
check its team file, expand a month, generate one network's records, load them in
DuckDB, compute and disclose the year's indicators, print five screens); the peer is
the interpreter's start-up and ``import microstructure``, the least any command costs.
Before any time is printed, both must exit 0 and the demo must print its five screens.

The row is the CPU-time ratio (ours / peer) of the harness; the notes give the demo's
own wall-clock time, median with min–max, which the aim is about (under 3 s on the
project's machine; wall time grows with the other jobs of a shared machine, CPU time
much less). ``--html`` adds the same with ``demo --html FILE`` (the report page, with
charts when matplotlib is installed).

Run: python benchmarks/bench_demo.py [--repeats 7] [--html] [--json FILE]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _harness

PEER = "import microstructure"
SCREENS = ("1 · ", "2 · ", "3 · ", "4 · ", "5 · ")


def _command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "microstructure", "demo", *extra]


def _runner(argv: list[str], walls: list[float]) -> object:
    def run() -> int:
        start = time.perf_counter()
        done = subprocess.run(
            argv, capture_output=True, text=True, check=False, env=_harness.python_env()
        )
        walls.append(time.perf_counter() - start)
        return done.returncode

    return run


def _check_screens(argv: list[str]) -> None:
    done = subprocess.run(
        argv, capture_output=True, text=True, check=False, env=_harness.python_env()
    )
    _harness.require_equal("demo exit status", done.returncode, 0)
    _harness.require_equal("demo screens", [s for s in SCREENS if s in done.stdout], list(SCREENS))


def _row(name: str, argv: list[str], repeats: int) -> None:
    _check_screens(argv)
    walls: list[float] = []
    peer_walls: list[float] = []
    ours = _runner(argv, walls)
    peer = _runner([sys.executable, "-c", PEER], peer_walls)
    _harness.compare(
        name,
        ours,  # type: ignore[arg-type]
        peer,  # type: ignore[arg-type]
        peer_name=f'python -c "{PEER}"',
        repeats=repeats,
        aim="under 3 s wall clock",
    )
    timed = walls[1:]  # the first run is compare()'s check and warm-up
    _harness.note(
        f"{name}: wall clock median {statistics.median(timed):.2f} s "
        f"(min {min(timed):.2f} – max {max(timed):.2f}, {len(timed)} runs); "
        f'python -c "{PEER}" {statistics.median(peer_walls[1:]):.2f} s'
    )


def run(args: object) -> None:
    repeats: int = args.repeats  # type: ignore[attr-defined]
    _row("microstructure demo", _command(), repeats)
    if args.html:  # type: ignore[attr-defined]
        with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
            page = str(Path(folder) / "report.html")
            _row("microstructure demo --html FILE", _command("--html", page), repeats)


if __name__ == "__main__":
    arguments = _harness.parser(__doc__ or "")
    arguments.add_argument(
        "--html", action="store_true", help="also time demo --html FILE (the report page)"
    )
    _harness.main(run, arguments)

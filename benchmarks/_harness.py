"""The one timing harness of the benchmarks: interleaved repeats, median ratio to a peer.

Every benchmark script compares the library with a named peer doing the same work. It
first runs both sides once and checks that they give the same result (same occurrences,
same pseudonyms, same JSON); only then does it time them (CPU time of this process and the commands it
runs), alternating which side runs first, ``--repeats`` times, and print the median time ratio (ours / peer: above 1 means
slower than the peer) with its min–max. ``--json FILE`` also writes the rows, which is
how ``docs/gen_performance.py`` builds the performance page.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shlex
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Row",
    "compare",
    "main",
    "note",
    "parser",
    "python_env",
    "require_equal",
    "summarize",
    "timed",
]


@dataclass
class Row:
    """One printed comparison: our time over the peer's, per repeat."""

    name: str
    peer: str
    ours: list[float]
    theirs: list[float]
    aim: str = ""
    unit: str = "time"  # "time": ratio of times; "speed": ratio of speeds (peer / ours)
    notes: list[str] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        pairs = zip(self.ours, self.theirs, strict=True)
        if self.unit == "speed":
            return [peer / ours for ours, peer in pairs]
        return [ours / peer for ours, peer in pairs]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    def text(self) -> str:
        ratios = self.ratios
        what = "time ratio" if self.unit == "time" else "speed ratio"
        aim = f"; aim {self.aim}" if self.aim else ""
        return (
            f"{self.name}: ours {statistics.median(self.ours) * 1000:,.1f} ms, "
            f"{self.peer} {statistics.median(self.theirs) * 1000:,.1f} ms; "
            f"{what} {self.median:.2f}x (min {min(ratios):.2f} – max {max(ratios):.2f}, "
            f"{len(ratios)} interleaved repeats){aim}"
        )


ROWS: list[Row] = []
NOTES: list[str] = []


def parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the shared ``--repeats`` and ``--json`` options."""
    first = description.strip().splitlines()[0]
    result = argparse.ArgumentParser(description=first)
    result.add_argument("--repeats", type=int, default=7, help="interleaved repeats (7)")
    result.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    return result


def require_equal(what: str, ours: object, theirs: object) -> None:
    """Stop the benchmark, before any time is printed, if both sides disagree."""
    if ours != theirs:
        msg = f"{what}: the library and its peer give different results; no time printed"
        raise SystemExit(msg)


def timed(action: Callable[[], object]) -> float:
    """CPU time (user + system) of one call, after a full collection.

    CPU time rather than wall time: other jobs on a shared machine lengthen wall times
    much more than CPU times. The collection keeps the other side's garbage from being
    charged to this one. Processes the call starts and waits for count too, so that the
    same function times a command run in a fresh interpreter.
    """
    gc.collect()
    start = _cpu()
    action()
    return _cpu() - start


def _cpu() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def summarize(row: Row) -> Row:
    """Record and print a row."""
    ROWS.append(row)
    print(row.text(), flush=True)
    return row


def compare(
    name: str,
    ours: Callable[[], Any],
    peer: Callable[[], Any],
    *,
    peer_name: str,
    repeats: int,
    same: Callable[[Any, Any], object] | None = None,
    aim: str = "",
    unit: str = "time",
) -> Row:
    """Check both sides agree, then time them interleaved and print the ratio.

    ``same(ours_result, peer_result)`` returns the two values to compare (for instance
    both sides' occurrences as ``(start, end)`` pairs); by default the results themselves.
    """
    mine, theirs = ours(), peer()  # also warms both sides
    left, right = (mine, theirs) if same is None else same(mine, theirs)
    require_equal(name, left, right)
    del mine, theirs, left, right
    ours_times: list[float] = []
    peer_times: list[float] = []
    for index in range(repeats):
        if index % 2:
            peer_times.append(timed(peer))
            ours_times.append(timed(ours))
        else:
            ours_times.append(timed(ours))
            peer_times.append(timed(peer))
    return summarize(Row(name, peer_name, ours_times, peer_times, aim=aim, unit=unit))


def python_env() -> dict[str, str]:
    """The environment for a fresh interpreter: bytecode cached, as after an install.

    ``pip install`` compiles every module; a checkout run with ``PYTHONDONTWRITEBYTECODE``
    (as on the project's machines) would compile the library's modules from source at
    each start while its dependencies load from their cached bytecode. Both sides use
    one cache folder of this run (``PYTHONPYCACHEPREFIX``), filled by their first run.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE.name
    return env


_PYCACHE = tempfile.TemporaryDirectory(prefix="bench-pycache-")


def note(text: str) -> None:
    """Print a line that goes with the rows (a count, a memory figure)."""
    NOTES.append(text)
    print(text, flush=True)


def main(run: Callable[[argparse.Namespace], None], arguments: argparse.ArgumentParser) -> None:
    """Parse the arguments, run the benchmark, write ``--json`` if asked."""
    args = arguments.parse_args()
    run(args)
    if args.json is not None:
        command = "python " + shlex.join([Path(sys.argv[0]).as_posix(), *_shown(sys.argv[1:])])
        payload = {
            "command": command,
            "rows": [
                {
                    **asdict(row),
                    "median": row.median,
                    "min": min(row.ratios),
                    "max": max(row.ratios),
                }
                for row in ROWS
            ],
            "notes": NOTES,
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")


def _shown(argv: Sequence[str]) -> list[str]:
    """The arguments without ``--json FILE`` (not part of the reproducing command)."""
    out, skip = [], False
    for item in argv:
        if skip:
            skip = False
        elif item == "--json":
            skip = True
        elif not item.startswith("--json="):
            out.append(item)
    return out

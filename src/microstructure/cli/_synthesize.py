"""The ``microstructure synthesize`` command: write the synthetic nation's files."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from microstructure.cli._input import whole_number
from microstructure.cli._main import EXIT_INPUT, EXIT_OK

__all__ = ["add_parser", "run"]

#: The largest scale the command accepts (scale 20 is about 100,000 patients).
MAX_SCALE = 1000


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "synthesize",
        help="write a seeded synthetic nation reproducing the CNRMS poster's figures",
        description="Write teams.json, schedule.json, program-sante-mentale.json and "
        "records.jsonl into DIR (created if its parent exists). Exit status: 0 written, "
        "2 unusable options or a file that cannot be written (nothing half written).",
    )
    parser.add_argument(
        "--seed", type=whole_number(0), default=0, help="random seed, 0 or more (default 0)"
    )
    parser.add_argument(
        "--scale",
        type=whole_number(1, MAX_SCALE),
        default=1,
        help=f"multiply every count of the poster (1 to {MAX_SCALE}; 20 is about 100,000 patients)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="directory to write into")
    parser.set_defaults(func=run)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar over the microstructures on a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(transient=True) as bar:
        task = bar.add_task("microstructures", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _fail(message: str) -> int:
    print(f"microstructure synthesize: {message}", file=sys.stderr)  # noqa: T201
    return EXIT_INPUT


def run(args: argparse.Namespace) -> int:
    """Write the nation's files; returns the exit status."""
    from microstructure.cli._files import safe_output  # noqa: PLC0415
    from microstructure.synthetic import nation, write_nation  # noqa: PLC0415

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return _fail(f"cannot write into {args.out!r}: not a directory")
    if not out.exists():
        if not out.parent.is_dir():
            return _fail(f"cannot write into {args.out!r}: no such directory")
        try:
            out.mkdir()
        except OSError as exc:
            return _fail(f"cannot create {args.out!r}: {exc.strerror}")

    def opener(path: Path) -> contextlib.AbstractContextManager[IO[str]]:
        return safe_output(str(path), protected=(), private=False)

    with _progress() as progress:
        paths = write_nation(
            nation(seed=args.seed, scale=args.scale), out, progress=progress, opener=opener
        )
    for path in paths:
        print(path)  # noqa: T201
    return EXIT_OK

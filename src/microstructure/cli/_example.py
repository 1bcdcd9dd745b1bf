"""The ``microstructure example`` command: write the bundled example as files."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path

__all__ = ["add_parser", "example_input", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "example",
        help="write the bundled fictional example as files to try every command on",
        description="Write the fictional example network as files: team files with their "
        "schedule files, situations, invented identities, held sessions and a network "
        "policy. Existing files are not replaced unless --force is given. Exit status: 0 "
        "written, 2 files exist already or cannot be written.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="directory to write to")
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the files and say what each holds."""
    from microstructure.examples import EXAMPLE_FILES, write_example  # noqa: PLC0415

    written = write_example(args.out, overwrite=args.force)
    width = max(len(path.name) for path in written)
    print(f"wrote {len(written)} fictional example files to {args.out}:")  # noqa: T201
    for path in written:
        print(f"  {path.name:<{width}}  {EXAMPLE_FILES[path.name]}")  # noqa: T201
    print(f"next: cd {args.out} && microstructure check network.json")  # noqa: T201
    return 0


@contextlib.contextmanager
def example_input(name: str) -> Iterator[str]:
    """The path of a bundled example file (``situations.csv``…), for ``--example`` options."""
    import tempfile  # noqa: PLC0415

    from microstructure.examples import write_example  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="microstructure-example-") as folder:
        write_example(folder)
        yield str(Path(folder) / name)

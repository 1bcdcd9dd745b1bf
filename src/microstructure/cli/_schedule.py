"""The ``microstructure schedule`` command (not built yet)."""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser("schedule", help="(not available yet)")
    parser.set_defaults(func=run)


def run(_: argparse.Namespace) -> int:
    """Say that the command is not available yet."""
    print("microstructure schedule: not available yet", file=sys.stderr)  # noqa: T201
    return 2

"""Argument parsing and dispatch for the ``microstructure`` command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from microstructure.errors import MicrostructureError

__all__ = ["EXIT_FINDINGS", "EXIT_INPUT", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

# One private module per command, each with ``add_parser(subparsers)`` that sets
# ``func=run`` on its parser. Heavy imports happen inside ``run``.
_COMMANDS = ("demo", "check", "eligibility", "pseudonymize", "schedule", "records")


def _parser() -> argparse.ArgumentParser:
    from microstructure import __version__  # noqa: PLC0415 - avoid a cycle at import

    parser = argparse.ArgumentParser(
        prog="microstructure",
        description="Teams, eligibility, anonymous codes and schedules of French "
        "microstructures médicales.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS:
        module = importlib.import_module(f"microstructure.cli._{name}")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Examples:
        >>> main(["check", "/nonexistent/network.json"])
        2
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except MicrostructureError as exc:
        print(f"microstructure {args.command}: {exc}", file=sys.stderr)  # noqa: T201
        return EXIT_INPUT
    except KeyboardInterrupt:  # pragma: no cover - interactive
        return 130
    return status

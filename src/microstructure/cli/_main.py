"""Argument parsing and dispatch for the ``microstructure`` command."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from microstructure.errors import MicrostructureError, ValidationError

__all__ = ["EXIT_FINDINGS", "EXIT_INPUT", "EXIT_OK", "main"]

#: Exit status: success.
EXIT_OK = 0
#: Exit status: valid input, problems found (error findings, bad rows, ineligible cases).
EXIT_FINDINGS = 1
#: Exit status: unreadable or invalid input, unusable options, output not written.
EXIT_INPUT = 2
_EXIT_INTERRUPTED = 130
_EXIT_TERMINATED = 143
_EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `microstructure … | head`

# One private module per command, each with ``add_parser(subparsers)`` that sets
# ``func=run`` on its parser. Heavy imports happen inside ``run``.
_COMMANDS = (
    "demo",
    "example",
    "check",
    "eligibility",
    "pseudonymize",
    "schedule",
    "records",
    "report",
    "fhir",
    "synthesize",
    "key",
)


class _Parser(argparse.ArgumentParser):
    """A parser that never takes an abbreviation for an option (``--site-key``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


class _TerminatedError(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that part files are removed."""


def _terminate(signum: int, frame: object) -> None:
    del signum, frame
    raise _TerminatedError


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parser() -> argparse.ArgumentParser:
    from microstructure import __version__  # noqa: PLC0415 - avoid a cycle at import

    parser = _Parser(
        prog="microstructure",
        description="Teams, eligibility, anonymous codes and schedules of French "
        "microstructures médicales.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
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
    from microstructure.cli._files import json_spelled  # noqa: PLC0415

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        with _sigterm_unwinds():
            status: int = args.func(args)
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, as Unix tools do. Point stdout
        # at /dev/null so that Python's own flush at exit does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return _EXIT_BROKEN_PIPE
    except MicrostructureError as exc:
        shown = json_spelled(exc) if isinstance(exc, ValidationError) else exc
        print(f"microstructure {args.command}: {shown}", file=sys.stderr)  # noqa: T201
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"microstructure {args.command}: interrupted", file=sys.stderr)  # noqa: T201
        return _EXIT_INTERRUPTED
    except _TerminatedError:
        print(f"microstructure {args.command}: terminated", file=sys.stderr)  # noqa: T201
        return _EXIT_TERMINATED
    return status

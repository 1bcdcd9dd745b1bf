"""How ``check`` and ``records validate`` print what they found: one report, one way."""

from __future__ import annotations

import sys

from microstructure.cli._main import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from microstructure.errors import FindingsReport, Severity, ValidationError

__all__ = ["print_invalid", "print_report"]


def print_report(report: FindingsReport, fmt: str) -> int:
    """Print a readable file's findings (text or JSON); return the exit status, 0 or 1.

    Text is one line per finding, then ``[N event(s), ]N finding(s), N error(s)``; JSON
    is the `FindingsReport` document.
    """
    if fmt == "json":
        from microstructure.io import dumps  # noqa: PLC0415

        print(dumps(report))  # noqa: T201
    else:
        for finding in report.findings:
            print(finding)  # noqa: T201
        errors = sum(f.severity is Severity.ERROR for f in report.findings)
        counted = "" if report.events is None else f"{report.events:,} event(s), "
        print(f"{counted}{len(report.findings)} finding(s), {errors} error(s)")  # noqa: T201
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def print_invalid(command: str, exc: ValidationError, fmt: str) -> int:
    """Print why a file cannot be read (JSON report on stdout, or text on stderr); return 2."""
    if fmt == "json":
        print_report(FindingsReport.from_error(exc), fmt)
    else:
        from microstructure.cli._files import json_spelled  # noqa: PLC0415

        print(f"microstructure {command}: {json_spelled(exc)}", file=sys.stderr)  # noqa: T201
    return EXIT_INPUT

"""Reading the command line's inputs: dates and the library's files, one message each."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import pendulum

from microstructure.cli._files import check_input, with_file_name
from microstructure.errors import ValidationError
from microstructure.scheduling import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["FIRST_YEAR", "LAST_YEAR", "in_range", "load_input", "parse_date", "read_teams"]

T = TypeVar("T")


def load_input(path: str, what: str, loader: Callable[[str], T]) -> T:
    """``loader(path)``, with the one sentence for an unreadable input and the file named."""
    check_input(path, what=what)
    try:
        return loader(path)
    except ValidationError as exc:
        raise with_file_name(exc, path, what) from None


def read_teams(path: str) -> Microstructure | Network | NationalCoordination:
    """`microstructure.teams.read_team_file`, with the command line's input sentence."""
    from microstructure.teams import read_team_file  # noqa: PLC0415

    return load_input(path, "team", read_team_file)


def in_range(year: int, text: str, example: str) -> None:
    """Refuse a year outside `FIRST_YEAR`..`LAST_YEAR` (argparse ``type=`` helpers)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        msg = (
            f"expected a year between {FIRST_YEAR} and {LAST_YEAR} such as {example}, got {text!r}"
        )
        raise argparse.ArgumentTypeError(msg)


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` reading a whole number from ``low`` (to ``high``), ASCII digits only.

    ``1_0``, ``+5``, Arabic-Indic digits and numbers of thousands of digits are refused
    with the same sentence, never a traceback.
    """
    wanted = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"
    digits = len(str(high)) if high is not None else 19

    def parse(text: str) -> int:
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None
        if value is None or value < low or (high is not None and value > high):
            msg = f"expected a whole number {wanted}, got {text!r}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def parse_date(text: str) -> pendulum.Date:
    """Parse an ISO date given on the command line (argparse ``type=``)."""
    try:
        parsed = pendulum.Date.fromisoformat(text)
    except ValueError:
        msg = f"expected an ISO date such as 2026-05-14, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    in_range(parsed.year, text, "2026-05-14")
    return pendulum.Date(parsed.year, parsed.month, parsed.day)

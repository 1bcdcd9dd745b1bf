"""Reading team files for the command line."""

from __future__ import annotations

import pendulum

from microstructure.io import from_data, read_file
from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["parse_date", "read_teams"]


def read_teams(path: str) -> Microstructure | Network | NationalCoordination:
    """Read a national, network or microstructure JSON file, chosen by its keys.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if it is not JSON or not a valid team file.
    """
    data = read_file(path, what="team")
    if isinstance(data, dict) and "networks" in data:
        return from_data(NationalCoordination, data)
    if isinstance(data, dict) and "members" in data:
        return from_data(Microstructure, data)
    return from_data(Network, data)


def parse_date(text: str) -> pendulum.Date:
    """Parse an ISO date given on the command line (argparse ``type=``)."""
    try:
        parsed = pendulum.Date.fromisoformat(text)
    except ValueError:
        import argparse  # noqa: PLC0415 - only on the error path

        msg = f"expected an ISO date such as 2026-05-14, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    return pendulum.Date(parsed.year, parsed.month, parsed.day)

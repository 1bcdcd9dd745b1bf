"""Reading a team file of any kind, and walking the microstructures of a team."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from microstructure.errors import FieldError, ValidationError
from microstructure.io import document_format, from_data, read_file
from microstructure.teams._model import Microstructure, NationalCoordination, Network

__all__ = ["microstructures_of", "read_team_file"]


def read_team_file(path: str | os.PathLike[str]) -> Microstructure | Network | NationalCoordination:
    """Read a national, network or microstructure JSON (or TOML) file, chosen by its keys.

    A file whose ``format`` names a kind (``microstructure-national``,
    ``microstructure-network``, ``microstructure-team``) is of that kind; otherwise a file
    with ``networks`` is a `NationalCoordination`, one with ``members`` a `Microstructure`,
    anything else a `Network`.

    Raises:
        ConfigurationError: if the file cannot be read
            (``cannot read team file 'network.json': No such file or directory``).
        ValidationError: if it is not JSON or not a valid team file; the message names
            the file (``invalid team file 'network.json': 4 problems``).

    Examples:
        >>> from microstructure.teams import read_team_file
        >>> read_team_file("/nonexistent/network.json")
        Traceback (most recent call last):
        ...
        microstructure.errors.ConfigurationError: cannot read team file '/nonexistent/network.json': No such file or directory
    """
    given: object = path
    if not isinstance(given, str | os.PathLike):
        raise FieldError(type(given).__name__, "a file path", field="path")
    name = str(Path(path))
    data = read_file(Path(path), what="team")
    kind: type[Microstructure | Network | NationalCoordination] = Network
    by_format = {_format_name(cl): cl for cl in (NationalCoordination, Network, Microstructure)}
    if isinstance(data, dict) and data.get("format") in by_format:
        kind = by_format[data["format"]]
    elif isinstance(data, dict) and "networks" in data:
        kind = NationalCoordination
    elif isinstance(data, dict) and "members" in data:
        kind = Microstructure
    try:
        return from_data(kind, data)
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject=f"team file {name!r}") from None


def _format_name(cl: type[object]) -> str:
    fmt = document_format(cl)
    return "" if fmt is None else fmt.name


def microstructures_of(
    team: Microstructure | Network | NationalCoordination,
) -> Mapping[str, Microstructure]:
    """Every microstructure of ``team`` by id, in file order (the first wins on duplicates).

    Examples:
        >>> from microstructure.examples import example_national
        >>> from microstructure.teams import microstructures_of
        >>> list(microstructures_of(example_national()))
        ['ms-neudorf', 'ms-hautepierre', 'ms-colmar', 'ms-saint-denis']
    """
    given: object = team
    if not isinstance(given, Microstructure | Network | NationalCoordination):
        expected = "a Microstructure, a Network or a NationalCoordination"
        raise FieldError(type(given).__name__, expected, field="team")
    if isinstance(team, Microstructure):
        return MappingProxyType({team.id: team})
    networks = team.networks if isinstance(team, NationalCoordination) else (team,)
    found: dict[str, Microstructure] = {}
    for network in networks:
        for ms in network.microstructures:
            found.setdefault(ms.id, ms)
    return MappingProxyType(found)

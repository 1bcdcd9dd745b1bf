"""The bundled, fictional example network."""

from __future__ import annotations

import functools

from microstructure._data import load_data
from microstructure.io import from_data
from microstructure.teams import NationalCoordination, Network

__all__ = ["example_national", "example_network"]


@functools.cache
def example_national() -> NationalCoordination:
    """A fictional national level: an Alsace network (three microstructures) and a La Réunion one.

    Every name in it is invented. The file is ``microstructure/data/examples/national.json``.

    Examples:
        >>> from microstructure.examples import example_national
        >>> [n.id for n in example_national().networks]
        ['reseau-alsace', 'reseau-reunion']
    """
    return from_data(NationalCoordination, load_data("examples/national.json"))


def example_network(region: str = "44") -> Network:
    """One fictional regional network of the example: Alsace (``"44"``) or La Réunion (``"04"``).

    Examples:
        >>> from microstructure.examples import example_network
        >>> [ms.site.department for ms in example_network().microstructures]
        ['67', '67', '68']
        >>> example_network("04").microstructures[0].site.timezone
        'Indian/Reunion'
    """
    for network in example_national().networks:
        if network.region == region:
            return network
    from microstructure.errors import NotFoundError  # noqa: PLC0415 - error path only

    raise NotFoundError(kind="example region", code=region, expected="'44' or '04'")

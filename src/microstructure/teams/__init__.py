"""Teams: professionals, sites, microstructures, networks, and their composition checks."""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.teams._checks import check, count_roles
    from microstructure.teams._files import microstructures_of, read_team_file
    from microstructure.teams._model import (
        CLINICAL_ROLES,
        COORDINATION_ROLES,
        Microstructure,
        NationalCoordination,
        Network,
        Professional,
        ProgramMembership,
        Site,
        SiteKind,
    )
    from microstructure.vocabulary import Role

__all__ = [
    "CLINICAL_ROLES",
    "COORDINATION_ROLES",
    "Microstructure",
    "NationalCoordination",
    "Network",
    "Professional",
    "ProgramMembership",
    "Role",
    "Site",
    "SiteKind",
    "check",
    "count_roles",
    "microstructures_of",
    "read_team_file",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.teams._checks": (
                "check",
                "count_roles",
            ),
            "microstructure.teams._files": (
                "microstructures_of",
                "read_team_file",
            ),
            "microstructure.teams._model": (
                "CLINICAL_ROLES",
                "COORDINATION_ROLES",
                "Microstructure",
                "NationalCoordination",
                "Network",
                "Professional",
                "ProgramMembership",
                "Site",
                "SiteKind",
            ),
            "microstructure.vocabulary": ("Role",),
        },
    )

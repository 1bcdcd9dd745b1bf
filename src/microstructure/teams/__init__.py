"""Teams: professionals, sites, microstructures, networks, and their composition checks."""

from microstructure._publish import publish as _publish
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

_publish(__name__, globals())

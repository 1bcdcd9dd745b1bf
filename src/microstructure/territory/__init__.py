"""French territory: regions, departments, time zones and public-holiday subdivisions."""

from microstructure._publish import publish as _publish
from microstructure.territory._territory import (
    Department,
    Region,
    department,
    departments,
    public_holidays,
    region,
    regions,
)

__all__ = [
    "Department",
    "Region",
    "department",
    "departments",
    "public_holidays",
    "region",
    "regions",
]

_publish(__name__, globals())

"""French territory: regions, departments, time zones and public-holiday subdivisions."""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
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

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.territory._territory": (
                "Department",
                "Region",
                "department",
                "departments",
                "public_holidays",
                "region",
                "regions",
            ),
        },
    )

"""Conversion to and from JSON-ready data, through one strict `cattrs` converter.

`to_data` / `from_data` work with dicts and lists; `dumps` / `loads` with JSON text.
Every problem found while reading is reported in one `ValidationError`, each with
its path (``$.microstructures[1].members[0].role``).
"""

from microstructure.io._convert import (
    PERSONAL,
    configure_converter,
    dumps,
    from_data,
    loads,
    make_converter,
    register_hooks,
    to_data,
)

__all__ = [
    "PERSONAL",
    "configure_converter",
    "dumps",
    "from_data",
    "loads",
    "make_converter",
    "register_hooks",
    "to_data",
]

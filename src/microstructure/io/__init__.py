"""Conversion to and from JSON-ready data, through one strict `cattrs` converter.

`to_data` / `from_data` work with dicts and lists; `dumps` / `loads` with JSON text;
`read_file` / `load` with JSON or TOML files.
Every problem found while reading is reported in one `ValidationError`, each with
its path (``$.microstructures[1].members[0].role``).
"""

from microstructure._publish import publish as _publish
from microstructure.io._convert import (
    PERSONAL,
    configure_converter,
    dumps,
    from_data,
    loads,
    make_converter,
    to_data,
)
from microstructure.io._files import load, read_file
from microstructure.io._text import CSV_DELIMITERS, CountedLines, guess_delimiter, text_lines

__all__ = [
    "CSV_DELIMITERS",
    "PERSONAL",
    "CountedLines",
    "configure_converter",
    "dumps",
    "from_data",
    "guess_delimiter",
    "load",
    "loads",
    "make_converter",
    "read_file",
    "text_lines",
    "to_data",
]

_publish(__name__, globals())

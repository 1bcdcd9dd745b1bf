"""Conversion to and from JSON-ready data, through one strict `cattrs` converter.

`to_data` / `from_data` work with dicts and lists; `dumps` / `loads` with JSON text;
`read_file` / `load` with JSON or TOML files.
Every problem found while reading is reported in one `ValidationError`, each with
its path (``$.microstructures[1].members[0].role``).
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.io._convert import (
        PERSONAL,
        configure_converter,
        dumps,
        from_data,
        loads,
        make_converter,
        to_data,
    )
    from microstructure.io._files import atomic_file, load, read_file, write_atomically
    from microstructure.io._formats import Format, document_format, document_types
    from microstructure.io._schema import schema
    from microstructure.io._text import CSV_DELIMITERS, CountedLines, guess_delimiter, text_lines

__all__ = [
    "CSV_DELIMITERS",
    "PERSONAL",
    "CountedLines",
    "Format",
    "atomic_file",
    "configure_converter",
    "document_format",
    "document_types",
    "dumps",
    "from_data",
    "guess_delimiter",
    "load",
    "loads",
    "make_converter",
    "read_file",
    "schema",
    "text_lines",
    "to_data",
    "write_atomically",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.io._convert": (
                "PERSONAL",
                "configure_converter",
                "dumps",
                "from_data",
                "loads",
                "make_converter",
                "to_data",
            ),
            "microstructure.io._files": (
                "atomic_file",
                "load",
                "read_file",
                "write_atomically",
            ),
            "microstructure.io._formats": (
                "Format",
                "document_format",
                "document_types",
            ),
            "microstructure.io._schema": ("schema",),
            "microstructure.io._text": (
                "CSV_DELIMITERS",
                "CountedLines",
                "guess_delimiter",
                "text_lines",
            ),
        },
    )

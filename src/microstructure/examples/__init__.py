"""Bundled fictional example data, for demos, docs and tests.

`example_national` and `example_network` give the example as objects;
`write_example` writes it as the files the command line reads
(``microstructure example --out DIR``).
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.examples._examples import example_national, example_network
    from microstructure.examples._files import EXAMPLE_FILES, write_example

__all__ = ["EXAMPLE_FILES", "example_national", "example_network", "write_example"]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.examples._examples": (
                "example_national",
                "example_network",
            ),
            "microstructure.examples._files": (
                "EXAMPLE_FILES",
                "write_example",
            ),
        },
    )

"""Bundled fictional example data, for demos, docs and tests.

`example_national` and `example_network` give the example as objects;
`write_example` writes it as the files the command line reads
(``microstructure example --out DIR``).
"""

from microstructure._publish import publish as _publish
from microstructure.examples._examples import example_national, example_network
from microstructure.examples._files import EXAMPLE_FILES, write_example

__all__ = ["EXAMPLE_FILES", "example_national", "example_network", "write_example"]

_publish(__name__, globals())

"""Bundled fictional example data, for demos, docs and tests."""

from microstructure._publish import publish as _publish
from microstructure.examples._examples import example_national, example_network

__all__ = ["example_national", "example_network"]

_publish(__name__, globals())

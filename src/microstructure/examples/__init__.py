"""Bundled fictional example data, for demos, docs and tests."""

from microstructure.examples._examples import example_national, example_network

__all__ = ["example_national", "example_network"]

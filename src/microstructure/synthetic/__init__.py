"""Synthetic data: seeded generators of valid care files, for tests, demos and benchmarks.

One place that can grow: a later version calibrates the generator on the national
figures of the CNRMS poster "Les microstructures médicales".
"""

from microstructure.synthetic._records import generate

__all__ = ["generate"]

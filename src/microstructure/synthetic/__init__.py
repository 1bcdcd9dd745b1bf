"""Synthetic data: seeded generators of valid care files, for tests, demos and benchmarks.

One place that can grow: a later version calibrates the generator on the national
figures of the CNRMS poster "Les microstructures médicales".
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.synthetic._records import generate

__all__ = ["generate"]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.synthetic._records": ("generate",),
        },
    )

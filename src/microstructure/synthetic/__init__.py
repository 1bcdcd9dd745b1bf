"""Synthetic data: seeded generators of valid care files, for tests, demos and benchmarks.

`generate` writes the care file of given teams; `nation` builds a whole synthetic
national network whose totals are the figures of the CNRMS poster "Les microstructures
médicales" (`poster_figures`), and `write_nation` writes its files.
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.synthetic._nation import (
        Nation,
        PosterFigures,
        nation,
        poster_figures,
        write_nation,
    )
    from microstructure.synthetic._records import generate

__all__ = ["Nation", "PosterFigures", "generate", "nation", "poster_figures", "write_nation"]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.synthetic._records": ("generate",),
            "microstructure.synthetic._nation": (
                "Nation",
                "PosterFigures",
                "nation",
                "poster_figures",
                "write_nation",
            ),
        },
    )

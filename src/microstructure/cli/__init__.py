"""The ``microstructure`` command line.

Exit status: 0 success, 1 problems found in valid input (error findings,
ineligible cases…), 2 unreadable or invalid input. Bad input never prints a
Python traceback.
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.cli._main import main

__all__ = ["main"]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.cli._main": ("main",),
        },
    )

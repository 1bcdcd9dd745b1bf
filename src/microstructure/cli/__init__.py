"""The ``microstructure`` command line.

Exit status: 0 success, 1 problems found in valid input (error findings,
ineligible cases…), 2 unreadable or invalid input. Bad input never prints a
Python traceback.
"""

from microstructure.cli._main import main

__all__ = ["main"]

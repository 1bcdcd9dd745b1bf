"""Programs a microstructure can join: Equip'addict, santé mentale, droit commun.

Programs are data shipped in ``microstructure/data/programs/*.toml``; a network can
load its own definitions with `load_program` and pass them as overrides.
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.programs._model import (
        Period,
        Program,
        RoleRequirement,
        SessionFrequency,
        load_program,
        program,
        programs,
    )
    from microstructure.vocabulary import Activity

__all__ = [
    "Activity",
    "Period",
    "Program",
    "RoleRequirement",
    "SessionFrequency",
    "load_program",
    "program",
    "programs",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.programs._model": (
                "Period",
                "Program",
                "RoleRequirement",
                "SessionFrequency",
                "load_program",
                "program",
                "programs",
            ),
            "microstructure.vocabulary": ("Activity",),
        },
    )

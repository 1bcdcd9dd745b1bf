"""Programs a microstructure can join: Equip'addict, santé mentale, droit commun.

Programs are data shipped in ``microstructure/data/programs/*.toml``; a network can
load its own definitions with `load_program` and pass them as overrides.
"""

from microstructure._publish import publish as _publish
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

_publish(__name__, globals())

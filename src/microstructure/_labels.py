"""One way of giving a string enum English and French labels: `Labelled` and `labels`.

A labelled enum subclasses `Labelled` and gives its labels in one table right after the
class, checked when the module is imported::

    class Role(Labelled):
        GENERAL_PRACTITIONER = "gp"
        PSYCHOLOGIST = "psychologist"

    labels(Role, {
        Role.GENERAL_PRACTITIONER: ("general practitioner", "médecin généraliste"),
        Role.PSYCHOLOGIST: ("psychologist", "psychologue"),
    })

Members stay plain ``str`` codes (``Role("gp")``, ``Role.PSYCHOLOGIST.value``). An enum
whose labels are data (the taxonomy's) overrides ``Labelled._pair`` instead of calling
`labels`.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from typing import TypeVar

from microstructure.errors import ConfigurationError

__all__ = ["Labelled", "labels"]

_L = TypeVar("_L", bound="Labelled")

_TABLES: dict[type[Labelled], Mapping[Labelled, tuple[str, str]]] = {}


class Labelled(enum.StrEnum):
    """A string enum whose members have an English `label` and a French `label_fr`."""

    @property
    def label(self) -> str:
        """English label."""
        return self._pair()[0]

    @property
    def label_fr(self) -> str:
        """French label."""
        return self._pair()[1]

    def _pair(self) -> tuple[str, str]:
        """The English and French labels, from the table `labels` registered for the class."""
        try:
            return _TABLES[type(self)][self]
        except KeyError:
            msg = f"{type(self).__qualname__} has no labels: call labels() after the class"
            raise ConfigurationError(msg) from None


def labels(cls: type[_L], table: Mapping[_L, tuple[str, str]]) -> None:
    """Register the English and French labels of every member of ``cls``, once.

    Raises:
        ConfigurationError: if ``cls`` already has labels, if a member of ``cls`` has no
            entry, if an entry is not a member of ``cls``, or if a label is empty. Each
            table is written right after its class: a mistake fails the import.
    """
    name = cls.__qualname__
    problems: list[str] = []
    if cls in _TABLES:
        problems.append("labels already registered")
    missing = [member.name for member in cls if member not in table]
    if missing:
        problems.append(f"no labels for {', '.join(missing)}")
    extra = [repr(key) for key in table if not isinstance(key, cls)]
    if extra:
        problems.append(f"labels for {', '.join(extra)}, not members")
    bad = [repr(key) for key, pair in table.items() if not all(text.strip() for text in pair)]
    if bad:
        problems.append(f"expected non-empty English and French labels for {', '.join(bad)}")
    if problems:
        msg = f"labels of {name}: {'; '.join(problems)}"
        raise ConfigurationError(msg)
    _TABLES[cls] = types.MappingProxyType({member: table[member] for member in cls})

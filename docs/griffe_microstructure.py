"""Griffe extension for the API reference: enum members listed, private bases hidden.

mkdocstrings loads it from ``mkdocs.yml`` (``extensions: [docs/griffe_microstructure.py]``).
Each enum class gets a "Members" section (name, value as files spell it and, when the
enum has one, its English label). Private base classes (``_Name``, or a class of the
root's private helpers such as ``microstructure._labels.Labelled``) are left out of
``Bases:``, and their public members are shown as the class's own (``label``,
``label_fr`` of every labelled enum).
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

import griffe

__all__ = ["MicrostructureExtension"]


def _label(member: enum.Enum) -> str:
    for name in ("label", "title", "description"):
        value = getattr(member, name, None)
        if isinstance(value, str):
            return value
    return ""


def _is_private(path: str) -> bool:
    """Whether a class path is private: ``_Name``, or in a root private module."""
    parts = path.split(".")
    return parts[-1].startswith("_") or (len(parts) > 2 and parts[1].startswith("_"))  # noqa: PLR2004


def _path(base: object) -> str:
    return str(getattr(base, "canonical_path", base))


def _public_bases(runtime: type, skip: list[Any]) -> list[type]:
    """The nearest public ancestors standing behind the private bases of ``runtime``."""
    shown = {_path(b).rsplit(".", 1)[-1] for b in skip}
    found: list[type] = []
    pending = list(runtime.__bases__)
    while pending:
        base = pending.pop(0)
        if _is_private(f"{base.__module__}.{base.__qualname__}"):
            pending[:0] = base.__bases__
        elif base.__name__ not in shown and base not in found:
            found.append(base)
    return found


class MicrostructureExtension(griffe.Extension):
    """List enum members and hide private base classes."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Edit the class once its members are known."""
        del kwargs
        public = [b for b in cls.bases if not _is_private(_path(b))]
        try:
            runtime = griffe.dynamic_import(cls.path)
        except ImportError:
            cls.bases = public
            return
        if not inspect.isclass(runtime):
            cls.bases = public
            return
        if len(public) < len(cls.bases):
            # a private base gives way to its public bases (`Labelled` to `StrEnum`)
            cls.bases = [*public, *(b.__name__ for b in _public_bases(runtime, skip=public))]
        self._adopt_private_bases_members(cls, runtime)
        if not issubclass(runtime, enum.Enum):
            return
        if cls.docstring is None:
            cls.docstring = griffe.Docstring(inspect.cleandoc(runtime.__doc__ or ""), parent=cls)
        items = [
            griffe.DocstringAttribute(
                name=member.name,
                annotation=None,
                description=" — ".join(filter(None, (f"`{member.value!r}`", _label(member)))),
                value=repr(member.value),
            )
            for member in runtime
        ]
        cls.docstring.parsed.append(griffe.DocstringSectionAttributes(items, title="Members"))
        for member in runtime:
            cls.members.pop(member.name, None)

    @staticmethod
    def _adopt_private_bases_members(obj: griffe.Class, runtime: type) -> None:
        """Show the public members of private bases as the class's own."""
        if _is_private(f"{runtime.__module__}.{runtime.__qualname__}"):
            return
        for base in runtime.__mro__[1:]:
            if not _is_private(f"{base.__module__}.{base.__qualname__}"):
                continue
            for name in vars(base):
                if name.startswith("_") or name in obj.members:
                    continue
                target = f"{base.__module__}.{base.__qualname__}.{name}"
                obj.set_member(name, griffe.Alias(name, target, parent=obj))

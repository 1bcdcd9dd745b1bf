"""Griffe extension for the API reference: enum members listed, private bases hidden.

mkdocstrings loads it from ``mkdocs.yml`` (``extensions: [docs/griffe_microstructure.py]``).
Each enum class gets a "Members" section (name, value as files spell it and, when the
enum has one, its English label); base classes whose name starts with ``_`` are left out of ``Bases:``.
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


class MicrostructureExtension(griffe.Extension):
    """List enum members and hide private base classes."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Edit the class once its members are known."""
        del kwargs
        cls.bases = [b for b in cls.bases if not str(b).rsplit(".", 1)[-1].startswith("_")]
        try:
            runtime = griffe.dynamic_import(cls.path)
        except ImportError:
            return
        if not (inspect.isclass(runtime) and issubclass(runtime, enum.Enum)):
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

"""The exception tree drawn in docs/reference/exceptions.md is the real one."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import microstructure
from microstructure.errors import MicrostructureError

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "exceptions.md"
#: Every public subpackage but the command line, found rather than listed.
SUBPACKAGES = tuple(
    info.name
    for info in pkgutil.iter_modules(microstructure.__path__)
    if info.ispkg and not info.name.startswith("_") and info.name != "cli"
)
LINE = re.compile(
    r"^(?P<indent>(?:[│ ] {3})*)(?P<branch>[├└]── )?(?P<name>\w+)(?: \((?P<bases>[\w, ]+)\))?$"
)


def _drawn() -> set[tuple[str, str | None, tuple[str, ...]]]:
    """(class, parent, built-in bases) for every line of the tree on the page."""
    text = PAGE.read_text(encoding="utf-8")
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    found: set[tuple[str, str | None, tuple[str, ...]]] = set()
    parents: list[str] = []
    for line in block.splitlines():
        match = LINE.match(line)
        assert match, f"cannot read tree line {line!r}"
        depth = len(match["indent"]) // 4 + (1 if match["branch"] else 0)
        del parents[depth:]
        parent = parents[-1] if parents else None
        bases = tuple(b.strip() for b in match["bases"].split(",")) if match["bases"] else ()
        found.add((match["name"], parent, bases))
        parents.append(match["name"])
    return found


def _real() -> set[tuple[str, str | None, tuple[str, ...]]]:
    """(class, parent, built-in bases) for every public exception of the package."""
    public: set[type[BaseException]] = set()
    for name in SUBPACKAGES:
        module = importlib.import_module(f"microstructure.{name}")
        for attribute in module.__all__:
            obj = getattr(module, attribute)
            if isinstance(obj, type) and issubclass(obj, MicrostructureError):
                public.add(obj)
    found: set[tuple[str, str | None, tuple[str, ...]]] = set()
    for cls in public:
        ours = [b for b in cls.__bases__ if issubclass(b, MicrostructureError)]
        builtins = tuple(
            b.__name__ for b in cls.__bases__ if b.__module__ == "builtins" and b is not Exception
        )
        parent = ours[0].__name__ if ours else None
        found.add((cls.__name__, parent, builtins))
    return found


def test_the_drawn_tree_is_the_class_tree() -> None:
    """Every public exception appears once on the page under its real parent, with its built-in bases."""
    assert _drawn() == _real()


def test_every_exception_is_under_the_root() -> None:
    """No public exception of the package is outside the MicrostructureError tree."""
    for name in SUBPACKAGES:
        module = importlib.import_module(f"microstructure.{name}")
        for attribute in module.__all__:
            obj = getattr(module, attribute)
            if isinstance(obj, type) and issubclass(obj, BaseException):
                assert issubclass(obj, MicrostructureError), f"{name}.{attribute}"

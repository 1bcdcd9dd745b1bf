"""Give the public classes of a subpackage their public module path, and load them lazily.

Every public subpackage re-exports names from private modules, so that reprs, tracebacks
and the docs show ``microstructure.teams.Network`` rather than
``microstructure.teams._model.Network``: one rule for every public class (`publish`).

A subpackage whose private modules cost time to load (attrs classes built, tables read)
loads them on first use of one of its names (PEP 562, `lazy`): its ``__init__`` imports
the names only for type checkers (``if TYPE_CHECKING:``) and lists where each one lives.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["bind_loaded_modules", "lazy", "publish"]

_BINDERS: list[Callable[[], None]] = []


def publish(module_name: str, namespace: Mapping[str, Any], names: Any = None) -> None:
    """Set ``__module__`` to ``module_name`` on each class among ``names`` in ``namespace``.

    ``names`` defaults to the ``__all__`` of ``namespace``. Only classes still named after a
    private module change, so a class re-exported by another public module keeps the path
    of the one that owns it. The string annotations of attrs classes are resolved first,
    in the private module that defines them, since they could not be found in the public
    module afterwards.
    """
    import attrs  # noqa: PLC0415 - only when a class is published, not at import

    for name in namespace["__all__"] if names is None else names:
        obj = namespace[name]
        if not isinstance(obj, type) or "._" not in obj.__module__:
            continue  # not ours, or already published by the public module that owns it
        if attrs.has(obj):
            attrs.resolve_types(obj)
        obj.__module__ = module_name


def bind_loaded_modules() -> None:
    """Publish and bind the names of every lazy subpackage whose private module is loaded.

    Called after each first use of a name (its module may import private modules of other
    subpackages), and by code that imports private modules by name (the converter's hook
    modules, the finding catalogue), so that no public class keeps a private path.
    """
    for bind in tuple(_BINDERS):
        bind()


def lazy(
    namespace: MutableMapping[str, Any], where: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of a subpackage whose names load on first use.

    ``where`` maps each module (``"microstructure.teams._model"``) to the names that the
    subpackage (``namespace``, its ``globals()``) re-exports from it.
    The first use of a name imports its module; then every name of every lazy subpackage
    whose module is loaded by now (the one asked for, and those it imported) is published
    (`publish`) and bound in its subpackage (`bind_loaded_modules`), so that later uses
    cost nothing and a class has its public path whichever way it was reached.
    """
    package = str(namespace["__name__"])
    home = {name: module for module, names in where.items() for name in names}
    pending = dict(where)

    def bind_loaded() -> None:
        for module in list(pending):
            loaded = sys.modules.get(module)
            if loaded is None or getattr(getattr(loaded, "__spec__", None), "_initializing", False):
                continue  # not loaded yet, or still loading
            names = pending.pop(module, None)
            if names is None:
                continue  # bound meanwhile
            values = {name: getattr(loaded, name) for name in names}
            if "._" in module:
                publish(package, {"__all__": list(values), **values})
            namespace.update(values)

    _BINDERS.append(bind_loaded)

    def __getattr__(name: str) -> Any:  # noqa: N807 - the PEP 562 hook
        module = home.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        loaded = importlib.import_module(module)
        bind_loaded_modules()
        return namespace[name] if name in namespace else getattr(loaded, name)

    def __dir__() -> list[str]:  # noqa: N807 - the PEP 562 hook
        return sorted({*namespace, *namespace["__all__"]})

    return __getattr__, __dir__

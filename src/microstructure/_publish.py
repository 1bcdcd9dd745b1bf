"""Give the public classes of a subpackage their public module path.

Every public subpackage re-exports its classes from private modules and calls `publish`
last, so that reprs, tracebacks and the docs show ``microstructure.teams.Network``
rather than ``microstructure.teams._model.Network``: one rule for every public class.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["publish"]


def publish(module_name: str, namespace: Mapping[str, Any]) -> None:
    """Set ``__module__`` to ``module_name`` on each class named in the ``__all__`` of ``namespace``.

    Only classes still named after a private module change, so a class re-exported by
    another public module keeps the path of the one that owns it. The string annotations of attrs classes are resolved first, in the private module
    that defines them, since they could not be found in the public module afterwards.
    """
    for name in namespace["__all__"]:
        obj = namespace[name]
        if not isinstance(obj, type) or "._" not in obj.__module__:
            continue  # not ours, or already published by the public module that owns it
        if attrs.has(obj):
            attrs.resolve_types(obj)
        obj.__module__ = module_name

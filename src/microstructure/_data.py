"""Access to the data files shipped inside the package (``microstructure/data``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from microstructure.errors import ConfigurationError, ErrorDetail, NotFoundError, ValidationError
from microstructure.io import from_data

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["find_by_id", "list_data", "load_data", "load_shipped", "merge_overrides"]

T = TypeVar("T")


def _data_root() -> Traversable:
    # Imported here: importlib.resources loads tempfile, shutil and the compression
    # modules, which `import microstructure.<subpackage>` need not pay for.
    from importlib import resources  # noqa: PLC0415

    return resources.files("microstructure").joinpath("data")


@functools.cache
def load_data(name: str) -> Any:
    """Parse a shipped TOML or JSON file, such as ``"programs/equip_addict.toml"``.

    The result is cached and must be treated as read-only.
    """
    import tomllib  # noqa: PLC0415 - only when a shipped file is first read

    resource = _data_root()
    for part in name.split("/"):
        resource = resource.joinpath(part)
    try:
        text = resource.read_text(encoding="utf-8")
        if name.endswith(".toml"):
            return tomllib.loads(text)
        return json.loads(text)
    except (OSError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        msg = f"shipped data file {name!r} cannot be read: {exc}"
        raise ConfigurationError(msg) from exc


def list_data(folder: str) -> tuple[str, ...]:
    """Names (relative to ``data/``) of the shipped files in ``folder``, sorted."""
    root = _data_root()
    for part in folder.split("/"):
        root = root.joinpath(part)
    return tuple(
        sorted(
            f"{folder}/{entry.name}"
            for entry in root.iterdir()
            if entry.is_file() and entry.name.endswith((".toml", ".json"))
        )
    )


def load_shipped(cl: type[T], name: str, *, prepare: Callable[[Any], Any] | None = None) -> T:
    """Structure the shipped file ``name`` into a ``cl`` through `microstructure.io`.

    This is the one way shipped data is loaded: `importlib.resources`, then the strict
    converter. ``prepare`` may rewrite the parsed data first (to expand shared option
    sets, for instance).

    Raises:
        ConfigurationError: if the file cannot be read or does not describe a ``cl``.
    """
    data = load_data(name)
    try:
        return from_data(cl, prepare(data) if prepare is not None else data)
    except ValidationError as exc:  # pragma: no cover - every shipped file is tested
        msg = f"shipped data file {name!r} is invalid:\n{exc}"
        raise ConfigurationError(msg) from exc


def merge_overrides(
    shipped: Mapping[str, T],
    overrides: Iterable[T] | Mapping[str, T],
    cl: type[T],
    key: Callable[[T], str],
    what: str,
) -> dict[str, T]:
    """The shipped records by id, with ``overrides`` merged over them (same id: replaced).

    This is the one meaning of ``overrides=``: an iterable of ``cl`` records (a mapping by
    id is accepted too), each replacing the shipped record of its id or adding one.

    Raises:
        ValidationError: if ``overrides`` is not a collection of ``cl`` records.
    """
    table = dict(shipped)
    items = overrides.values() if isinstance(overrides, Mapping) else overrides
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        shown = f"<{type(items).__name__}>"
        detail = ErrorDetail("$", f"expected a list of {cl.__name__} objects", shown)
        raise ValidationError([detail], subject=f"{what} overrides")
    for item in items:
        if not isinstance(item, cl):
            detail = ErrorDetail("$", f"expected {cl.__name__} objects", type(item).__name__)
            raise ValidationError([detail], subject=f"{what} overrides")
        table[key(item)] = item
    return table


def find_by_id(table: Mapping[str, T], code: object, *, kind: str, id_name: str) -> T:
    """The record of ``table`` with id ``code`` (programs, policies, instruments).

    Raises:
        ValidationError: if ``code`` is not a string (``expected a program id (a string)``).
        NotFoundError: if no record has that id, listing the ids there are.
    """
    if not isinstance(code, str):
        article = "an" if id_name[:1] in "aeiou" else "a"
        shown = f"<{type(code).__name__}>"
        detail = ErrorDetail("$", f"expected {article} {id_name} (a string)", shown)
        raise ValidationError([detail], subject=id_name)
    found = table.get(code)
    if found is None:
        expected = "one of " + ", ".join(repr(k) for k in sorted(table))
        raise NotFoundError(kind=kind, code=code, expected=expected)
    return found

"""Policies and criteria as data: the shipped defaults and a network's own files."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from microstructure._data import list_data, load_data
from microstructure.eligibility._criteria import Criterion
from microstructure.eligibility._policy import Policy
from microstructure.errors import ConfigurationError, NotFoundError, ValidationError
from microstructure.io import from_data, loads, read_file

__all__ = ["default_policies", "default_policy", "load_criterion", "load_policy"]


@functools.cache
def _shipped() -> dict[str, Policy]:
    found: dict[str, Policy] = {}
    for name in list_data("eligibility/policies"):
        try:
            loaded = from_data(Policy, load_data(name))
        except ValidationError as exc:  # pragma: no cover - guarded by a test
            msg = f"shipped policy file {name!r} is invalid:\n{exc}"
            raise ConfigurationError(msg) from exc
        found[loaded.program] = loaded
    return found


def default_policies() -> dict[str, Policy]:
    """The shipped default policies, by program id.

    Examples:
        >>> from microstructure.eligibility import default_policies
        >>> sorted(default_policies())
        ['droit-commun', 'equip-addict', 'sante-mentale']
    """
    return dict(_shipped())


def default_policy(program_id: str, overrides: Mapping[str, Policy] | None = None) -> Policy:
    """The policy of ``program_id``: from ``overrides`` if it has one, else the shipped default.

    Raises:
        NotFoundError: if no policy has that program id.

    Examples:
        >>> from microstructure.eligibility import default_policy
        >>> default_policy("equip-addict").name
        "Equip'addict: an addiction in a complex situation"
    """
    if overrides is not None and program_id in overrides:
        return overrides[program_id]
    table = _shipped()
    try:
        return table[program_id]
    except KeyError:
        known = sorted({*table, *(overrides or {})})
        expected = "one of " + ", ".join(repr(k) for k in known)
        raise NotFoundError(kind="eligibility policy", code=program_id, expected=expected) from None


def load_policy(source: str | Path | Mapping[str, Any]) -> Policy:
    """Load a network's own policy from a JSON or TOML file, or from a mapping.

    Pass it to `decide`, or in a mapping as ``overrides`` to `default_policy`, to
    replace the shipped policy of the same program.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if the policy is invalid (every problem, with its path).

    Examples:
        >>> from microstructure.eligibility import load_policy
        >>> p = load_policy({"program": "equip-addict", "name": "Adults only",
        ...                  "name_fr": "Adultes seulement",
        ...                  "criterion": {"type": "age-between", "minimum": 18}})
        >>> p.criterion
        AgeBetween(minimum=18, maximum=None, label=None, label_fr=None)
    """
    data = source if isinstance(source, Mapping) else read_file(source, what="policy")
    try:
        return from_data(Policy, data)
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject="eligibility policy") from None


def load_criterion(data: Mapping[str, Any] | str) -> Criterion:
    """Build a criterion from JSON-ready data or JSON text (``{"type": "all", "of": […]}``).

    Raises:
        ValidationError: listing every problem with its path.

    Examples:
        >>> from microstructure.eligibility import load_criterion
        >>> load_criterion('{"type": "screen-positive", "instrument": "cast"}')
        ScreenPositive(instrument='cast', label=None, label_fr=None)
    """
    try:
        if isinstance(data, str):
            result: Criterion = loads(Criterion, data)
        else:
            result = from_data(Criterion, data)
    except ValidationError as exc:
        raise ValidationError(exc.errors, subject="criterion") from None
    return result

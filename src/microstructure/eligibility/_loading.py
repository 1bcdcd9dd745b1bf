"""Policies and criteria as data: the shipped defaults and a network's own files."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from microstructure._data import find_by_id, list_data, load_shipped, merge_overrides
from microstructure.eligibility._criteria import Criterion
from microstructure.eligibility._policy import Policy
from microstructure.errors import ValidationError
from microstructure.io import from_data, loads, read_file

__all__ = ["default_policies", "default_policy", "load_criterion", "load_policy"]


@functools.cache
def _shipped() -> dict[str, Policy]:
    found: dict[str, Policy] = {}
    for name in list_data("eligibility/policies"):
        loaded = load_shipped(Policy, name)
        found[loaded.program] = loaded
    return found


def _merged_policies(overrides: Iterable[Policy] | Mapping[str, Policy]) -> dict[str, Policy]:
    return merge_overrides(_shipped(), overrides, Policy, lambda p: p.program, "policy")


def default_policies(
    *, overrides: Iterable[Policy] | Mapping[str, Policy] = ()
) -> dict[str, Policy]:
    """The default policies by program id: the shipped ones, ``overrides`` merged over them.

    Each override replaces the shipped policy of its ``program`` (or adds one).

    Examples:
        >>> from microstructure.eligibility import default_policies
        >>> sorted(default_policies())
        ['droit-commun', 'equip-addict', 'sante-mentale']
    """
    return _merged_policies(overrides)


def default_policy(
    program_id: str, *, overrides: Iterable[Policy] | Mapping[str, Policy] = ()
) -> Policy:
    """The policy of ``program_id``, with ``overrides`` merged over the shipped defaults.

    Raises:
        NotFoundError: if no policy has that program id.
        ValidationError: if ``program_id`` is not a string, or an override not a `Policy`.

    Examples:
        >>> from microstructure.eligibility import default_policy
        >>> default_policy("equip-addict").name
        "Equip'addict: an addiction in a complex situation"
    """
    table = _merged_policies(overrides)
    return find_by_id(table, program_id, kind="eligibility policy", id_name="program id")


def load_policy(source: str | Path | Mapping[str, Any]) -> Policy:
    """Load a network's own policy from a JSON or TOML file, or from a mapping.

    Pass it to `decide`, or as ``overrides=[policy]`` to `default_policy`, to
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

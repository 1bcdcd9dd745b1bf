"""microstructure: a typed engine for French *microstructures médicales*.

Primary-care teams (GPs, a psychologist, a social worker, a psychiatrist) that follow
patients with addictions, great precarity or mental-health problems inside the GP's
own practice. The subpackages hold the domain areas:

- `microstructure.errors`: the error tree and `Finding`s;
- `microstructure.io`: strict conversion to and from JSON-ready data;
- `microstructure.territory`: regions, departments, time zones, public holidays;
- `microstructure.vocabulary`: the shared codes `Role`, `Activity` and `Sex`;
- `microstructure.teams` and `microstructure.programs`: teams, networks, programs, checks;
- `microstructure.eligibility`, `microstructure.identifiers`, `microstructure.scheduling`;
- `microstructure.records`: pseudonymous care pathway records and their lifecycle rules;
- `microstructure.synthetic`: seeded generators of valid data.

Examples:
    >>> import microstructure
    >>> [f.code for f in microstructure.check(microstructure.examples.example_network())]
    ['MS-TEAM-009']
"""

import importlib as _importlib
import typing as _typing

from microstructure.errors import (
    ConfigurationError,
    Finding,
    MicrostructureError,
    NotFoundError,
    Severity,
    ValidationError,
)

if _typing.TYPE_CHECKING:
    from microstructure import (
        eligibility,
        examples,
        identifiers,
        io,
        programs,
        records,
        scheduling,
        synthetic,
        teams,
        territory,
        vocabulary,
    )
    from microstructure.teams import check

__version__ = "0.1.0.dev0"

__all__ = [
    "ConfigurationError",
    "Finding",
    "MicrostructureError",
    "NotFoundError",
    "Severity",
    "ValidationError",
    "__version__",
    "check",
    "eligibility",
    "examples",
    "identifiers",
    "io",
    "programs",
    "records",
    "scheduling",
    "synthetic",
    "teams",
    "territory",
    "vocabulary",
]

# Subpackages load on first use, so that `import microstructure` stays light.
_LAZY_SUBPACKAGES = frozenset(
    {
        "eligibility",
        "examples",
        "identifiers",
        "io",
        "programs",
        "records",
        "scheduling",
        "synthetic",
        "teams",
        "territory",
        "vocabulary",
    }
)


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY_SUBPACKAGES:
        return _importlib.import_module(f"microstructure.{name}")
    if name == "check":
        from microstructure.teams import check  # noqa: PLC0415 - lazy by design

        return check
    msg = f"module 'microstructure' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

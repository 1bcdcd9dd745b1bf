"""Errors and findings.

Every error raised on purpose derives from `MicrostructureError`; the tree is drawn once,
in the reference page "Exceptions" (``docs/reference/exceptions.md``).

Checks that look at valid data but find something wrong with it (a team without a
psychologist, a program not open in a region) do not raise: they return `Finding`s.
"""

from microstructure._publish import publish as _publish
from microstructure.errors._errors import (
    ConfigurationError,
    ErrorDetail,
    FieldError,
    MicrostructureError,
    NotFoundError,
    ValidationError,
)
from microstructure.errors._findings import (
    Finding,
    FindingKind,
    Severity,
    define_finding,
    finding_catalogue,
)
from microstructure.errors._report import FindingsReport

__all__ = [
    "ConfigurationError",
    "ErrorDetail",
    "FieldError",
    "Finding",
    "FindingKind",
    "FindingsReport",
    "MicrostructureError",
    "NotFoundError",
    "Severity",
    "ValidationError",
    "define_finding",
    "finding_catalogue",
]

_publish(__name__, globals())

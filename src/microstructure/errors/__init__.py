"""Errors and findings.

Every error raised on purpose derives from `MicrostructureError`:

```
MicrostructureError
├── ValidationError (ValueError)      bad input data; `.errors` lists each problem with its path
│   └── FieldError                    one value of one field (or of the whole input) is wrong
├── NotFoundError (LookupError)       an unknown code: department, region, program, instrument…
└── ConfigurationError (ValueError)   a bad key, a broken shipped or network-supplied data file
```

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

__all__ = [
    "ConfigurationError",
    "ErrorDetail",
    "FieldError",
    "Finding",
    "FindingKind",
    "MicrostructureError",
    "NotFoundError",
    "Severity",
    "ValidationError",
    "define_finding",
    "finding_catalogue",
]

_publish(__name__, globals())

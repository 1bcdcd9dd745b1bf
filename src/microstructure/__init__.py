"""microstructure: a typed engine for French *microstructures médicales*.

Primary-care teams (GPs, a psychologist, a social worker, a psychiatrist) that follow
patients with addictions, great precarity or mental-health problems inside the GP's
own practice. The subpackages hold the domain areas:

- `microstructure.errors`: the error tree and `Finding`s;
- `microstructure.io`: strict conversion to and from JSON-ready data;
- `microstructure.territory`: regions, departments, time zones, public holidays;
- `microstructure.teams` and `microstructure.programs`: teams, networks, programs, checks;
- `microstructure.eligibility`, `microstructure.identifiers`, `microstructure.scheduling`.

>>> import microstructure
>>> [f.code for f in microstructure.check(microstructure.examples.example_network())]
['MS-TEAM-009']
"""

from microstructure import examples, io, territory
from microstructure.errors import (
    ConfigurationError,
    Finding,
    MicrostructureError,
    NotFoundError,
    Severity,
    ValidationError,
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
    "examples",
    "io",
    "territory",
]

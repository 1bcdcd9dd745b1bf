"""Validate a network file, print its findings in French, and count professionals by role.

Run: python examples/check_network.py
"""

import json
import tempfile
from pathlib import Path

import pendulum

from microstructure import ValidationError, check
from microstructure.examples import example_national
from microstructure.io import loads, to_data
from microstructure.teams import NationalCoordination, Role, count_roles

# Write the bundled example to a file, as a network would keep it.
folder = Path(tempfile.mkdtemp())
path = folder / "national.json"
path.write_text(json.dumps(to_data(example_national()), ensure_ascii=False), encoding="utf-8")

try:
    national = loads(NationalCoordination, path.read_text(encoding="utf-8"))
except ValidationError as exc:
    raise SystemExit(str(exc)) from None

for finding in check(national, on=pendulum.date(2026, 6, 1)):
    print(
        f"{finding.severity.value:8} {finding.code} {finding.path}\n         {finding.message_fr}"
    )

counts = count_roles(national)
for role in Role:
    print(f"{role.label_fr:28} {counts[role]:3}")
assert counts[Role.GENERAL_PRACTITIONER] == 7

"""From a team file, care records and a published report to one FHIR R4B Bundle.

Run: python examples/fhir_export.py
"""

import collections
import json
import re
import tempfile
from pathlib import Path

from microstructure.evaluation import Database, report
from microstructure.examples import example_national
from microstructure.fhir import bundle, dumps
from microstructure.records import write_records
from microstructure.synthetic import generate

folder = Path(tempfile.mkdtemp())
records = folder / "records.jsonl"
national = example_national()
events = list(generate(patients=200, seed=4, teams=national))
write_records(records, events)

# The published report: computed, then small counts masked.
with Database(national) as database:
    database.add_records(records)
    published = report(
        database, ["active-file", "missed-consultations"], periods=["2026"], charts=False
    )

found = bundle(national, events, published, base="https://rms.example.org/fhir")
target = folder / "bundle.json"
target.write_text(dumps(found), encoding="utf-8")
kinds = collections.Counter(entry["resource"]["resourceType"] for entry in found["entry"])
for kind, count in kinds.items():
    print(f"{kind:<17} {count:>5}")

# Every reference points inside the Bundle, and the same input gives the same bytes.
urls = {entry["fullUrl"] for entry in found["entry"]}
text = target.read_text(encoding="utf-8")
references = re.findall(r'"reference":"([^"]+)"', text)
assert references
assert all(reference in urls for reference in references)
assert text == dumps(
    bundle(national, reversed(events), published, base="https://rms.example.org/fhir")
)

# A patient: an anonymous code, a gender, a birth year; nothing else.
patient = next(
    entry["resource"] for entry in found["entry"] if entry["resource"]["resourceType"] == "Patient"
)
print(json.dumps(patient, indent=2, ensure_ascii=False))
print(f"written to {target}")

"""From care records to a published report: compute, mask small counts, write four formats.

Run: python examples/report.py
"""

import csv
import tempfile
import time
from pathlib import Path

from microstructure.evaluation import Database, render, report, write_report
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate

folder = Path(tempfile.mkdtemp())
records = folder / "records.jsonl"

# A year of invented care records of the bundled example networks.
national, schedule = example_national(), example_schedule()
with records.open("w", encoding="utf-8") as out:
    events = write_records(out, generate(patients=600, seed=1, teams=national, schedule=schedule))
print(f"{events:,} events written to {records.name}")

# Load them into DuckDB, compute the catalogue per network and microstructure, and keep
# only what is safe to publish (counts below 11 masked, and what would reveal them).
started = time.perf_counter()
with Database(national, schedule=schedule) as database:
    database.add_records(records)
    published = report(
        database,
        periods=["2026"],
        levels=["network", "microstructure"],
        breakdowns=[None, "sex"],
        title="Réseaux d'exemple: activity 2026",
    )
print(f"computed in {time.perf_counter() - started:.1f} s")

cells = published.table.cells
masked = [cell for cell in cells if cell.mask is not None]
print(f"{len(cells):,} cells, {len(masked):,} masked")

for suffix in ("csv", "json", "md", "html"):
    path = write_report(published, folder / f"report.{suffix}")
    print(f"{path.name:12} {path.stat().st_size:>9,} bytes")

# Every masked cell says why, and no figure is written for it.
with (folder / "report.csv").open(encoding="utf-8") as file:
    rows = list(csv.DictReader(file))
assert len(rows) == len(cells)
assert all(row["value"] == "" and row["note"] for row in rows if row["mask"])

# The page opens without a network: no script, no link to fetch.
page = render(published, "html")
assert "http" not in page
assert "<script" not in page
print(f"open {folder / 'report.html'} in a browser")

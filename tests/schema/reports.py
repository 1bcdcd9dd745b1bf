"""One small computed report, shared by the schema tests (computing it takes a few seconds)."""

import functools
from pathlib import Path
from tempfile import TemporaryDirectory

from microstructure.evaluation import Database, Report, report
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate


@functools.cache
def small_report() -> Report:
    """A report of 120 generated patients over 2026, by network and microstructure, by sex."""
    national, schedule = example_national(), example_schedule()
    with TemporaryDirectory() as folder:
        records = Path(folder) / "records.jsonl"
        write_records(records, generate(patients=120, seed=1, teams=national, schedule=schedule))
        with Database(national, schedule=schedule) as database:
            database.add_records(records)
            return report(
                database,
                periods=["2026"],
                levels=["network", "microstructure"],
                breakdowns=[None, "sex"],
                title="Réseaux d'exemple (fictional)",
            )

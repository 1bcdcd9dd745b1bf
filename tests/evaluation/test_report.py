"""report(): compute then disclose on generated care records, with the monthly series of the charts."""

import pytest

from microstructure.errors import FieldError, NotFoundError
from microstructure.evaluation import (
    Database,
    Level,
    ReportingPeriod,
    compute,
    disclose,
    render,
    report,
)
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate

INDICATORS = ["active-file", "share-of-women", "psychologist-presence"]


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """A year of generated records of the example networks."""
    path = tmp_path_factory.mktemp("report") / "records.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_records(out, generate(patients=200, seed=5))
    return path


@pytest.fixture
def database(records):
    """The records in a fresh in-memory database, with the example schedule."""
    with Database(example_national(), schedule=example_schedule()) as db:
        db.add_records(records)
        yield db


def test_report_is_compute_then_disclose(database):
    """The report's table is what compute and disclose give, at the threshold asked."""
    periods, levels, breakdowns = ["2026"], ["network", "microstructure"], [None, "sex"]
    published = report(
        database,
        INDICATORS,
        periods=periods,
        levels=levels,
        breakdowns=breakdowns,
        threshold=5,
        charts=False,
    )
    computed = compute(database, INDICATORS, periods=periods, levels=levels, breakdowns=breakdowns)
    expected = disclose(computed, threshold=5, teams=example_national())
    assert published.table == expected
    assert published.threshold == 5
    assert published.monthly is None
    assert published.title == "Evaluation report 2026"
    assert all(cell.value is None for cell in published.table.cells if cell.mask is not None)


def test_monthly_series_are_the_months_of_the_periods_disclosed(database):
    """Charts come from active file and presence computed per month, disclosed the same way."""
    published = report(database, ["new-inclusions"], periods=["2026-Q2"], levels=["network"])
    months = ReportingPeriod.parse("2026-Q2").months()
    assert published.monthly is not None
    assert published.monthly.periods == months
    expected = disclose(
        compute(
            database,
            ["active-file", "psychologist-presence", "social-worker-presence"],
            periods=months,
            levels=["microstructure", "network"],
        ),
        teams=example_national(),
    )
    assert published.monthly == expected
    units = {c.unit for c in published.monthly.cells if c.level is Level.MICROSTRUCTURE}
    assert units == {"ms-neudorf", "ms-hautepierre", "ms-colmar", "ms-saint-denis"}


def test_threshold_one_masks_nothing(database):
    """With a threshold of 1 no count is small enough to mask."""
    published = report(database, INDICATORS, periods=["2026"], threshold=1, charts=False)
    assert [c for c in published.table.cells if c.mask is not None] == []


def test_progress_reaches_its_total_and_never_goes_back(database):
    """progress(done, total): done never decreases, never passes total, and ends at total."""
    calls = []
    report(database, INDICATORS, periods=["2026"], progress=lambda d, t: calls.append((d, t)))
    assert calls
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert all(0 <= d <= t for d, t in calls)
    assert calls[-1][0] == calls[-1][1]


def test_same_records_same_bytes(records):
    """Two databases of the same records give the same HTML page, byte for byte."""
    pages = []
    for _ in range(2):
        with Database(example_national(), schedule=example_schedule()) as db:
            db.add_records(records)
            pages.append(render(report(db, INDICATORS, periods=["2026"]), "html"))
    assert pages[0] == pages[1]
    assert pages[0].count("<svg") >= 2


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"threshold": 0}, FieldError),
        ({"threshold": True}, FieldError),
        ({"threshold": "11"}, FieldError),
        ({"breakdowns": ["colour"]}, FieldError),
        ({"breakdowns": "sex"}, FieldError),
    ],
)
def test_bad_arguments_are_library_errors(database, options, error):
    """A bad threshold or breakdown is a located FieldError, raised before computing."""
    with pytest.raises(error):
        report(database, INDICATORS, periods=["2026"], **options)


def test_unknown_indicator_is_not_found(database):
    """An unknown indicator id is a NotFoundError naming it."""
    with pytest.raises(NotFoundError, match="happiness"):
        report(database, ["happiness"], periods=["2026"])


_SEEDED = """
import sys
from microstructure.evaluation import Database, compute
from microstructure.evaluation._disclosure import _Problem
from microstructure.examples import example_national
from microstructure.scheduling import example_schedule
teams = example_national()
with Database(teams, schedule=example_schedule()) as db:
    db.add_records(sys.argv[1])
    table = compute(db, ["exits"], periods=["2026"], levels=["network", "microstructure"],
                    breakdowns=[None, "sex"])
print(repr(_Problem(table, teams).constraints))
"""


def test_disclosure_constraints_do_not_depend_on_the_hash_seed(records):
    """The constraints behind the masks come in one order whatever the hash seed.

    Exits by reason and by sex put a count in two groups of categories; ordered by
    their first cell only, the groups followed the iteration order of a frozenset and
    the masks of a report changed from one run to the next.
    """
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run(
            [sys.executable, "-c", _SEEDED, str(records)],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4", "5", "6")
    }
    assert len(outputs) == 1
    assert next(iter(outputs)).startswith(b"[(")

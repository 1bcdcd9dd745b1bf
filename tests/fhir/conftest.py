"""Shared inputs of the FHIR tests: bundles of the example and of generated care files."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from microstructure.evaluation import Database, Report, report
from microstructure.examples import example_national
from microstructure.fhir import bundle
from microstructure.records import Event, write_records
from microstructure.synthetic import generate


def entries(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The resources of a Bundle."""
    return [entry["resource"] for entry in found["entry"]]


def of_type(found: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The resources of one type."""
    return [r for r in entries(found) if r["resourceType"] == kind]


def walk(value: object) -> Iterator[tuple[str, object]]:
    """Every (key, value) pair of a JSON document, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@pytest.fixture(scope="session")
def events() -> list[Event]:
    """A generated care file over the bundled example teams (2026)."""
    return list(generate(patients=120, seed=11))


@pytest.fixture(scope="session")
def published(tmp_path_factory, events) -> Report:
    """A disclosed report of the generated care file: three levels, broken down by sex."""
    path: Path = tmp_path_factory.mktemp("records") / "records.jsonl"
    write_records(path, events)
    with Database(example_national()) as database:
        database.add_records(path)
        return report(
            database,
            periods=["2026", "2026-Q2"],
            levels=["microstructure", "network", "nation"],
            breakdowns=[None, "sex"],
            charts=False,
        )


@pytest.fixture(scope="session")
def full(events, published) -> dict[str, Any]:
    """The Bundle of the example teams, the generated records and their report."""
    return bundle(example_national(), events, published)

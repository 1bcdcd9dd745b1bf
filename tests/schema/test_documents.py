"""Every document the library writes or ships validates against its generated schema."""

import json
from importlib import resources

import pytest
from tests.schema.helpers import problems
from tests.schema.reports import small_report

from microstructure.eligibility import default_policies
from microstructure.evaluation import Report, indicators, load_indicators, render, write_report
from microstructure.examples import example_national, write_example
from microstructure.io import from_data, read_file, to_data
from microstructure.programs import programs
from microstructure.records import write_records
from microstructure.scheduling import example_schedule
from microstructure.synthetic import generate

EXAMPLE_KINDS = {
    "national.json": "national",
    "network.json": "network",
    "national.schedule.json": "schedule",
    "network.schedule.json": "schedule",
    "held.json": "held-sessions",
    "policy.json": "policy",
}


@pytest.mark.parametrize(("file", "kind"), list(EXAMPLE_KINDS.items()))
def test_example_files_validate(tmp_path, file, kind):
    """Each JSON file of `write_example` (``microstructure example``) validates."""
    write_example(tmp_path)
    data = json.loads((tmp_path / file).read_text(encoding="utf-8"))
    assert problems(kind, data) == []


def test_every_written_example_json_file_is_checked(tmp_path):
    """No JSON example file escapes the test above."""
    written = {path.name for path in write_example(tmp_path) if path.suffix == ".json"}
    assert written == set(EXAMPLE_KINDS)


def test_written_documents_validate():
    """`to_data` of the example teams, schedule, programs and policies validates."""
    national = example_national()
    assert problems("national", to_data(national)) == []
    for network in national.networks:
        assert problems("network", to_data(network)) == []
        for ms in network.microstructures:
            assert problems("microstructure", to_data(ms)) == []
    assert problems("schedule", to_data(example_schedule())) == []
    for program in programs().values():
        assert problems("program", to_data(program)) == []
    for policy in default_policies().values():
        assert problems("policy", to_data(policy)) == []
        assert problems("criterion", to_data(policy.criterion)) == []


def test_shipped_data_files_validate():
    """The shipped program (TOML) and policy (JSON) files validate as they are."""
    data = resources.files("microstructure").joinpath("data")
    checked = 0
    for kind, folder in (("program", ("programs",)), ("policy", ("eligibility", "policies"))):
        for entry in data.joinpath(*folder).iterdir():
            with resources.as_file(entry) as path:
                assert problems(kind, read_file(path)) == [], entry.name
            checked += 1
    assert checked == 6
    with resources.as_file(data.joinpath("evaluation", "indicators.toml")) as path:
        assert problems("indicators", read_file(path)) == []


def test_indicator_catalogue_validates():
    """Each shipped indicator, and the catalogue written as a network indicator file, validates."""
    catalogue = list(indicators().values())
    for item in catalogue:
        assert problems("indicator", to_data(item)) == [], item.id
    written = {
        "format": "microstructure-indicators",
        "version": 1,
        "indicators": to_data(catalogue),
    }
    assert problems("indicators", written) == []
    assert load_indicators(written) == tuple(catalogue)


def test_generated_care_file_validates(tmp_path):
    """A generated records file: its header and every line validate."""
    target = tmp_path / "records.jsonl"
    write_records(target, generate(patients=40, seed=15))
    header, *lines = target.read_text(encoding="utf-8").splitlines()
    assert problems("records-header", json.loads(header)) == []
    kinds = set()
    for line in lines:
        record = json.loads(line)
        kinds.add(record["type"])
        assert problems("record", record) == [], record["type"]
    assert kinds == {
        "patient",
        "referral",
        "assessment",
        "inclusion",
        "consultation",
        "rcp-meeting",
        "exit",
    }


def test_report_json_validates(tmp_path):
    """A computed report written as JSON validates, masked cells included, and reads back."""
    published = small_report()
    assert any(cell.mask is not None for cell in published.table.cells)
    path = write_report(published, tmp_path / "report.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("microstructure-report", 1)
    assert problems("report", data) == []
    assert data == json.loads(render(published, "json"))
    assert from_data(Report, data) == published


def test_synthetic_nation_files_validate(tmp_path):
    """The team, schedule, program and records files of `write_nation` validate."""
    from microstructure.synthetic import nation, write_nation

    paths = write_nation(nation(seed=1), tmp_path, network="reseau-fictif-974")
    kinds = {"teams.json": "national", "schedule.json": "schedule"}
    for path in paths:
        if path.suffix == ".jsonl":
            header, *lines = path.read_text(encoding="utf-8").splitlines()
            assert problems("records-header", json.loads(header)) == []
            assert all(problems("record", json.loads(line)) == [] for line in lines)
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        kind = kinds.get(path.name, "program")
        assert data["format"] == f"microstructure-{'national' if kind == 'national' else kind}"
        assert problems(kind, data) == [], path.name

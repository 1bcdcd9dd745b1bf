"""Packaging: light import, shipped data, wheel contents, findings catalogue page."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from microstructure._data import list_data, load_data
from microstructure.errors import finding_catalogue

ROOT = Path(__file__).resolve().parents[1]


def test_import_does_not_load_heavy_modules():
    """`import microstructure` loads neither holidays, icalendar nor rich."""
    code = (
        "import sys, json, microstructure; "
        "print(json.dumps([m for m in ('holidays', 'icalendar', 'rich', 'matplotlib') "
        "if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


@pytest.mark.parametrize("folder", ["programs", "examples"])
def test_every_shipped_data_file_loads(folder):
    """Every data file shipped in the package parses."""
    names = list_data(folder)
    assert names
    for name in names:
        assert load_data(name)


def test_wheel_includes_data_files(tmp_path):
    """A built wheel carries the data files and py.typed."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("microstructure-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "microstructure/py.typed" in names
    assert "microstructure/data/territory.toml" in names
    assert "microstructure/data/programs/equip_addict.toml" in names
    assert "microstructure/data/examples/national.json" in names
    assert "microstructure/schemas/network.json" in names


def test_findings_page_lists_every_code():
    """docs/reference/findings.md is up to date (regenerate: python docs/gen_findings.py)."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from gen_findings import render  # type: ignore[import-not-found]  # a docs script
    finally:
        sys.path.pop(0)
    page = (ROOT / "docs" / "reference" / "findings.md").read_text(encoding="utf-8")
    assert page == render()
    for code in finding_catalogue():
        assert f"`{code}`" in page

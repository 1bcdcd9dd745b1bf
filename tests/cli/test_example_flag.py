"""Every command that reads a file also runs on the bundled example with ``--example``."""

import csv

import pytest

from microstructure.cli import main
from microstructure.identifiers import create_key_file


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "--example"],
        ["eligibility", "--example", "--program", "equip-addict"],
        ["schedule", "--example", "--from", "2026-05-01", "--to", "2026-05-31"],
    ],
)
def test_readers_accept_example(arguments, capsys):
    """check, eligibility and schedule read the bundled example and print something."""
    status = main(arguments)
    assert status in {0, 1}
    assert capsys.readouterr().out.strip()


def test_pseudonymize_example_writes_only_pseudonyms(tmp_path, capsys):
    """Pseudonymize --example OUT reads the bundled invented identities and keeps no identity."""
    key = tmp_path / "site.key"
    create_key_file(key)
    out = tmp_path / "out.csv"
    assert main(["pseudonymize", "--example", str(out), "--site-key-file", str(key)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["pseudonym"]
    assert len(rows) > 1
    assert all(row[0].startswith("v1s:") for row in rows[1:])
    assert out.stat().st_mode & 0o077 == 0
    assert "row(s) pseudonymised" in capsys.readouterr().out


@pytest.mark.parametrize("paths", [[], ["a.csv", "b.csv"]], ids=["no-output", "input-and-example"])
def test_pseudonymize_example_takes_exactly_one_path(tmp_path, paths, capsys):
    """With --example, only OUT is given; anything else is a usage error (exit 2)."""
    key = tmp_path / "site.key"
    create_key_file(key)
    status = main(["pseudonymize", "--example", *paths, "--site-key-file", str(key)])
    assert status == 2
    assert "--example and OUT" in capsys.readouterr().err

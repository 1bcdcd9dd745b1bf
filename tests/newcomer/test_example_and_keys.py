"""`write_example`, `microstructure example`, key files and `microstructure key`."""

import csv
import os
import stat
from pathlib import Path

import pendulum
import pytest

from microstructure.cli import main
from microstructure.eligibility import Situation, decide, load_policy
from microstructure.errors import ConfigurationError
from microstructure.examples import EXAMPLE_FILES, example_national, example_network, write_example
from microstructure.identifiers import Identity, Key, Sex, create_key_file, key_file_fingerprint
from microstructure.io import loads
from microstructure.scheduling import conformity, expand, load_held, load_schedule
from microstructure.teams import NationalCoordination, Network


def test_example_files_are_what_the_library_reads(tmp_path):
    """Every written file parses with the library and matches the bundled objects."""
    paths = write_example(tmp_path / "new" / "dir")
    assert [p.name for p in paths] == list(EXAMPLE_FILES)
    folder = paths[0].parent
    assert loads(NationalCoordination, (folder / "national.json").read_text()) == example_national()
    network = loads(Network, (folder / "network.json").read_text())
    assert network == example_network("44")
    schedule = load_schedule(folder / "network.schedule.json")
    start, end = pendulum.date(2026, 3, 1), pendulum.date(2026, 3, 31)
    assert expand(schedule, network, start, end)
    held = load_held(folder / "held.json")
    codes = [f.code for f in conformity(held, network, start, end).findings]
    assert codes == ["MS-SCHED-011"]
    policy = load_policy(folder / "policy.json")
    with (folder / "situations.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert {decide(Situation(code=r["code"]), policy).program for r in rows} == {"equip-addict"}


def test_example_identities_are_visibly_invented(tmp_path):
    """Every invented patient's birth name says it is an example, and parses as an Identity."""
    write_example(tmp_path)
    with (tmp_path / "identities.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows
    assert all(r["birth_name"].startswith("EXEMPLE-") for r in rows)
    for r in rows:
        sex = {"F": Sex.FEMALE, "M": Sex.MALE}[r["sex"]]
        Identity(
            birth_name=r["birth_name"],
            first_name=r["first_name"],
            birth_date=pendulum.Date.fromisoformat(r["birth_date"]),
            sex=sex,
        )


def test_example_people_are_marked_the_same_way():
    """Every person and organisation of the example ends with the same marker, whatever the gender."""
    national = example_national()
    people = [p for n in national.networks for p in n.coordination]
    people += [p for n in national.networks for ms in n.microstructures for p in ms.members]
    assert people
    assert all(p.display_name and p.display_name.endswith(" (exemple)") for p in people)
    names = [national.name, *(n.name for n in national.networks)]
    assert all(name.endswith(" (exemple)") for name in names)


def test_write_example_refuses_to_overwrite_before_writing(tmp_path):
    """With one file present, nothing is written and the message names the file."""
    (tmp_path / "policy.json").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"policy\.json"):
        write_example(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.json"]
    write_example(tmp_path, overwrite=True)
    assert (tmp_path / "policy.json").read_text(encoding="utf-8") != "mine"


def test_create_key_file_is_private_and_readable_back(tmp_path):
    """The new key file has mode 0600, holds the key's JSON object and reads back as the key."""
    path = tmp_path / "site.key"
    old = os.umask(0)
    try:
        key = create_key_file(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="ascii") == (
        f'{{"format": "microstructure-key", "version": 1, "key": "{key.secret.hex()}"}}\n'
    )
    assert Key.from_file(path) == key
    assert key_file_fingerprint(path) == key.fingerprint
    assert [p.name for p in tmp_path.iterdir()] == ["site.key"]


def test_create_key_file_never_replaces(tmp_path):
    """An existing file, or a symbolic link, is left as it was."""
    path = tmp_path / "site.key"
    path.write_text("precious", encoding="utf-8")
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "nowhere")
    for target in (path, link):
        with pytest.raises(ConfigurationError, match="exists already"):
            create_key_file(target)
    assert path.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.key", "site.key"]


def test_key_new_prints_the_fingerprint_never_the_key(tmp_path, capsys):
    """`key new` prints the fingerprint; the key's hex digits appear nowhere in the output."""
    path = tmp_path / "site.key"
    assert main(["key", "new", str(path)]) == 0
    out, err = capsys.readouterr()
    key = Key.from_file(path)
    assert key.fingerprint in out
    assert key.secret.hex()[:16] not in out + err
    assert main(["key", "fingerprint", str(path)]) == 0
    assert capsys.readouterr().out.strip() == key.fingerprint
    assert main(["key", "new", str(path)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert Key.from_file(path) == key


def test_key_fingerprint_of_a_missing_file_exits_2(tmp_path, capsys):
    """A missing key file is an input error, reported without a traceback."""
    assert main(["key", "fingerprint", str(tmp_path / "none.key")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_check_and_eligibility_take_example(capsys):
    """`--example` replaces the file argument; neither or both is a usage error."""
    assert main(["check", "--example", "--on", "2026-06-01"]) == 0
    assert "MS-TEAM-009" in capsys.readouterr().out
    assert main(["eligibility", "--example", "--program", "droit-commun"]) == 0
    assert "4 situation(s) decided" in capsys.readouterr().err
    assert main(["check"]) == 2
    assert main(["eligibility"]) == 2


def test_demo_states_its_date_and_next_commands(capsys):
    """The demo says the date it judges at and ends with commands to try."""
    assert main(["demo", "--on", "2023-06-01"]) == 0
    out = capsys.readouterr().out
    assert "judged on 2023-06-01" in out
    assert out.rstrip().splitlines()[-1].strip() == "microstructure --help"
    assert "microstructure example --out demo" in out


def test_create_key_file_without_hard_links(tmp_path, monkeypatch):
    """On a file system without hard links the key is still created exclusively, mode 0600."""
    import errno

    def no_links(*_args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "site.key"
    key = create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Key.from_file(path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["site.key"]


def test_example_command_says_what_it_wrote(tmp_path, capsys):
    """`example --out` lists each file it wrote; a second run exits 2 until `--force`."""
    out = tmp_path / "demo"
    assert main(["example", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert all(name in printed for name in EXAMPLE_FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(EXAMPLE_FILES)
    assert main(["example", "--out", str(out)]) == 2
    assert "exist already" in capsys.readouterr().err
    assert main(["example", "--out", str(out), "--force"]) == 0


def test_write_example_reports_an_unwritable_directory(tmp_path):
    """A directory that cannot be created is a ConfigurationError naming it."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cannot write the example files"):
        write_example(blocker / "demo")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (FileExistsError(17, "File exists"), "exists already"),
        (OSError(5, "Input/output error"), "Input/output error"),
    ],
)
def test_create_key_file_reports_a_failed_link(tmp_path, monkeypatch, error, message):
    """A file created meanwhile, or a failing disk, is a ConfigurationError; no part file stays."""

    def failing_link(*_args):
        raise error

    monkeypatch.setattr(os, "link", failing_link)
    with pytest.raises(ConfigurationError, match=message):
        create_key_file(tmp_path / "site.key")
    assert list(tmp_path.iterdir()) == []


def test_create_key_file_in_a_missing_directory(tmp_path):
    """A key file in a directory that does not exist is refused without a traceback."""
    with pytest.raises(ConfigurationError, match="cannot create the key file"):
        create_key_file(tmp_path / "missing" / "site.key")


def test_wrong_typed_paths_are_field_errors():
    """A path that is not a string or os.PathLike, or a non-boolean overwrite, is a FieldError."""
    from microstructure.errors import FieldError

    with pytest.raises(FieldError, match="directory"):
        write_example(3)  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="overwrite"):
        write_example("demo", overwrite="yes")  # type: ignore[arg-type]
    with pytest.raises(FieldError, match="path"):
        create_key_file(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="not a usable path"):
        create_key_file("bad\0name.key")


def test_every_finding_code_says_what_to_do():
    """Each finding kind of the catalogue carries advice, shown on the catalogue page."""
    from microstructure.errors import finding_catalogue

    catalogue = finding_catalogue()
    assert [code for code, kind in catalogue.items() if not kind.remedy.strip()] == []
    page = (Path(__file__).parents[2] / "docs" / "reference" / "findings.md").read_text("utf-8")
    assert all(kind.remedy in page for kind in catalogue.values())

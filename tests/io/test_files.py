"""Reading JSON and TOML files through microstructure.io."""

import pytest

from microstructure import ConfigurationError, ValidationError
from microstructure.io import load, read_file
from microstructure.programs import Program, load_program
from microstructure.teams import Professional

PROGRAM_TOML = """
id = "ours"
name = "Ours"
name_fr = "Le nôtre"
annual_forfait_per_patient = "529.50"

[[required_roles]]
role = "psychiatrist"
"""


def test_toml_and_json_files_give_the_same_record(tmp_path):
    """A program read from TOML equals the same program read from JSON."""
    toml_path = tmp_path / "ours.toml"
    toml_path.write_text(PROGRAM_TOML, encoding="utf-8")
    json_path = tmp_path / "ours.json"
    json_path.write_text(
        '{"id": "ours", "name": "Ours", "name_fr": "Le nôtre", '
        '"annual_forfait_per_patient": "529.50", '
        '"required_roles": [{"role": "psychiatrist"}]}',
        encoding="utf-8",
    )
    from_toml = load(Program, toml_path)
    assert from_toml == load(Program, json_path) == load_program(toml_path)
    assert str(from_toml.annual_forfait_per_patient) == "529.50"


def test_missing_and_undecodable_files_are_configuration_errors(tmp_path):
    """A missing file or a non-UTF-8 file names the file and the reason."""
    with pytest.raises(ConfigurationError, match=r"cannot read program file .*No such file"):
        load(Program, tmp_path / "missing.toml", what="program")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "Sélestat"}'.encode("latin-1"))
    with pytest.raises(ConfigurationError, match="not UTF-8 text"):
        read_file(latin1)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.toml", "id = ", "expected valid TOML"),
        ("bad.json", '{"id": }', "expected valid JSON: Expecting value (line 1, column 8)"),
    ],
)
def test_malformed_files_are_validation_errors_at_the_root(tmp_path, name, text, message):
    """Syntax errors are located at $ with what the parser said."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as exc_info:
        read_file(path)
    assert exc_info.value.errors[0].path == "$"
    assert message in exc_info.value.errors[0].message


def test_load_accepts_already_read_data():
    """A mapping is structured directly, with the same strictness."""
    assert load(Professional, {"id": "gp-1", "role": "gp"}).id == "gp-1"
    with pytest.raises(ValidationError, match=r"unexpected key @ \$\.name"):
        load(Professional, {"id": "gp-1", "role": "gp", "name": "x"})


def test_write_atomically_leaves_the_target_alone_when_writing_fails(tmp_path):
    """A failing writer leaves the old file as it was and no temporary file behind."""
    from microstructure.io import write_atomically

    target = tmp_path / "report.html"
    target.write_text("previous", encoding="utf-8")

    def half_then_fail(out):
        out.write("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_write_atomically_names_the_file_it_cannot_write(tmp_path):
    """A missing folder is a ConfigurationError naming the kind of file and its path."""
    from microstructure.errors import ConfigurationError
    from microstructure.io import write_atomically

    target = tmp_path / "missing" / "records.jsonl"
    with pytest.raises(ConfigurationError, match=r"cannot write records file .*records\.jsonl"):
        write_atomically(target, lambda out: out.write("x"), what="records")


def test_a_signal_just_after_creating_the_part_file_removes_it(tmp_path, monkeypatch):
    """Ctrl-C handled as the part file's creation returns: the file is removed, the target kept."""
    import os

    from microstructure.io import atomic_file

    target = tmp_path / "out.txt"
    target.write_text("previous", encoding="utf-8")
    real_open = os.open

    def open_then_interrupted(*args: object, **kwargs: object) -> int:
        descriptor = real_open(*args, **kwargs)  # type: ignore[arg-type]
        os.close(descriptor)
        raise KeyboardInterrupt  # the signal handler runs before the next line

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as out:
        out.write("never")  # pragma: no cover - not reached
    monkeypatch.undo()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.txt"]
    assert target.read_text(encoding="utf-8") == "previous"


def test_a_failed_creation_removes_nothing(tmp_path, monkeypatch):
    """When the part file cannot be created, no file of that name is removed (it is not ours)."""
    import secrets

    from microstructure.io import atomic_file

    monkeypatch.setattr(secrets, "token_hex", lambda _: "00000000")
    other = tmp_path / ".out.txt.00000000.part"
    other.write_text("someone else's", encoding="utf-8")
    with (
        pytest.raises(ConfigurationError, match="cannot write data file"),
        atomic_file(tmp_path / "out.txt"),
    ):
        pass  # pragma: no cover - not reached
    assert other.read_text(encoding="utf-8") == "someone else's"
    assert not (tmp_path / "out.txt").exists()

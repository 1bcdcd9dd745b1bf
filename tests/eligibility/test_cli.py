"""The eligibility command: JSON, JSON Lines and CSV input, formats, bad rows."""

import csv
import io
import json
from pathlib import Path

from tests.schema.helpers import problems

from microstructure.cli import main
from microstructure.eligibility import DecisionFile, Situation, decide
from microstructure.io import from_data

ROOT = Path(__file__).parent.parent.parent

SITUATIONS = [
    {
        "code": "K7PQ",
        "age": 44,
        "substances": ["alcohol"],
        "situations": ["isolation"],
        "followed_by": [],
    },
    {"code": "SECRET-CODE", "age": "forty", "answers": {"phq-9": [0, 0, 0, 0, 0, 0, 0, 0, 7]}},
    {"code": "B2", "situations": ["bereavement"]},
]


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _json_file(tmp_path: Path) -> str:
    # One element per line, after an opening line: element i starts on line i + 2.
    body = ",\n".join(json.dumps(s) for s in SITUATIONS)
    return _write(tmp_path, "situations.json", f"[\n{body}\n]\n")


def test_json_bad_row_reported_by_place_and_field_without_content(tmp_path, capsys):
    """A bad element names its JSONPath, shows none of its content, and others are decided."""
    assert main(["eligibility", _json_file(tmp_path), "--program", "equip-addict"]) == 1
    captured = capsys.readouterr()
    assert "$[1].age: expected an integer" in captured.err
    assert "forty" not in captured.err
    assert "SECRET" not in captured.err + captured.out
    assert "K7PQ — equip-addict: eligible" in captured.out
    assert "# $[2]" in captured.out
    assert "2 situation(s) decided; 2 decision(s): eligible 1, to-review 1; 1 bad row(s)" in (
        captured.err
    )


def test_all_good_rows_exit_0_with_json_output(tmp_path, capsys):
    """Only good rows: exit 0; --format json gives the decisions document with their places."""
    path = _write(tmp_path, "ok.json", json.dumps([SITUATIONS[0], SITUATIONS[2]]))
    assert main(["eligibility", path, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["format"], payload["version"]) == ("microstructure-decisions", 1)
    rows = payload["rows"]
    assert [(row["line"], row["index"]) for row in rows] == [(None, 0), (None, 1)]
    programs = [d["program"] for d in rows[0]["decisions"]]
    assert programs == ["droit-commun", "equip-addict", "sante-mentale"]
    assert rows[1]["decisions"][2]["outcome"] == "eligible"


def test_json_output_validates_and_reads_back(tmp_path, capsys):
    """The JSON output, bad rows left out, passes its JSON Schema and reads back as a DecisionFile."""
    assert main(["eligibility", _json_file(tmp_path), "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert problems("decisions", payload) == []
    document = from_data(DecisionFile, payload)
    assert [(row.where, len(row.decisions)) for row in document.rows] == [("$[0]", 3), ("$[2]", 3)]
    expected = decide(from_data(Situation, SITUATIONS[2]), "sante-mentale")
    assert document.rows[1].decisions[2] == expected


def test_csv_and_json_lines_input_give_lines_in_json(tmp_path, capsys):
    """Rows read from JSON Lines carry their line; the output is the same document type."""
    lines = "\n\n".join(json.dumps(s) for s in (SITUATIONS[0], SITUATIONS[2]))
    path = _write(tmp_path, "s.jsonl", lines)
    assert main(["eligibility", path, "--format", "json", "--program", "sante-mentale"]) == 0
    document = from_data(DecisionFile, json.loads(capsys.readouterr().out))
    assert [(row.index, row.line) for row in document.rows] == [(0, 1), (1, 3)]


def test_csv_input_and_output_in_french(tmp_path, capsys):
    """A semicolon CSV (French spreadsheets) is read; --format csv --lang fr writes reasons."""
    text = (
        "code;age;sex;substances;situations;followed_by;answers.audit-c;answers.epices\n"
        "A1;52;female;alcohol tobacco;isolation|debt;none;3 1 1;oui non non non oui non non non oui oui non\n"
        "A2;x;female;;;;;\n"
        "A3;30;male;;;;5 0 0;\n"
    )
    path = _write(tmp_path, "situations.csv", text)
    assert (
        main(["eligibility", path, "--format", "csv", "--lang", "fr", "--program", "equip-addict"])
        == 1
    )
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [(r["line"], r["code"], r["outcome"]) for r in rows] == [("2", "A1", "eligible")]
    assert "une addiction, avec ou sans substance" in rows[0]["reasons"]
    assert "line 3, field age" in captured.err
    assert "line 4, field answers.audit-c[0]: expected one of 0, 1, 2, 3, 4" in captured.err


def test_jsonl_and_network_policy(tmp_path, capsys):
    """JSON Lines input; --policy replaces the default of its program."""
    lines = "\n".join(json.dumps(s) for s in (SITUATIONS[0], SITUATIONS[2]))
    path = _write(tmp_path, "s.jsonl", lines)
    policy = _write(
        tmp_path,
        "policy.json",
        json.dumps(
            {
                "program": "sante-mentale",
                "name": "Bereavement only",
                "name_fr": "Deuil seulement",
                "criterion": {"type": "situation", "situation": "bereavement"},
            }
        ),
    )
    assert main(["eligibility", path, "--policy", policy, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["line"], r["outcome"]) for r in rows] == [("1", "not-eligible"), ("2", "eligible")]


def test_output_file(tmp_path, capsys):
    """--output writes the decisions to a file."""
    out = tmp_path / "out.txt"
    path = _write(tmp_path, "ok.json", json.dumps([SITUATIONS[2]]))
    assert main(["eligibility", path, "--output", str(out), "--lang", "fr"]) == 0
    assert "B2 — sante-mentale : éligible" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().out == ""


def test_unreadable_or_invalid_files_exit_2(tmp_path, capsys):
    """A missing file, broken JSON, a non-array or an unknown CSV column exit 2."""
    assert main(["eligibility", str(tmp_path / "none.json")]) == 2
    assert main(["eligibility", _write(tmp_path, "a.json", "[{}, {")]) == 2
    assert main(["eligibility", _write(tmp_path, "b.json", "{}")]) == 2
    assert main(["eligibility", _write(tmp_path, "c.csv", "code,name\nA,B\n")]) == 2
    assert main(["eligibility", _write(tmp_path, "d.json", "[]"), "--program", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown column" in err
    assert "expected a JSON array" in err
    assert "Traceback" not in err


def test_library_rows_withhold_cell_values(tmp_path):
    """read_situations gives located errors whose values are withheld."""
    from microstructure.eligibility import read_situations

    path = _write(tmp_path, "s.csv", "code;age\nA1;ZZSECRET\n")
    (row,) = read_situations(path)
    assert row.situation is None
    assert row.where == "line 2"
    assert [(e.path, e.value, e.redacted) for e in row.errors] == [("$.age", None, True)]
    assert "ZZSECRET" not in str(row.errors[0])


def test_csv_and_json_lines_are_streamed(tmp_path):
    """Reading 10,000 rows holds about as much memory as reading 200: rows are not kept."""
    import tracemalloc

    from microstructure.eligibility import read_situations

    def peak(rows: int, suffix: str) -> int:
        body = (
            "code;age;situations\n" + "A1;44;isolation\n" * rows
            if suffix == ".csv"
            else '{"code": "A1", "age": 44}\n' * rows
        )
        path = _write(tmp_path, f"s{rows}{suffix}", body)
        tracemalloc.start()
        count = sum(1 for row in read_situations(path) if row.situation is not None)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == rows
        return top

    for suffix in (".csv", ".jsonl"):
        small, large = peak(200, suffix), peak(10_000, suffix)
        assert large < 2 * small + 1_000_000, (suffix, small, large)


def test_the_documented_json_output_is_what_the_command_writes(tmp_path, capsys):
    """The example of docs/reference/data-formats.md is the command's output, byte for byte."""
    page = (ROOT / "docs" / "reference" / "data-formats.md").read_text(encoding="utf-8")
    section = page.split("## Decisions output", 1)[1]
    documented = section.split("```json\n", 1)[1].split("```", 1)[0]
    lines = [{"code": "B2", "situations": ["bereavement"]}, {"code": "K7PQ", "age": 44}]
    path = _write(tmp_path, "s.jsonl", "".join(json.dumps(s) + "\n" for s in lines))
    policy = {
        "program": "sante-mentale",
        "name": "Bereavement only",
        "name_fr": "Deuil seulement",
        "criterion": {"type": "situation", "situation": "bereavement"},
    }
    policy_path = _write(tmp_path, "policy.json", json.dumps(policy))
    assert main(["eligibility", path, "--policy", policy_path, "--format", "json"]) == 0
    assert capsys.readouterr().out == documented


def test_example_json_output_validates(capsys):
    """The decisions on the bundled example's situations, of every outcome, pass the schema."""
    assert main(["eligibility", "--example", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert problems("decisions", payload) == []
    document = from_data(DecisionFile, payload)
    assert len(document.rows) == len(payload["rows"]) > 0
    outcomes = {d.outcome.value for row in document.rows for d in row.decisions}
    assert outcomes == {"eligible", "not-eligible", "to-review"}

"""The decisions document (`DecisionFile`, `DecisionRow`) and its streaming writer."""

import csv
import io
import itertools
import json
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.eligibility.strategies import DECISION_ROWS
from tests.schema.helpers import problems

from microstructure.eligibility import (
    DecisionFile,
    DecisionRow,
    Situation,
    SituationRow,
    decide,
    write_decisions,
)
from microstructure.errors import FieldError, ValidationError
from microstructure.io import from_data, to_data

DECISION = decide(Situation(code="B2", situations={"bereavement"}), "sante-mentale")
UNKNOWN = decide(Situation(code="Q9"), "equip-addict")


def _written(rows: object, **options: str) -> str:
    out = io.StringIO()
    write_decisions(out, rows, **options)  # type: ignore[arg-type]
    return out.getvalue()


@given(index=st.integers(0, 10**6), line=st.none() | st.integers(1, 10**6))
def test_where_is_the_place_of_the_situation_row(index, line):
    """A decision row is located like the situation row it was made from."""
    situation_row = SituationRow(index=index, line=line, situation=None)
    assert DecisionRow(index=index, line=line, decisions=()).where == situation_row.where


def test_places_are_lines_or_array_elements():
    """`where` reads ``line N`` for CSV and JSON Lines, ``$[i]`` for a JSON array element."""
    assert DecisionRow(index=0, line=3, decisions=()).where == "line 3"
    assert DecisionRow(index=2, line=None, decisions=()).where == "$[2]"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"index": -1, "line": 2, "decisions": ()}, "index"),
        ({"index": True, "line": 2, "decisions": ()}, "index"),
        ({"index": 0, "line": 0, "decisions": ()}, "line"),
        ({"index": 0, "line": "2", "decisions": ()}, "line"),
        ({"index": 0, "line": 2, "decisions": ("eligible",)}, "decisions"),
    ],
)
def test_bad_rows_are_refused_at_their_field(arguments, field):
    """A negative index, a line below 1 or something else than decisions is a FieldError there."""
    with pytest.raises(FieldError) as caught:
        DecisionRow(**arguments)
    assert caught.value.errors[0].path == f"$.{field}"


def test_a_file_holds_rows_only():
    """A `DecisionFile` takes a list of rows as a tuple and refuses anything else."""
    row = DecisionRow(index=0, line=None, decisions=[DECISION])
    assert DecisionFile(rows=[row]).rows == (row,)
    with pytest.raises(FieldError) as caught:
        DecisionFile(rows=[DECISION])
    assert caught.value.errors[0].path == "$.rows"


@settings(max_examples=30)
@given(rows=st.lists(DECISION_ROWS, max_size=5))
def test_streamed_json_is_the_document(rows):
    """The JSON written row by row is the `to_data` of the whole `DecisionFile`, and reads back."""
    text = _written(iter(rows))
    expected = to_data(DecisionFile(rows=tuple(rows)))
    assert json.loads(text) == expected
    assert list(json.loads(text)) == list(expected)  # the format and version first
    assert problems("decisions", json.loads(text)) == []
    assert from_data(DecisionFile, json.loads(text)) == DecisionFile(rows=tuple(rows))


def test_alerts_are_written_and_validate():
    """A decision with an alert (PHQ-9 item 9) is written with it, validates and reads back."""
    situation = Situation(code="P9", answers={"phq-9": [0, 0, 0, 0, 0, 0, 0, 0, 2]})
    alerted = decide(situation, "sante-mentale")
    assert alerted.alerts
    rows = [DecisionRow(index=0, line=2, decisions=[alerted])]
    data = json.loads(_written(rows))
    assert data["rows"][0]["decisions"][0]["alerts"][0]["code"] == "MS-ELIG-001"
    assert problems("decisions", data) == []
    assert from_data(DecisionFile, data).rows == tuple(rows)
    (found,) = csv.DictReader(io.StringIO(_written(rows, format="csv")))
    assert found["alerts"] == "MS-ELIG-001"


def test_json_layout_one_row_per_line():
    """The envelope and ``"rows": [`` on the first line, one row per line, ``]}`` last."""
    rows = [DecisionRow(index=i, line=i + 2, decisions=[DECISION]) for i in range(3)]
    lines = _written(rows).splitlines()
    assert lines[0] == '{"format": "microstructure-decisions", "version": 1, "rows": ['
    assert [json.loads(line.rstrip(","))["index"] for line in lines[1:-1]] == [0, 1, 2]
    assert lines[-1] == "]}"
    assert _written([]) == '{"format": "microstructure-decisions", "version": 1, "rows": []}\n'


def test_the_count_of_rows_is_returned():
    """`write_decisions` returns the rows written, in every format, not the decisions."""
    rows = [DecisionRow(index=i, line=None, decisions=[DECISION, UNKNOWN]) for i in range(4)]
    for fmt in ("json", "csv", "text"):
        assert write_decisions(io.StringIO(), rows, format=fmt) == 4


def test_csv_columns_and_places():
    """CSV: one line per decision; ``line`` is the line, or the place of an array element."""
    rows = [
        DecisionRow(index=0, line=7, decisions=[DECISION]),
        DecisionRow(index=1, line=None, decisions=[UNKNOWN]),
    ]
    found = list(csv.DictReader(io.StringIO(_written(rows, format="csv"))))
    assert [(r["line"], r["code"], r["program"], r["outcome"]) for r in found] == [
        ("7", "B2", "sante-mentale", "eligible"),
        ("$[1]", "Q9", "equip-addict", "to-review"),
    ]
    assert found[1]["to_collect"] == " ".join(UNKNOWN.to_collect)
    assert found[0]["reasons"] == "an environmental situation"


def test_csv_reasons_follow_the_language():
    """``lang="fr"`` writes the reasons from the French texts of the criteria."""
    rows = [DecisionRow(index=0, line=2, decisions=[DECISION])]
    (found,) = csv.DictReader(io.StringIO(_written(rows, format="csv", lang="fr")))
    assert found["reasons"] == "une situation d'ordre environnemental"


def test_text_explains_each_decision_under_its_place():
    """Text: each decision's explanation under ``# line N`` (``# ligne N`` in French)."""
    rows = [DecisionRow(index=0, line=3, decisions=[DECISION])]
    assert _written(rows, format="text") == f"# line 3\n{DECISION.explain('en')}\n\n"
    assert _written(rows, format="text", lang="fr") == f"# ligne 3\n{DECISION.explain('fr')}\n\n"
    array_row = [DecisionRow(index=4, line=None, decisions=[DECISION])]
    assert _written(array_row, format="text", lang="fr").startswith("# $[4]\n")


@pytest.mark.parametrize(
    ("options", "field", "allowed"),
    [
        ({"format": "xml"}, "format", "one of 'json', 'csv', 'text'"),
        ({"format": None}, "format", "one of 'json', 'csv', 'text'"),
        ({"lang": "de"}, "lang", "one of 'en', 'fr'"),
        ({"lang": ["en"]}, "lang", "one of 'en', 'fr'"),
    ],
)
def test_bad_format_or_language_names_the_field_and_the_choices(options, field, allowed):
    """An unknown format or language is a FieldError naming it and what is allowed; nothing is written."""
    out = io.StringIO()
    with pytest.raises(FieldError) as caught:
        write_decisions(out, [], **options)
    (detail,) = caught.value.errors
    assert detail.path == f"$.{field}"
    assert detail.message == f"expected {allowed}"
    assert out.getvalue() == ""


def test_bad_stream_or_rows_are_field_errors():
    """Not a stream, not an iterable, or an item that is not a row: a FieldError at its place."""
    with pytest.raises(FieldError) as caught:
        write_decisions("out.json", [])  # type: ignore[arg-type]
    assert caught.value.errors[0].path == "$.out"
    out = io.StringIO()
    with pytest.raises(FieldError) as caught:
        write_decisions(out, 3)  # type: ignore[arg-type]
    assert caught.value.errors[0].path == "$.rows"
    assert out.getvalue() == ""
    good = DecisionRow(index=0, line=2, decisions=[DECISION])
    with pytest.raises(FieldError) as caught:
        write_decisions(io.StringIO(), [good, DECISION], format="csv")  # type: ignore[list-item]
    assert caught.value.errors[0].path == "$.rows[1]"
    assert caught.value.errors[0].value == "Decision"


@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_each_row_is_written_before_the_next_is_asked_for(fmt):
    """The writer streams: when row i + 1 is drawn, row i is already in the output."""
    out = io.StringIO()
    sizes: list[int] = []

    def rows() -> Iterator[DecisionRow]:
        for index in range(5):
            sizes.append(len(out.getvalue()))
            yield DecisionRow(index=index, line=index + 2, decisions=[DECISION])

    assert write_decisions(out, rows(), format=fmt) == 5
    assert all(before < after for before, after in itertools.pairwise(sizes))


def test_memory_does_not_grow_with_the_rows():
    """Writing 10,000 rows holds about as much memory as writing 500: nothing is kept."""

    class Sink:
        """A stream that forgets what it is given."""

        def write(self, text: str) -> int:
            return len(text)

    def peak(count: int, fmt: str) -> int:
        rows = (DecisionRow(index=i, line=i + 2, decisions=(DECISION,)) for i in range(count))
        tracemalloc.start()
        assert write_decisions(Sink(), rows, format=fmt) == count  # type: ignore[arg-type]
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    for fmt in ("json", "csv"):
        small, large = peak(500, fmt), peak(10_000, fmt)
        assert large < 2 * small + 200_000, (fmt, small, large)


def test_a_million_rows_from_a_generator():
    """A generator of a million rows is written to the end (CSV, the cheapest rendering)."""

    class Counter:
        """A stream that counts the lines it is given."""

        lines = 0

        def write(self, text: str) -> int:
            self.lines += text.count("\n")
            return len(text)

    one = (DECISION,)
    rows = (DecisionRow(index=i, line=None, decisions=one) for i in range(1_000_000))
    counter = Counter()
    assert write_decisions(counter, rows, format="csv") == 1_000_000  # type: ignore[arg-type]
    assert counter.lines == 1_000_001  # the header, then one line per decision


def test_newer_version_is_refused_and_older_files_read():
    """A decisions file of version 2 is refused at $.version; one without the envelope reads."""
    document = DecisionFile(rows=(DecisionRow(index=0, line=2, decisions=(DECISION,)),))
    data = to_data(document)
    with pytest.raises(ValidationError) as caught:
        from_data(DecisionFile, {**data, "version": 2})
    (detail,) = caught.value.errors
    assert detail.path == "$.version"
    assert "newer release" in detail.message
    assert problems("decisions", {**data, "version": 2}) != []
    bare = {"rows": data["rows"]}
    assert from_data(DecisionFile, bare) == document

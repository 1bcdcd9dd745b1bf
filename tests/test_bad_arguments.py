"""Wrong-typed arguments to territory, programs and eligibility raise only MicrostructureError."""

import io
from collections.abc import Callable
from typing import Any

import pytest

from microstructure.eligibility import (
    DecisionRow,
    Situation,
    decide,
    default_policy,
    instrument,
    is_situation_code,
    score,
    situation_kind,
    write_decisions,
)
from microstructure.errors import MicrostructureError, ValidationError
from microstructure.programs import Program, program, programs
from microstructure.territory import department, public_holidays, region

VALUES = [
    None,
    1,
    -1,
    1.5,
    float("nan"),
    "",
    "x",
    [],
    [2026],
    ["2026"],
    {},
    {"a": 1},
    (2026,),
    True,
    b"75",
    object(),
    [None],
    [10**100],
    [-5],
    [0],
    [[1]],
]


def _rows() -> list[DecisionRow]:
    decision = decide(Situation(situations={"debt"}), "sante-mentale")
    return [DecisionRow(index=0, line=2, decisions=[decision])]


def _situation(field: str) -> Callable[[object], object]:
    return lambda value: Situation(**{field: value})  # type: ignore[arg-type]  # on purpose


CALLS: dict[str, Callable[[Any], object]] = {
    "public_holidays(department)": lambda v: public_holidays(v, [2026]),
    "public_holidays(years)": lambda v: public_holidays("75", v),
    "department": department,
    "region": region,
    "score(instrument)": lambda v: score(v, [0] * 10),
    "score(answers)": lambda v: score("audit", v),
    "score(sex)": lambda v: score("audit", [0] * 10, sex=v),
    "score(scheme)": lambda v: score("audit", [0] * 10, scheme=v),
    "from_total": lambda v: instrument("audit").from_total(v),
    "band": lambda v: instrument("audit").band(v),
    "program": program,
    "programs(overrides)": lambda v: programs(overrides=v),
    "default_policy": default_policy,
    "default_policy(overrides)": lambda v: default_policy("equip-addict", overrides=v),
    "situation_kind": situation_kind,
    "Program(id)": lambda v: Program(id=v, name="x", name_fr="x"),
    "write_decisions(out)": lambda v: write_decisions(v, _rows()),
    "write_decisions(rows)": lambda v: write_decisions(io.StringIO(), v),
    "write_decisions(format)": lambda v: write_decisions(io.StringIO(), _rows(), format=v),
    "write_decisions(lang)": lambda v: write_decisions(io.StringIO(), _rows(), lang=v),
    "DecisionRow(index)": lambda v: DecisionRow(index=v, line=None, decisions=()),
    "DecisionRow(line)": lambda v: DecisionRow(index=0, line=v, decisions=()),
    "DecisionRow(decisions)": lambda v: DecisionRow(index=0, line=None, decisions=v),
}
CALLS.update(
    {
        f"Situation({field})": _situation(field)
        for field in (
            "answers",
            "scores",
            "extra",
            "code",
            "age",
            "sex",
            "situations",
            "indications",
        )
    }
)


@pytest.mark.parametrize("call", sorted(CALLS))
def test_wrong_arguments_raise_only_microstructure_errors(call):
    """Every wrong-typed argument gives a MicrostructureError (or a valid result), never a bare error."""
    messages = []
    for value in VALUES:
        try:
            CALLS[call](value)
        except MicrostructureError as exc:
            messages.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{call}({value!r}) raised {type(exc).__name__}: {exc}")
    assert messages
    assert all(messages)


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ for v in VALUES])
def test_is_situation_code_answers_false_for_non_codes(value):
    """`is_situation_code` answers False for anything that is not a string code."""
    assert is_situation_code(value) is False


@pytest.mark.parametrize("total", ["abc", "1" * 50, "", "NaN", [1], None])
def test_situation_total_that_is_not_a_number_is_located(total):
    """A total that is not a number is reported at its path, shortened if long."""
    with pytest.raises(ValidationError) as caught:
        Situation(scores={"audit": total})
    assert [d.path for d in caught.value.errors] == ["$.scores.audit"]
    assert len(str(caught.value)) < 300

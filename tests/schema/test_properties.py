"""Generated documents: the schema and `microstructure.io` agree on valid and broken ones.

Broken: a wrong type, an unknown key, a bad code, a bad id or a missing key.
"""

import copy
import enum
import types
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import strategies as teams_strategies
from tests.eligibility import strategies as eligibility_strategies
from tests.errors import strategies as errors_strategies
from tests.records import strategies as records_strategies
from tests.scheduling import strategies as scheduling_strategies
from tests.schema.helpers import problems
from tests.schema.reports import small_report

from microstructure._validators import identifier
from microstructure.errors import ValidationError
from microstructure.evaluation import indicators
from microstructure.io import document_types, from_data, to_data

DOCUMENTS = {
    "national": teams_strategies.nationals,
    "network": teams_strategies.networks,
    "microstructure": teams_strategies.microstructures,
    "program": teams_strategies.programs(),
    "policy": eligibility_strategies.POLICIES,
    "criterion": eligibility_strategies.CRITERIA,
    "situation": eligibility_strategies.SITUATIONS,
    "decisions": eligibility_strategies.DECISION_FILES,
    "held-sessions": scheduling_strategies.HELD_FILES,
    "record": records_strategies.EVENTS,
    "indicator": st.sampled_from(list(indicators().values())),
    "findings": errors_strategies.REPORTS,
}
#: A computed report is large: fewer examples, drawn from one report.
SLOW = {"report": st.builds(small_report)}


def _accepted_by_io(name: str, data: Any) -> bool:
    try:
        from_data(document_types()[name], data)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("name", list(DOCUMENTS))
@given(data=st.data())
def test_valid_documents_are_accepted_by_both(name, data):
    """A generated document, written by `to_data`, validates and reads back equal."""
    document = data.draw(DOCUMENTS[name])
    _check_valid(name, document)


def _check_valid(name: str, document: object) -> None:
    written = to_data(document)
    assert problems(name, written) == []
    assert from_data(document_types()[name], written) == document


# -- mutations -------------------------------------------------------------------------


def _plain(t: Any) -> Any:
    """``t`` without ``| None``."""
    if typing.get_origin(t) in {typing.Union, types.UnionType}:
        args = [a for a in typing.get_args(t) if a is not type(None)]
        return args[0] if len(args) == 1 else t
    return t


def _nodes(obj: Any, data: Any) -> list[tuple[type, dict[str, Any]]]:
    """Every attrs object of ``obj`` written as a JSON object in ``data``, with that object."""
    if not (attrs.has(type(obj)) and isinstance(data, dict)):
        return []
    found = [(type(obj), data)]
    for field in attrs.fields(type(obj)):
        if not field.init or field.name not in data:
            continue
        value, written = getattr(obj, field.name), data[field.name]
        if isinstance(value, tuple) and isinstance(written, list):
            for item, item_data in zip(value, written, strict=True):
                found.extend(_nodes(item, item_data))
        else:
            found.extend(_nodes(value, written))
    return found


def _mutations(cl: type) -> list[tuple[str, str]]:
    """The mutations that make an object of ``cl`` invalid for both: (kind, field)."""
    found = [("unknown-key", "")]
    for field in attrs.fields(cl):
        if not field.init:
            continue
        if field.type is not object:  # a field typed object takes any JSON value
            found.append(("wrong-type", field.name))
        if field.default is attrs.NOTHING:
            found.append(("missing", field.name))
        plain = _plain(field.type)
        if isinstance(plain, type) and issubclass(plain, enum.Enum):
            found.append(("bad-code", field.name))
        if field.validator is identifier:
            found.append(("bad-id", field.name))
    return found


def _mutate(node: dict[str, Any], cl: type, kind: str, name: str) -> None:
    if kind == "unknown-key":
        node["x-unknown"] = 1
    elif kind == "missing":
        del node[name]
    elif kind == "bad-code":
        node[name] = "x-not-a-code"
    elif kind == "bad-id":
        node[name] = "-not an id"
    else:  # wrong type: an object for an array or a mapping, an array for anything else
        field_type = attrs.fields_dict(cl)[name].type
        node[name] = {} if typing.get_origin(_plain(field_type)) in {tuple, list, frozenset} else []


@pytest.mark.parametrize("name", list(DOCUMENTS))
@given(data=st.data())
def test_broken_documents_are_refused_by_both(name, data):
    """A valid document with one mutation is refused by the schema and by `from_data`."""
    _check_broken(name, data.draw(DOCUMENTS[name]), data)


@pytest.mark.parametrize("name", list(SLOW))
@settings(max_examples=8)
@given(data=st.data())
def test_slow_documents_agree(name, data):
    """The same two checks on a computed report, with fewer examples."""
    document = data.draw(SLOW[name])
    _check_valid(name, document)
    _check_broken(name, document, data)


def _check_broken(name: str, document: object, data: st.DataObject) -> None:
    written = copy.deepcopy(to_data(document))
    nodes = _nodes(document, written)
    cl, node = data.draw(st.sampled_from(nodes), label="object")
    kind, field = data.draw(st.sampled_from(_mutations(cl)), label="mutation")
    _mutate(node, cl, kind, field)
    assert problems(name, written) != []
    assert not _accepted_by_io(name, written)

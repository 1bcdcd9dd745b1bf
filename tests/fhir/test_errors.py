"""Wrong arguments give located FieldErrors, never a half-made Bundle."""

import json

import pytest

from microstructure.errors import FieldError
from microstructure.evaluation import indicator
from microstructure.examples import example_network
from microstructure.fhir import bundle, dumps, systems


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"teams": "network.json"}, "teams"),
        ({"report": "report.json"}, "report"),
        ({"indicators": ["active-file"]}, "indicators"),
        ({"base": "ftp://example.org"}, "base"),
        ({"base": "https://"}, "base"),
        ({"base": "https://example.org/with space"}, "base"),
    ],
)
def test_wrong_arguments_are_located(kwargs, field):
    """Each wrong argument is a FieldError naming it."""
    arguments = {"teams": example_network(), **kwargs}
    with pytest.raises(FieldError) as caught:
        bundle(**arguments)
    assert caught.value.errors[0].path == f"$.{field}"


def test_systems_refuses_a_bad_base():
    """The base of the library's systems must be an http(s) URL."""
    with pytest.raises(FieldError):
        systems("rms.example.org")


def test_own_indicators_only():
    """Given indicators replace the catalogue: one Measure each."""
    found = bundle(example_network(), indicators=[indicator("active-file")])
    kinds = [e["resource"]["resourceType"] for e in found["entry"]]
    assert kinds.count("Measure") == 1


def test_dumps_checks_its_argument_and_keeps_an_empty_bundle():
    """The text writer refuses what is not a Bundle dict; an empty Bundle is one line of JSON."""
    with pytest.raises(FieldError):
        dumps([])  # type: ignore[arg-type]
    empty = {"resourceType": "Bundle", "type": "collection", "entry": []}
    assert dumps(empty) == json.dumps(empty, separators=(",", ":")) + "\n"
    assert json.loads(dumps({"entry": [{"a": 1}]})) == {"entry": [{"a": 1}]}

"""The shipped schema files, the schema reference page and ``microstructure schema``."""

import json
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from microstructure.cli import main
from microstructure.io import document_types, schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"

ROOT = Path(__file__).parent.parent.parent


def _render() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from gen_schemas import render  # type: ignore[import-not-found]  # a docs script
    finally:
        sys.path.pop(0)
    result: dict[str, str] = render()
    return result


def test_shipped_schemas_and_page_are_up_to_date():
    """Shipped schemas/*.json and docs/reference/schemas.md match the code (python docs/gen_schemas.py)."""
    expected = _render()
    folder = resources.files("microstructure").joinpath("schemas")
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".json")}
    assert {f"{name}.json" for name in document_types()} == shipped
    for name in shipped:
        assert folder.joinpath(name).read_text(encoding="utf-8") == expected[name], name
    page = (ROOT / "docs" / "reference" / "schemas.md").read_text(encoding="utf-8")
    assert page == expected["schemas.md"]


@pytest.mark.parametrize("name", list(document_types()))
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    """The metaschema of draft 2020-12 accepts each generated schema."""
    document = schema(document_types()[name])
    assert document["$schema"] == DIALECT
    jsonschema.Draft202012Validator.check_schema(document)
    assert jsonschema.validators.validator_for(document) is jsonschema.Draft202012Validator


def test_cli_lists_the_types(capsys):
    """Without a type, the command lists every document type with what it holds."""
    assert main(["schema"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(document_types())
    assert lines[1].split(None, 1)[1] == schema(document_types()["network"])["description"]


def test_cli_prints_the_shipped_schema(capsys):
    """``microstructure schema network`` prints the same schema as the shipped file."""
    assert main(["schema", "network"]) == 0
    printed = json.loads(capsys.readouterr().out)
    shipped = resources.files("microstructure").joinpath("schemas", "network.json")
    assert printed == json.loads(shipped.read_text(encoding="utf-8"))


def test_cli_refuses_an_unknown_type_with_the_list(capsys):
    """An unknown type exits 2 and names every known type on standard error."""
    assert main(["schema", "netwrok"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "'netwrok'" in captured.err
    for name in document_types():
        assert name in captured.err

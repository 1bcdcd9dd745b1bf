"""A validator per document type, built by `jsonschema` from the generated schemas."""

import functools
from typing import Any

import jsonschema

from microstructure.io import document_types, schema


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """The `jsonschema` validator of the document type ``name``, checking formats too."""
    document = schema(document_types()[name])
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def problems(name: str, data: Any) -> list[str]:
    """What the schema of ``name`` says is wrong with ``data`` (empty when valid)."""
    return [
        f"{error.json_path}: {error.message[:200]}" for error in validator(name).iter_errors(data)
    ]

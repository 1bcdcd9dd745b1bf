"""Regenerate the shipped JSON Schemas and docs/reference/schemas.md from the library's rules.

Run: python docs/gen_schemas.py
"""

import json
from pathlib import Path

from microstructure.io import document_types, schema

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "src" / "microstructure" / "schemas"
PAGE = ROOT / "docs" / "reference" / "schemas.md"

HEADER = """# JSON Schemas

The JSON Schema (draft 2020-12) of every document type, generated from the library's
classes and the converter's own rules by `microstructure.io.schema`; a test fails when
this page or a shipped file is stale (regenerate: `python docs/gen_schemas.py`).
Validate your files with them in any language:
see [validate a file in another language](../how-to/validate-in-another-language.md).

The same schemas ship in the package, as `microstructure/schemas/TYPE.json`, and
`microstructure schema TYPE` prints one.
What a schema says:

- Every object lists its keys; no other key is allowed (`additionalProperties: false`),
  as the library refuses unknown keys.
  Keys without a `default` are required.
- A union of kinds (criteria, schedule rules, care records) is a `oneOf` whose members
  carry their `"type"` tag as a `const`.
- Dates, date-times, local times and durations are ISO 8601 strings (`format` and a
  `pattern` for the form the library writes); amounts are decimal strings.
- Ids match `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`; codes are `enum`s.
- A file the library writes (team files, programs, policies, schedules, held sessions,
  indicator files, reports, and the JSON outputs of `check`, `records validate` and
  `eligibility`) starts with its `format` name and `version`; both are optional, for files
  written before they were added, and a newer `version` than the library reads is refused.
  Key files carry one too (`microstructure-key`) but have no schema: they hold a secret
  that only this library reads (see [key file](data-formats.md#key-file)).

What a schema cannot say is checked by the library only, which reports it with its
path: the Luhn check digit of an RPPS number, the check symbols of an anonymous code,
dates in order (`valid_until` on or after `valid_from`), ids that refer to each other
(a schedule's microstructure in the team file), situation codes of the taxonomy, scores
within an instrument's range.
So a file that the schema accepts may still be refused; a file that the library writes
always validates.

| type | file | what it holds |
|---|---|---|
"""


def render() -> dict[str, str]:
    """The text of each shipped schema file by name, and of the page under ``"schemas.md"``."""
    files: dict[str, str] = {}
    rows: list[str] = []
    sections: list[str] = []
    for name, cl in document_types().items():
        document = schema(cl)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        files[f"{name}.json"] = text
        rows.append(f"| [`{name}`](#{name}) | `schemas/{name}.json` | {document['description']} |")
        sections.append(
            f"## `{name}` {{ #{name} }}\n\n{document['description']}\n\n"
            f'??? note "schemas/{name}.json"\n\n'
            "    ```json\n"
            + "".join(f"    {line}\n" if line else "\n" for line in text.splitlines())
            + "    ```\n"
        )
    files["schemas.md"] = HEADER + "\n".join(rows) + "\n\n" + "\n".join(sections)
    return files


if __name__ == "__main__":
    for name, text in render().items():
        target = PAGE if name == "schemas.md" else SCHEMAS / name
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")

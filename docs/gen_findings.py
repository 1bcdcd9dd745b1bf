"""Regenerate docs/reference/findings.md from the library's finding catalogue.

Run: python docs/gen_findings.py
"""

from pathlib import Path

from microstructure.errors import finding_catalogue

HEADER = """# Findings catalogue

Every `Finding` code the library can emit, generated from the code
(`microstructure.errors.finding_catalogue()`); a test fails when this page is stale.
Codes are stable: a code is never reused for another meaning.

| code | severity | area | title | titre |
|---|---|---|---|---|
"""


def render() -> str:
    """The page's Markdown text."""
    rows = [
        f"| `{k.code}` | {k.severity.value} | {k.area} | {k.title} | {k.title_fr} |"
        for k in finding_catalogue().values()
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    target = Path(__file__).parent / "reference" / "findings.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")

"""Regenerate docs/reference/findings.md from the library's finding catalogue.

Run: python docs/gen_findings.py
"""

from pathlib import Path

from microstructure.errors import finding_catalogue

HEADER = """# Findings catalogue

Every `Finding` code the library can emit, generated from the code
(`microstructure.errors.finding_catalogue()`); a test fails when this page is stale.
Codes are stable: a code is never reused for another meaning.
Each code links to what to do about it.
To show findings in French in an application, see
[show findings in French](../how-to/findings-in-french.md).

| code | severity | area | title | titre |
|---|---|---|---|---|
"""


def render() -> str:
    """The page's Markdown text."""
    catalogue = finding_catalogue().values()
    rows = [
        f"| [`{k.code}`](#{k.code.lower()}) | {k.severity.value} | {k.area} | {k.title} "
        f"| {k.title_fr} |"
        for k in catalogue
    ]
    sections = [
        f"### `{k.code}` {k.title} {{ #{k.code.lower()} }}\n\n"
        f"*{k.severity.value}, {k.area}* · {k.title_fr}\n\n"
        f"{k.remedy}\n"
        for k in catalogue
    ]
    return HEADER + "\n".join(rows) + "\n\n## What to do\n\n" + "\n".join(sections)


if __name__ == "__main__":
    target = Path(__file__).parent / "reference" / "findings.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")

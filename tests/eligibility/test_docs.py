"""The instrument reference pages are generated from the shipped data and up to date."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_instrument_pages_are_up_to_date():
    """docs/reference/instruments/*.md match the data (regenerate: python docs/gen_instruments.py)."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from gen_instruments import pages  # type: ignore[import-not-found]  # a docs script
    finally:
        sys.path.pop(0)
    for path, text in pages().items():
        assert text == path.read_text(encoding="utf-8"), path.name


def test_every_instrument_page_is_in_the_nav():
    """mkdocs.yml lists every instrument page."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in (ROOT / "docs" / "reference" / "instruments").glob("*.md"):
        assert f"reference/instruments/{page.name}" in nav

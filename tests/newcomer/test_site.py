"""The built documentation site: API pages show the model, internal links all resolve."""

import html.parser
import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import microstructure
from microstructure._labels import Labelled

ROOT = Path(__file__).parents[2]
MODELS = {
    "teams": ("Network", "Microstructure", "Professional"),
    "eligibility": ("Situation",),
    "scheduling": ("WeeklySession",),
    "identifiers": ("Identity",),
}


class _Page(html.parser.HTMLParser):
    """Collects a page's ids, links and text."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag in {"link", "script", "img"} and (found.get("href") or found.get("src")):
            self.links.append(found.get("href") or found["src"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built once with mkdocs (skipped without the docs extra)."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("griffe_fieldz")
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(target)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", f"mkdocs printed warnings:\n{result.stderr}"
    return target


def _described_fields(block: str) -> dict[str, str]:
    """Field name to description, from the rows of the Parameters table of one class."""
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, flags=re.DOTALL):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
        ]
        if len(cells) >= 3:
            found[cells[0]] = cells[2]
    return found


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.mark.parametrize(("module", "name"), [(m, n) for m, names in MODELS.items() for n in names])
def test_api_page_lists_the_fields_of_a_model_class(site, module, name):
    """Each field of the attrs class appears in its API page with its type and a description."""
    import importlib

    import attrs

    cls = getattr(importlib.import_module(f"microstructure.{module}"), name)
    page_file = site / "reference" / "api" / module / "index.html"
    text = page_file.read_text(encoding="utf-8")
    start = text.index(f'id="microstructure.{module}.{name}"')
    end = text.find('class="doc doc-heading"', start + 100)
    block = text[start : end if end > 0 else None]
    parsed = _Page()
    parsed.feed(block)
    words = " ".join(" ".join(parsed.text).split())
    assert "Parameters:" in words
    assert "Default" in words
    for field in attrs.fields(cls):
        if not field.name.startswith("_"):
            assert f" {field.name} " in f" {words} ", (
                f"{name}.{field.name} missing from {page_file}"
            )
    described = _described_fields(block)
    public = [f.name for f in attrs.fields(cls) if not f.name.startswith("_")]
    assert [f for f in public if not described.get(f)] == [], (
        f"{name}: fields without a description"
    )


def test_api_pages_list_enum_members_and_hide_private_bases(site):
    """Enums show their members with their values; no private base class is named."""
    for page_file in (site / "reference" / "api").rglob("index.html"):
        text = " ".join(" ".join(_parse(page_file).text).split())
        assert "Bases: _" not in text, page_file
    teams = " ".join(" ".join(_parse(site / "reference/api/teams/index.html").text).split())
    assert "GENERAL_PRACTITIONER 'gp'" in teams


def test_api_pages_show_the_labels_of_every_labelled_enum(site):
    """Each labelled enum's entry shows `label` and `label_fr`, inherited from a private base."""
    checked = 0
    for info in pkgutil.iter_modules(microstructure.__path__, prefix="microstructure."):
        page_file = site / "reference" / "api" / info.name.rsplit(".", 1)[-1] / "index.html"
        if not info.ispkg or not page_file.exists():
            continue
        package = importlib.import_module(info.name)
        ids = _parse(page_file).ids
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if isinstance(obj, type) and issubclass(obj, Labelled):
                for prop in ("label", "label_fr"):
                    assert f"{info.name}.{name}.{prop}" in ids, (page_file, name, prop)
                checked += 1
    assert checked >= 17


def test_no_page_repeats_its_title(site):
    """Each page has exactly one level-1 heading."""
    for page_file in site.rglob("index.html"):
        text = page_file.read_text(encoding="utf-8")
        if "404" in page_file.parts:
            continue
        assert text.count("<h1") <= 1, page_file


def test_internal_links_resolve(site):
    """Every link inside the site points to an existing file and, with #fragment, an id on it."""
    pages = {path: _parse(path) for path in site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        if path.name == "404.html":  # served at any depth: its links are absolute
            continue
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target /= "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)} -> {link}")
    assert broken == []

"""Names the documentation's code blocks use are public, and no code block is skipped by mistake."""

import ast
import builtins
import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import microstructure

DOCS = Path(__file__).parents[2] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _public_modules() -> dict[str, object]:
    names = [
        info.name
        for info in pkgutil.walk_packages(microstructure.__path__, prefix="microstructure.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return {name: importlib.import_module(name) for name in ["microstructure", *names]}


MODULES = _public_modules()
PUBLIC = {name for module in MODULES.values() for name in getattr(module, "__all__", ())}


def _python_blocks(page: Path) -> list[str]:
    """The source of each Python block; a block of ``>>>`` examples gives their source."""
    blocks = []
    for lang, body in FENCE.findall(page.read_text(encoding="utf-8")):
        if lang != "python":
            continue
        if body.lstrip().startswith(">>>"):
            examples = doctest.DocTestParser().get_examples(body)
            blocks.append("".join(e.source for e in examples))
        else:
            blocks.append(body)
    return blocks


def _problems(source: str) -> list[str]:  # noqa: C901, PLR0912 - one walk, one list
    """Imports of private or non-exported microstructure names, and unknown calls in comments."""
    tree = ast.parse(source)
    problems, bound = [], set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("microstructure"):
            module = MODULES.get(node.module or "")
            if module is None:
                problems.append(f"import from a private module {node.module}")
                continue
            exported = set(getattr(module, "__all__", ()))
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}" in MODULES
                if alias.name not in exported and not submodule:
                    problems.append(f"{node.module}.{alias.name} is not public")
        elif isinstance(node, ast.Import):
            problems += [
                f"import of a private module {a.name}"
                for a in node.names
                if a.name.startswith("microstructure") and a.name not in MODULES
            ]
        elif isinstance(node, ast.Attribute):
            dotted = ast.unparse(node)
            if dotted.startswith("microstructure.") and "._" in dotted:
                problems.append(f"{dotted} is private")
        if isinstance(node, ast.Name):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
    for comment in re.findall(r"#(.*)", source):
        for name in re.findall(r"(?<![.\w])([A-Za-z_]\w*)\(", comment):
            if name not in bound and name not in PUBLIC:
                problems.append(f"{name}(…) in a comment is neither public nor defined on the page")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_code_blocks_use_public_names_only(page):
    """Every microstructure name a page's Python blocks import or mention is public."""
    problems = [p for block in _python_blocks(page) for p in _problems(block)]
    assert problems == []


def test_the_check_catches_a_private_name():
    """The check flags a private import and a private function named in a comment."""
    assert _problems("from microstructure.cli._input import read_teams")
    assert _problems("teams = 1  # stands for read_teams('national.json')")
    assert _problems("from microstructure.teams import _checks")
    assert _problems("from microstructure.examples import example_network") == []


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_skip_directives_skip_a_python_block(page):
    """A `skip: next` comment sits right before a Python block (otherwise it skips a later one)."""
    text = page.read_text(encoding="utf-8")
    for match in re.finditer(r"<!-- skip: next -->\n", text):
        assert text.startswith("```python", match.end()), f"{page}: skip before a non-Python block"

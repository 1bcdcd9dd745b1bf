"""Subpackages load their private modules on first use of a name (PEP 562)."""

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import microstructure
from microstructure.errors import _findings, finding_catalogue

PACKAGE = Path(microstructure.__file__).parent
LAZY = sorted(
    info.name
    for info in pkgutil.iter_modules(microstructure.__path__)
    if info.ispkg and "_lazy" in (PACKAGE / info.name / "__init__.py").read_text("utf-8")
)


def _fresh(code: str) -> object:
    """What ``code`` prints as JSON, run in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def _declared(name: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]], list[str]]:
    """The (module, name) pairs imported for type checkers, those of the lazy table, `__all__`."""
    tree = ast.parse((PACKAGE / name / "__init__.py").read_text("utf-8"))
    checked: set[tuple[str, str]] = set()
    table: set[tuple[str, str]] = set()
    exported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module != "microstructure._publish":
            checked |= {(str(node.module), alias.name) for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_lazy":
            where = node.args[1]
            assert isinstance(where, ast.Dict)
            for key, value in zip(where.keys, where.values, strict=True):
                assert isinstance(key, ast.Constant)
                assert isinstance(value, ast.Tuple)
                table |= {(str(key.value), ast.literal_eval(item)) for item in value.elts}
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__":
            exported = ast.literal_eval(node.value)
    return checked, table, exported


def test_most_subpackages_are_lazy():
    """Every subpackage but errors (loaded by the root) and evaluation loads lazily."""
    assert {"cli", "eligibility", "io", "records", "scheduling", "teams"} <= set(LAZY)


@pytest.mark.parametrize("name", LAZY)
def test_lazy_table_matches_the_imports_for_type_checkers(name):
    """The names loaded at run time are those type checkers see, each from the same module."""
    checked, table, exported = _declared(name)
    assert checked == table
    assert sorted(n for _, n in table) == sorted(exported)


def test_importing_every_subpackage_loads_no_private_module():
    """Importing the lazy subpackages runs none of their private modules."""
    names = ", ".join(f"microstructure.{name}" for name in LAZY)
    loaded = _fresh(
        f"import json, sys, {names}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[1:2] in {[[n] for n in LAZY]!r} "
        "and m.count('.') > 1)))"
    )
    assert loaded == []


def test_a_class_reached_only_through_a_function_shows_its_public_module():
    """Classes loaded as a side effect of another name are published too."""
    found = _fresh(
        "import json; from microstructure.examples import example_national; "
        "from microstructure.scheduling import example_schedule; n = example_national(); "
        "print(json.dumps([type(n).__module__, type(n.networks[0]).__module__, "
        "type(example_schedule()).__module__]))"
    )
    assert found == ["microstructure.teams", "microstructure.teams", "microstructure.scheduling"]


@pytest.mark.parametrize("name", LAZY)
def test_dir_lists_every_public_name_and_unknown_names_fail(name):
    """`dir()` shows every public name before use; an unknown name is an AttributeError."""
    module = __import__(f"microstructure.{name}", fromlist=["_"])
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        _ = module.not_a_name


def test_finding_catalogue_is_complete_in_a_fresh_interpreter():
    """The catalogue loads every module that defines findings, whatever was used before."""
    for name in LAZY:  # everything loaded here, so the catalogue cannot miss a module
        module = __import__(f"microstructure.{name}", fromlist=["_"])
        for public in module.__all__:
            getattr(module, public)
    codes = _fresh(
        "import json; from microstructure.errors import finding_catalogue; "
        "print(json.dumps(list(finding_catalogue())))"
    )
    assert codes == list(finding_catalogue())
    assert len(codes) > 40


def test_every_module_defining_findings_is_listed():
    """The catalogue names each module that calls `define_finding`."""
    defining = sorted(
        "microstructure." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for path in PACKAGE.rglob("_*.py")
        if "define_finding(" in path.read_text("utf-8") and path.parent != PACKAGE / "errors"
    )
    assert defining == sorted(_findings._DEFINING_MODULES)


def test_classes_of_the_converter_hook_modules_show_their_public_module():
    """Building the converter loads private modules by name; their classes are published."""
    found = _fresh(
        "import json, sys; from microstructure.io import make_converter; make_converter(); "
        "print(json.dumps([sys.modules['microstructure.scheduling._model'].NetworkSchedule"
        ".__module__, sys.modules['microstructure.records._model'].Patient.__module__]))"
    )
    assert found == ["microstructure.scheduling", "microstructure.records"]

"""Every ``>>>`` example in the package's docstrings runs and gives what it shows."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import microstructure

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(microstructure.__path__, prefix="microstructure.")
    if not info.name.endswith("__main__")
)


def _key(test: doctest.DocTest) -> tuple[str | None, object]:
    return (test.filename, test.lineno) if test.lineno is not None else (test.filename, test.name)


def _collect() -> list[doctest.DocTest]:
    """Every docstring example of the package, methods of re-exported classes included.

    Public packages re-export classes and rewrite their ``__module__``, which hides their
    methods from ``doctest.testmod``; so examples are found object by object, in the
    module that defines them, and keyed by file and line to run each once.
    """
    finder = doctest.DocTestFinder()
    found: dict[tuple[str | None, object], doctest.DocTest] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        # names a package loads on first use (PEP 562) are part of its examples' globals
        globs = {**vars(module), **{n: getattr(module, n) for n in getattr(module, "__all__", ())}}
        for test in finder.find(module, name, globs=globs):
            if test.examples:
                found.setdefault(_key(test), test)
        for obj_name in getattr(module, "__all__", ()):
            obj = getattr(module, obj_name)
            if getattr(obj, "__module__", None) not in {name, module.__name__} and not (
                inspect.isclass(obj) and inspect.getsourcefile(obj) == module.__file__
            ):
                continue
            for test in finder.find(obj, f"{name}.{obj_name}", module=False, globs=globs):
                if test.examples:
                    found.setdefault(_key(test), test)
    return sorted(found.values(), key=lambda t: (t.filename or "", t.lineno or 0))


DOCTESTS = _collect()


@pytest.mark.parametrize("test", DOCTESTS, ids=[t.name for t in DOCTESTS])
def test_docstring_example(test):
    """The docstring example runs and prints what it shows."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{test.name} at {test.filename}:{test.lineno}"


def test_examples_were_found():
    """The collector finds the examples of methods of re-exported classes."""
    names = {t.name for t in DOCTESTS}
    assert len(DOCTESTS) > 100
    assert any(n.endswith("FindingKind.at") for n in names)


def test_every_public_name_is_documented():
    """Every name in a public ``__all__`` has a docstring (data constants excepted)."""
    missing = []
    for name in ["microstructure", *MODULES]:
        if any(part.startswith("_") for part in name.split(".")[1:]):
            continue
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            obj = getattr(module, public)
            if callable(obj) and not (obj.__doc__ or "").strip():
                missing.append(f"{name}.{public}")
    assert missing == []

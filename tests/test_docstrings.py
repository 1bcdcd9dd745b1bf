"""Every ``>>>`` example in the package's docstrings runs and gives what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import microstructure

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(microstructure.__path__, prefix="microstructure.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    """The module's docstring examples pass."""
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0


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


@pytest.mark.parametrize(
    "name",
    [
        "microstructure",
        *(m for m in MODULES if not any(p.startswith("_") for p in m.split(".")[1:])),
    ],
)
def test_all_is_sorted_and_complete(name):
    """``__all__`` is sorted and names only attributes that exist."""
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", ()))
    assert exported == sorted(exported)
    assert [n for n in exported if not hasattr(module, n)] == []

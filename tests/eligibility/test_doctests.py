"""Every docstring example of the eligibility modules runs, methods of re-exported classes included.

The package re-exports its classes under ``microstructure.eligibility``, which hides their
methods from ``doctest.testmod`` of the private modules; this test finds them itself.
"""

import doctest
import importlib
import pkgutil

import pytest

import microstructure.eligibility

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(
        microstructure.eligibility.__path__, prefix="microstructure.eligibility."
    )
)


def _own_objects(module):
    """The names a private module defines, as its ``__all__`` lists them."""
    for name in module.__all__:
        yield name, getattr(module, name)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_of_every_method(name):
    """The examples in the module's functions, classes and methods all pass."""
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    seen = set()
    for obj_name, obj in _own_objects(module):
        for test in finder.find(obj, obj_name, module=False, globs=dict(vars(module))):
            if test.examples and test.name not in seen:
                seen.add(test.name)
                runner.run(test)
    assert runner.summarize(verbose=False).failed == 0

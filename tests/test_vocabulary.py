"""One vocabulary across subpackages: exports, module paths, overrides, ids, filters."""

import importlib
import inspect
import pkgutil
import re
import types
from typing import Any

import attrs
import pendulum
import pytest

import microstructure
from microstructure.eligibility import (
    Policy,
    Situation,
    check_policy,
    default_policies,
    default_policy,
    load_policy,
)
from microstructure.errors import FieldError, MicrostructureError, NotFoundError, finding_catalogue
from microstructure.examples import example_national, example_network
from microstructure.programs import Program, program, programs
from microstructure.scheduling import HeldSession, conflicts, conformity, example_schedule, expand
from microstructure.teams import check

PUBLIC_MODULES = [
    "microstructure",
    *sorted(
        info.name
        for info in pkgutil.walk_packages(microstructure.__path__, prefix="microstructure.")
        if not any(part.startswith("_") for part in info.name.split(".")[1:])
    ),
]


def _isort_style(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions, each alphabetical."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_exactly_the_sorted_public_names(name):
    """`__all__` is sorted and lists every public name bound in the module, and no other."""
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", ()))
    assert exported == sorted(exported, key=_isort_style)
    bound = {
        key
        for key, value in vars(module).items()
        if not key.startswith("_")
        # a subpackage imported elsewhere becomes an attribute of its parent: not a stray
        and not (isinstance(value, types.ModuleType) and value.__name__ == f"{name}.{key}")
    }
    # Names a package loads on first use (PEP 562) are bound once used; they must resolve.
    lazy = {public for public in exported if public not in bound and hasattr(module, public)}
    assert sorted(bound - set(exported)) == []
    assert sorted(set(exported) - bound - lazy - {"__version__"}) == []


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_every_exported_name_resolves_and_is_documented(name):
    """Each name in `__all__` exists and each class or function has a docstring."""
    module = importlib.import_module(name)
    for public in getattr(module, "__all__", ()):
        obj = getattr(module, public)
        if inspect.isclass(obj) or inspect.isfunction(obj) or isinstance(obj, types.ModuleType):
            assert (obj.__doc__ or "").strip(), f"{name}.{public}"


def _public_classes() -> Any:
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", ()):
            obj = getattr(module, public)
            if inspect.isclass(obj) and obj.__module__.startswith("microstructure"):
                yield name, public, obj


def test_every_public_class_shows_its_public_module():
    """Every public class has the `__module__` of a public module that exports it.

    A class re-exported by several public modules keeps the one that owns it.
    """
    wrong = []
    for name, public, obj in _public_classes():
        home = obj.__module__
        if any(part.startswith("_") for part in home.split(".")) or public not in getattr(
            importlib.import_module(home), "__all__", ()
        ):
            wrong.append(f"{name}.{public} is {home}.{obj.__qualname__}")
    assert wrong == []


def test_shipped_programs_overrides_merge_everywhere():
    """`overrides=` merges over the shipped programs: the others stay, the same id is replaced."""
    ours = attrs.evolve(program("equip-addict"), regions=("44",))
    assert programs(overrides=[ours])["equip-addict"] is ours
    assert set(programs(overrides=[ours])) == set(programs())
    assert program("equip-addict", overrides=[ours]) is ours
    assert program("droit-commun", overrides=[ours]) == program("droit-commun")
    assert program("equip-addict", overrides={"equip-addict": ours}) is ours


def test_overrides_are_keyword_only():
    """`overrides` cannot be passed by position anywhere."""
    ours = program("equip-addict")
    for call in (
        lambda: programs([ours]),  # type: ignore[call-arg]
        lambda: program("equip-addict", [ours]),  # type: ignore[call-arg]
        lambda: default_policy("equip-addict", [default_policy("equip-addict")]),  # type: ignore[call-arg]
        lambda: default_policies([]),  # type: ignore[call-arg]
        lambda: check(example_network(), None, [ours]),  # type: ignore[call-arg]
    ):
        with pytest.raises(TypeError):
            call()


def test_policy_overrides_merge():
    """`default_policy` and `default_policies` merge ``overrides`` over the shipped policies."""
    ours = load_policy(
        {
            "program": "equip-addict",
            "name": "Adults",
            "name_fr": "Adultes",
            "criterion": {"type": "age-between", "minimum": 18},
        }
    )
    assert default_policy("equip-addict", overrides=[ours]) is ours
    assert default_policy("sante-mentale", overrides=[ours]) == default_policy("sante-mentale")
    merged = default_policies(overrides=[ours])
    assert merged["equip-addict"] is ours
    assert sorted(merged) == sorted(default_policies())


def test_check_and_conformity_take_overrides():
    """`check` and `conformity` take the same keyword ``overrides`` and use it."""
    closed = attrs.evolve(program("equip-addict"), regions=("11",))
    day = pendulum.date(2022, 6, 1)
    assert check(example_network(), on=day, overrides=[closed]) != check(example_network(), on=day)
    may = (pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))
    report = conformity([], example_national(), *may, overrides=[closed])
    assert report.months


def test_override_that_is_not_a_program_is_a_validation_error():
    """A wrong object among the overrides is reported as a MicrostructureError."""
    with pytest.raises(MicrostructureError):
        programs(overrides=["equip-addict"])  # type: ignore[list-item]


BAD_IDS = ["  !! ", "", "-x", "a b", "é", "x" * 65]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_program_id_follows_the_identifier_rule(bad):
    """`Program(id=...)` applies the one identifier rule, as teams and schedules do."""
    with pytest.raises(FieldError) as caught:
        Program(id=bad, name="x", name_fr="x")
    assert caught.value.errors[0].path == "$.id"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_policy_program_follows_the_identifier_rule(bad):
    """A policy's program id applies the one identifier rule."""
    with pytest.raises(MicrostructureError):
        Policy(
            program=bad,
            name="x",
            name_fr="x",
            criterion=load_policy(
                {"program": "x", "name": "x", "name_fr": "x", "criterion": {"type": "substance"}}
            ).criterion,
        )


def test_unknown_filters_raise_not_found_everywhere():
    """An unknown microstructure, site or professional filter raises NotFoundError."""
    national = example_national()
    may = (pendulum.date(2026, 5, 1), pendulum.date(2026, 5, 31))
    with pytest.raises(NotFoundError):
        conformity([], national, *may, microstructure="ms-typo")
    for key in ("microstructure", "site", "professional"):
        with pytest.raises(NotFoundError):
            expand(example_schedule(), national, *may, **{key: "typo"})  # type: ignore[arg-type]


def test_situation_code_uses_the_identifier_rule():
    """A situation code follows the same identifier rule as every other id."""
    assert Situation(code="K7PQ-2M").code == "K7PQ-2M"
    with pytest.raises(MicrostructureError):
        Situation(code="  !! ")


_JSONPATH = re.compile(r"^\$(\.[A-Za-z_][\w-]*|\[\d+\])*$")


def test_findings_have_jsonpath_paths_and_one_order_everywhere():
    """Findings of teams, conflicts, conformity and policy checks: JSONPath, sorted tuples."""
    national = example_national()
    year = (pendulum.date(2026, 1, 1), pendulum.date(2026, 12, 31))
    plan = expand(example_schedule(), national, *year)
    held = [HeldSession.planned(o) for o in plan if o.start.day != 11]
    broken = attrs.evolve(
        national.networks[0],
        microstructures=(
            attrs.evolve(
                national.networks[0].microstructures[0],
                members=(national.networks[0].microstructures[0].members[0],),
            ),
        ),
    )
    policy = load_policy(
        {
            "program": "equip-addict",
            "name": "x",
            "name_fr": "x",
            "criterion": {"type": "all", "of": [{"type": "substance"}, {"type": "substance"}]},
        }
    )
    results = {
        "check": check(broken, on=pendulum.date(2026, 6, 1)),
        "conflicts": conflicts(plan, buffer=pendulum.duration(hours=3)),
        "conformity": conformity(held, national, *year).findings,
        "check_policy": check_policy(policy),
    }
    for name, findings in results.items():
        assert isinstance(findings, tuple), name
        assert findings, name
        assert list(findings) == sorted(findings, key=lambda f: f.sort_key), name
        assert [f.path for f in findings if not _JSONPATH.match(f.path)] == [], name


def test_list_indices_sort_as_numbers():
    """`$.a[2]` sorts before `$.a[10]` among findings of the same severity."""
    kind = finding_catalogue()["MS-TEAM-001"]
    ten, two = kind.at("$.microstructures[10]", "x"), kind.at("$.microstructures[2]", "x")
    assert sorted([ten, two], key=lambda f: f.sort_key) == [two, ten]

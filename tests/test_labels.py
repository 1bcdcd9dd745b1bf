"""The one mechanism that gives enums their English and French labels (`_labels`)."""

import enum
import importlib
import json
import pkgutil
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

import microstructure
from microstructure import _labels
from microstructure._labels import Labelled, labels
from microstructure.eligibility import taxonomy
from microstructure.errors import ConfigurationError
from microstructure.vocabulary import Role

PUBLIC_PACKAGES = sorted(
    info.name
    for info in pkgutil.iter_modules(microstructure.__path__, prefix="microstructure.")
    if info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_")
)


def _public_enums() -> dict[str, type[enum.Enum]]:
    """Every enum a public subpackage exports, by its public name."""
    found: dict[str, type[enum.Enum]] = {}
    for name in PUBLIC_PACKAGES:
        package = importlib.import_module(name)
        for attr in getattr(package, "__all__", ()):
            obj = getattr(package, attr)
            if isinstance(obj, type) and issubclass(obj, enum.Enum):
                found.setdefault(f"{name}.{attr}", obj)
    return found


PUBLIC_ENUMS = _public_enums()
LABELLED = {name: cls for name, cls in PUBLIC_ENUMS.items() if issubclass(cls, Labelled)}
TAXONOMY_ENUMS = {"Indication", "Substance", "Behaviour", "Family", "FollowUp"}


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        found |= {sub} | _all_subclasses(sub)
    return found


class Colour(Labelled):
    """A throwaway labelled enum for the tests."""

    RED = "red"
    GREEN = "green"


class Other(Labelled):
    """A second throwaway enum whose member looks like a `Colour` member."""

    RED = "red"


labels(Colour, {Colour.RED: ("red", "rouge"), Colour.GREEN: ("green", "vert")})
labels(Other, {Other.RED: ("red", "rouge")})


def test_labels_come_from_the_table_and_members_stay_plain_codes():
    """A registered enum reads its labels from its table; members are still str codes."""
    assert [(c.label, c.label_fr) for c in Colour] == [("red", "rouge"), ("green", "vert")]
    assert Colour("green") is Colour.GREEN
    assert Colour.GREEN.value == "green"
    assert isinstance(Colour.GREEN, str)
    assert str(Colour.GREEN) == "green"
    assert json.dumps([Colour.GREEN]) == '["green"]'


def test_a_member_without_labels_is_refused_at_definition():
    """Leaving a member out of the table raises, naming the member."""

    class Partial(Labelled):
        ONE = "one"
        TWO = "two"

    with pytest.raises(ConfigurationError, match=r"labels of .*Partial: no labels for TWO"):
        labels(Partial, {Partial.ONE: ("one", "un")})
    with pytest.raises(ConfigurationError, match="Partial has no labels"):
        _ = Partial.ONE.label


def test_an_entry_that_is_not_a_member_is_refused():
    """A member of another enum is refused, even one equal to a member (same name and code)."""

    class Shade(Labelled):
        RED = "red"

    foreign: Any = Other.RED
    # same code and name, so equal and of equal hash: a test by key alone would let it in
    assert (foreign, hash(foreign)) == (Shade.RED, hash(Shade.RED))
    with pytest.raises(ConfigurationError, match=r"labels for <Other.RED: 'red'>, not members"):
        labels(Shade, {foreign: ("red", "rouge")})
    with pytest.raises(ConfigurationError, match="'blue', not members"):
        labels(Shade, {Shade.RED: ("red", "rouge"), cast("Shade", "blue"): ("blue", "bleu")})


@pytest.mark.parametrize("pair", [("", "rouge"), ("red", " ")])
def test_an_empty_label_is_refused(pair):
    """Both labels must be non-empty."""

    class Blank(Labelled):
        RED = "red"

    with pytest.raises(ConfigurationError, match="expected non-empty English and French"):
        labels(Blank, {Blank.RED: pair})


def test_a_second_table_is_refused():
    """An enum has exactly one table: registering again raises and keeps the first."""
    with pytest.raises(ConfigurationError, match="labels already registered"):
        labels(Colour, {Colour.RED: ("scarlet", "écarlate"), Colour.GREEN: ("g", "v")})
    assert Colour.RED.label == "red"


@given(
    members=st.sets(st.sampled_from("ABCDEFGH"), min_size=1),
    given_labels=st.sets(st.sampled_from("ABCDEFGH")),
)
def test_registration_succeeds_exactly_when_the_table_covers_the_members(members, given_labels):
    """Whatever the members and the entries, labels() accepts exactly a complete table."""
    functional_api: Any = Labelled  # Labelled("Dynamic", names) makes a subclass
    dynamic: type[Labelled] = functional_api("Dynamic", sorted(members))
    table: dict[Any, tuple[str, str]] = {
        getattr(dynamic, m, m): (m, m.lower()) for m in given_labels
    }
    if given_labels == members:
        labels(dynamic, table)
        assert {m.name: (m.label, m.label_fr) for m in dynamic} == {
            m: (m, m.lower()) for m in members
        }
    else:
        with pytest.raises(ConfigurationError, match="labels of Dynamic"):
            labels(dynamic, table)


def test_every_labelled_enum_of_the_package_is_public_and_walked():
    """Each enum built on `Labelled` in the package is exported, so the walk below sees it."""
    package_enums = {
        cls
        for cls in _all_subclasses(Labelled)
        if cls.__module__.startswith("microstructure.") and not cls.__name__.startswith("_")
    }
    assert package_enums == set(LABELLED.values())
    assert len(package_enums) == 17  # the 12 with a table and the 5 taxonomy enums


def test_every_public_enum_with_labels_uses_the_one_mechanism():
    """No public enum has its own `label`/`label_fr`: those with labels are `Labelled`."""
    own = [
        name
        for name, cls in PUBLIC_ENUMS.items()
        if not issubclass(cls, Labelled) and any(hasattr(m, "label_fr") for m in cls)
    ]
    assert own == []
    for cls in LABELLED.values():
        assert "label" not in vars(cls)
        assert "label_fr" not in vars(cls)


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_labels_are_what_the_table_says_for_every_member(name):
    """Every member of every labelled enum has non-empty labels, those of its source."""
    cls = LABELLED[name]
    assert list(cls)
    for member in cls:
        assert member.label.strip()
        assert member.label_fr.strip()
        if cls.__name__ in TAXONOMY_ENUMS:
            entry = taxonomy().label(member)
            expected = (entry.label, entry.label_fr)
        else:
            expected = _labels._TABLES[cls][member]
        assert (member.label, member.label_fr) == expected


def test_labels_are_unchanged_for_a_known_member_of_each_kind():
    """Spot checks against values written by hand (table-backed and data-backed)."""
    from microstructure.eligibility import Indication, Outcome
    from microstructure.evaluation import Mask, Unit
    from microstructure.records import ExitReason, RcpOutcome
    from microstructure.teams import SiteKind
    from microstructure.vocabulary import Sex

    assert Role("gp").label == "general practitioner"
    assert (Sex.UNKNOWN.label, Sex.UNKNOWN.label_fr) == ("unknown", "inconnu")
    assert Outcome.TO_REVIEW.label_fr == "à examiner en RCP"
    assert Unit.EUROS.label == "€"
    assert Mask.DERIVED.label == "derived from a masked count"
    assert (ExitReason.OTHER.label_fr, RcpOutcome.OTHER.label_fr) == ("autre", "autre")
    assert SiteKind.CABINET.label_fr == "cabinet médical"
    assert Indication.PRECARITY.label_fr == "grande précarité"

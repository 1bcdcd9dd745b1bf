"""The taxonomy shipped as data: every code has English and French labels."""

import pytest

from microstructure._data import list_data, load_data
from microstructure.eligibility import (
    Behaviour,
    Family,
    FollowUp,
    Indication,
    Substance,
    is_situation_code,
    situation_kind,
    taxonomy,
)
from microstructure.errors import NotFoundError


@pytest.mark.parametrize("enum_cls", [Indication, Substance, Behaviour, Family, FollowUp])
def test_every_code_has_labels(enum_cls):
    """Every member has a non-empty English and French label."""
    for member in enum_cls:
        assert member.label
        assert member.label_fr


def test_the_issue_lists_are_complete():
    """Three indications, nine substances, three behaviours, four families."""
    assert [m.value for m in Indication] == ["addiction", "precarity", "mental-health"]
    assert len(Substance) == 9
    assert [m.value for m in Behaviour] == ["gambling", "screens", "other"]
    assert [m.value for m in Family] == ["somatic", "psychiatric", "psychological", "environmental"]


def test_situations_cover_the_four_families_and_the_seed_examples():
    """Each family has situations; the seed's examples are there in the right family."""
    for family in Family:
        assert taxonomy().in_family(family)
    for code in ("family-conflict", "lockdown-effects", "violence", "bereavement", "isolation"):
        assert Family.ENVIRONMENTAL is situation_kind(code).family
    assert situation_kind("income-loss").precarity


def test_situation_codes():
    """Network codes start with 'x-'; other unknown codes are refused."""
    assert is_situation_code("x-harm-at-work")
    assert not is_situation_code("x-")
    assert not is_situation_code("X-Upper")
    with pytest.raises(NotFoundError, match="situation"):
        situation_kind("x-harm-at-work")


def test_follow_up_domains():
    """Each follow-up scheme cares for addiction or mental health."""
    assert {Indication.ADDICTION, Indication.MENTAL_HEALTH} == {f.domain for f in FollowUp}


@pytest.mark.parametrize("folder", ["eligibility", "eligibility/policies", "instruments"])
def test_every_eligibility_data_file_loads(folder):
    """Every shipped eligibility data file parses."""
    names = list_data(folder)
    assert names
    for name in names:
        assert load_data(name)

"""CareFile: strict refusal leaves the file unchanged, lenient mode keeps findings, corrections."""

import attrs
import pendulum
import pytest
from tests.records import helpers as h

from microstructure.errors import MicrostructureError, ValidationError
from microstructure.examples import example_national
from microstructure.records import CareFile, Consultation, Episode, LifecycleError

TEAMS = example_national()


def _strict_file() -> CareFile:
    care = CareFile(TEAMS)
    for event in h.pathway()[:5]:  # patient … consultation, in time order
        care.add(event)
    return care


def test_events_added_in_pathway_order_are_accepted():
    """A valid pathway added one event at a time in time order is accepted."""
    care = CareFile(TEAMS)
    for event in h.pathway():
        assert care.add(event) == ()
    assert len(care) == 7
    assert care.episodes(h.CODE) == (
        Episode("inc-a", "ms-neudorf", "droit-commun", h.day(1, 12), h.day(6, 1)),
    )


def test_a_rule_breaking_event_is_refused_and_the_file_is_unchanged():
    """Strict mode raises a LifecycleError naming the code, and changes nothing."""
    care = _strict_file()
    before = (care.events, care.findings)
    late = h.consultation(id="c-late", start=pendulum.datetime(2026, 1, 2, 9, tz="Europe/Paris"))
    with pytest.raises(LifecycleError) as caught:
        care.add(late)
    assert [f.code for f in caught.value.findings] == ["MS-REC-001"]
    assert isinstance(caught.value, ValidationError)
    assert caught.value.errors[0].path == '$["c-late"].start'
    assert (care.events, care.findings) == before
    assert "c-late" not in care


def test_extend_refuses_all_or_nothing():
    """A batch with one bad event adds none of them."""
    care = _strict_file()
    with pytest.raises(LifecycleError):
        care.extend([h.exit_(), h.exit_(id="x-2", date=h.day(6, 10))])
    assert "x-a" not in care


def test_lenient_mode_keeps_the_event_and_the_finding():
    """With strict=False the event is kept and its finding listed."""
    care = CareFile(TEAMS, h.pathway()[:4], strict=False)
    found = care.add(h.exit_(id="x-2", date=h.day(1, 10)))
    assert [f.code for f in found] == ["MS-REC-013"]
    assert "x-2" in care
    assert [f.code for f in care.findings] == ["MS-REC-013"]


def test_a_later_recorded_at_corrects_an_event():
    """A correction replaces the event by id; a fix can clear a finding."""
    care = CareFile(TEAMS, h.pathway(), strict=False)
    wrong = h.consultation(professional="ts-strasbourg")
    care.add(attrs.evolve(wrong, recorded_at=h.STAMP.add(days=1)))
    assert [f.code for f in care.findings] == ["MS-REC-006"]
    care.add(attrs.evolve(wrong, professional="psy-strasbourg", recorded_at=h.STAMP.add(days=2)))
    assert care.findings == ()
    corrected = care.get("c-a")
    assert isinstance(corrected, Consultation)
    assert corrected.professional == "psy-strasbourg"


def test_an_older_version_or_a_repeat_changes_nothing():
    """An event sent twice, or an older version, is ignored."""
    care = CareFile(TEAMS, h.pathway())
    assert care.add(h.consultation()) == ()
    assert care.add(h.consultation(mode="phone", recorded_at=h.STAMP.subtract(days=1))) == ()
    kept = care.get("c-a")
    assert isinstance(kept, Consultation)
    assert kept.mode.value == "on-site"


def test_a_conflicting_duplicate_is_refused_or_reported():
    """Same id and recorded_at with other content: refused (strict) or MS-REC-011."""
    care = CareFile(TEAMS, h.pathway())
    with pytest.raises(LifecycleError) as caught:
        care.add(h.consultation(mode="phone"))
    assert [f.code for f in caught.value.findings] == ["MS-REC-011"]
    lenient = CareFile(TEAMS, [*h.pathway(), h.consultation(mode="phone")], strict=False)
    assert [f.code for f in lenient.findings] == ["MS-REC-011"]


def test_removing_an_inclusion_by_correction_updates_rcp_cases():
    """When a correction moves the inclusion after the RCP, the RCP case is reported."""
    care = CareFile(TEAMS, h.pathway(), strict=False)
    care.add(h.inclusion(date=h.day(3, 1), recorded_at=h.STAMP.add(days=1)))
    codes = sorted(f.code for f in care.findings)
    assert codes == ["MS-REC-003", "MS-REC-004"]


def test_bad_teams_raise_a_library_error():
    """Only MicrostructureError escapes a constructor given bad records."""
    with pytest.raises(MicrostructureError):
        h.consultation(start=pendulum.naive(2026, 1, 19, 9))

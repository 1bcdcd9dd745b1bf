"""Data that callers cannot change: cached tables and frozen records are read-only."""

import datetime as dt
import types
from collections.abc import Callable

import attrs
import pendulum
import pytest

from microstructure import io
from microstructure.eligibility import (
    AllOf,
    Situation,
    UsesSubstance,
    default_policy,
    instrument,
    is_situation_code,
    taxonomy,
)
from microstructure.examples import example_national
from microstructure.programs import Activity, Program, program, programs
from microstructure.scheduling import TeamSchedule, Weekday, WeeklySession, example_schedule
from microstructure.teams import Microstructure, Network, Professional, Role, Site, SiteKind
from microstructure.territory import public_holidays

MUTATIONS = {
    "clear": lambda m: m.clear(),
    "setitem": lambda m: m.__setitem__(next(iter(m)), "x"),
    "delitem": lambda m: m.__delitem__(next(iter(m))),
    "pop": lambda m: m.pop(next(iter(m))),
    "update": lambda m: m.update({}),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_public_holidays_cannot_be_changed_by_a_caller(mutation):
    """Changing the holidays handed out fails, and later callers still see them all."""
    before = dict(public_holidays("75", [2026]))
    with pytest.raises((TypeError, AttributeError)):
        MUTATIONS[mutation](public_holidays("75", [2026]))
    assert before == dict(public_holidays("75", [2026]))
    assert dt.date(2026, 7, 14) in public_holidays("75", [2026])


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("table", ["labels", "situations", "follow_up_domain"])
def test_taxonomy_tables_cannot_be_changed(table, mutation):
    """The shared taxonomy's mappings refuse every mutation; codes stay known."""
    with pytest.raises((TypeError, AttributeError)):
        MUTATIONS[mutation](getattr(taxonomy(), table))
    assert is_situation_code("isolation")
    assert len(taxonomy().situations) > 20


def test_situation_extra_cannot_take_free_text():
    """A built situation's network fields cannot be changed, so no free text gets in."""
    s = Situation(extra={"visits": 2})
    with pytest.raises(TypeError):
        s.extra["note"] = "free text about the patient"  # type: ignore[index]
    assert dict(s.extra) == {"visits": 2}


def test_situation_scores_cannot_go_stale():
    """Answers and totals cannot change after scoring, so `score` stays right."""
    s = Situation(answers={"audit-c": [2, 1, 1]}, scores={"phq-9": 8})
    with pytest.raises(TypeError):
        s.answers["audit-c"] = (0, 0, 0)  # type: ignore[index]
    with pytest.raises(TypeError):
        s.scores["phq-9"] = 27  # type: ignore[index]
    with pytest.raises(AttributeError):
        s._results.clear()  # type: ignore[attr-defined]
    audit_c, phq_9 = s.score("audit-c"), s.score("phq-9")
    assert audit_c is not None
    assert phq_9 is not None
    assert audit_c.total == 4
    assert phq_9.total == 8


def test_situation_still_accepts_plain_dicts_and_round_trips():
    """Constructors take ordinary dicts and lists, and io round-trips the frozen copy."""
    s = Situation(
        code="K7",
        answers={"audit-c": [2, 1, 1]},
        scores={"epices": "30.17"},
        extra={"visits": 2, "site": "a1"},
    )
    data = io.to_data(s)
    assert data["answers"] == {"audit-c": [2, 1, 1]}
    assert data["extra"] == {"visits": 2, "site": "a1"}
    assert io.from_data(Situation, data) == s
    assert io.loads(Situation, io.dumps(s)) == s


def test_instrument_tables_are_read_only():
    """An instrument's private lookup tables refuse changes."""
    audit = instrument("audit")
    with pytest.raises(TypeError):
        audit._item_index["q1"] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        audit._tables[0][int, 0] = 40  # type: ignore[index]
    assert audit.score([0] * 10).total == 0


def test_programs_table_is_a_fresh_copy():
    """Clearing the table `programs` returns leaves the shipped programs intact."""
    programs().clear()
    assert program("equip-addict").id == "equip-addict"
    assert sorted(programs()) == ["droit-commun", "equip-addict", "sante-mentale"]


def _gp() -> Professional:
    return Professional(id="p1", role=Role.GENERAL_PRACTITIONER)


LIST_FIELDS = [
    (
        "Microstructure.members",
        lambda: Microstructure(
            id="ms",
            name="MS",
            site=Site(id="s", name="S", kind=SiteKind.MSP, department="67"),
            members=[_gp()],
        ),
        "members",
    ),
    (
        "Network.microstructures",
        lambda: Network(id="n", name="N", region="44", microstructures=[]),
        "microstructures",
    ),
    ("Program.regions", lambda: Program(id="p", name="P", name_fr="P", regions=["44"]), "regions"),
    ("AllOf.of", lambda: AllOf(of=[UsesSubstance()]), "of"),
    (
        "WeeklySession.professionals",
        lambda: WeeklySession(
            id="w",
            activity=Activity.RCP,
            weekday=Weekday.MONDAY,
            start_time=pendulum.time(9),
            duration=pendulum.duration(hours=1),
            valid_from=pendulum.date(2026, 1, 1),
            professionals=["p1"],
        ),
        "professionals",
    ),
    ("TeamSchedule.rules", lambda: TeamSchedule(microstructure="ms", rules=[]), "rules"),
]


@pytest.mark.parametrize(("name", "build", "field"), LIST_FIELDS, ids=[n for n, *_ in LIST_FIELDS])
def test_frozen_records_turn_lists_into_tuples(name, build, field):
    """A list given to a frozen record is kept as a tuple, which cannot be appended to."""
    value = getattr(build(), field)
    assert isinstance(value, tuple), name
    with pytest.raises(AttributeError):
        value.append(None)  # type: ignore[attr-defined]


SHARED: dict[str, Callable[[], object]] = {
    "example_national": example_national,
    "example_schedule": example_schedule,
    "taxonomy": taxonomy,
    "instrument": lambda: instrument("epices"),
    "program": lambda: program("sante-mentale"),
    "default_policy": lambda: default_policy("equip-addict"),
    "public_holidays": lambda: public_holidays("974", [2026]),
}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_cached_objects_are_immutable_all_the_way_down(name):
    """No list, dict or set is reachable from a cached, shared object."""
    seen: list[str] = []

    def walk(obj: object) -> None:
        if attrs.has(type(obj)):
            for field in attrs.fields(type(obj)):  # type: ignore[arg-type]
                walk(getattr(obj, field.name))
        elif isinstance(obj, tuple | frozenset):
            for item in obj:
                walk(item)
        elif isinstance(obj, types.MappingProxyType):
            for key, item in obj.items():
                walk(key)
                walk(item)
        elif isinstance(obj, list | dict | set):
            seen.append(type(obj).__name__)

    walk(SHARED[name]())
    assert seen == []


def test_activity_labels_are_read_only_and_match_the_enum():
    """`ACTIVITY_LABELS` refuses changes and gives the labels each `Activity` carries."""
    from microstructure.scheduling import ACTIVITY_LABELS

    with pytest.raises(TypeError):
        ACTIVITY_LABELS[Activity.RCP] = ("x", "y")  # type: ignore[index]
    assert {a: (a.label, a.label_fr) for a in Activity} == dict(ACTIVITY_LABELS)
    assert Activity.RCP.label_fr == "Réunion de concertation (RCP)"


def test_shipped_data_is_loaded_through_io(monkeypatch):
    """Every shipped program, instrument, taxonomy and territory file goes through `io.from_data`."""
    from microstructure import _data

    seen = []
    real = _data.from_data  # type: ignore[attr-defined]

    def spy(cl, data):
        seen.append(cl.__name__)
        return real(cl, data)

    monkeypatch.setattr(_data, "from_data", spy)
    _data.load_shipped(Program, "programs/equip_addict.toml")
    assert seen == ["Program"]

"""Regions, departments, time zones and holiday subdivisions."""

import datetime as dt
import zoneinfo

import holidays
import pytest

from microstructure import NotFoundError
from microstructure.territory import department, departments, public_holidays, region, regions


def test_counts_match_insee():
    """France has 18 regions (13 metropolitan, 5 overseas) and 101 departments."""
    assert len(regions()) == 18
    assert sum(r.overseas for r in regions()) == 5
    assert len(departments()) == 101
    assert len({d.code for d in departments()}) == 101


def test_every_department_belongs_to_a_region():
    """Every department names an existing region, and every region has a department."""
    codes = {r.code for r in regions()}
    assert {d.region for d in departments()} == codes
    assert sum(len(r.departments) for r in regions()) == 101


def test_zones_are_real_iana_zones():
    """Every time zone is known to the system's IANA database."""
    for d in departments():
        assert zoneinfo.ZoneInfo(d.timezone).key == d.timezone


@pytest.mark.parametrize(
    ("code", "zone", "subdivision"),
    [
        ("67", "Europe/Paris", "6AE"),
        ("68", "Europe/Paris", "6AE"),
        ("57", "Europe/Paris", "57"),
        ("75", "Europe/Paris", None),
        ("2A", "Europe/Paris", None),
        ("971", "America/Guadeloupe", "971"),
        ("972", "America/Martinique", "972"),
        ("973", "America/Cayenne", "973"),
        ("974", "Indian/Reunion", "974"),
        ("976", "Indian/Mayotte", "976"),
    ],
)
def test_zone_and_subdivision(code, zone, subdivision):
    """Alsace maps to 6AE, Moselle to 57, overseas to their own code and zone."""
    d = department(code)
    assert (d.timezone, d.holidays_subdivision) == (zone, subdivision)


def test_subdivisions_are_known_to_holidays():
    """Every subdivision we name is one the holidays package accepts."""
    known = set(holidays.country_holidays("FR").subdivisions)
    assert {d.holidays_subdivision for d in departments()} - {None} <= known


@pytest.mark.parametrize("text", ["2a", " 67 ", "1"])
def test_codes_are_normalised(text):
    """Case, spaces and a missing leading zero are tolerated."""
    assert department(text).code == text.strip().upper().zfill(2)


@pytest.mark.parametrize("code", ["99", "20", "", "975"])
def test_unknown_department_is_a_clear_error(code):
    """An unknown code raises NotFoundError naming the code and what is expected."""
    with pytest.raises(NotFoundError) as exc_info:
        department(code)
    assert repr(code) in str(exc_info.value)
    assert "INSEE department code" in str(exc_info.value)
    assert isinstance(exc_info.value, LookupError)


def test_unknown_region_is_a_clear_error():
    """An unknown region code raises NotFoundError."""
    with pytest.raises(NotFoundError, match="unknown region '05'"):
        region("05")


def test_alsace_moselle_holidays():
    """Good Friday and 26 December are holidays in 67, 68 and 57 but not in Paris (2026)."""
    good_friday, st_stephen = dt.date(2026, 4, 3), dt.date(2026, 12, 26)
    for code in ("67", "68", "57"):
        days = public_holidays(code, [2026])
        assert good_friday in days
        assert st_stephen in days
    paris = public_holidays("75", [2026])
    assert good_friday not in paris
    assert st_stephen not in paris
    assert dt.date(2026, 5, 14) in paris  # Ascension


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("971", dt.date(2026, 5, 27)),  # Guadeloupe, abolition of slavery
        ("972", dt.date(2026, 5, 22)),  # Martinique
        ("973", dt.date(2026, 6, 10)),  # Guyane
        ("974", dt.date(2026, 12, 20)),  # La Réunion
        ("976", dt.date(2026, 4, 27)),  # Mayotte
    ],
)
def test_overseas_abolition_days(code, day):
    """Each overseas department has its own abolition-of-slavery day, absent in Paris."""
    assert day in public_holidays(code, [2026])
    assert day not in public_holidays("75", [2026])

"""The shared converter: strictness, error paths, redaction and exact round trips."""

import datetime as dt
import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies
from tests.samples import FOUR_MISTAKE_PATHS, network_with_four_mistakes

from microstructure import ValidationError
from microstructure._validators import fail
from microstructure.examples import example_national
from microstructure.io import PERSONAL, dumps, from_data, loads, make_converter, to_data
from microstructure.programs import Program, RoleRequirement
from microstructure.teams import (
    Microstructure,
    NationalCoordination,
    Network,
    Professional,
    ProgramMembership,
    Role,
    Site,
)


def _paths(exc_info: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in exc_info.value.errors]


@given(strategies.nationals)
def test_national_round_trips_exactly(national):
    """Any national file survives to_data → JSON text → from_data unchanged."""
    assert from_data(NationalCoordination, json.loads(json.dumps(to_data(national)))) == national


@given(strategies.programs())
def test_program_round_trips_exactly(program):
    """Any program definition survives dumps → loads unchanged."""
    assert loads(Program, dumps(program)) == program


@given(strategies.microstructures)
def test_microstructure_round_trips_exactly(ms):
    """Any microstructure survives dumps → loads unchanged."""
    assert loads(Microstructure, dumps(ms)) == ms


@pytest.mark.parametrize(
    ("value", "expected_message"),
    [
        (3, "expected a string, not an integer"),
        (None, "expected a string, not null"),
        (["gp-1"], "expected a string, not an array"),
    ],
)
def test_strings_are_not_coerced(value, expected_message):
    """A non-string where a string is expected is an error, never str(value)."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(Professional, {"id": value, "role": "gp"})
    assert _paths(exc_info) == [("$.id", expected_message)]
    assert exc_info.value.errors[0].value == value


@pytest.mark.parametrize("value", ["3", 3.0, True])
def test_integers_are_not_coerced(value):
    """The string "3", the float 3.0 and true are not integers for the converter."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(RoleRequirement, {"role": "gp", "minimum": value})
    assert exc_info.value.errors[0].path == "$.minimum"
    assert exc_info.value.errors[0].message.startswith("expected an integer")


def test_every_problem_is_listed_with_its_path():
    """A network file with a wrong role, a bad date, an extra key and no GP gives one error listing all four."""
    data = network_with_four_mistakes()
    with pytest.raises(ValidationError) as exc_info:
        from_data(Network, data)
    assert [e.path for e in exc_info.value.errors] == FOUR_MISTAKE_PATHS
    text = str(exc_info.value)
    assert text.startswith("invalid Network: 4 problems")
    assert "'nurse'" in text
    assert "unexpected key @ $.microstructures[0].colour" in text
    assert "at least one member with role 'gp'" in text


def test_missing_keys_are_reported():
    """Required keys that are absent are reported by name."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(Site, {"id": "s"})
    assert _paths(exc_info) == [
        ("$.name", "required key is missing"),
        ("$.kind", "required key is missing"),
        ("$.department", "required key is missing"),
    ]


def test_wrong_container_is_reported():
    """A list where an object is expected is an error at that path."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(Network, {"id": "n", "name": "N", "region": "44", "microstructures": [[1]]})
    assert exc_info.value.errors[0].path == "$.microstructures[0]"
    assert "an object (Microstructure)" in exc_info.value.errors[0].message


@attrs.frozen
class _Patientish:
    code: str
    birth_name: str = attrs.field(metadata={PERSONAL: True})

    @birth_name.validator
    def _check(self, attribute, value):
        if not value.isalpha():
            fail(attribute, value, "letters")


def test_personal_values_are_redacted():
    """Values of fields marked personal never appear in errors, whatever the failure."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(_Patientish, {"code": "A", "birth_name": 12345})
    assert exc_info.value.errors[0].redacted
    assert "12345" not in str(exc_info.value)
    with pytest.raises(ValidationError) as exc_info:
        from_data(_Patientish, {"code": "A", "birth_name": "Dupont 1"})
    assert exc_info.value.errors[0].path == "$.birth_name"
    assert "Dupont" not in str(exc_info.value)
    assert "Dupont" not in repr(exc_info.value.errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-29", pendulum.date(2026, 3, 29)),
        ("2024-02-29", pendulum.date(2024, 2, 29)),
    ],
)
def test_dates_parse_iso(text, expected):
    """ISO dates become pendulum dates."""
    membership = from_data(ProgramMembership, {"program": "p", "valid_from": text})
    assert membership.valid_from == expected
    assert isinstance(membership.valid_from, pendulum.Date)


@pytest.mark.parametrize("text", ["2023-02-29", "29/02/2024", "2024-13-01", 20240101])
def test_bad_dates_are_rejected(text):
    """Impossible or non-ISO dates are errors at their path."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(ProgramMembership, {"program": "p", "valid_from": text})
    assert exc_info.value.errors[0].path == "$.valid_from"


def test_end_before_start_is_located():
    """A validator that compares two fields reports the later one."""
    with pytest.raises(ValidationError) as exc_info:
        from_data(
            ProgramMembership,
            {"program": "p", "valid_from": "2024-01-02", "valid_until": "2024-01-01"},
        )
    assert exc_info.value.errors[0].path == "$.valid_until"
    assert "on or after valid_from (2024-01-02)" in exc_info.value.errors[0].message


@attrs.frozen
class _Times:
    at: pendulum.DateTime
    local: pendulum.Time
    length: pendulum.Duration
    zone: pendulum.Timezone


@given(
    st.datetimes(
        min_value=dt.datetime(1990, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=dt.datetime(2040, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from(
            [pendulum.timezone(z) for z in ("Europe/Paris", "Indian/Reunion", "America/Cayenne")]
        ),
    ),
    st.times(),
    st.integers(min_value=0, max_value=10 * 86_400),
)
def test_pendulum_values_round_trip(moment, local, seconds):
    """Aware date-times, times, durations and zones survive a round trip."""
    value = _Times(
        at=pendulum.instance(moment),
        local=pendulum.Time(local.hour, local.minute, local.second, local.microsecond),
        length=pendulum.duration(seconds=seconds),
        zone=pendulum.timezone("Indian/Reunion"),
    )
    back = loads(_Times, dumps(value))
    # Same instant and same offset (inter-zone == is False in a DST fold, by PEP 495).
    assert back.at.timestamp() == value.at.timestamp()
    assert back.at.utcoffset() == value.at.utcoffset()
    assert back.local == value.local
    assert back.length.total_seconds() == value.length.total_seconds()
    assert back.zone.name == "Indian/Reunion"


def test_naive_datetime_and_unknown_zone_are_rejected():
    """A date-time without offset and an unknown zone name are errors."""
    data = {
        "at": "2026-03-29T09:00:00",
        "local": "09:00",
        "length": "PT45M",
        "zone": "Mars/Olympus",
    }
    with pytest.raises(ValidationError) as exc_info:
        from_data(_Times, data)
    assert [e.path for e in exc_info.value.errors] == ["$.at", "$.zone"]


def test_duration_text_is_iso_8601():
    """Durations are written in ISO 8601 (PT1H30M), a form other tools read."""
    data = to_data(
        _Times(
            at=pendulum.datetime(2026, 1, 1, tz="Europe/Paris"),
            local=pendulum.time(9, 0),
            length=pendulum.duration(hours=1, minutes=30),
            zone=pendulum.timezone("Europe/Paris"),
        )
    )
    assert data == {
        "at": "2026-01-01T00:00:00+01:00",
        "local": "09:00",
        "length": "PT1H30M",
        "zone": "Europe/Paris",
    }


def test_invalid_json_text_is_a_validation_error():
    """Text that is not JSON is reported at $ with its line and column."""
    with pytest.raises(ValidationError) as exc_info:
        loads(Network, '{"id": "n",\n "name": }')
    assert exc_info.value.errors[0].path == "$"
    assert "line 2, column 10" in exc_info.value.errors[0].message


def test_example_national_file_is_a_fixed_point():
    """The bundled example file is already in canonical form."""
    national = example_national()
    assert from_data(NationalCoordination, to_data(national)) == national
    assert to_data(national)["networks"][0]["microstructures"][0]["members"][0]["role"] == "gp"


def test_make_converter_gives_independent_converters():
    """make_converter returns a fresh, equally strict converter each time."""
    first, second = make_converter(), make_converter()
    assert first is not second
    assert first.unstructure(pendulum.date(2026, 5, 14)) == "2026-05-14"
    assert first.structure("psychologist", Role) is Role.PSYCHOLOGIST


def test_enum_values_are_written_as_codes():
    """Enums are written as their stable lowercase codes."""
    value = to_data(Professional(id="x", role=Role.SOCIAL_WORKER))["role"]
    assert value == "social-worker"
    assert type(value) is str  # a plain string, not the StrEnum member
    assert type(to_data(Role.PSYCHOLOGIST)) is str

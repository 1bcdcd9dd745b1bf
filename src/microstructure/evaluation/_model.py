"""The vocabulary of indicators: units, levels, dimensions, populations, measures, periods.

An `Indicator` is data: a numerator and an optional denominator, each a `Measure` over one
`Population` of rows (the population table macros of the store), filtered by `Condition`s
on the population's known columns. Nothing here carries SQL: `_compile` turns these
validated values into SQL whose column names come from the table below and whose values
are bound as parameters.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple, read_only
from microstructure._labels import Labelled, labels
from microstructure._validators import identifier as _identifier
from microstructure.eligibility import Indication, Substance
from microstructure.errors import ErrorDetail, FieldError, ValidationError
from microstructure.records import ConsultationMode, ConsultationStatus, ExitReason
from microstructure.vocabulary import Role, Sex

__all__ = [
    "AgeBand",
    "Aggregate",
    "Condition",
    "Dimension",
    "Indicator",
    "Level",
    "Mask",
    "Measure",
    "Operator",
    "Population",
    "ReportingPeriod",
    "Text",
    "Unit",
]


class Unit(Labelled):
    """The unit of an indicator's value.

    Examples:
        >>> from microstructure.evaluation import Unit
        >>> Unit("per-patient").label_fr
        'par patient'
    """

    COUNT = "count"
    PERCENT = "percent"
    PER_PATIENT = "per-patient"
    PER_MEETING = "per-meeting"
    DAYS = "days"
    YEARS = "years"
    POINTS = "points"
    EUROS = "euros"
    RATIO = "ratio"


labels(
    Unit,
    {
        Unit.COUNT: ("count", "effectif"),
        Unit.PERCENT: ("%", "%"),
        Unit.PER_PATIENT: ("per patient", "par patient"),
        Unit.PER_MEETING: ("per meeting", "par réunion"),
        Unit.DAYS: ("days", "jours"),
        Unit.YEARS: ("years", "ans"),
        Unit.POINTS: ("points", "points"),
        Unit.EUROS: ("€", "€"),
        Unit.RATIO: ("ratio", "rapport"),
    },
)


class Level(enum.StrEnum):
    """A level of the organisation, from the team file: each is a column of the ``org`` table.

    Examples:
        >>> from microstructure.evaluation import Level
        >>> [level.value for level in Level]
        ['microstructure', 'network', 'region', 'nation']
    """

    MICROSTRUCTURE = "microstructure"
    NETWORK = "network"
    REGION = "region"
    NATION = "nation"


class Dimension(enum.StrEnum):
    """What a figure may be broken down by.

    ``sex``, ``age-band``, ``indication``, ``substance`` and ``program`` are the
    breakdowns a report asks for; ``role``, ``exit-reason`` and ``instrument`` are the
    intrinsic splits of some indicators (their ``by``). ``indication`` and ``substance``
    are multi-valued: a patient counts in each of theirs, so their categories do not add
    up to the total.

    Examples:
        >>> from microstructure.evaluation import Dimension
        >>> Dimension.SUBSTANCE.multivalued, Dimension.SEX.multivalued
        (True, False)
    """

    SEX = "sex"
    AGE_BAND = "age-band"
    INDICATION = "indication"
    SUBSTANCE = "substance"
    PROGRAM = "program"
    ROLE = "role"
    EXIT_REASON = "exit-reason"
    INSTRUMENT = "instrument"

    @property
    def multivalued(self) -> bool:
        """Whether a row may fall in several categories (its categories are not additive)."""
        return self in {Dimension.INDICATION, Dimension.SUBSTANCE}

    @property
    def column(self) -> str:
        """The population column the dimension reads."""
        return _DIMENSION_COLUMNS[self]


_DIMENSION_COLUMNS = {
    Dimension.SEX: "sex",
    Dimension.AGE_BAND: "age",
    Dimension.INDICATION: "indications",
    Dimension.SUBSTANCE: "substances",
    Dimension.PROGRAM: "program",
    Dimension.ROLE: "role",
    Dimension.EXIT_REASON: "reason",
    Dimension.INSTRUMENT: "instrument",
}

#: The breakdowns a report may ask for (the others are intrinsic splits).
BREAKDOWNS = (
    Dimension.SEX,
    Dimension.AGE_BAND,
    Dimension.INDICATION,
    Dimension.SUBSTANCE,
    Dimension.PROGRAM,
)


class Aggregate(enum.StrEnum):
    """How a measure folds its rows into one number.

    ``median`` and the quartiles interpolate linearly between the sorted values (the
    "inclusive" method of `statistics.quantiles`, DuckDB's ``quantile_cont``).

    Examples:
        >>> from microstructure.evaluation import Aggregate
        >>> Aggregate("quartile-1").needs_column
        True
    """

    COUNT = "count"
    SUM = "sum"
    MEAN = "mean"
    MEDIAN = "median"
    QUARTILE_1 = "quartile-1"
    QUARTILE_3 = "quartile-3"

    @property
    def needs_column(self) -> bool:
        """Whether the aggregate reads a numeric column (every one but ``count``)."""
        return self is not Aggregate.COUNT


class Population(enum.StrEnum):
    """A population of rows, one table macro of the store (``pop_<name>(p_start, p_end)``).

    Examples:
        >>> from microstructure.evaluation import Population
        >>> Population.ACTIVE_PATIENTS.macro
        'pop_active_patients'
        >>> "discussed_at_rcp" in Population.ACTIVE_PATIENTS.columns
        True
    """

    ACTIVE_PATIENTS = "active-patients"
    INCLUSIONS = "inclusions"
    EXITS = "exits"
    CONSULTATIONS = "consultations"
    RCP_MEETINGS = "rcp-meetings"
    RCP_EXPECTED = "rcp-expected"
    RETENTION = "retention"
    SCORE_CHANGES = "score-changes"
    PRESENCE_WEEKS = "presence-weeks"

    @property
    def macro(self) -> str:
        """The name of the store's table macro."""
        return "pop_" + self.value.replace("-", "_")

    @property
    def columns(self) -> Mapping[str, str]:
        """The known columns and their kind (``text``, ``number``, ``bool``, ``list``, ``date``)."""
        return _COLUMNS[self]

    @property
    def per_patient(self) -> bool:
        """Whether rows carry the patient columns (and so allow the patient breakdowns)."""
        return "patient" in _COLUMNS[self]


TEXT, NUMBER, BOOL, LIST, DATE = "text", "number", "bool", "list", "date"

_PATIENT = {
    "microstructure": TEXT,
    "patient": TEXT,
    "program": TEXT,
    "sex": TEXT,
    "age": NUMBER,
    "indications": LIST,
    "substances": LIST,
}

_COLUMNS: Mapping[Population, Mapping[str, str]] = read_only(
    {
        Population.ACTIVE_PATIENTS: read_only(
            {
                **_PATIENT,
                "held_consultations": NUMBER,
                "professionals_besides_gp": NUMBER,
                "discussed_at_rcp": BOOL,
                "annual_forfait": NUMBER,
            }
        ),
        Population.INCLUSIONS: read_only({**_PATIENT, "days_to_first_consultation": NUMBER}),
        Population.EXITS: read_only({**_PATIENT, "reason": TEXT}),
        Population.CONSULTATIONS: read_only(
            {
                **_PATIENT,
                "role": TEXT,
                "status": TEXT,
                "mode": TEXT,
                "professional": TEXT,
                "duration_minutes": NUMBER,
            }
        ),
        Population.RCP_MEETINGS: read_only(
            {"microstructure": TEXT, "cases": NUMBER, "attendees": NUMBER}
        ),
        Population.RCP_EXPECTED: read_only({"microstructure": TEXT, "day": DATE}),
        Population.RETENTION: read_only({**_PATIENT, "horizon_months": NUMBER, "retained": BOOL}),
        Population.SCORE_CHANGES: read_only(
            {
                **_PATIENT,
                "instrument": TEXT,
                "baseline": NUMBER,
                "follow_up": NUMBER,
                "change": NUMBER,
                "improved": BOOL,
            }
        ),
        Population.PRESENCE_WEEKS: read_only(
            {"microstructure": TEXT, "role": TEXT, "week": DATE, "present": BOOL}
        ),
    }
)

#: Columns whose values are codes of the library: a condition's value must be one of them.
_CODES: Mapping[str, type[enum.Enum]] = read_only(
    {
        "sex": Sex,
        "role": Role,
        "status": ConsultationStatus,
        "mode": ConsultationMode,
        "reason": ExitReason,
        "indications": Indication,
        "substances": Substance,
    }
)


class Operator(enum.StrEnum):
    """How a condition compares a column with its value.

    A row whose column is null matches only ``is-null``. On a list column
    (``indications``, ``substances``), ``eq`` means "contains", ``ne`` "does not
    contain", ``in`` "contains one of", ``is-null`` "is empty" and ``not-null`` "is not
    empty".

    Examples:
        >>> from microstructure.evaluation import Operator
        >>> Operator("is-null").takes_value
        False
    """

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IN = "in"
    IS_NULL = "is-null"
    NOT_NULL = "not-null"

    @property
    def takes_value(self) -> bool:
        """Whether the condition compares with a value (all but ``is-null``/``not-null``)."""
        return self not in {Operator.IS_NULL, Operator.NOT_NULL}


#: Operators each kind of column accepts.
_OPERATORS: Mapping[str, frozenset[Operator]] = read_only(
    {
        TEXT: frozenset(
            {Operator.EQ, Operator.NE, Operator.IN, Operator.IS_NULL, Operator.NOT_NULL}
        ),
        NUMBER: frozenset(Operator),
        DATE: frozenset(Operator),
        BOOL: frozenset({Operator.EQ, Operator.NE, Operator.IS_NULL, Operator.NOT_NULL}),
        LIST: frozenset(
            {Operator.EQ, Operator.NE, Operator.IN, Operator.IS_NULL, Operator.NOT_NULL}
        ),
    }
)

Scalar = str | int | float | bool
Value = Scalar | tuple[Scalar, ...] | None

_COLUMN_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _to_operator(value: object) -> Operator:
    return _v.to_enum(Operator, value, "operator")


def _to_population(value: object) -> Population:
    return _v.to_enum(Population, value, "population")


def _to_aggregate(value: object) -> Aggregate:
    return _v.to_enum(Aggregate, value, "aggregate")


def _to_unit(value: object) -> Unit:
    return _v.to_enum(Unit, value, "unit")


def _column_name(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _COLUMN_RE.match(value) is None:
        _v.fail(attribute, value, "a column name of lowercase letters, digits and '_'")


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        _v.fail(attribute, value, "a non-empty string")


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | bool | int) or (
        isinstance(value, float) and math.isfinite(value)
    )


@_v.json_schema(
    {
        "type": ["string", "number", "boolean", "array", "null"],
        "items": {"type": ["string", "number", "boolean"]},
        "minItems": 1,
    }
)
def _value(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None or _is_scalar(value):
        return
    if isinstance(value, tuple) and value and all(_is_scalar(item) for item in value):
        return
    _v.fail(attribute, value, "a string, a number, true/false, a non-empty list of them, or null")


@attrs.frozen
class Text:
    """A text in English and French.

    Examples:
        >>> from microstructure.evaluation import Text
        >>> Text("Active file", "File active").fr
        'File active'
    """

    en: str = attrs.field(validator=_text)
    """English text."""
    fr: str = attrs.field(validator=_text)
    """French text."""


@attrs.frozen
class Condition:
    """A filter on one column of a population: ``column operator value``.

    The column is checked against the population by the `Measure` holding the condition.

    Examples:
        >>> from microstructure.evaluation import Condition, Operator
        >>> Condition("status", Operator.IN, ("held", "missed")).value
        ('held', 'missed')
    """

    column: str = attrs.field(validator=_column_name)
    """A column of the measure's population."""
    operator: Operator = attrs.field(converter=_to_operator)
    """The comparison."""
    # Typed `Any` for the converter, which passes the JSON value to the validator: a
    # string, number, true/false, a list of them (made a tuple), or null.
    value: Any = attrs.field(default=None, converter=frozen_tuple, validator=_value)
    """The value compared with: a string, number or true/false; a list for ``in``, none for ``is-null``/``not-null``."""

    def __attrs_post_init__(self) -> None:
        if not self.operator.takes_value:
            if self.value is not None:
                raise FieldError(
                    self.value, f"no value with {self.operator.value!r}", field="value"
                )
        elif self.operator is Operator.IN:
            if not isinstance(self.value, tuple):
                raise FieldError(self.value, "a non-empty list of values with 'in'", field="value")
        elif self.value is None or isinstance(self.value, tuple):
            expected = f"one value (not a list) with {self.operator.value!r}"
            raise FieldError(self.value, expected, field="value")


def _check_condition(condition: Condition, population: Population, path: str) -> list[ErrorDetail]:
    kind = population.columns.get(condition.column)
    if kind is None:
        expected = "a column of " + population.value + ": " + ", ".join(population.columns)
        return [ErrorDetail(f"{path}.column", f"expected {expected}", condition.column)]
    if condition.operator not in _OPERATORS[kind]:
        allowed = ", ".join(repr(o.value) for o in Operator if o in _OPERATORS[kind])
        message = f"expected an operator for a {kind} column: {allowed}"
        return [ErrorDetail(f"{path}.operator", message, condition.operator.value)]
    values = (
        ()
        if condition.value is None
        else condition.value
        if isinstance(condition.value, tuple)
        else (condition.value,)
    )
    for value in values:
        problem = _value_problem(kind, condition.column, value)
        if problem is not None:
            return [ErrorDetail(f"{path}.value", f"expected {problem}", value)]
    return []


def _value_problem(kind: str, column: str, value: Scalar) -> str | None:  # noqa: PLR0911 - one return per kind
    if kind == NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"a number for column {column!r}"
    if kind == BOOL:
        return None if isinstance(value, bool) else f"true or false for column {column!r}"
    if not isinstance(value, str):
        return f"a string for column {column!r}"
    if kind == DATE:
        try:
            pendulum.Date.fromisoformat(value)
        except ValueError:
            return f"an ISO date (YYYY-MM-DD) for column {column!r}"
        return None
    codes = _CODES.get(column)
    if codes is not None and value not in {m.value for m in codes}:
        return f"one of {', '.join(repr(m.value) for m in codes)}"
    return None


@attrs.frozen
class Measure:
    """One number over a population: the count of its rows, or an aggregate of a column.

    Raises:
        ValidationError: if the column or a condition's column is not a column of the
            population (``$.where[0].column``), or not numeric for an aggregate.

    Examples:
        >>> from microstructure.evaluation import Condition, Measure
        >>> held = Condition("status", "eq", "held")
        >>> Measure("consultations", where=(held,)).aggregate.value
        'count'
        >>> Measure("consultations", where=(Condition("colour", "eq", "blue"),))
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid Measure: 1 problem
          - expected a column of consultations: microstructure, patient, program, sex, age, indications, substances, role, status, mode, professional, duration_minutes (got 'colour') @ $.where[0].column
    """

    population: Population = attrs.field(converter=_to_population)
    """The rows measured."""
    aggregate: Aggregate = attrs.field(default=Aggregate.COUNT, converter=_to_aggregate)
    """How the rows are folded: ``count`` (the default), ``sum``, ``mean``, ``median``…"""
    column: str | None = attrs.field(default=None, validator=_v.optional(_column_name))
    """The numeric column aggregated (not with ``count``)."""
    where: tuple[Condition, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_v.tuple_of(Condition, "Condition")
    )
    """Conditions every row measured meets (all of them)."""

    def __attrs_post_init__(self) -> None:
        errors: list[ErrorDetail] = []
        columns = self.population.columns
        if self.aggregate.needs_column:
            if self.column is None:
                message = f"a numeric column with aggregate {self.aggregate.value!r}"
                errors.append(ErrorDetail("$.column", f"expected {message}"))
            elif columns.get(self.column) != NUMBER:
                numeric = ", ".join(c for c, kind in columns.items() if kind == NUMBER)
                message = f"expected a numeric column of {self.population.value}: {numeric}"
                errors.append(ErrorDetail("$.column", message, self.column))
        elif self.column is not None:
            message = "expected no column with aggregate 'count'"
            errors.append(ErrorDetail("$.column", message, self.column))
        for index, condition in enumerate(self.where):
            errors.extend(_check_condition(condition, self.population, f"$.where[{index}]"))
        if errors:
            raise ValidationError(errors, subject="Measure")

    def allows(self, dimension: Dimension) -> bool:
        """Whether the population's rows can be split by ``dimension``."""
        return dimension.column in self.population.columns


def _dimensions(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _v.tuple_of(Dimension, "Dimension")(_, attribute, value)
    assert isinstance(value, tuple)  # noqa: S101 - checked just above
    if len(set(value)) != len(value):
        _v.fail(attribute, [d.value for d in value], "dimensions without repeats")


def _scale(indicator: Indicator) -> int:
    return 100 if indicator.unit is Unit.PERCENT else 1


@attrs.frozen(kw_only=True)
class Indicator:
    """An indicator: a numerator over a denominator, computed per period and level.

    The value is ``numerator / denominator × scale`` (``None`` when the denominator is
    0), or the numerator when there is no denominator. ``by`` is the indicator's own
    split (exits by reason): it splits the denominator too when the denominator's
    population has that column and the dimension is single-valued; otherwise each
    category is a share of all the denominator's rows. ``dimensions`` are the
    breakdowns a report may ask for: they split both numerator and denominator.

    Raises:
        ValidationError: if ``by`` or a dimension is not a column of the populations.

    Examples:
        >>> from microstructure.evaluation import indicator
        >>> active = indicator("active-file")
        >>> active.unit.value, active.numerator.population.value, active.denominator
        ('count', 'active-patients', None)
        >>> indicator("missed-consultations").scale
        100
    """

    id: str = attrs.field(validator=_identifier)
    """Stable id, such as ``active-file``."""
    title: Text = attrs.field(validator=_v.instance_of(Text))
    """Short title, in English and French."""
    description: Text = attrs.field(validator=_v.instance_of(Text))
    """What is counted, in English and French."""
    unit: Unit = attrs.field(converter=_to_unit)
    """The unit of the value."""
    numerator: Measure = attrs.field(validator=_v.instance_of(Measure))
    """The measure on top (or the value itself, without denominator)."""
    denominator: Measure | None = attrs.field(
        default=None, validator=_v.optional(_v.instance_of(Measure))
    )
    """The measure below, if the indicator is a ratio."""
    by: Dimension | None = attrs.field(
        default=None, validator=_v.optional(_v.instance_of(Dimension))
    )
    """The indicator's own split (``role``, ``exit-reason``, ``instrument``…), if any."""
    dimensions: tuple[Dimension, ...] = attrs.field(
        default=(), converter=frozen_tuple, validator=_dimensions
    )
    """The breakdowns a report may ask for."""
    disclosure: bool = attrs.field(default=True, validator=_v.instance_of(bool))
    """Whether its counts are subject to disclosure control."""
    scale: int = attrs.field(
        default=attrs.Factory(_scale, takes_self=True), validator=_v.at_least(1)
    )
    """The factor of the ratio: 100 for a percentage, else 1."""

    def __attrs_post_init__(self) -> None:
        errors: list[ErrorDetail] = []
        if self.by is not None and not self.numerator.allows(self.by):
            message = f"expected a dimension of {self.numerator.population.value}"
            errors.append(ErrorDetail("$.by", message, self.by.value))
        for index, dimension in enumerate(self.dimensions):
            measures = (
                [self.numerator]
                if self.denominator is None
                else [
                    self.numerator,
                    self.denominator,
                ]
            )
            if dimension is self.by:
                message = "expected a breakdown other than the indicator's own 'by'"
                errors.append(ErrorDetail(f"$.dimensions[{index}]", message, dimension.value))
            elif dimension not in BREAKDOWNS or not all(m.allows(dimension) for m in measures):
                names = " and ".join(m.population.value for m in measures)
                message = f"expected a breakdown of {names}"
                errors.append(ErrorDetail(f"$.dimensions[{index}]", message, dimension.value))
        if errors:
            raise ValidationError(errors, subject="Indicator")

    def splits_denominator(self) -> bool:
        """Whether ``by`` splits the denominator as well as the numerator."""
        return (
            self.by is not None
            and self.denominator is not None
            and not self.by.multivalued
            and self.denominator.allows(self.by)
        )


class Mask(Labelled):
    """Why a published cell is masked by disclosure control.

    Examples:
        >>> from microstructure.evaluation import Mask
        >>> Mask("secondary").label_fr
        'secret secondaire'
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"
    DERIVED = "derived"


labels(
    Mask,
    {
        Mask.PRIMARY: ("primary suppression", "secret primaire"),
        Mask.SECONDARY: ("secondary suppression", "secret secondaire"),
        Mask.DERIVED: ("derived from a masked count", "dérivé d'un effectif masqué"),
    },
)


_PARTS = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>\d{2})))?$"
    r"|^(?P<start>\d{4}-\d{2}-\d{2})/(?P<end>\d{4}-\d{2}-\d{2})$"
)
_MIN_YEAR, _MAX_YEAR = 1900, 2200
_QUARTERS = 4
_MONTHS = 12


def _date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, pendulum.Date) or isinstance(value, pendulum.DateTime):
        _v.fail(attribute, value, "a pendulum.Date")


def _year(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not _MIN_YEAR <= value <= _MAX_YEAR:
        raise FieldError(value, f"a year from {_MIN_YEAR} to {_MAX_YEAR}", field=field)
    return value


def _within(value: object, top: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
        raise FieldError(value, f"an integer from 1 to {top}", field=field)
    return value


@attrs.frozen
class ReportingPeriod:
    """A reporting period: inclusive dates and a label (``2026``, ``2026-Q2``, ``2026-05``).

    Examples:
        >>> from microstructure.evaluation import ReportingPeriod
        >>> q2 = ReportingPeriod.parse("2026-Q2")
        >>> q2.start.isoformat(), q2.end.isoformat(), q2.label
        ('2026-04-01', '2026-06-30', '2026-Q2')
        >>> [m.label for m in q2.months()]
        ['2026-04', '2026-05', '2026-06']
    """

    start: pendulum.Date = attrs.field(validator=_date)
    """First day of the period."""
    end: pendulum.Date = attrs.field(validator=_date)
    """Last day of the period (inclusive)."""
    label: str = attrs.field(validator=_text)
    """How the period is written in reports."""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            expected = f"a last day on or after the first day {self.start.isoformat()}"
            raise FieldError(self.end.isoformat(), expected, field="end")

    @classmethod
    def month(cls, year: int, month: int) -> ReportingPeriod:
        """The calendar month ``month`` of ``year`` (label ``2026-05``)."""
        start = pendulum.date(_year(year, "year"), _within(month, _MONTHS, "month"), 1)
        return cls(start, start.end_of("month"), f"{year:04d}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> ReportingPeriod:
        """The calendar quarter ``quarter`` (1–4) of ``year`` (label ``2026-Q2``)."""
        first = 3 * (_within(quarter, _QUARTERS, "quarter") - 1) + 1
        start = pendulum.date(_year(year, "year"), first, 1)
        return cls(start, start.add(months=2).end_of("month"), f"{year:04d}-Q{quarter}")

    @classmethod
    def year(cls, year: int) -> ReportingPeriod:
        """The calendar year ``year`` (label ``2026``)."""
        start = pendulum.date(_year(year, "year"), 1, 1)
        return cls(start, pendulum.date(year, 12, 31), f"{year:04d}")

    @classmethod
    def custom(cls, start: pendulum.Date, end: pendulum.Date) -> ReportingPeriod:
        """From ``start`` to ``end`` inclusive (label ``2026-01-01/2026-06-30``)."""
        given: tuple[tuple[str, object], ...] = (("start", start), ("end", end))
        for name, day in given:
            if not isinstance(day, pendulum.Date) or isinstance(day, pendulum.DateTime):
                raise FieldError(day, "a pendulum.Date", field=name)
            _year(day.year, name)
        return cls(start, end, f"{start.isoformat()}/{end.isoformat()}")

    @classmethod
    def parse(cls, text: str) -> ReportingPeriod:
        """A period written ``2026``, ``2026-Q2``, ``2026-05`` or ``2026-01-01/2026-06-30``.

        Raises:
            FieldError: if ``text`` is not one of these forms.
        """
        expected = "a period such as '2026', '2026-Q2', '2026-05' or '2026-01-01/2026-06-30'"
        given: object = text
        found = _PARTS.match(given) if isinstance(given, str) else None
        if found is None:
            raise FieldError(text, expected, field="period")
        try:
            if found["start"] is not None:
                start = pendulum.Date.fromisoformat(found["start"])
                end = pendulum.Date.fromisoformat(found["end"])
                return cls.custom(start, end)
            year = int(found["year"])
            if found["quarter"] is not None:
                return cls.quarter(year, int(found["quarter"]))
            if found["month"] is not None:
                return cls.month(year, int(found["month"]))
            return cls.year(year)
        except (ValueError, FieldError):
            raise FieldError(text, expected, field="period") from None

    def months(self) -> tuple[ReportingPeriod, ...]:
        """The calendar months of the period, the first and last cut to the period."""
        found: list[ReportingPeriod] = []
        first = self.start.start_of("month")
        while first <= self.end:
            whole = ReportingPeriod.month(first.year, first.month)
            start, end = max(whole.start, self.start), min(whole.end, self.end)
            if (start, end) == (whole.start, whole.end):
                found.append(whole)
            else:
                found.append(ReportingPeriod.custom(start, end))
            first = first.add(months=1)
        return tuple(found)

    def contains(self, day: pendulum.Date) -> bool:
        """Whether ``day`` is in the period."""
        return self.start <= day <= self.end


def _band_bound(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:  # noqa: PLR2004
        _v.fail(attribute, value, "an age in years from 0 to 150")


@attrs.frozen
class AgeBand:
    """An age band: ages from ``min`` to ``max`` inclusive (``max`` ``None``: no upper bound).

    Examples:
        >>> from microstructure.evaluation import age_bands
        >>> [band.label for band in age_bands()]
        ['<18', '18–24', '25–34', '35–44', '45–54', '55–64', '65+']
        >>> age_bands()[1].holds(24)
        True
    """

    label: str = attrs.field(validator=_text)
    """How the band is written (``25–34``)."""
    min: int = attrs.field(validator=_band_bound)
    """Youngest age in the band, in whole years."""
    max: int | None = attrs.field(default=None, validator=_v.optional(_band_bound))
    """Oldest age in the band, or ``None`` for the last band."""

    def __attrs_post_init__(self) -> None:
        if self.max is not None and self.max < self.min:
            raise FieldError(self.max, f"an age of at least {self.min}", field="max")

    def holds(self, age: int) -> bool:
        """Whether a patient aged ``age`` falls in the band."""
        return self.min <= age and (self.max is None or age <= self.max)

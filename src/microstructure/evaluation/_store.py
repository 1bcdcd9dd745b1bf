"""The DuckDB store: care records loaded by DuckDB itself, de-duplicated, and the population macros.

DuckDB is imported inside the functions and methods here only, so that
``import microstructure.evaluation`` stays light.
"""

# ruff: noqa: S608 - SQL is built from the store's constants; paths are quoted literals

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from microstructure.errors import (
    ConfigurationError,
    ErrorDetail,
    FieldError,
    Finding,
    ValidationError,
    finding_catalogue,
)
from microstructure.evaluation._catalogue import improvement_thresholds
from microstructure.evaluation._model import Population
from microstructure.evaluation._populations import (
    EVENT_COLUMNS,
    INPUT_COLUMNS,
    MACROS,
    POPULATIONS,
    SCHEMA_VERSION,
    VIEWS,
    derived_select,
)
from microstructure.programs import Activity, Period, Program, programs
from microstructure.records import (
    EVENT_TYPES,
    FORMAT,
    VERSION,
    AssessmentStage,
    ConsultationMode,
    ConsultationStatus,
    ExitReason,
    LineError,
    RcpOutcome,
    iter_records,
)
from microstructure.teams import NationalCoordination, Network
from microstructure.vocabulary import Role, Sex

if TYPE_CHECKING:
    import duckdb

    from microstructure.scheduling import NetworkSchedule

__all__ = ["Database"]

_MAX_REPORTED: Final = 20
_CONFLICT_CODE: Final = "MS-REC-011"


def _literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _codes(values: Iterable[str]) -> str:
    return "(" + ", ".join(_literal(v) for v in values) + ")"


def _columns_struct() -> str:
    """``read_json``'s columns: the records' fields, and ``format`` to tell header lines."""
    columns = (*INPUT_COLUMNS, ("format", "VARCHAR"))
    return "{" + ", ".join(f"{_literal(n)}: {_literal(t)}" for n, t in columns) + "}"


def _bad_rows() -> str:
    """A condition true on a staged row that is not a valid record of its type."""
    sexes = _codes(s.value for s in Sex)
    stages = _codes(s.value for s in AssessmentStage)
    roles = _codes(r.value for r in Role)
    statuses = _codes(s.value for s in ConsultationStatus)
    modes = _codes(m.value for m in ConsultationMode)
    reasons = _codes(r.value for r in ExitReason)
    outcomes = _codes(o.value for o in RcpOutcome)
    return f"""
    type IS NULL OR type NOT IN {_codes(EVENT_TYPES)} OR id IS NULL OR recorded_at IS NULL
    OR (type <> 'rcp-meeting' AND patient IS NULL)
    OR (type NOT IN ('patient', 'consultation') AND date IS NULL)
    OR (type = 'patient' AND (birth_year IS NULL OR sex NOT IN {sexes}))
    OR (type = 'referral' AND (microstructure IS NULL OR referrer IS NULL))
    OR (type = 'assessment' AND (instrument IS NULL OR stage NOT IN {stages}
        OR (answers IS NULL) = (total IS NULL)))
    OR (type = 'inclusion' AND (program IS NULL OR microstructure IS NULL OR decision IS NULL))
    OR (type = 'consultation' AND (day IS NULL OR start_at IS NULL OR professional IS NULL
        OR NOT (start LIKE '%+__:__' OR start LIKE '%-__:__' OR start LIKE '%Z')
        OR role NOT IN {roles} OR status NOT IN {statuses} OR mode NOT IN {modes}
        OR duration IS NULL))
    OR (type = 'rcp-meeting' AND (microstructure IS NULL
        OR list_bool_or(list_transform(coalesce(cases, []),
           lambda c: c.patient IS NULL OR c.outcome IS NULL OR c.outcome NOT IN {outcomes}))))
    OR (type = 'exit' AND reason NOT IN {reasons})
    """


#: Staged assessments that the shipped instruments cannot score: an unknown instrument,
#: answers that are not one accepted answer per item, a total out of the range.
_BAD_ASSESSMENTS: Final = """
WITH a AS (
    -- one row per distinct version: a line sent twice is checked once, not summed twice
    SELECT DISTINCT id, instrument, answers, total, CAST(answers AS VARCHAR) AS version
    FROM ms_stage WHERE type = 'assessment'
),
items AS (
    SELECT id, instrument, version, i + 1 AS item,
           CAST(json_extract(answers, CAST(i AS INTEGER)) AS VARCHAR) AS answer
    FROM (
        SELECT id, instrument, version, answers,
               unnest(range(CAST(json_array_length(answers) AS BIGINT))) AS i
        FROM a WHERE answers IS NOT NULL AND json_type(answers) = 'ARRAY'
    )
),
summed AS (
    SELECT items.id, items.instrument, items.version, count(*) AS given,
           count(p.points) AS found
    FROM items
    LEFT JOIN instrument_points p
      ON p.instrument = items.instrument AND p.item = items.item AND p.answer = items.answer
    GROUP BY items.id, items.instrument, items.version
)
SELECT count(*) FROM a
LEFT JOIN instruments i USING (instrument)
LEFT JOIN summed s
  ON s.id = a.id AND s.instrument = a.instrument AND s.version IS NOT DISTINCT FROM a.version
WHERE i.instrument IS NULL
   OR (a.answers IS NOT NULL AND (json_type(a.answers) <> 'ARRAY'
       OR coalesce(s.given, 0) <> i.items OR coalesce(s.found, 0) <> coalesce(s.given, 0)))
   OR (a.total IS NOT NULL AND (a.total < i.minimum OR a.total > i.maximum
       OR a.total * pow(10, i.decimals) <> round(a.total * pow(10, i.decimals))))
"""


def _content(function: str = "text") -> str:
    """The canonical text of a row's content (its input columns, as DuckDB writes JSON).

    With ``function="hash"``, a 64-bit hash of the same content instead, to compare rows.
    """
    fields = ", ".join(f'"{n}" := "{n}"' for n, _ in INPUT_COLUMNS)
    if function == "hash":
        return f"hash(struct_pack({fields}))"
    return f"CAST(to_json(struct_pack({fields})) AS VARCHAR)"


def _rcp_per_month(program: Program) -> int:
    """Case meetings a program expects each month (1 when it sets no frequency)."""
    frequency = program.frequency(Activity.RCP)
    if frequency is None:
        return 1
    if frequency.period is Period.WEEK:
        return frequency.count * 4
    if frequency.period is Period.QUARTER:
        return -(-frequency.count // 3)
    return frequency.count


def _as_network_schedules(
    schedule: NetworkSchedule | Mapping[str, NetworkSchedule] | None,
) -> tuple[NetworkSchedule, ...]:
    from microstructure.scheduling import NetworkSchedule  # noqa: PLC0415 - only with a schedule

    given: object = schedule
    if given is None:
        return ()
    if isinstance(given, NetworkSchedule):
        return (given,)
    if isinstance(given, Mapping) and all(isinstance(v, NetworkSchedule) for v in given.values()):
        return tuple(given[key] for key in sorted(given))
    raise FieldError(
        type(given).__name__,
        "a NetworkSchedule or a mapping of network id to NetworkSchedule",
        field="schedule",
    )


class Database:
    """The care records of a network (or of the nation) in DuckDB, ready for indicators.

    Records files are read by DuckDB itself (JSON Lines with the header line of the
    records format, or Parquet with the same columns) and de-duplicated by event id with
    the records' rule: the latest ``recorded_at`` wins; the same instant with the same
    content is one event; the same instant with different content is a conflict, reported
    in `findings` (``MS-REC-011``) and settled by the greater canonical text of the row
    (DuckDB's JSON of its typed fields), whatever the order of the files. With ``path``
    the database is a DuckDB file: records added in one run are there in the next.

    Loading checks what the indicators rely on: the JSON types, the required fields of
    each record type, the codes of the vocabularies, durations and assessment scoring.
    Keys the format does not know are ignored; identifiers and anonymous codes are not
    re-checked (`microstructure.records.validate_file` checks a file in full).

    The tables ``events``, ``org``, ``programs``, ``memberships``, ``members``,
    ``instruments``, ``instrument_points``, ``improvement_thresholds``, ``durations`` and
    ``planned_sessions`` (the schedule expanded over the whole years the events span) and
    the population table macros ``pop_<name>(p_start, p_end)`` are there for the indicator
    compiler (and for advanced users, through `connection`). The connection runs in UTC; a
    consultation's day is the date of its ``start`` as written (the local wall clock).

    Examples:
        >>> from microstructure.evaluation import Database
        >>> from microstructure.examples import example_network
        >>> with Database(example_network()) as db:
        ...     db.connection.execute(
        ...         "SELECT count(*) FROM pop_active_patients('2026-01-01', '2026-12-31')"
        ...     ).fetchall()
        [(0,)]
    """

    def __init__(
        self,
        teams: Network | NationalCoordination,
        *,
        path: str | os.PathLike[str] | None = None,
        schedule: NetworkSchedule | Mapping[str, NetworkSchedule] | None = None,
        programs: Mapping[str, Program] | None = None,
    ) -> None:
        given: object = teams
        if not isinstance(given, Network | NationalCoordination):
            raise FieldError(
                type(given).__name__, "a Network or a NationalCoordination", field="teams"
            )
        if path is not None and not isinstance(path, str | os.PathLike):
            raise FieldError(type(path).__name__, "a database file path", field="path")
        self._teams = teams
        self._schedules = _as_network_schedules(schedule)
        self._programs = dict(programs) if programs is not None else _default_programs()
        self._findings: list[Finding] = []
        self._planned_range: tuple[int, int] | None = None
        self._path = None if path is None else Path(path)
        self._con = self._connect()
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise

    # -- set-up ---------------------------------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        import duckdb  # noqa: PLC0415 - only when indicators are computed

        target = ":memory:" if self._path is None else str(self._path)
        try:
            con = duckdb.connect(target)
            con.execute("SET TimeZone = 'UTC'")
        except duckdb.Error as exc:
            msg = f"cannot open database file {target!r}: {type(exc).__name__}"
            raise ConfigurationError(msg) from None
        return con

    def _prepare(self) -> None:
        con = self._con
        con.execute("CREATE TABLE IF NOT EXISTS store_meta (name VARCHAR, version INTEGER)")
        version = con.execute("SELECT max(version) FROM store_meta").fetchall()[0][0]
        if version is not None and version > SCHEMA_VERSION:
            msg = (
                f"database file {str(self._path)!r} has store version {version}: "
                f"expected version {SCHEMA_VERSION} or older (update microstructure)"
            )
            raise ConfigurationError(msg)
        if version is None:
            con.execute(
                "INSERT INTO store_meta VALUES ('microstructure-store', ?)", [SCHEMA_VERSION]
            )
        columns = ", ".join(f'"{n}" {t}' for n, t in EVENT_COLUMNS)
        con.execute(f"CREATE TABLE IF NOT EXISTS events ({columns})")
        con.execute("CREATE TABLE IF NOT EXISTS durations (duration VARCHAR, minutes DOUBLE)")
        found = [row[0] for row in con.execute("DESCRIBE events").fetchall()]
        if found != [name for name, _ in EVENT_COLUMNS]:
            msg = (
                f"database file {str(self._path)!r} has an events table this version of "
                "the store does not know: expected the columns "
                + ", ".join(name for name, _ in EVENT_COLUMNS)
            )
            raise ConfigurationError(msg)
        self._load_reference()
        self._plan()
        for statement in (*VIEWS, *MACROS):
            con.execute(statement)

    def _table(self, name: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        """(Re)create a small reference table from rows built in Python."""
        self._con.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
        self._table_rows(name, rows)

    def _table_rows(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        """Append rows built in Python to a small table, in one statement."""
        con = self._con
        if rows:
            width = len(rows[0])
            marks = ", ".join(f"unnest(${i + 1})" for i in range(width))
            con.execute(
                f"INSERT INTO {name} SELECT {marks}",
                [list(column) for column in zip(*rows, strict=True)],
            )

    def _load_reference(self) -> None:
        teams = self._teams
        networks = teams.networks if isinstance(teams, NationalCoordination) else (teams,)
        org: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        memberships: list[tuple[Any, ...]] = []
        seen: set[str] = set()
        for network in networks:
            for ms in network.microstructures:
                if ms.id in seen:
                    continue  # the first wins, as in `microstructures_of`
                seen.add(ms.id)
                org.append((ms.id, network.id, network.region, "FR"))
                members.extend({(ms.id, p.id, p.role.value) for p in ms.members})
                memberships.extend(
                    (ms.id, m.program, _date(m.valid_from), _date(m.valid_until))
                    for m in ms.programs
                )
        self._table(
            "org",
            "microstructure VARCHAR, network VARCHAR, region VARCHAR, nation VARCHAR",
            org,
        )
        self._table(
            "members", "microstructure VARCHAR, professional VARCHAR, role VARCHAR", members
        )
        self._table(
            "memberships",
            "microstructure VARCHAR, program VARCHAR, valid_from DATE, valid_until DATE",
            memberships,
        )
        self._table(
            "programs",
            "program VARCHAR, annual_forfait DOUBLE, rcp_per_month INTEGER",
            [
                (
                    p.id,
                    None
                    if p.annual_forfait_per_patient is None
                    else float(p.annual_forfait_per_patient),
                    _rcp_per_month(p),
                )
                for p in self._programs.values()
            ],
        )
        self._load_instruments()
        self._table(
            "scheduled",
            "microstructure VARCHAR",
            sorted({(s.microstructure,) for n in self._schedules for s in n.schedules}),
        )

    def _load_instruments(self) -> None:
        from microstructure.eligibility import instruments  # noqa: PLC0415 - at set-up only

        scoring: list[tuple[Any, ...]] = []
        points: list[tuple[Any, ...]] = []
        for inst in instruments().values():
            scoring.append(
                (
                    inst.id,
                    float(inst.intercept),
                    inst.decimals,
                    len(inst.items),
                    float(inst.minimum),
                    float(inst.maximum),
                )
            )
            for number, item in enumerate(inst.items, start=1):
                points.extend(
                    (inst.id, number, json.dumps(option.answer), float(option.points))
                    for option in item.options
                )
        self._table(
            "instruments",
            "instrument VARCHAR, intercept DECIMAL(18, 6), decimals INTEGER, items INTEGER, "
            "minimum DOUBLE, maximum DOUBLE",
            scoring,
        )
        self._table(
            "instrument_points",
            "instrument VARCHAR, item INTEGER, answer VARCHAR, points DECIMAL(18, 6)",
            points,
        )
        self._table(
            "improvement_thresholds",
            "instrument VARCHAR, points DOUBLE",
            sorted(_thresholds().items()),
        )

    def _plan(self) -> None:
        """Expand the schedules over the whole years the events span, and a week around."""
        if not self._schedules:
            if self._planned_range is None:
                self._table(
                    "planned_sessions",
                    "microstructure VARCHAR, activity VARCHAR, role VARCHAR, day DATE, week DATE",
                    [],
                )
                self._planned_range = (0, 0)
            return
        from microstructure.scheduling import FIRST_YEAR, LAST_YEAR, expand  # noqa: PLC0415

        first, last = self._con.execute(
            "SELECT year(min(day)), year(max(day)) FROM events WHERE day IS NOT NULL"
        ).fetchall()[0]
        years = (0, 0) if first is None else (max(first, FIRST_YEAR), min(last, LAST_YEAR))
        if years == self._planned_range:
            return
        rows: list[tuple[Any, ...]] = []
        if years != (0, 0):
            # A week beyond the years: a session moved across New Year by a holiday policy
            # still plans its ISO week (whose Thursday may be in the other year).
            start, end = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
            if years[0] > FIRST_YEAR:
                start -= dt.timedelta(days=7)
            if years[1] < LAST_YEAR:
                end += dt.timedelta(days=7)
            for network_schedule in self._schedules:
                for occurrence in expand(network_schedule, self._teams, start, end):
                    day = occurrence.start.date()
                    role = occurrence.activity.role
                    rows.append(
                        (
                            occurrence.microstructure,
                            occurrence.activity.value,
                            None if role is None else role.value,
                            dt.date(day.year, day.month, day.day),
                            dt.date.fromordinal(day.toordinal() - day.weekday()),
                        )
                    )
        self._table(
            "planned_sessions",
            "microstructure VARCHAR, activity VARCHAR, role VARCHAR, day DATE, week DATE",
            rows,
        )
        self._planned_range = years

    # -- public ---------------------------------------------------------------------------

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection (for advanced queries and benchmarks)."""
        return self._con

    @property
    def teams(self) -> Network | NationalCoordination:
        """The team file of the database: which microstructure is in which network and region."""
        return self._teams

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Findings of the loads so far: conflicting versions of an event (``MS-REC-011``)."""
        return tuple(self._findings)

    def populations(self) -> tuple[Population, ...]:
        """The populations whose table macros this store defines (every one of them).

        Examples:
            >>> from microstructure.evaluation import Database
            >>> from microstructure.examples import example_network
            >>> with Database(example_network()) as db:
            ...     [p.macro for p in db.populations()][:2]
            ['pop_active_patients', 'pop_consultations']
        """
        return tuple(Population(name.replace("_", "-")) for name in POPULATIONS)

    @staticmethod
    def population_macros() -> tuple[str, ...]:
        """The names of the population table macros, ``pop_<name>``, sorted.

        Examples:
            >>> from microstructure.evaluation import Database
            >>> Database.population_macros()[0]
            'pop_active_patients'
        """
        return tuple(f"pop_{name}" for name in POPULATIONS)

    def close(self) -> None:
        """Close the DuckDB connection (a database file is then complete on disk)."""
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def add_records(
        self, source: str | os.PathLike[str], *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Add a records file (JSON Lines, or Parquet by its suffix); return the events added.

        The events added are the new ids and the newer versions of known ones; adding the
        same file twice adds nothing. ``progress`` is called with that count at the end.

        Raises:
            ConfigurationError: if the file cannot be read.
            ValidationError: if it is not a records file of this format and version, or a
                line is not a valid record (naming the file, the line and the field).
        """
        if not isinstance(source, str | os.PathLike):
            raise FieldError(type(source).__name__, "a records file path", field="source")
        path = Path(source)
        if not path.is_file():
            msg = f"cannot read records file {str(path)!r}: no such file"
            raise ConfigurationError(msg)
        if path.suffix.lower() == ".parquet":
            relation = self._parquet(path)
        else:
            _check_header(path)
            relation = (
                f"read_json({_literal(str(path))}, format = 'newline_delimited', "
                f"columns = {_columns_struct()}) WHERE format IS NULL"
            )
        import duckdb  # noqa: PLC0415 - only when indicators are computed

        con = self._con
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                repeated = self._stage(path, relation)
                added = self._merge(repeated)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except duckdb.Error as exc:
            msg = f"cannot add records file {str(path)!r} to the database: {type(exc).__name__}"
            raise ConfigurationError(msg) from None
        self._plan()
        if progress is not None:
            progress(added)
        return added

    # -- loading --------------------------------------------------------------------------

    def _parquet(self, path: Path) -> str:
        import duckdb  # noqa: PLC0415

        source = f"read_parquet({_literal(str(path))})"
        try:
            described = self._con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error:
            msg = f"cannot read records file {str(path)!r}: not a Parquet file"
            raise ConfigurationError(msg) from None
        present = {row[0] for row in described}
        if "type" not in present or "id" not in present:
            detail = ErrorDetail("$.type", "expected the columns of the records (type, id, …)")
            raise ValidationError([detail], subject=f"records file {str(path)!r}")
        select = ", ".join(
            f'CAST("{n}" AS {t}) AS "{n}"' if n in present else f'CAST(NULL AS {t}) AS "{n}"'
            for n, t in INPUT_COLUMNS
        )
        return f"(SELECT {select} FROM {source})"

    def _stage(self, path: Path, relation: str) -> int:
        """Read the file into ``ms_stage``, checked; return how many ids repeat in it."""
        import duckdb  # noqa: PLC0415

        con = self._con
        try:
            con.execute(
                f"CREATE OR REPLACE TABLE ms_stage AS SELECT {derived_select()} FROM {relation}"
            )
            bad, repeated, durations = con.execute(
                f"SELECT count(*) FILTER (WHERE {_bad_rows()}), "
                "count(id) - count(DISTINCT id), "
                "list(DISTINCT duration) FILTER (WHERE duration IS NOT NULL) FROM ms_stage"
            ).fetchall()[0]
            bad += con.execute(_BAD_ASSESSMENTS).fetchall()[0][0]
        except duckdb.Error as exc:
            raise _located(path, exc) from None
        minutes = {text: _minutes(text) for text in durations or ()}
        if bad or None in minutes.values():
            raise _located(path, None)
        known = {r[0] for r in con.execute("SELECT duration FROM durations").fetchall()}
        self._table_rows(
            "durations", [(k, v) for k, v in sorted(minutes.items()) if k not in known]
        )
        return int(repeated)

    def _merge(self, repeated_in_file: int) -> int:
        """Merge the staged rows into ``events``; return the count of new ids and versions."""
        con = self._con
        columns = ", ".join(f'"{n}"' for n, _ in EVENT_COLUMNS)
        if not repeated_in_file and not con.execute("SELECT count(*) FROM events").fetchall()[0][0]:
            # The first file of a new store: its rows become the events table, uncopied.
            con.execute("DROP TABLE events")
            con.execute("ALTER TABLE ms_stage RENAME TO events")
            return int(con.execute("SELECT count(*) FROM events").fetchall()[0][0])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE ms_repeated AS "
            "SELECT id FROM (SELECT id FROM ms_stage UNION ALL "
            "SELECT id FROM events WHERE id IN (SELECT id FROM ms_stage)) "
            "GROUP BY id HAVING count(*) > 1"
        )
        added = int(
            con.execute(
                f"INSERT INTO events SELECT {columns} FROM ms_stage "
                "WHERE id NOT IN (SELECT id FROM ms_repeated)"
            ).fetchall()[0][0]
        )
        if con.execute("SELECT count(*) FROM ms_repeated").fetchall()[0][0] == 0:
            con.execute("DROP TABLE ms_stage")
            return added
        # The versions at the latest recorded_at of each repeated id, compared by a hash of
        # their content; the canonical text is computed only for the ids in conflict.
        digest = _content("hash")
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE ms_top AS
            SELECT *, CAST(NULL AS VARCHAR) AS content FROM (
                SELECT id, recorded_at, false AS stored, rowid AS k, {digest} AS h FROM ms_stage
                WHERE id IN (SELECT id FROM ms_repeated)
                UNION ALL
                SELECT id, recorded_at, true AS stored, NULL AS k, {digest} AS h FROM events
                WHERE id IN (SELECT id FROM ms_repeated)
            )
            QUALIFY recorded_at = max(recorded_at) OVER (PARTITION BY id)
            """
        )
        conflicts = con.execute(
            "SELECT id, max(recorded_at) FROM ms_top GROUP BY id "
            "HAVING count(DISTINCT h) > 1 ORDER BY id"
        ).fetchall()
        if conflicts:
            self._findings.extend(_conflict(event_id, at) for event_id, at in conflicts)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE ms_conflicts AS SELECT unnest(?) AS id",
                [[event_id for event_id, _ in conflicts]],
            )
            text = _content()
            con.execute(
                f"UPDATE ms_top SET content = s.content FROM (SELECT rowid AS k, {text} AS content "
                "FROM ms_stage WHERE id IN (SELECT id FROM ms_conflicts)) s "
                "WHERE NOT ms_top.stored AND ms_top.k = s.k"
            )
            con.execute(
                f"UPDATE ms_top SET content = s.content FROM (SELECT id, {text} AS content "
                "FROM events WHERE id IN (SELECT id FROM ms_conflicts)) s "
                "WHERE ms_top.stored AND ms_top.id = s.id"
            )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE ms_winners AS SELECT id, stored, k FROM ms_top "
            "QUALIFY row_number() OVER ("
            "PARTITION BY id ORDER BY content DESC NULLS LAST, stored DESC, k) = 1"
        )
        con.execute("DELETE FROM events WHERE id IN (SELECT id FROM ms_winners WHERE NOT stored)")
        changed = con.execute(
            f"INSERT INTO events SELECT {columns} FROM ms_stage "
            "WHERE rowid IN (SELECT k FROM ms_winners WHERE NOT stored)"
        ).fetchall()[0][0]
        for table in ("ms_top", "ms_winners", "ms_repeated", "ms_conflicts", "ms_stage"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        return added + int(changed)


_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")


def _minutes(text: str) -> float | None:
    """Minutes of an ISO 8601 duration as records write them (``PT45M``), else ``None``."""
    found = _DURATION.fullmatch(text)
    if found is None or text in {"P", "PT"} or text.endswith("T"):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in found.groups())
    return days * 1440 + hours * 60 + minutes + seconds / 60


def _date(value: dt.date | None) -> dt.date | None:
    return None if value is None else dt.date(value.year, value.month, value.day)


def _default_programs() -> dict[str, Program]:
    return programs()


def _thresholds() -> dict[str, float]:
    """Minimal improvement of each instrument in points, from the shipped catalogue."""
    return {key: float(value.points) for key, value in improvement_thresholds().items()}


def _conflict(event_id: str, at: dt.datetime) -> Finding:
    kind = finding_catalogue()[_CONFLICT_CODE]
    return kind.at(
        f"$[{json.dumps(event_id, ensure_ascii=False)}]",
        f"different versions of event {event_id!r} were recorded at {at.isoformat()}; "
        "a correction needs a later recorded_at",
        f"versions différentes de l'événement {event_id!r} enregistrées au même instant ; "
        "une correction doit avoir un recorded_at plus récent",
    )


def _check_header(path: Path) -> None:
    """Check the header line of a JSON Lines records file, as `microstructure.records` does."""
    subject = f"records file {str(path)!r}"
    try:
        with path.open("rb") as handle:
            first = handle.readline(4096)
    except OSError as exc:  # pragma: no cover - unreadable after is_file(): not testable as root
        msg = f"cannot read records file {str(path)!r}: {exc.strerror}"
        raise ConfigurationError(msg) from None
    try:
        data = json.loads(first)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        detail = ErrorDetail("line 1: $.format", f"expected a header line with format {FORMAT!r}")
        raise ValidationError([detail], subject=subject)
    if data.get("version") != VERSION or set(data) != {"format", "version"}:
        detail = ErrorDetail(
            "line 1: $.version",
            f"expected version {VERSION} and no other key",
            data.get("version"),
        )
        raise ValidationError([detail], subject=subject)


def _located(path: Path, error: Exception | None) -> ValidationError:
    """The error for a records file DuckDB refused: every bad line, located by the records reader.

    The records reader says which line and field are wrong and never shows a personal
    value; DuckDB's own message (which may quote one) is not passed on.
    """
    subject = f"records file {str(path)!r}"
    details: list[ErrorDetail] = []
    if path.suffix.lower() != ".parquet":  # the header is checked: only lines can be bad
        for item in iter_records(path):
            if isinstance(item, LineError):
                details.extend(item.details())
                if len(details) >= _MAX_REPORTED:
                    break
    if not details:
        reason = "DuckDB could not read it" if error is not None else "a record is not valid"
        shown = f" ({type(error).__name__})" if error is not None else ""
        details.append(ErrorDetail("$", f"expected records of this format: {reason}{shown}"))
    return ValidationError(details, subject=subject)


#: Kept for the docs: the population macros the store defines.
MACRO_NAMES: Final = tuple(f"pop_{name}" for name in POPULATIONS)

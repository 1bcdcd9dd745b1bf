"""The SQL of the store: the events table, the helper views and the population table macros.

Every statement here is plain text run by `microstructure.evaluation.Database`; nothing
imports DuckDB. The population macros ``pop_<name>(p_start, p_end)`` are the contract
between the store and the indicator compiler (see the evaluation contract): each row
belongs to exactly one microstructure, so that counts add up the levels.
"""

# ruff: noqa: S608 - the SQL here is built from this module's constants, never from input

from __future__ import annotations

from typing import Final

__all__ = [
    "EVENT_COLUMNS",
    "INPUT_COLUMNS",
    "MACROS",
    "POPULATIONS",
    "SCHEMA_VERSION",
    "VIEWS",
    "VIEW_NAMES",
]

#: The version of the store's own tables in a database file; a newer one is refused.
SCHEMA_VERSION: Final = 1

#: The columns of a records line as DuckDB reads them (``read_json``'s ``columns``), in order.
INPUT_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("type", "VARCHAR"),
    ("id", "VARCHAR"),
    ("recorded_at", "TIMESTAMPTZ"),
    ("patient", "VARCHAR"),
    ("birth_year", "INTEGER"),
    ("sex", "VARCHAR"),
    ("national_pseudonym", "VARCHAR"),
    ("department", "VARCHAR"),
    ("date", "DATE"),
    ("microstructure", "VARCHAR"),
    ("referrer", "VARCHAR"),
    ("indications", "VARCHAR[]"),
    ("substances", "VARCHAR[]"),
    ("situations", "VARCHAR[]"),
    ("instrument", "VARCHAR"),
    ("stage", "VARCHAR"),
    ("answers", "JSON"),
    ("total", "DOUBLE"),
    ("program", "VARCHAR"),
    ("decision", "STRUCT(outcome VARCHAR, policy VARCHAR, policy_version VARCHAR)"),
    ("start", "VARCHAR"),
    ("professional", "VARCHAR"),
    ("role", "VARCHAR"),
    ("status", "VARCHAR"),
    ("mode", "VARCHAR"),
    ("duration", "VARCHAR"),
    ("session", "VARCHAR"),
    ("attendees", "VARCHAR[]"),
    ("cases", "STRUCT(patient VARCHAR, outcome VARCHAR)[]"),
    ("reason", "VARCHAR"),
)

#: Columns the store derives at load time, after the input columns.
_DERIVED: Final[tuple[tuple[str, str, str], ...]] = (
    # name, type, SQL expression over the input columns
    ("day", "DATE", "coalesce(date, TRY_CAST(left(start, 10) AS DATE))"),
    ("start_at", "TIMESTAMPTZ", "TRY_CAST(start AS TIMESTAMPTZ)"),
)

#: The columns of the ``events`` table: the input columns, then the derived ones.
EVENT_COLUMNS: Final[tuple[tuple[str, str], ...]] = INPUT_COLUMNS + tuple(
    (name, kind) for name, kind, _ in _DERIVED
)


def derived_select() -> str:
    """The select list that turns input columns into ``events`` columns."""
    inputs = ", ".join(f'"{name}"' for name, _ in INPUT_COLUMNS)
    derived = ", ".join(f'{expr} AS "{name}"' for name, _, expr in _DERIVED)
    return f"{inputs}, {derived}"


#: The population names, as the macros ``pop_<name>`` spell them.
POPULATIONS: Final = (
    "active_patients",
    "consultations",
    "exits",
    "inclusions",
    "presence_weeks",
    "rcp_expected",
    "rcp_meetings",
    "retention",
    "score_changes",
)

# The patient columns of a row, from an episode-info relation aliased ``e``.
_PATIENT = (
    "e.microstructure, e.patient, e.program, e.sex, "
    "CAST(year(p_end) - e.birth_year AS INTEGER) AS age, e.indications, e.substances"
)

#: Helper views (no parameter), in creation order.
VIEWS: Final[tuple[str, ...]] = (
    # One row per patient code: the first patient record (by id) gives sex and birth year.
    """
    CREATE OR REPLACE VIEW ms_patients AS
    SELECT patient, arg_min(sex, id) AS sex, arg_min(birth_year, id) AS birth_year
    FROM events WHERE type = 'patient' GROUP BY patient
    """,
    # Episodes with the records' rules: events of a patient in lifecycle order (day, then
    # inclusion before exit, then id); an inclusion opens an episode unless one is open
    # (its previous inclusion-or-exit is an inclusion); an exit closes one if one is open.
    # The exit closing an inclusion is the first exit after it: the one with as many
    # exits before it as the inclusion has.
    """
    CREATE OR REPLACE VIEW ms_episodes AS
    WITH seq AS (
        SELECT patient, id, type, date, microstructure, program, reason,
               lag(type) OVER w AS prev,
               sum(CASE WHEN type = 'exit' THEN 1 ELSE 0 END) OVER w
                   - CASE WHEN type = 'exit' THEN 1 ELSE 0 END AS exits_before
        FROM events
        WHERE type IN ('inclusion', 'exit')
        WINDOW w AS (PARTITION BY patient ORDER BY date, type = 'exit', id)
    ),
    opened AS (
        SELECT * FROM seq WHERE type = 'inclusion' AND (prev IS NULL OR prev = 'exit')
    ),
    closed AS (SELECT * FROM seq WHERE type = 'exit' AND prev = 'inclusion')
    SELECT o.patient, o.id AS inclusion, o.microstructure, o.program, o.date AS start,
           c.date AS "end", c.id AS exit_id, c.reason
    FROM opened o
    LEFT JOIN closed c ON c.patient = o.patient AND c.exits_before = o.exits_before
    """,
    # Episodes with the patient's attributes and the latest referral to that
    # microstructure on or before the inclusion (indications, substances, its date).
    """
    CREATE OR REPLACE VIEW ms_episode_info AS
    WITH referral AS (
        SELECT e.inclusion, r.date, r.indications, r.substances,
               row_number() OVER (
                   PARTITION BY e.inclusion ORDER BY r.date DESC, r.id DESC
               ) AS n
        FROM ms_episodes e
        JOIN events r
          ON r.type = 'referral' AND r.patient = e.patient
         AND r.microstructure = e.microstructure AND r.date <= e.start
    )
    SELECT e.*, coalesce(p.sex, 'unknown') AS sex, p.birth_year,
           list_sort(list_distinct(coalesce(r.indications, []::VARCHAR[]))) AS indications,
           list_sort(list_distinct(coalesce(r.substances, []::VARCHAR[]))) AS substances,
           r.date AS referral_date
    FROM ms_episodes e
    LEFT JOIN ms_patients p USING (patient)
    LEFT JOIN (SELECT * FROM referral WHERE n = 1) r USING (inclusion)
    """,
    # Consultations in an episode (the one covering their day), with its microstructure
    # and inclusion id; the patient's attributes are joined later, on fewer rows.
    """
    CREATE OR REPLACE VIEW ms_consultations AS
    SELECT e.microstructure, e.patient, e.inclusion, c.id, c.day, c.start_at,
           c.professional, c.role, c.status, c.mode, c.duration
    FROM events c
    JOIN ms_episodes e
      ON e.patient = c.patient AND c.day >= e.start AND (e."end" IS NULL OR c.day <= e."end")
    WHERE c.type = 'consultation'
    """,
    # Assessment scores: the recorded total, else intercept + points of each answer,
    # rounded half to even to the instrument's decimals (as `microstructure.eligibility`).
    """
    CREATE OR REPLACE VIEW ms_assessment_scores AS
    WITH a AS (
        SELECT id, patient, date, instrument, stage, answers, total
        FROM events WHERE type = 'assessment'
    ),
    items AS (
        SELECT id, instrument, i + 1 AS item,
               CAST(json_extract(answers, CAST(i AS INTEGER)) AS VARCHAR) AS answer
        FROM (
            SELECT id, instrument, answers,
                   unnest(range(CAST(json_array_length(answers) AS BIGINT))) AS i
            FROM a WHERE answers IS NOT NULL
        )
    ),
    summed AS (
        SELECT items.id, sum(p.points) AS points, count(p.points) AS found, count(*) AS given
        FROM items
        LEFT JOIN instrument_points p
          ON p.instrument = items.instrument AND p.item = items.item AND p.answer = items.answer
        GROUP BY items.id
    )
    SELECT a.id, a.patient, a.date, a.instrument, a.stage,
           CASE
               WHEN a.total IS NOT NULL THEN a.total
               WHEN s.found = s.given AND s.given = i.items
                   THEN CASE
                       WHEN i.decimals = 0 THEN CAST(trunc(i.intercept + s.points) AS DOUBLE)
                       ELSE CAST(round_even(
                           (i.intercept + s.points) * CAST(pow(10, i.decimals) AS BIGINT), 0
                       ) AS DOUBLE) / pow(10, i.decimals)
                   END
           END AS score
    FROM a
    LEFT JOIN summed s USING (id)
    LEFT JOIN instruments i USING (instrument)
    """,
)

#: The helper views' names, in creation order (`compute` keeps their rows for one call).
VIEW_NAMES: Final[tuple[str, ...]] = tuple(
    statement.split("VIEW", 1)[1].split()[0] for statement in VIEWS
)

# -- population macros -------------------------------------------------------------------

_ACTIVE = f"""
CREATE OR REPLACE MACRO pop_active_patients(p_start, p_end) AS TABLE
WITH counts AS (
    SELECT microstructure, patient,
           CAST(count(*) AS INTEGER) AS held_consultations,
           CAST(count(DISTINCT professional) FILTER (WHERE role <> 'gp') AS INTEGER)
               AS professionals_besides_gp,
           arg_max(inclusion, struct_pack(day, start_at, id)) AS inclusion
    FROM ms_consultations
    WHERE status = 'held' AND day BETWEEN p_start AND p_end
    GROUP BY microstructure, patient
),
discussed AS (
    SELECT DISTINCT microstructure, c.patient AS patient FROM (
        SELECT microstructure, unnest(cases) AS c FROM events
        WHERE type = 'rcp-meeting' AND date BETWEEN p_start AND p_end
    )
)
SELECT {_PATIENT}, k.held_consultations, k.professionals_besides_gp,
       d.patient IS NOT NULL AS discussed_at_rcp, g.annual_forfait
FROM counts k
JOIN ms_episode_info e ON e.inclusion = k.inclusion
LEFT JOIN discussed d ON d.microstructure = e.microstructure AND d.patient = e.patient
LEFT JOIN programs g ON g.program = e.program
"""

_INCLUSIONS = f"""
CREATE OR REPLACE MACRO pop_inclusions(p_start, p_end) AS TABLE
WITH first_held AS (
    SELECT inclusion, min(day) AS first_day FROM ms_consultations
    WHERE status = 'held' GROUP BY inclusion
)
SELECT {_PATIENT},
       CAST(date_diff('day', e.referral_date, f.first_day) AS INTEGER)
           AS days_to_first_consultation
FROM ms_episode_info e
LEFT JOIN first_held f ON f.inclusion = e.inclusion
WHERE e.start BETWEEN p_start AND p_end
"""

_EXITS = f"""
CREATE OR REPLACE MACRO pop_exits(p_start, p_end) AS TABLE
SELECT {_PATIENT}, e.reason
FROM ms_episode_info e
WHERE e."end" BETWEEN p_start AND p_end
"""

_CONSULTATIONS = f"""
CREATE OR REPLACE MACRO pop_consultations(p_start, p_end) AS TABLE
SELECT {_PATIENT}, c.role, c.status, c.mode, c.professional, d.minutes AS duration_minutes
FROM ms_consultations c
JOIN ms_episode_info e ON e.inclusion = c.inclusion
LEFT JOIN durations d ON d.duration = c.duration
WHERE c.day BETWEEN p_start AND p_end
"""

_RCP_MEETINGS = """
CREATE OR REPLACE MACRO pop_rcp_meetings(p_start, p_end) AS TABLE
SELECT microstructure,
       CAST(coalesce(len(cases), 0) AS INTEGER) AS cases,
       CAST(coalesce(len(attendees), 0) AS INTEGER) AS attendees
FROM events
WHERE type = 'rcp-meeting' AND date BETWEEN p_start AND p_end
"""

# Months whose first day is in the period.
_MONTHS = """
SELECT CAST(m AS DATE) AS month
FROM range(
    CAST(date_trunc('month', CAST(p_start AS DATE) - INTERVAL 1 DAY) + INTERVAL 1 MONTH
         AS TIMESTAMP),
    CAST(CAST(p_end AS DATE) + INTERVAL 1 DAY AS TIMESTAMP),
    INTERVAL 1 MONTH
) AS t(m)
"""

_RCP_EXPECTED = f"""
CREATE OR REPLACE MACRO pop_rcp_expected(p_start, p_end) AS TABLE
WITH months AS ({_MONTHS}),
owed AS (
    SELECT s.microstructure, months.month, max(coalesce(g.rcp_per_month, 1)) AS n
    FROM months
    JOIN memberships s
      ON s.valid_from <= months.month AND (s.valid_until IS NULL OR months.month <= s.valid_until)
    LEFT JOIN programs g ON g.program = s.program
    WHERE s.microstructure NOT IN (SELECT microstructure FROM scheduled)
    GROUP BY s.microstructure, months.month
)
SELECT microstructure, day FROM planned_sessions
WHERE activity = 'rcp' AND day BETWEEN p_start AND p_end
UNION ALL
SELECT microstructure, month AS day FROM (
    SELECT microstructure, month, unnest(range(n)) AS k FROM owed
)
"""

_RETENTION = f"""
CREATE OR REPLACE MACRO pop_retention(p_start, p_end) AS TABLE
SELECT {_PATIENT}, h.horizon_months,
       (e."end" IS NULL OR e."end" >= CAST(e.start + to_months(h.horizon_months) AS DATE))
           AS retained
FROM ms_episode_info e
CROSS JOIN (SELECT CAST(unnest([3, 6]) AS INTEGER) AS horizon_months) h
WHERE CAST(e.start + to_months(h.horizon_months) AS DATE) BETWEEN p_start AND p_end
"""

_SCORE_CHANGES = f"""
CREATE OR REPLACE MACRO pop_score_changes(p_start, p_end) AS TABLE
WITH scored AS (
    SELECT s.id, s.date, s.instrument, s.stage, s.score, e.inclusion, e.start
    FROM ms_assessment_scores s
    JOIN ms_episode_info e
      ON e.patient = s.patient AND s.date >= e.start AND (e."end" IS NULL OR s.date <= e."end")
    WHERE s.score IS NOT NULL
),
baseline AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY inclusion, instrument
            ORDER BY abs(date_diff('day', start, date)), date, id
        ) AS n
        FROM scored WHERE stage = 'inclusion'
    ) WHERE n = 1
),
follow_up AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY inclusion, instrument
            ORDER BY abs(date_diff('day', CAST(start + to_months(6) AS DATE), date)), date, id
        ) AS n
        FROM scored
        WHERE stage = 'follow-up'
          AND date BETWEEN CAST(start + to_months(4) AS DATE)
                       AND CAST(start + to_months(8) AS DATE)
    ) WHERE n = 1
)
SELECT {_PATIENT}, b.instrument, b.score AS baseline, f.score AS follow_up,
       f.score - b.score AS change,
       CASE WHEN t.points IS NOT NULL THEN b.score - f.score >= t.points END AS improved
FROM baseline b
JOIN follow_up f ON f.inclusion = b.inclusion AND f.instrument = b.instrument
JOIN ms_episode_info e ON e.inclusion = b.inclusion
LEFT JOIN improvement_thresholds t ON t.instrument = b.instrument
WHERE f.date BETWEEN p_start AND p_end
"""

# ISO weeks (Mondays) whose Thursday is in the period.
_WEEKS = """
SELECT CAST(w AS DATE) AS week
FROM range(
    CAST(date_trunc('week', CAST(p_start AS DATE)) AS TIMESTAMP),
    CAST(CAST(p_end AS DATE) + INTERVAL 1 DAY AS TIMESTAMP),
    INTERVAL 7 DAY
) AS t(w)
WHERE CAST(w + INTERVAL 3 DAY AS DATE) BETWEEN p_start AND p_end
"""

_PRESENCE = f"""
CREATE OR REPLACE MACRO pop_presence_weeks(p_start, p_end) AS TABLE
WITH weeks AS ({_WEEKS}),
roles AS (SELECT unnest(['psychologist', 'social-worker']) AS role),
planned AS (
    SELECT DISTINCT p.microstructure, p.role, p.week
    FROM planned_sessions p JOIN weeks ON weeks.week = p.week
    WHERE p.role IN ('psychologist', 'social-worker')
    UNION
    SELECT DISTINCT m.microstructure, m.role, weeks.week
    FROM members m JOIN roles ON roles.role = m.role CROSS JOIN weeks
    WHERE m.microstructure NOT IN (SELECT microstructure FROM scheduled)
),
held AS (
    SELECT DISTINCT microstructure, role, CAST(date_trunc('week', day) AS DATE) AS week
    FROM ms_consultations
    WHERE status = 'held' AND role IN ('psychologist', 'social-worker')
      AND day BETWEEN CAST(p_start AS DATE) - INTERVAL 6 DAY
                  AND CAST(p_end AS DATE) + INTERVAL 6 DAY
)
SELECT p.microstructure, p.role, p.week, h.week IS NOT NULL AS present
FROM planned p
LEFT JOIN held h ON h.microstructure = p.microstructure AND h.role = p.role AND h.week = p.week
"""


def _dated(statement: str) -> str:
    """The macro with its parameters read as dates (so that '2026-01-01' works too)."""
    head, body = statement.split("AS TABLE", 1)
    body = body.replace("p_start", "CAST(p_start AS DATE)").replace("p_end", "CAST(p_end AS DATE)")
    return f"{head}AS TABLE{body}"


#: The population table macros, one per population.
MACROS: Final[tuple[str, ...]] = tuple(
    _dated(m)
    for m in (
        _ACTIVE,
        _INCLUSIONS,
        _EXITS,
        _CONSULTATIONS,
        _RCP_MEETINGS,
        _RCP_EXPECTED,
        _RETENTION,
        _SCORE_CHANGES,
        _PRESENCE,
    )
)

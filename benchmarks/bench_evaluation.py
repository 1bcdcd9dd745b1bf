"""The full indicator catalogue on DuckDB, against hand-written DuckDB SQL on the same tables.

Run with ``python benchmarks/bench_evaluation.py [--patients 100000] [--teams 150]
[--sizes 0.1,1] [--huge | --copies 10] [--memory-limit 8GB] [--guard 3] [--repeats 5]
[--folder DIR] [--json FILE]``.

For each size (``--sizes`` times ``--patients`` patients; ``--huge`` adds 10x, about
30 million events and 9 GB of JSON Lines: an hour to generate on a 2-core machine, so
not by default; ``--copies 10`` adds the same 10x in minutes, as ten renamed copies of
the 1x file in one Parquet file: its own event ids, patient codes and microstructures per
copy, 1,500 microstructures; before timing it checks that every count of the catalogue is
ten times the 1x file's; the load is then compared with ``read_parquet``), it generates once (kept in ``--folder``, named by its parameters) a
year of care records with `microstructure.synthetic.generate`: a network of ``--teams``
microstructures with weekly psychologist and social-worker sessions and a monthly RCP.
Then, in the same process, after checking that both sides give the same figures:

- load: `microstructure.evaluation.Database.add_records` (a fresh database, schedule
  expanded, the file read by DuckDB, typed, de-duplicated by event id) against DuckDB's own
  ``read_json`` of the same file into a table, typed columns given, the day and start
  instant derived, de-duplicated by id (``QUALIFY row_number()``);
- catalogue: `microstructure.evaluation.compute` of every shipped indicator at network
  level for the year, against one hand-written SQL query over the store's tables
  (``events``, ``org``, ``programs``, ``planned_sessions``, ``instrument_points``,
  ``instruments``, ``improvement_thresholds``) computing the same numerators,
  denominators, counts and values: episodes with window functions and ``ASOF`` joins,
  each population once, then every indicator from them.

``--memory-limit`` sets DuckDB's ``memory_limit`` on both sides (spilling to disk in
``--folder``); ``--guard`` stops the run, not the machine, when less than that many GiB
are available. Peak memory (VmHWM) is measured apart, in a fresh interpreter per side and size:
`Database` + ``add_records`` + ``compute`` for the library, ``read_json`` + the query for
the peer.
"""

# ruff: noqa: S608 - the SQL here is built from this script's constants, never from input

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pendulum
from _fixtures import network, schedules
from _harness import compare, main, note, parser, require_equal

#: Bump when `generate` changes what it writes, so that cached files are made again.
GENERATOR_VERSION = 2
YEAR = 2026
START, END = f"{YEAR}-01-01", f"{YEAR}-12-31"
DIGITS = 9  # significant digits compared: sums of doubles in another order differ below

#: The input columns of a records line, typed, for DuckDB's reader (the peer of the load).
READ_COLUMNS = {
    "type": "VARCHAR",
    "id": "VARCHAR",
    "recorded_at": "TIMESTAMPTZ",
    "patient": "VARCHAR",
    "birth_year": "INTEGER",
    "sex": "VARCHAR",
    "national_pseudonym": "VARCHAR",
    "department": "VARCHAR",
    "date": "DATE",
    "microstructure": "VARCHAR",
    "referrer": "VARCHAR",
    "indications": "VARCHAR[]",
    "substances": "VARCHAR[]",
    "situations": "VARCHAR[]",
    "instrument": "VARCHAR",
    "stage": "VARCHAR",
    "answers": "JSON",
    "total": "DOUBLE",
    "program": "VARCHAR",
    "decision": "STRUCT(outcome VARCHAR, policy VARCHAR, policy_version VARCHAR)",
    "start": "VARCHAR",
    "professional": "VARCHAR",
    "role": "VARCHAR",
    "status": "VARCHAR",
    "mode": "VARCHAR",
    "duration": "VARCHAR",
    "session": "VARCHAR",
    "attendees": "VARCHAR[]",
    "cases": "STRUCT(patient VARCHAR, outcome VARCHAR)[]",
    "reason": "VARCHAR",
}


def _read_json(path: Path) -> str:
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in READ_COLUMNS.items())
    return f"read_json('{path}', format = 'newline_delimited', columns = {{{columns}}})"


def peer_load(path: Path) -> Any:
    """DuckDB's own reader: the file into a typed table, one row per event id (latest wins).

    Like the store, it derives each event's day and a consultation's start instant. A
    ``.parquet`` file is read by ``read_parquet`` (its columns are already typed).
    """
    import duckdb  # noqa: PLC0415 - timed side

    con = duckdb.connect()
    _limit(con)
    source = (
        f"(SELECT * REPLACE (CAST(answers AS JSON) AS answers) FROM read_parquet('{path}'))"
        if path.suffix == ".parquet"
        else _read_json(path)
    )
    con.execute(
        "CREATE TABLE events AS SELECT *, "
        "coalesce(date, TRY_CAST(left(start, 10) AS DATE)) AS day, "
        "TRY_CAST(start AS TIMESTAMPTZ) AS start_at "
        f"FROM {source} WHERE type IS NOT NULL "
        "QUALIFY row_number() OVER (PARTITION BY id ORDER BY recorded_at DESC) = 1"
    )
    return con


# -- the hand-written catalogue ----------------------------------------------------------

POPULATIONS = """
WITH
person AS (
    SELECT patient, arg_min(sex, id) AS sex, arg_min(birth_year, id) AS birth_year
    FROM events WHERE type = 'patient' GROUP BY patient
),
steps AS (
    SELECT patient, id, type, date, microstructure, program, reason,
           row_number() OVER (PARTITION BY patient ORDER BY date, type = 'exit', id) AS rn
    FROM events WHERE type IN ('inclusion', 'exit')
),
marked AS (SELECT *, lag(type) OVER (PARTITION BY patient ORDER BY rn) AS prev FROM steps),
closing AS (SELECT patient, rn, date, reason FROM marked WHERE type = 'exit' AND prev = 'inclusion'),
episode AS (
    SELECT o.patient, o.id AS inclusion, o.microstructure, o.program, o.date AS start,
           x.date AS stop, x.reason
    FROM (SELECT * FROM marked WHERE type = 'inclusion' AND (prev IS NULL OR prev = 'exit')) o
    ASOF LEFT JOIN closing x ON x.patient = o.patient AND o.rn < x.rn
),
referral AS (
    SELECT patient, microstructure, date, indications, substances
    FROM events WHERE type = 'referral'
),
referred AS (
    SELECT e.*, r.date AS referred, coalesce(r.indications, []) AS indications,
           coalesce(r.substances, []) AS substances
    FROM episode e
    ASOF LEFT JOIN referral r
      ON r.patient = e.patient AND r.microstructure = e.microstructure AND e.start >= r.date
),
info AS (
    SELECT r.*, o.network, coalesce(p.sex, 'unknown') AS sex, p.birth_year
    FROM referred r JOIN org o USING (microstructure) LEFT JOIN person p USING (patient)
),
visit AS (
    SELECT e.inclusion, e.microstructure, e.network, e.patient, c.id, c.day, c.start_at,
           c.professional, c.role, c.status
    FROM (SELECT * FROM events WHERE type = 'consultation') c
    ASOF JOIN info e ON c.patient = e.patient AND c.day >= e.start
    WHERE e.stop IS NULL OR c.day <= e.stop
),
visit_p AS (SELECT * FROM visit WHERE day BETWEEN p_start AND p_end),
discussed AS (
    SELECT DISTINCT microstructure, unnest(cases).patient AS patient
    FROM events WHERE type = 'rcp-meeting' AND date BETWEEN p_start AND p_end
),
held AS (
    SELECT microstructure, patient, count(*) AS held,
           count(DISTINCT professional) FILTER (WHERE role <> 'gp') AS others,
           arg_max(inclusion, start_at) AS inclusion
    FROM visit_p WHERE status = 'held' GROUP BY microstructure, patient
),
active AS (
    SELECT e.network, e.program, e.sex, p_year - e.birth_year AS age, e.indications,
           e.substances, h.others, d.patient IS NOT NULL AS discussed, g.annual_forfait
    FROM held h
    JOIN info e USING (inclusion)
    LEFT JOIN discussed d ON d.microstructure = h.microstructure AND d.patient = h.patient
    LEFT JOIN programs g ON g.program = e.program
),
first_held AS (
    SELECT inclusion, min(day) AS first_day FROM visit WHERE status = 'held' GROUP BY inclusion
),
included AS (
    SELECT e.network, date_diff('day', e.referred, f.first_day) AS days
    FROM info e LEFT JOIN first_held f USING (inclusion)
    WHERE e.start BETWEEN p_start AND p_end
),
left_ AS (SELECT network, reason FROM info WHERE stop BETWEEN p_start AND p_end),
retention AS (
    SELECT e.network, h.months,
           e.stop IS NULL OR e.stop >= CAST(e.start + to_months(h.months) AS DATE) AS retained
    FROM info e, (VALUES (3), (6)) h(months)
    WHERE CAST(e.start + to_months(h.months) AS DATE) BETWEEN p_start AND p_end
),
assessed AS (
    SELECT id, patient, date, instrument, stage, answers, total
    FROM events WHERE type = 'assessment'
),
answered AS (
    SELECT id, instrument, unnest(given) AS answer, generate_subscripts(given, 1) AS item
    FROM (SELECT id, instrument, CAST(answers AS VARCHAR[]) AS given
          FROM assessed WHERE answers IS NOT NULL)
),
points AS (
    SELECT a.id, sum(p.points) AS points
    FROM answered a
    JOIN instrument_points p USING (instrument, item, answer)
    GROUP BY a.id
),
scored AS (
    SELECT a.id, a.date, a.instrument, a.stage, e.inclusion, e.start, e.network,
           coalesce(a.total, CAST(i.intercept + s.points AS DOUBLE)) AS score
    FROM assessed a
    ASOF JOIN info e ON a.patient = e.patient AND a.date >= e.start
    LEFT JOIN points s ON s.id = a.id
    LEFT JOIN instruments i ON i.instrument = a.instrument
    WHERE e.stop IS NULL OR a.date <= e.stop
),
baseline AS (
    SELECT inclusion, instrument, score FROM scored WHERE stage = 'inclusion'
    QUALIFY row_number() OVER (
        PARTITION BY inclusion, instrument ORDER BY abs(date_diff('day', start, date)), date, id
    ) = 1
),
follow_up AS (
    SELECT inclusion, instrument, network, date, score FROM scored
    WHERE stage = 'follow-up'
      AND date BETWEEN CAST(start + to_months(6) - to_months(2) AS DATE)
                   AND CAST(start + to_months(6) + to_months(2) AS DATE)
    QUALIFY row_number() OVER (
        PARTITION BY inclusion, instrument
        ORDER BY abs(date_diff('day', CAST(start + to_months(6) AS DATE), date)), date, id
    ) = 1
),
changes AS (
    SELECT f.network, b.instrument, f.score - b.score AS change,
           CASE WHEN t.points IS NOT NULL THEN b.score - f.score >= t.points END AS improved
    FROM baseline b
    JOIN follow_up f USING (inclusion, instrument)
    LEFT JOIN improvement_thresholds t ON t.instrument = b.instrument
    WHERE f.date BETWEEN p_start AND p_end
),
meetings AS (
    SELECT o.network, coalesce(len(m.cases), 0) AS cases
    FROM events m JOIN org o USING (microstructure)
    WHERE m.type = 'rcp-meeting' AND m.date BETWEEN p_start AND p_end
),
expected AS (
    SELECT o.network FROM planned_sessions s JOIN org o USING (microstructure)
    WHERE s.activity = 'rcp' AND s.day BETWEEN p_start AND p_end
),
weeks AS (
    SELECT DISTINCT microstructure, role, week FROM planned_sessions
    WHERE role IN ('psychologist', 'social-worker') AND week + 3 BETWEEN p_start AND p_end
),
held_weeks AS (
    SELECT DISTINCT microstructure, role, CAST(date_trunc('week', day) AS DATE) AS week
    FROM visit WHERE status = 'held'
),
presence AS (
    SELECT o.network, w.role, h.week IS NOT NULL AS present
    FROM weeks w
    JOIN org o USING (microstructure)
    LEFT JOIN held_weeks h USING (microstructure, role, week)
)
"""

#: (id, numerator SQL, denominator SQL or None, rows behind each, FROM, by column, scale).
_COUNT = "count(*)"
_RATIOS: tuple[tuple[str, str, str | None, str, str | None, int], ...] = (
    ("active-file", _COUNT, None, "active", None, 1),
    ("new-inclusions", _COUNT, None, "included", None, 1),
    ("exits", _COUNT, None, "left_", "reason", 1),
    ("multiprofessional-follow-up", "count(*) FILTER (WHERE others >= 2)", _COUNT, "active", None, 100),
    ("missed-consultations", "count(*) FILTER (WHERE status = 'missed')",
     "count(*) FILTER (WHERE status IN ('held', 'missed'))", "visit_p", None, 100),
    ("rcp-held", "(SELECT count(*) FROM meetings m WHERE m.network = u.network)",
     "(SELECT count(*) FROM expected x WHERE x.network = u.network)", "org", None, 100),
    ("cases-per-rcp", "sum(cases)", _COUNT, "meetings", None, 1),
    ("patients-discussed-at-rcp", "count(*) FILTER (WHERE discussed)", _COUNT, "active", None, 100),
    ("retention-3-months", "count(*) FILTER (WHERE months = 3 AND retained)",
     "count(*) FILTER (WHERE months = 3)", "retention", None, 100),
    ("retention-6-months", "count(*) FILTER (WHERE months = 6 AND retained)",
     "count(*) FILTER (WHERE months = 6)", "retention", None, 100),
    ("share-of-women", "count(*) FILTER (WHERE sex = 'female')",
     "count(*) FILTER (WHERE sex IN ('female', 'male'))", "active", None, 100),
    ("sex-ratio", "count(*) FILTER (WHERE sex = 'male')", "count(*) FILTER (WHERE sex = 'female')",
     "active", None, 1),
    ("psychologist-presence", "count(*) FILTER (WHERE role = 'psychologist' AND present)",
     "count(*) FILTER (WHERE role = 'psychologist')", "presence", None, 100),
    ("social-worker-presence", "count(*) FILTER (WHERE role = 'social-worker' AND present)",
     "count(*) FILTER (WHERE role = 'social-worker')", "presence", None, 100),
    ("score-improvement", "count(*) FILTER (WHERE improved)",
     "count(*) FILTER (WHERE improved IS NOT NULL)", "changes", "instrument", 100),
    ("forfait-cost", "sum(annual_forfait)", None, "active", "program", 1),
)  # fmt: skip


def _numerator_rows(numerator: str) -> str:
    """The rows behind a numerator: its FILTER, those with a value for a sum, or every row."""
    if "FILTER" in numerator:
        return "count(*) " + numerator[numerator.index("FILTER") :]
    if numerator.startswith("sum("):
        return "count(" + numerator.removeprefix("sum(")
    return _COUNT


def _select(row: tuple[str, str, str | None, str, str | None, int]) -> str:
    name, numerator, denominator, source, by, _ = row
    if source == "org":  # meetings and expected meetings come from two tables
        return (
            f"SELECT '{name}' AS indicator, u.network AS unit, NULL AS by, {numerator} AS num, "
            f"{denominator} AS den, {numerator} AS n, {denominator} AS d "
            "FROM (SELECT DISTINCT network FROM org) u"
        )
    group = "network" if by is None else f"GROUPING SETS ((network), (network, {by}))"
    by_value = "NULL" if by is None else by
    if denominator is None:
        return (
            f"SELECT '{name}', network, {by_value}, {numerator}, NULL, "
            f"{_numerator_rows(numerator)}, NULL FROM {source} GROUP BY {group}"
        )
    return (
        f"SELECT '{name}', network, {by_value}, {numerator}, {denominator}, "
        f"{_numerator_rows(numerator)}, {denominator} FROM {source} GROUP BY {group}"
    )


def _aggregates() -> list[str]:
    parts = [_select(row) for row in _RATIOS]
    for name, function in (("median", "median"), ("q1", "quantile_cont({}, 0.25)"),
                           ("q3", "quantile_cont({}, 0.75)")):  # fmt: skip
        call = function.format("days") if "{}" in function else f"{function}(days)"
        parts.append(
            f"SELECT 'days-to-first-consultation-{name}', network, NULL, {call}, NULL, "
            "count(*), NULL FROM included WHERE days IS NOT NULL GROUP BY network"
        )
    parts += [
        (
            "SELECT 'mean-age', network, NULL, avg(age), NULL, count(*), NULL FROM active "
            "WHERE age IS NOT NULL GROUP BY network"
        ),
        (
            "SELECT 'median-age', network, NULL, median(age), NULL, count(*), NULL FROM active "
            "WHERE age IS NOT NULL GROUP BY network"
        ),
        (
            "SELECT 'score-change', network, instrument, avg(change), NULL, count(*), NULL "
            "FROM changes GROUP BY GROUPING SETS ((network), (network, instrument))"
        ),
        # held consultations by role, over every active patient of the network
        (
            "SELECT 'consultations-per-patient', v.network, v.role, v.num, a.den, v.num, a.den "
            "FROM (SELECT network, role, count(*) AS num FROM visit_p WHERE status = 'held' "
            "GROUP BY GROUPING SETS ((network), (network, role))) v "
            "JOIN (SELECT network, count(*) AS den FROM active GROUP BY network) a USING (network)"
        ),
    ]
    for name, column in (("indications", "indications"), ("substances", "substances")):
        parts.append(
            f"SELECT '{name}', c.network, c.category, c.num, a.den, c.num, a.den FROM ("
            f"SELECT network, NULL AS category, count(*) AS num FROM active GROUP BY network "
            f"UNION ALL SELECT network, category, count(*) FROM "
            f"(SELECT network, unnest({column}) AS category FROM active) GROUP BY ALL) c "
            "JOIN (SELECT network, count(*) AS den FROM active GROUP BY network) a USING (network)"
        )
    return parts


def peer_sql(start: str = START, end: str = END) -> str:
    """The hand-written query: every indicator of the catalogue at network level."""
    body = "\nUNION ALL\n".join(_aggregates())
    head = POPULATIONS.replace("p_start", f"DATE '{start}'").replace("p_end", f"DATE '{end}'")
    head = head.replace("p_year", f"year(DATE '{end}')")
    return f"{head}\nSELECT * FROM (\n{body}\n)"


_SCALES = {row[0]: row[5] for row in _RATIOS} | {"indications": 100, "substances": 100}


def _shown(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return float(f"{number:.{DIGITS}g}")


def peer_figures(rows: list[tuple[Any, ...]]) -> dict[tuple[str, str, str | None], tuple[Any, ...]]:
    """The peer's rows as ``(indicator, unit, by) -> (count, denominator count, num, den, value)``."""
    out = {}
    for name, unit, by, num, den, n, d in rows:
        if den is None:
            value = num
        else:
            value = (
                None if not den or num is None else float(num) / float(den) * _SCALES.get(name, 1)
            )
        out[name, unit, by] = (
            int(n),
            None if d is None else int(d),
            _shown(num),
            _shown(den),
            _shown(value),
        )
    return {k: v for k, v in out.items() if k[2] is None or v[0]}


def library_figures(table: Any) -> dict[tuple[str, str, str | None], tuple[Any, ...]]:
    """The library's network cells, without breakdown, in the peer's shape."""
    out = {}
    for cell in table.cells:
        if cell.breakdown is not None or cell.category is not None:
            continue
        if cell.by is not None and not cell.count:
            continue  # categories with no row: the library lists them, the query does not
        out[cell.indicator, cell.unit, cell.by] = (
            cell.count,
            cell.denominator_count,
            _shown(cell.numerator),
            _shown(cell.denominator),
            _shown(cell.value),
        )
    return out


# -- data, children, rows ---------------------------------------------------------------


#: DuckDB's memory limit on both sides (``--memory-limit``), spilling to ``_SPILL``.
_MEMORY: dict[str, str] = {}


def _limit(con: Any) -> None:
    """Apply ``--memory-limit`` to a connection (both sides, same limit)."""
    if _MEMORY:
        con.execute(f"SET memory_limit = '{_MEMORY['limit']}'")
        con.execute(f"SET temp_directory = '{_MEMORY['spill']}'")


def _guard(minimum_gib: float) -> None:
    """Stop this process (not the machine) when the machine's available memory runs low."""
    import os  # noqa: PLC0415
    import threading  # noqa: PLC0415

    def watch() -> None:
        while True:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemAvailable:") and int(line.split()[1]) < minimum_gib * 2**20:
                    print(f"memory guard: under {minimum_gib} GiB available, stopped", flush=True)
                    os._exit(3)
            time.sleep(1)

    threading.Thread(target=watch, daemon=True).start()


def _teams(count: int, copies: int = 1) -> tuple[Any, Any]:
    """``count`` microstructures: ``copies`` renamed copies of ``count // copies`` of them."""
    base = network(count // copies)
    national, schedule = schedules(base, pendulum.date(YEAR, 1, 1))
    if copies == 1:
        return national, schedule
    import attrs  # noqa: PLC0415

    size = len(base.microstructures)

    def renamed(text: str, index: int, new: int) -> str:
        return f"{text.removesuffix(f'-{index}')}-{new}"

    teams, rules = [], []
    for copy in range(copies):
        for index, (ms, team) in enumerate(
            zip(base.microstructures, schedule.schedules, strict=True)
        ):
            new = copy * size + index
            site = attrs.evolve(ms.site, id=renamed(ms.site.id, index, new))
            members = tuple(attrs.evolve(p, id=renamed(p.id, index, new)) for p in ms.members)
            teams.append(attrs.evolve(ms, id=f"ms-{new}", site=site, members=members))
            rules.append(attrs.evolve(team, microstructure=f"ms-{new}"))
    replicated = attrs.evolve(base, microstructures=tuple(teams))
    return (
        attrs.evolve(national, networks=(replicated,)),
        attrs.evolve(schedule, schedules=tuple(rules)),
    )


def _renumbered(column: str, teams: int) -> str:
    """A team-scoped id ``name-<i>`` of copy ``k`` as ``name-<k * teams + i>``."""
    return (
        f"CASE WHEN regexp_matches({column}, '-[0-9]+$') THEN "
        f"regexp_extract({column}, '^(.*)-[0-9]+$', 1) || '-' || "
        f"CAST({teams} * k + CAST(regexp_extract({column}, '-([0-9]+)$', 1) AS INTEGER) "
        f"AS VARCHAR) ELSE {column} || '-x' || k END"
    )


def _copies_file(source: Path, copies: int, teams: int) -> Path:
    """``copies`` renamed copies of a records file in one Parquet file (cached).

    Copy ``k`` has its own event ids, patient codes and national pseudonyms (suffix
    ``-x<k>``) and its own microstructures (``ms-<i>`` becomes ``ms-<k * teams + i>``, and
    so do the professionals' and referrers' ids): a network ``copies`` times larger,
    every figure of which is the sum of ``copies`` identical networks.
    """
    import duckdb  # noqa: PLC0415

    target = source.with_name(f"{source.stem}-x{copies}.parquet")
    if target.exists():
        return target
    start = time.perf_counter()
    suffixed = ("id", "patient", "national_pseudonym")
    scoped = ("microstructure", "professional", "referrer")
    select = []
    for name in READ_COLUMNS:
        if name in suffixed:
            select.append(f"{name} || '-x' || k AS {name}")
        elif name in scoped:
            select.append(f"{_renumbered(name, teams)} AS {name}")
        elif name == "attendees":
            select.append(
                f"list_transform(attendees, lambda a: {_renumbered('a', teams)}) AS attendees"
            )
        elif name == "cases":
            select.append(
                "list_transform(cases, lambda c: struct_pack(patient := c.patient || '-x' || k, "
                "outcome := c.outcome)) AS cases"
            )
        else:
            select.append(f'"{name}"')
    partial = target.with_suffix(".partial")
    con = duckdb.connect()
    _limit(con)
    con.execute(
        f"COPY (SELECT {', '.join(select)} FROM {_read_json(source)}, range({copies}) r(k) "
        f"WHERE type IS NOT NULL) TO '{partial}' (FORMAT parquet)"
    )
    con.close()
    partial.rename(target)
    took = time.perf_counter() - start
    print(f"wrote {copies} renamed copies of {source.name} in {took:.0f} s -> {target}")
    return target


def _programs() -> dict[str, Any]:
    """The shipped programs, droit commun with a forfait as a network would configure it."""
    import attrs  # noqa: PLC0415

    from microstructure.programs import program, programs  # noqa: PLC0415

    common = attrs.evolve(program("droit-commun"), annual_forfait_per_patient=480)
    return {**programs(), common.id: common}


def _database(teams: int, copies: int = 1) -> Any:
    from microstructure.evaluation import Database  # noqa: PLC0415

    national, schedule = _teams(teams, copies)
    db = Database(national, schedule=schedule, programs=_programs())
    _limit(db.connection)
    return db


def _file(folder: Path, patients: int, teams: int, seed: int) -> Path:
    from microstructure.records import write_records  # noqa: PLC0415 - parent only
    from microstructure.synthetic import generate  # noqa: PLC0415

    path = folder / f"care-{patients}p-{teams}ms-{seed}-g{GENERATOR_VERSION}.jsonl"
    if not path.exists():
        national, schedule = _teams(teams)
        start = time.perf_counter()
        partial = path.with_suffix(".partial")
        count = write_records(
            partial, generate(patients=patients, seed=seed, teams=national, schedule=schedule)
        )
        partial.rename(path)
        took = time.perf_counter() - start
        print(f"generated {count:,} events for {patients:,} patients in {took:.0f} s -> {path}")
    return path


def _vmhwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1  # pragma: no cover - not Linux


def _child(kind: str, path: str, teams: int, copies: int) -> None:
    if kind == "ours":
        from microstructure.evaluation import compute  # noqa: PLC0415

        with _database(teams, copies) as db:
            db.add_records(path)
            compute(db, periods=[str(YEAR)], levels=["network"])
    else:
        con = peer_load(Path(path))
        _reference_tables(con, teams, copies)
        con.execute(peer_sql()).fetchall()
    print(json.dumps({"vmhwm_kb": _vmhwm_kb()}))


def _reference_tables(con: Any, teams: int, copies: int = 1) -> None:
    """The store's reference tables, copied for the peer's child (memory only)."""
    with _database(teams, copies) as db:
        for name in ("org", "programs", "planned_sessions", "instrument_points", "instruments",
                     "improvement_thresholds"):  # fmt: skip
            rows = db.connection.execute(f"SELECT * FROM {name}").fetchall()
            kinds = db.connection.execute(f"DESCRIBE {name}").fetchall()
            columns = ", ".join(f'"{c[0]}" {c[1]}' for c in kinds)
            con.execute(f"CREATE TABLE {name} ({columns})")
            if rows:
                marks = ", ".join("?" for _ in kinds)
                con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)


def _peak(kind: str, path: Path, teams: int, copies: int, guard: float) -> float:
    limit = _MEMORY.get("limit", "-")
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            str(path),
            str(teams),
            str(copies),
            limit,
            str(guard),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.splitlines()[-1])["vmhwm_kb"] / 1024  # type: ignore[no-any-return]


def _counts_by_cell(table: Any) -> dict[tuple[str, str | None], tuple[int, int | None]]:
    """The counts behind each network cell (no breakdown): ``(count, denominator count)``."""
    return {
        (cell.indicator, cell.by): (cell.count, cell.denominator_count)
        for cell in table.cells
        if cell.breakdown is None and cell.category is None
    }


def _check_copies(args: argparse.Namespace, base: Path, copied: Path, copies: int) -> None:
    """Every count of the copied file is ``copies`` times the base file's, before timing."""
    from microstructure.evaluation import compute  # noqa: PLC0415

    tables = []
    for path, factor in ((base, 1), (copied, copies)):
        with _database(args.teams * factor, factor) as db:
            db.add_records(path)
            tables.append(compute(db, periods=[str(YEAR)], levels=["network"]))
    one, many = (_counts_by_cell(t) for t in tables)
    scaled = {
        key: (count * copies, None if den is None else den * copies)
        for key, (count, den) in one.items()
    }
    require_equal(
        f"{copies} renamed copies against {copies} x the base file's counts", many, scaled
    )
    note(
        f"{copies} renamed copies of {base.name}: every count and denominator count of the "
        f"catalogue ({len(many)} network cells) is {copies} times the base file's"
    )


def _size(args: argparse.Namespace, folder: Path, patients: int, copies: int = 1) -> None:
    from microstructure.evaluation import compute  # noqa: PLC0415

    teams = args.teams * copies
    path = _file(folder, patients // copies, args.teams, args.seed)
    if copies > 1:
        base, path = path, _copies_file(path, copies, args.teams)
        _check_copies(args, base, path, copies)
    megabytes = path.stat().st_size / 2**20
    kind = "Parquet" if path.suffix == ".parquet" else "JSON Lines"

    def ours_load() -> int:
        with _database(teams, copies) as db:
            db.add_records(path)
            (count,) = db.connection.execute("SELECT count(*) FROM events").fetchone()
        return int(count)

    def peer_load_count() -> int:
        con = peer_load(path)
        (count,) = con.execute("SELECT count(*) FROM events").fetchone()
        con.close()
        return int(count)

    reader = "read_parquet" if path.suffix == ".parquet" else "read_json"
    compare(
        f"load {patients:,} patients ({megabytes:,.0f} MiB of {kind}): Database.add_records",
        ours_load,
        peer_load_count,
        peer_name=f"DuckDB {reader} into a typed table, de-duplicated by id",
        repeats=args.repeats,
        aim="<= 1.5x",
    )
    with _database(teams, copies) as db:
        db.add_records(path)
        con = db.connection
        counts = dict(con.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
        query = peer_sql()
        compare(
            f"full catalogue, network level, {patients:,} patients: compute",
            lambda: library_figures(compute(db, periods=[str(YEAR)], levels=["network"])),
            lambda: peer_figures(con.execute(query).fetchall()),
            peer_name="hand-written DuckDB SQL, same tables",
            repeats=args.repeats,
            aim="<= 1.5x",
        )
    note(
        f"{patients:,} patients: {sum(counts.values()):,} events "
        f"({counts.get('consultation', 0):,} consultations), {teams:,} microstructures, "
        f"{megabytes:,.0f} MiB of {kind}"
        + (
            f" ({copies} renamed copies of the {patients // copies:,}-patient file)"
            if copies > 1
            else ""
        )
        + (f"; DuckDB memory_limit {_MEMORY['limit']} on both sides" if _MEMORY else "")
    )
    if not args.no_memory:
        ours = _peak("ours", path, args.teams * copies, copies, args.guard)
        peer = _peak("peer", path, args.teams * copies, copies, args.guard)
        note(
            f"{patients:,} patients: peak resident memory {ours:,.0f} MiB for Database, "
            f"add_records and compute ({peer:,.0f} MiB for {reader} and the query), "
            "VmHWM of a fresh interpreter"
        )


def run(args: argparse.Namespace) -> None:
    """Every size in turn."""
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    if args.memory_limit:
        _MEMORY.update(limit=args.memory_limit, spill=str(folder / "spill"))
    _guard(args.guard)
    sizes = [float(s) for s in args.sizes.split(",") if s] + ([10.0] if args.huge else [])
    for size in sizes:
        _size(args, folder, max(1, round(args.patients * size)))
    if args.copies:
        _size(args, folder, args.patients * args.copies, args.copies)
    elif not args.huge:
        note(
            f"{args.patients * 10:,} patients (10x): behind --huge or --copies 10, not run "
            "here: generating its 30 million events (9 GB) takes about an hour on a 2-core "
            "machine; --copies 10 builds it in minutes from the 1x file"
        )


def _arguments() -> argparse.ArgumentParser:
    arguments = parser(__doc__ or "")
    arguments.set_defaults(repeats=5)
    arguments.add_argument("--patients", type=int, default=100_000)
    arguments.add_argument("--teams", type=int, default=150, help="microstructures (150)")
    arguments.add_argument("--sizes", default="0.1,1", help="factors of --patients (0.1,1)")
    arguments.add_argument("--huge", action="store_true", help="also 10x --patients (an hour)")
    arguments.add_argument(
        "--copies",
        type=int,
        default=0,
        help="also N x --patients, as N renamed copies of the 1x file in Parquet (minutes)",
    )
    arguments.add_argument(
        "--memory-limit", help="DuckDB memory_limit on both sides, e.g. 8GB (spills to disk)"
    )
    arguments.add_argument(
        "--guard", type=float, default=3.0, help="stop if the machine has under N GiB free (3)"
    )
    arguments.add_argument("--seed", type=int, default=2026)
    arguments.add_argument("--no-memory", action="store_true", help="skip the peak-memory runs")
    arguments.add_argument(
        "--folder", default=str(Path(tempfile.gettempdir()) / "microstructure-bench-evaluation")
    )
    arguments.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    return arguments


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, child_path, child_teams, child_copies, child_limit, child_guard = sys.argv[
            sys.argv.index("--child") + 1 :
        ][:6]
        if child_limit != "-":
            _MEMORY.update(limit=child_limit, spill=str(Path(child_path).parent / "spill"))
        _guard(float(child_guard))
        _child(kind, child_path, int(child_teams), int(child_copies))
    else:
        main(run, _arguments())

"""The synthetic nation, or one of its networks, loaded into an evaluation `Database`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from microstructure.errors import FieldError, NotFoundError
from microstructure.evaluation import Database
from microstructure.programs import programs
from microstructure.scheduling import NetworkSchedule
from microstructure.synthetic._nation import Nation
from microstructure.teams import NationalCoordination, Network

__all__ = ["nation_database"]


def nation_database(
    nation: Nation,
    *,
    network: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Database:
    """A `Database` holding the nation's teams, schedules, program overrides and records.

    With ``network`` (an id), only that network: its team file, its microstructures'
    schedules and its records, a small part of the nation that loads in a fraction of a
    second (about 4,000 events for a network at scale 1). The records go through a
    temporary JSON Lines file, read by `Database.add_records` as any export would be.
    With ``path`` the database is a DuckDB file. Close it (or use ``with``) when done.

    Raises:
        FieldError: if ``nation`` is not a `Nation`.
        NotFoundError: if no network has the id ``network``.

    Examples:
        >>> from microstructure.evaluation import compute
        >>> from microstructure.synthetic import nation, nation_database
        >>> with nation_database(nation(seed=1), network="reseau-fictif-974") as db:
        ...     table = compute(db, ["active-file"], periods=["2023"])
        >>> [c.unit for c in table.cells]
        ['reseau-fictif-974']
    """
    from microstructure.records import write_records  # noqa: PLC0415

    if not isinstance(nation, Nation):
        raise FieldError(type(nation).__name__, "a Nation", field="nation")
    teams: Network | NationalCoordination = nation.teams
    schedule = nation.schedule
    if network is not None:
        found = next((n for n in nation.teams.networks if n.id == network), None)
        if found is None:
            raise NotFoundError(
                kind="network", code=network, expected="the id of a network of the nation"
            )
        ids = {ms.id for ms in found.microstructures}
        schedule = NetworkSchedule(
            schedules=tuple(s for s in schedule.schedules if s.microstructure in ids)
        )
        teams = found
    database = Database(
        teams, path=path, schedule=schedule, programs=programs(overrides=nation.programs)
    )
    try:
        with tempfile.TemporaryDirectory(prefix="microstructure-nation-") as folder:
            records = Path(folder) / "records.jsonl"
            with records.open("w", encoding="utf-8", newline="\n") as out:
                write_records(out, nation.events(network=network))
            database.add_records(records)
    except BaseException:
        database.close()
        raise
    return database

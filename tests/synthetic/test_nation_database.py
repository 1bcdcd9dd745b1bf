"""synthetic.nation_database: one network of the nation in an evaluation Database."""

import pytest

from microstructure.errors import FieldError, NotFoundError
from microstructure.evaluation import compute
from microstructure.records import Patient
from microstructure.synthetic import nation, nation_database

NETWORK = "reseau-fictif-974"


def test_one_network_holds_its_teams_and_all_its_events():
    """The org table is the network's; every generated event is loaded, once."""
    synthetic = nation(seed=2)
    events = list(synthetic.events(network=NETWORK))
    network = next(n for n in synthetic.teams.networks if n.id == NETWORK)
    with nation_database(synthetic, network=NETWORK) as database:
        con = database.connection
        org = {row[0] for row in con.execute("SELECT microstructure FROM org").fetchall()}
        loaded = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        table = compute(database, ["active-file"], periods=["2021-01-01/2023-12-31"])
    assert org == {ms.id for ms in network.microstructures}
    assert loaded == len(events)
    patients = {e.patient for e in events if isinstance(e, Patient)}
    assert table.cell("active-file", NETWORK).value == len(patients)


def test_unknown_network_and_wrong_nation_are_refused():
    """An unknown network id is a NotFoundError, anything but a Nation a FieldError."""
    with pytest.raises(NotFoundError):
        nation_database(nation(seed=2), network="reseau-fictif-00")
    with pytest.raises(FieldError):
        nation_database("nation")  # type: ignore[arg-type]

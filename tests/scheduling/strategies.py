"""Hypothesis strategies for scheduling: sessions held and held-sessions files."""

from hypothesis import strategies as st
from tests.strategies import DATES, IDS

from microstructure.programs import Activity
from microstructure.scheduling import HeldSession, HeldSessions, SessionStatus

HELD_SESSIONS = st.builds(
    HeldSession,
    microstructure=IDS,
    activity=st.sampled_from(Activity),
    date=DATES,
    status=st.sampled_from(SessionStatus),
)
HELD_FILES = st.builds(HeldSessions, sessions=st.lists(HELD_SESSIONS, max_size=6).map(tuple))

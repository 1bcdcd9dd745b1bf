"""The recurring activities of a microstructure."""

from __future__ import annotations

import enum

from microstructure.vocabulary._role import Role

__all__ = ["Activity"]


class Activity(enum.StrEnum):
    """A recurring activity of a microstructure whose frequency a program sets.

    Examples:
        >>> from microstructure.vocabulary import Activity
        >>> Activity("rcp").role is None
        True
    """

    PSYCHOLOGIST_CONSULTATIONS = "psychologist-consultations"
    SOCIAL_WORKER_CONSULTATIONS = "social-worker-consultations"
    PSYCHIATRIST_SESSIONS = "psychiatrist-sessions"
    RCP = "rcp"

    @property
    def role(self) -> Role | None:
        """The role that runs the activity (``None`` for the whole-team RCP)."""
        return _ACTIVITY_ROLES[self]


_ACTIVITY_ROLES = {
    Activity.PSYCHOLOGIST_CONSULTATIONS: Role.PSYCHOLOGIST,
    Activity.SOCIAL_WORKER_CONSULTATIONS: Role.SOCIAL_WORKER,
    Activity.PSYCHIATRIST_SESSIONS: Role.PSYCHIATRIST,
    Activity.RCP: None,
}

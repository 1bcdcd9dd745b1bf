"""The recurring activities of a microstructure."""

from __future__ import annotations

from microstructure._labels import Labelled, labels
from microstructure.vocabulary._role import Role

__all__ = ["Activity"]


class Activity(Labelled):
    """A recurring activity of a microstructure whose frequency a program sets.

    Like every code with labels, it has an English ``label`` and a French ``label_fr``.

    Examples:
        >>> from microstructure.vocabulary import Activity
        >>> Activity("rcp").role is None
        True
        >>> Activity.RCP.label_fr
        'Réunion de concertation (RCP)'
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
labels(
    Activity,
    {
        Activity.PSYCHOLOGIST_CONSULTATIONS: (
            "Psychologist consultations",
            "Consultations psychologue",
        ),
        Activity.SOCIAL_WORKER_CONSULTATIONS: (
            "Social-worker consultations",
            "Permanence travailleur social",
        ),
        Activity.PSYCHIATRIST_SESSIONS: ("Psychiatrist session", "Séance psychiatre"),
        Activity.RCP: ("Multidisciplinary case meeting (RCP)", "Réunion de concertation (RCP)"),
    },
)

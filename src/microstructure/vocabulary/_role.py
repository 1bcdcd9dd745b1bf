"""The roles of a team's members."""

from __future__ import annotations

from microstructure._labels import Labelled, labels

__all__ = ["Role"]


class Role(Labelled):
    """The role a professional holds in a microstructure or a network.

    Examples:
        >>> from microstructure.vocabulary import Role
        >>> Role("gp").label_fr
        'médecin généraliste'
    """

    GENERAL_PRACTITIONER = "gp"
    PSYCHOLOGIST = "psychologist"
    SOCIAL_WORKER = "social-worker"
    PSYCHIATRIST = "psychiatrist"
    MEDICAL_COORDINATOR = "medical-coordinator"
    ADMINISTRATIVE_COORDINATOR = "administrative-coordinator"


labels(
    Role,
    {
        Role.GENERAL_PRACTITIONER: ("general practitioner", "médecin généraliste"),
        Role.PSYCHOLOGIST: ("psychologist", "psychologue"),
        Role.SOCIAL_WORKER: ("social worker", "travailleur social"),
        Role.PSYCHIATRIST: ("psychiatrist", "médecin psychiatre"),
        Role.MEDICAL_COORDINATOR: ("medical coordinator", "coordinateur médical"),
        Role.ADMINISTRATIVE_COORDINATOR: (
            "administrative coordinator",
            "coordinateur administratif",
        ),
    },
)

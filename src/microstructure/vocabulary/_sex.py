"""The one sex code of the library, for identities and for screening thresholds."""

from __future__ import annotations

from microstructure._labels import Labelled, labels

__all__ = ["Sex"]


class Sex(Labelled):
    """Administrative sex of a person, with the codes of FHIR's *AdministrativeGender*.

    One enum serves every subpackage: an `microstructure.identifiers.Identity` (where
    ``female`` and ``male`` enter the pseudonym as their ISO/IEC 5218 digits ``2`` and
    ``1``, ``other`` and ``unknown`` both as ``0``) and an
    `microstructure.eligibility.Situation` (where ``other`` and ``unknown`` count as a
    missing sex for sex-specific thresholds such as AUDIT-C's).

    Examples:
        >>> from microstructure.vocabulary import Sex
        >>> Sex("female"), Sex.MALE.label_fr
        (<Sex.FEMALE: 'female'>, 'homme')
    """

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


labels(
    Sex,
    {
        Sex.FEMALE: ("female", "femme"),
        Sex.MALE: ("male", "homme"),
        Sex.OTHER: ("other", "autre"),
        Sex.UNKNOWN: ("unknown", "inconnu"),
    },
)

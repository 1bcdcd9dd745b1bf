"""The URIs, code systems and small builders the export shares: one place for every system.

External systems are those of HL7 and of the French FHIR core guide (FR Core): RPPS
numbers with the system of the ANS directory, SNOMED CT occupations for the clinical
roles. The library's own codes (roles, programs, site kinds, identifiers of teams and
events) live under a ``base`` URL that the exporting organisation chooses.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from microstructure.errors import FieldError
from microstructure.vocabulary import Role

__all__ = [
    "DATA_ABSENT_REASON",
    "DEFAULT_BASE",
    "SNOMED",
    "Ids",
    "check_base",
    "coding",
    "role_concept",
    "systems",
]

#: The default base of the library's own code systems and identifier systems. ``.invalid``
#: is a top-level domain reserved never to resolve (RFC 6761): give your own with ``base=``.
DEFAULT_BASE = "https://microstructure.invalid/fhir"

SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
_DATA_ABSENT_CODES = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
RPPS = "https://rpps.esante.gouv.fr"
IDNPS = "urn:oid:1.2.250.1.71.4.2.1"
FR_IDENTIFIER_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"
MEASURE_SCORING = "http://terminology.hl7.org/CodeSystem/measure-scoring"
MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"
ISO_4217 = "urn:iso:std:iso:4217"

# SNOMED CT occupations of the four clinical roles (the example binding of
# CareTeam.participant.role and PractitionerRole.code is SNOMED CT based). The
# coordination roles have no SNOMED CT occupation of the same meaning: own code only.
_SNOMED_ROLES: Mapping[Role, tuple[str, str]] = MappingProxyType(
    {
        Role.GENERAL_PRACTITIONER: ("62247001", "General practitioner"),
        Role.PSYCHOLOGIST: ("59944000", "Psychologist"),
        Role.SOCIAL_WORKER: ("106328005", "Social worker"),
        Role.PSYCHIATRIST: ("80584001", "Psychiatrist"),
    }
)

# The library's own systems, relative to the base.
_OWN = {
    "role": "CodeSystem/role",
    "program": "CodeSystem/program",
    "site-kind": "CodeSystem/site-kind",
    "level": "CodeSystem/level",
    "dimension": "CodeSystem/dimension",
    "category": "CodeSystem/category",
    "disclosure-mask": "StructureDefinition/disclosure-mask",
    "reporting-unit": "StructureDefinition/reporting-unit",
    "expression-language": "expression-language",
    "national-coordination": "sid/national-coordination",
    "network": "sid/network",
    "microstructure": "sid/microstructure",
    "site": "sid/site",
    "professional": "sid/professional",
    "anonymous-code": "sid/anonymous-code",
    "national-pseudonym": "sid/national-pseudonym",
    "event": "sid/event",
    "indicator": "sid/indicator",
    "region": "sid/region",
    "measure": "Measure",
}


def check_base(base: object) -> str:
    """``base`` without a trailing slash, if it is an http(s) URL; else a `FieldError`."""
    if (
        not isinstance(base, str)
        or not base.startswith(("https://", "http://"))
        or any(c.isspace() for c in base)
        or len(base.rstrip("/")) <= len("https://")
    ):
        raise FieldError(base, "an http(s) URL such as 'https://example.org/fhir'", field="base")
    return base.rstrip("/")


def systems(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Every system URI the export writes, by name: the library's own under ``base``, then HL7's and France's.

    Examples:
        >>> from microstructure.fhir import systems
        >>> systems()["rpps"]
        'https://rpps.esante.gouv.fr'
        >>> systems("https://cnrms.example.org/fhir")["anonymous-code"]
        'https://cnrms.example.org/fhir/sid/anonymous-code'
    """
    root = check_base(base)
    found = {name: f"{root}/{path}" for name, path in _OWN.items()}
    found.update(
        {
            "rpps": RPPS,
            "idnps": IDNPS,
            "fr-identifier-type": FR_IDENTIFIER_TYPE,
            "snomed-ct": SNOMED,
            "ucum": UCUM,
            "iso-4217": ISO_4217,
            "data-absent-reason": DATA_ABSENT_REASON,
            "data-absent-reason-codes": _DATA_ABSENT_CODES,
            "v3-act-code": ACT_CODE,
            "v3-participation-type": PARTICIPATION_TYPE,
            "v3-observation-value": OBSERVATION_VALUE,
            "measure-scoring": MEASURE_SCORING,
            "measure-population": MEASURE_POPULATION,
        }
    )
    return found


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A FHIR Coding."""
    found: dict[str, Any] = {"system": system, "code": code}
    if display is not None:
        found["display"] = display
    return found


def role_concept(role: Role, own: str) -> dict[str, Any]:
    """The CodeableConcept of a role: the library's code, and SNOMED CT's for clinical roles."""
    codings = [coding(own, role.value, role.label)]
    if role in _SNOMED_ROLES:
        code, display = _SNOMED_ROLES[role]
        codings.append(coding(SNOMED, code, display))
    return {"coding": codings, "text": role.label_fr}


class Ids:
    """Deterministic resource ids: uuid5 of a key under a namespace made from the base."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.systems = systems(base)
        self._namespace = uuid.uuid5(uuid.NAMESPACE_URL, base)

    def id(self, key: str) -> str:
        """The resource id (a uuid) of ``key`` (``"Patient/K3M7-QXVG"``)."""
        return str(uuid.uuid5(self._namespace, key))

    def url(self, key: str) -> str:
        """The ``urn:uuid:`` full URL of ``key``, which references point to."""
        return f"urn:uuid:{self.id(key)}"

    def ref(self, key: str) -> dict[str, str]:
        """A Reference to the resource of ``key``."""
        return {"reference": self.url(key)}

    def identifier(self, system: str, value: str) -> dict[str, str]:
        """An Identifier in one of the library's own systems."""
        return {"system": self.systems[system], "value": value}

    def absent(self, code: str) -> dict[str, Any]:
        """The data-absent-reason extension with ``code`` (``masked``, ``not-a-number``…)."""
        return {"url": DATA_ABSENT_REASON, "valueCode": code}

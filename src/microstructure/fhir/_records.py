"""Care records as FHIR: Patient (pseudonymous), EpisodeOfCare, Encounter.

A patient carries only codes: the anonymous code (and the national pseudonym when
computed) as identifiers, the administrative gender and the birth year. The department
of residence is not exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from microstructure.fhir._systems import (
    ACT_CODE,
    OBSERVATION_VALUE,
    PARTICIPATION_TYPE,
    UCUM,
    Ids,
    coding,
    role_concept,
)
from microstructure.fhir._teams import TeamIndex
from microstructure.records import (
    CareFile,
    Consultation,
    ConsultationMode,
    ConsultationStatus,
    Episode,
    Event,
    Patient,
)
from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["record_resources"]

Resource = dict[str, Any]

# Encounter.class (v3 ActCode): ambulatory on site, home health at home, virtual otherwise.
_CLASS = {
    ConsultationMode.ON_SITE: ("AMB", "ambulatory"),
    ConsultationMode.HOME_VISIT: ("HH", "home health"),
    ConsultationMode.PHONE: ("VR", "virtual"),
    ConsultationMode.VIDEO: ("VR", "virtual"),
}
_PSEUDONYMIZED = coding(OBSERVATION_VALUE, "PSEUDED", "pseudonymized")


def _patient(ids: Ids, code: str, record: Patient | None) -> Resource:
    identifiers = [ids.identifier("anonymous-code", code)]
    resource: Resource = {"resourceType": "Patient", "meta": {"security": [_PSEUDONYMIZED]}}
    if record is not None and record.national_pseudonym is not None:
        identifiers.append(ids.identifier("national-pseudonym", record.national_pseudonym))
    resource["identifier"] = identifiers
    if record is not None:
        resource["gender"] = record.sex.value
        resource["birthDate"] = f"{record.birth_year:04d}"
    return resource


def _episode(ids: Ids, patient: str, episode: Episode, index: TeamIndex) -> Resource:
    period = {"start": episode.start.isoformat()}
    if episode.end is not None:
        period["end"] = episode.end.isoformat()
    resource: Resource = {
        "resourceType": "EpisodeOfCare",
        "identifier": [ids.identifier("event", episode.inclusion)],
        "status": "active" if episode.end is None else "finished",
        "type": [{"coding": [coding(ids.systems["program"], episode.program)]}],
        "patient": ids.ref(patient),
    }
    organization = index.network_of.get(episode.microstructure)
    if organization is not None:
        resource["managingOrganization"] = ids.ref(organization)
    resource["period"] = period
    team = index.teams.get(episode.microstructure)
    if team is not None:
        resource["team"] = [ids.ref(team)]
    return resource


def _encounter(
    ids: Ids, patient: str, consultation: Consultation, episode: Episode | None, index: TeamIndex
) -> Resource:
    code, display = _CLASS[consultation.mode]
    end = consultation.start + consultation.duration
    participant: Resource = {
        "type": [
            {"coding": [coding(PARTICIPATION_TYPE, "PPRF", "primary performer")]},
            role_concept(consultation.role, ids.systems["role"]),
        ]
    }
    ms = None if episode is None else episode.microstructure
    role_key = index.roles.get((ms or "", consultation.professional, consultation.role.value))
    person_key = index.practitioners.get(consultation.professional)
    if role_key is not None:
        participant["individual"] = ids.ref(role_key)
    elif person_key is not None:
        participant["individual"] = ids.ref(person_key)
    resource: Resource = {
        "resourceType": "Encounter",
        "identifier": [ids.identifier("event", consultation.id)],
        "status": "finished",
        "class": coding(ACT_CODE, code, display),
        "subject": ids.ref(patient),
    }
    if episode is not None:
        resource["episodeOfCare"] = [ids.ref(f"EpisodeOfCare/{episode.inclusion}")]
    resource["participant"] = [participant]
    resource["period"] = {"start": consultation.start.isoformat(), "end": end.isoformat()}
    resource["length"] = {
        "value": round(consultation.duration.total_seconds() / 60, 2),
        "unit": "min",
        "system": UCUM,
        "code": "min",
    }
    if ms is not None and ms in index.sites:
        resource["location"] = [{"location": ids.ref(index.sites[ms])}]
    if ms is not None and ms in index.network_of:
        resource["serviceProvider"] = ids.ref(index.network_of[ms])
    return resource


def record_resources(
    ids: Ids,
    teams: Microstructure | Network | NationalCoordination,
    events: Iterable[Event],
    index: TeamIndex,
) -> dict[str, Resource]:
    """Patients, their episodes and their held consultations, by key, patient by patient."""
    care = CareFile(teams, events, strict=False)
    found: dict[str, Resource] = {}
    records: dict[str, Patient] = {}
    consultations: dict[str, list[Consultation]] = {}
    for event in care.events:  # canonical order: patients by code, events by date
        if isinstance(event, Patient):
            records.setdefault(event.patient.value, event)
        elif isinstance(event, Consultation) and event.status is ConsultationStatus.HELD:
            consultations.setdefault(event.patient.value, []).append(event)
    for code in care.patients:
        key = f"Patient/{code.value}"
        found[key] = _patient(ids, code.value, records.get(code.value))
        episodes = care.episodes(code)
        for episode in episodes:
            found[f"EpisodeOfCare/{episode.inclusion}"] = _episode(ids, key, episode, index)
        for consultation in consultations.get(code.value, ()):
            day = consultation.start.date()
            covering = next((e for e in episodes if e.covers(day)), None)
            found[f"Encounter/{consultation.id}"] = _encounter(
                ids, key, consultation, covering, index
            )
    return found

"""The team file as FHIR: Organization, Location, Practitioner, PractitionerRole, CareTeam.

Professionals are exported with their identifiers only (the library's id and the RPPS
number): their display names stay in the team file.
"""

from __future__ import annotations

from typing import Any

import attrs

from microstructure.fhir._systems import FR_IDENTIFIER_TYPE, IDNPS, RPPS, Ids, coding, role_concept
from microstructure.teams import (
    Microstructure,
    NationalCoordination,
    Network,
    Professional,
)

__all__ = ["TeamIndex", "team_resources"]

Resource = dict[str, Any]


@attrs.define
class TeamIndex:
    """Where each part of the team file went: the keys of its resources, for the records."""

    networks: dict[str, str] = attrs.Factory(dict)
    """Network id → key of its Organization."""
    network_of: dict[str, str] = attrs.Factory(dict)
    """Microstructure id → key of its network's Organization."""
    roles: dict[tuple[str, str, str], str] = attrs.Factory(dict)
    """(microstructure id, professional id, role) → key of the PractitionerRole."""
    practitioners: dict[str, str] = attrs.Factory(dict)
    """Professional id → key of the Practitioner."""
    sites: dict[str, str] = attrs.Factory(dict)
    """Microstructure id → key of its site's Location."""
    teams: dict[str, str] = attrs.Factory(dict)
    """Microstructure id → key of its CareTeam."""
    top: str | None = None
    """Key of the top Organization (national coordination, or the lone network)."""


def _practitioner(ids: Ids, person: Professional) -> Resource:
    identifiers: list[dict[str, Any]] = [ids.identifier("professional", person.id)]
    if person.rpps is not None:
        identifiers.append(
            {
                "use": "official",
                "type": {"coding": [coding(FR_IDENTIFIER_TYPE, "RPPS", "N° RPPS")]},
                "system": RPPS,
                "value": person.rpps,
            }
        )
        identifiers.append(
            {
                "use": "official",
                "type": {
                    "coding": [
                        coding(
                            FR_IDENTIFIER_TYPE,
                            "IDNPS",
                            "Identifiant National de Professionnel de Santé",
                        )
                    ]
                },
                "system": IDNPS,
                "value": "8" + person.rpps,
            }
        )
    return {"resourceType": "Practitioner", "identifier": identifiers}


class _Builder:
    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        self.index = TeamIndex()
        self.resources: dict[str, Resource] = {}

    def add(self, key: str, resource: Resource) -> None:
        if key not in self.resources:
            self.resources[key] = resource

    def practitioner(self, person: Professional) -> str:
        key = f"Practitioner/{person.id}"
        self.add(key, _practitioner(self.ids, person))
        self.index.practitioners.setdefault(person.id, key)
        return key

    def role(
        self,
        key: str,
        person: Professional,
        organization: str | None,
        location: str | None,
    ) -> None:
        own = self.ids.systems["role"]
        resource: Resource = {
            "resourceType": "PractitionerRole",
            "active": True,
            "practitioner": self.ids.ref(self.practitioner(person)),
        }
        if organization is not None:
            resource["organization"] = self.ids.ref(organization)
        resource["code"] = [role_concept(person.role, own)]
        if location is not None:
            resource["location"] = [self.ids.ref(location)]
        self.add(key, resource)

    def network(self, network: Network, parent: str | None) -> str:
        key = f"Organization/network/{network.id}"
        self.index.networks.setdefault(network.id, key)
        resource: Resource = {
            "resourceType": "Organization",
            "identifier": [self.ids.identifier("network", network.id)],
            "active": True,
            "name": network.name,
            "address": [{"state": network.region, "country": "FR"}],
        }
        if parent is not None:
            resource["partOf"] = self.ids.ref(parent)
        self.add(key, resource)
        for person in network.coordination:
            role_key = f"PractitionerRole/network/{network.id}/{person.id}/{person.role.value}"
            self.role(role_key, person, key, None)
        return key

    def microstructure(self, ms: Microstructure, organization: str | None) -> None:
        if ms.id in self.index.teams:
            return  # the first of a duplicated id wins, as in microstructures_of
        site_key = f"Location/{ms.site.id}"
        site: Resource = {
            "resourceType": "Location",
            "identifier": [self.ids.identifier("site", ms.site.id)],
            "status": "active",
            "name": ms.site.name,
            "mode": "instance",
            "type": [
                {
                    "coding": [
                        coding(
                            self.ids.systems["site-kind"], ms.site.kind.value, ms.site.kind.label_fr
                        )
                    ]
                }
            ],
            "address": {"district": ms.site.department, "country": "FR"},
        }
        if organization is not None:
            site["managingOrganization"] = self.ids.ref(organization)
        self.add(site_key, site)
        self.index.sites[ms.id] = site_key
        participants = []
        for person in ms.members:
            role_key = f"PractitionerRole/{ms.id}/{person.id}/{person.role.value}"
            self.role(role_key, person, organization, site_key)
            self.index.roles[(ms.id, person.id, person.role.value)] = role_key
            participants.append(
                {
                    "role": [role_concept(person.role, self.ids.systems["role"])],
                    "member": self.ids.ref(role_key),
                }
            )
        team_key = f"CareTeam/{ms.id}"
        team: Resource = {
            "resourceType": "CareTeam",
            "identifier": [self.ids.identifier("microstructure", ms.id)],
            "status": "active",
            "name": ms.name,
            "participant": participants,
        }
        if organization is not None:
            team["managingOrganization"] = [self.ids.ref(organization)]
        self.add(team_key, team)
        self.index.teams[ms.id] = team_key
        if organization is not None:
            self.index.network_of[ms.id] = organization


def team_resources(
    ids: Ids, teams: Microstructure | Network | NationalCoordination
) -> tuple[dict[str, Resource], TeamIndex]:
    """The resources of a team file by key, in file order, and where each part went."""
    builder = _Builder(ids)
    if isinstance(teams, NationalCoordination):
        top = "Organization/national"
        builder.add(
            top,
            {
                "resourceType": "Organization",
                "identifier": [ids.identifier("national-coordination", "FR")],
                "active": True,
                "name": teams.name,
                "address": [{"country": "FR"}],
            },
        )
        builder.index.top = top
        networks: tuple[Network, ...] = teams.networks
    elif isinstance(teams, Network):
        networks = (teams,)
        top = None
    else:
        networks = ()
        top = None
    for network in networks:
        key = builder.network(network, top)
        if builder.index.top is None:
            builder.index.top = key
        for ms in network.microstructures:
            builder.microstructure(ms, key)
    if isinstance(teams, Microstructure):
        builder.microstructure(teams, None)
    return builder.resources, builder.index

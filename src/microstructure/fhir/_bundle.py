"""The Bundle: every resource of a team file, its records and a report, with stable URLs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final

from microstructure.errors import FieldError
from microstructure.evaluation import Indicator, Report
from microstructure.fhir._measures import measure_resources, report_resources
from microstructure.fhir._records import record_resources
from microstructure.fhir._systems import DEFAULT_BASE, Ids, check_base
from microstructure.fhir._teams import team_resources
from microstructure.io import Format
from microstructure.records import Event
from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["FORMAT", "FORMAT_SYSTEM", "bundle", "dumps"]

#: The format name and version of the Bundles this library writes: the mapping of
#: `docs/reference/fhir-mapping.md`. A release that changes the mapping raises the version.
FORMAT: Final = Format("microstructure-fhir", 1)
#: The system of the ``Bundle.meta.tag`` that carries `FORMAT`, the same for every base URL.
FORMAT_SYSTEM: Final = "urn:microstructure:format"

# The order of resources in the Bundle: the team file, the records, the evaluation.
_ORDER = (
    "Organization",
    "Location",
    "Practitioner",
    "PractitionerRole",
    "CareTeam",
    "Patient",
    "EpisodeOfCare",
    "Encounter",
    "Measure",
    "MeasureReport",
)


def _indicators(given: Iterable[Indicator] | None, report: Report | None) -> list[Indicator]:
    from microstructure.evaluation import indicators  # noqa: PLC0415 - reads the catalogue

    chosen = list(indicators().values()) if given is None else list(given)
    for item in chosen:
        if not isinstance(item, Indicator):
            raise FieldError(type(item).__name__, "an evaluation Indicator", field="indicators")
    if report is not None:
        known = {item.id for item in chosen}
        chosen += [item for item in report.table.indicators if item.id not in known]
    return chosen


def bundle(
    teams: Microstructure | Network | NationalCoordination,
    events: Iterable[Event] = (),
    report: Report | None = None,
    *,
    indicators: Iterable[Indicator] | None = None,
    base: str = DEFAULT_BASE,
) -> dict[str, Any]:
    """A FHIR R4B Bundle (type ``collection``) as JSON-ready data: no FHIR library needed.

    The team file gives Organizations (the national coordination, each network),
    Locations (sites), Practitioners and PractitionerRoles (professionals, with their
    RPPS number where given, never their names) and one CareTeam per microstructure;
    the events give pseudonymous Patients (codes, administrative gender and birth year
    only), one EpisodeOfCare per episode and one Encounter per held consultation; each
    indicator (the shipped catalogue by default, and those of ``report``) gives a
    Measure, and ``report`` one MeasureReport per indicator and period, masked cells
    carrying a data-absent reason. The Bundle carries the library's format name and
    version as a ``meta.tag`` (`FORMAT`, system `FORMAT_SYSTEM`). Every ``fullUrl`` is a ``urn:uuid:`` made from the
    ids with uuid5 under ``base``, and every reference points inside the Bundle: the
    same input gives the same Bundle. ``base`` is the URL of your own code and
    identifier systems (see `systems`).

    Raises:
        FieldError: if ``teams``, ``report``, an indicator or ``base`` is of the wrong kind.

    Examples:
        >>> from microstructure.examples import example_national
        >>> from microstructure.fhir import bundle
        >>> from microstructure.synthetic import generate
        >>> found = bundle(example_national(), generate(patients=2, seed=1))
        >>> found["resourceType"], found["type"], found["meta"]["tag"][0]["code"]
        ('Bundle', 'collection', 'microstructure-fhir')
        >>> patient = next(e["resource"] for e in found["entry"]
        ...                if e["resource"]["resourceType"] == "Patient")
        >>> sorted(patient)
        ['birthDate', 'gender', 'id', 'identifier', 'meta', 'resourceType']
        >>> found == bundle(example_national(), generate(patients=2, seed=1))
        True
    """
    given: object = teams
    if not isinstance(given, Microstructure | Network | NationalCoordination):
        expected = "a Microstructure, a Network or a NationalCoordination"
        raise FieldError(type(given).__name__, expected, field="teams")
    if report is not None and not isinstance(report, Report):
        raise FieldError(type(report).__name__, "an evaluation Report", field="report")
    ids = Ids(check_base(base))
    resources, index = team_resources(ids, teams)
    resources.update(record_resources(ids, teams, events, index))
    chosen = _indicators(indicators, report)
    resources.update(measure_resources(ids, chosen))
    if report is not None:
        by_id = {item.id: item for item in reversed(chosen)}
        resources.update(report_resources(ids, report, index, by_id))
    entries = []
    ordered = sorted(resources.items(), key=lambda item: _ORDER.index(item[1]["resourceType"]))
    for key, resource in ordered:
        identifier = ids.id(key)
        kind = resource["resourceType"]
        body = {"resourceType": kind, "id": identifier}
        body.update((name, value) for name, value in resource.items() if name != "resourceType")
        entries.append({"fullUrl": f"urn:uuid:{identifier}", "resource": body})
    tag = {"system": FORMAT_SYSTEM, "code": FORMAT.name, "version": str(FORMAT.version)}
    return {
        "resourceType": "Bundle",
        "meta": {"tag": [tag]},
        "type": "collection",
        "entry": entries,
    }


def dumps(found: dict[str, Any]) -> str:
    r"""The JSON text of a Bundle: one entry per line, UTF-8 characters kept, a final newline.

    Compact JSON with a line break before each entry: a national bundle of a hundred
    megabytes is written at the speed of the C encoder, and files compare line by line.

    Examples:
        >>> from microstructure.examples import example_network
        >>> from microstructure.fhir import bundle, dumps
        >>> text = dumps(bundle(example_network(), indicators=()))
        >>> lines = text.splitlines()
        >>> lines[0][:36], lines[1][:10]
        ('{"resourceType":"Bundle","meta":{"ta', '{"fullUrl"')
        >>> import json
        >>> json.loads(text) == bundle(example_network(), indicators=())
        True
    """
    given: object = found
    if not isinstance(given, dict) or not isinstance(given.get("entry", []), list):
        raise FieldError(type(given).__name__, "a Bundle as a dict", field="bundle")

    def text(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = {key: value for key, value in found.items() if key != "entry"}
    opening = text(head)[:-1]
    entries = found.get("entry", [])
    if not entries:
        return text(found) + "\n"
    separator = "," if head else ""
    lines = ",\n".join(text(entry) for entry in entries)
    return f'{opening}{separator}"entry":[\n{lines}\n]}}\n'

"""FHIR R4B export: teams, pseudonymous care records and evaluation reports as one Bundle.

Health information systems exchange HL7 FHIR. `bundle` turns a team file, its care
records and a published report into a Bundle of plain JSON-ready data (no FHIR library
is needed at run time); `dumps` writes it as text, byte for byte the same for the same
input. Patients are pseudonymous: an anonymous code, an administrative gender and a
birth year, nothing else. `systems` lists the code and identifier systems used.

Examples:
    >>> from microstructure.examples import example_national
    >>> from microstructure.fhir import bundle
    >>> kinds = [e["resource"]["resourceType"] for e in bundle(example_national())["entry"]]
    >>> kinds[:2], kinds.count("CareTeam"), kinds.count("Measure") > 20
    (['Organization', 'Organization'], 4, True)
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.fhir._bundle import FORMAT, FORMAT_SYSTEM, bundle, dumps
    from microstructure.fhir._measures import EXPRESSION_LANGUAGE
    from microstructure.fhir._systems import DEFAULT_BASE, systems

__all__ = [
    "DEFAULT_BASE",
    "EXPRESSION_LANGUAGE",
    "FORMAT",
    "FORMAT_SYSTEM",
    "bundle",
    "dumps",
    "systems",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.fhir._bundle": ("FORMAT", "FORMAT_SYSTEM", "bundle", "dumps"),
            "microstructure.fhir._measures": ("EXPRESSION_LANGUAGE",),
            "microstructure.fhir._systems": ("DEFAULT_BASE", "systems"),
        },
    )

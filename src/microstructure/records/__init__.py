"""Care pathway records: pseudonymous events, their lifecycle rules and their exchange format.

The GP refers a patient of their own practice (`Referral`), the team assesses
(`Assessment`) and includes them (`Inclusion`, which opens an episode), the psychologist
and the social worker see them every week (`Consultation`), their case is discussed at the
monthly meeting (`RcpMeeting`), and one day they leave (`Exit`). A `Patient` is known by an
anonymous code, never by name.

- `CareFile` keeps one site's or one network's events valid (or, lenient, with findings);
- `validate` and `validate_file` check events against the team file, `MS-REC-…` findings;
- `read_records`, `write_records`, `iter_records`: the JSON Lines exchange format;
- `merge` and `merge_files` merge the files of several sites; `import_csv` reads tables.
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.records._carefile import CareFile, LifecycleError, validate
    from microstructure.records._csv import CSV_COLUMNS, import_csv
    from microstructure.records._jsonl import (
        FORMAT,
        VERSION,
        LineError,
        dumps_records,
        iter_records,
        loads_records,
        parse_line,
        read_records,
        write_records,
    )
    from microstructure.records._merge import merge, merge_files
    from microstructure.records._model import (
        Assessment,
        AssessmentStage,
        Consultation,
        ConsultationMode,
        ConsultationStatus,
        DecisionSnapshot,
        Event,
        Exit,
        ExitReason,
        Inclusion,
        Patient,
        RcpCase,
        RcpMeeting,
        RcpOutcome,
        Referral,
        session_ref,
    )
    from microstructure.records._rules import Episode, event_day, sort_key
    from microstructure.records._situation import situation
    from microstructure.records._stream import ValidationReport, validate_file
    from microstructure.records._tags import EVENT_TYPES, event_type

__all__ = [
    "CSV_COLUMNS",
    "EVENT_TYPES",
    "FORMAT",
    "VERSION",
    "Assessment",
    "AssessmentStage",
    "CareFile",
    "Consultation",
    "ConsultationMode",
    "ConsultationStatus",
    "DecisionSnapshot",
    "Episode",
    "Event",
    "Exit",
    "ExitReason",
    "Inclusion",
    "LifecycleError",
    "LineError",
    "Patient",
    "RcpCase",
    "RcpMeeting",
    "RcpOutcome",
    "Referral",
    "ValidationReport",
    "dumps_records",
    "event_day",
    "event_type",
    "import_csv",
    "iter_records",
    "loads_records",
    "merge",
    "merge_files",
    "parse_line",
    "read_records",
    "session_ref",
    "situation",
    "sort_key",
    "validate",
    "validate_file",
    "write_records",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.records._carefile": (
                "CareFile",
                "LifecycleError",
                "validate",
            ),
            "microstructure.records._csv": (
                "CSV_COLUMNS",
                "import_csv",
            ),
            "microstructure.records._jsonl": (
                "FORMAT",
                "VERSION",
                "LineError",
                "dumps_records",
                "iter_records",
                "loads_records",
                "parse_line",
                "read_records",
                "write_records",
            ),
            "microstructure.records._merge": (
                "merge",
                "merge_files",
            ),
            "microstructure.records._model": (
                "Assessment",
                "AssessmentStage",
                "Consultation",
                "ConsultationMode",
                "ConsultationStatus",
                "DecisionSnapshot",
                "Event",
                "Exit",
                "ExitReason",
                "Inclusion",
                "Patient",
                "RcpCase",
                "RcpMeeting",
                "RcpOutcome",
                "Referral",
                "session_ref",
            ),
            "microstructure.records._rules": (
                "Episode",
                "event_day",
                "sort_key",
            ),
            "microstructure.records._situation": ("situation",),
            "microstructure.records._stream": (
                "ValidationReport",
                "validate_file",
            ),
            "microstructure.records._tags": ("EVENT_TYPES", "event_type"),
        },
    )

"""`CareFile`: one site's or one network's records, kept valid (or with their findings)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from microstructure.errors import ErrorDetail, FieldError, Finding, Severity, ValidationError
from microstructure.identifiers import AnonymousCode
from microstructure.programs import Program
from microstructure.records._model import Event, RcpMeeting
from microstructure.records._rules import (
    Episode,
    PatientSummary,
    Rules,
    canonical,
    check_meeting,
    check_patient,
    conflict,
    sort_key,
)
from microstructure.records._tags import check_event
from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["CareFile", "LifecycleError", "validate"]


class LifecycleError(ValidationError):
    """An event breaks a lifecycle rule of the care pathway; nothing was changed.

    Attributes:
        findings: The error findings the event would have caused, each with its code.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.identifiers import AnonymousCode
        >>> from microstructure.records import CareFile, Exit, LifecycleError
        >>> care = CareFile(example_national())
        >>> try:
        ...     care.add(Exit(id="x-1", recorded_at=pendulum.datetime(2026, 6, 1, 9),
        ...                   patient=AnonymousCode.parse("K3M7-QXVG"),
        ...                   date=pendulum.date(2026, 6, 1), reason="moved"))
        ... except LifecycleError as exc:
        ...     print(sorted(f.code for f in exc.findings))
        ['MS-REC-013', 'MS-REC-014']
        >>> len(care)
        0
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(sorted(findings, key=lambda f: f.sort_key))
        details = [ErrorDetail(path=f.path, message=f"{f.code} {f.message}") for f in self.findings]
        super().__init__(details, subject="care file event")


def _patient_of(event: Event) -> str | None:
    return None if isinstance(event, RcpMeeting) else event.patient.value


def _case_patients(event: Event) -> set[str]:
    if isinstance(event, RcpMeeting):
        return {case.patient.value for case in event.cases}
    return set()


class CareFile:
    """The records of one site or one network, checked against its team file.

    Events are kept by id: a version with a later ``recorded_at`` replaces the earlier
    one (a correction), an identical one is ignored (a file sent twice). In strict mode
    (the default) `add` refuses an event that breaks a lifecycle rule with a
    `LifecycleError` and leaves the file unchanged; with ``strict=False`` it keeps the
    event and the finding, listed by `findings`. The state never depends on the order
    in which events were added, except for what strict mode refuses.

    Examples:
        >>> import pendulum
        >>> from microstructure.examples import example_national
        >>> from microstructure.synthetic import generate
        >>> care = CareFile(example_national(), generate(patients=3, seed=1))
        >>> care.findings
        ()
        >>> len(care.patients)
        3
    """

    def __init__(
        self,
        teams: Microstructure | Network | NationalCoordination,
        events: Iterable[Event] = (),
        *,
        strict: bool = True,
        overrides: Iterable[Program] = (),
    ) -> None:
        self.strict = strict
        self._rules = Rules(teams, overrides=overrides)
        self._events: dict[str, Event] = {}
        self._conflicts: dict[str, Finding] = {}
        self._by_patient: dict[str, set[str]] = {}
        self._cases: dict[str, set[str]] = {}
        self._patient_findings: dict[str, list[Finding]] = {}
        self._summaries: dict[str, PatientSummary] = {}
        self._meeting_findings: dict[str, list[Finding]] = {}
        self.extend(events)

    # -- reading --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._events

    def get(self, event_id: str) -> Event | None:
        """The standing version of the event with ``event_id``, if any."""
        return self._events.get(event_id)

    @property
    def events(self) -> tuple[Event, ...]:
        """Every standing event, in canonical order (patients by code, then RCP meetings)."""
        return tuple(sorted(self._events.values(), key=sort_key))

    @property
    def patients(self) -> tuple[AnonymousCode, ...]:
        """The codes of the patients with events, sorted."""
        return tuple(AnonymousCode(code) for code in sorted(self._by_patient))

    def episodes(self, patient: AnonymousCode) -> tuple[Episode, ...]:
        """The episodes of care of ``patient``, in date order."""
        summary = self._summaries.get(patient.value)
        return () if summary is None else summary.episodes

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding about the standing events, ordered by severity, path and code."""
        found: list[Finding] = list(self._conflicts.values())
        for items in self._patient_findings.values():
            found += items
        for items in self._meeting_findings.values():
            found += items
        return tuple(sorted(found, key=lambda f: f.sort_key))

    # -- changing -------------------------------------------------------------------

    def add(self, event: Event) -> tuple[Finding, ...]:
        """Add an event (or a correction of one); returns the findings it introduced.

        Raises:
            LifecycleError: in strict mode, if the event introduces an error finding;
                the file is then unchanged.
        """
        return self._apply([event])

    def extend(self, events: Iterable[Event]) -> tuple[Finding, ...]:
        """Add many events at once, checked together (so their order does not matter).

        Raises:
            LifecycleError: in strict mode, if the events together introduce an error
                finding; none of them is then added.
        """
        given: object = events
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise FieldError(type(given).__name__, "an iterable of care records")
        return self._apply(list(events))

    def _merge_version(
        self, staged: dict[str, Event], conflicts: dict[str, Finding | None], event: Event
    ) -> bool:
        current = staged.get(event.id)
        if current is None or event.recorded_at > current.recorded_at:
            staged[event.id] = event
            conflicts[event.id] = None
            return True
        if event.recorded_at < current.recorded_at:
            return False
        new_text, old_text = canonical(event), canonical(current)
        if new_text == old_text:
            return False
        winner = event if new_text > old_text else current
        staged[event.id] = winner
        conflicts[event.id] = conflict(winner)
        return True

    def _apply(  # noqa: C901, PLR0912, PLR0915 - one transaction: stage, check, commit
        self, events: list[Event]
    ) -> tuple[Finding, ...]:
        staged: dict[str, Event] = {}
        conflicts: dict[str, Finding | None] = {}
        touched_patients: set[str] = set()
        touched_meetings: set[str] = set()
        changed: set[str] = set()
        for event in map(check_event, events):
            if event.id not in staged and event.id in self._events:
                staged[event.id] = self._events[event.id]
                conflicts[event.id] = self._conflicts.get(event.id)
            previous = staged.get(event.id)
            if not self._merge_version(staged, conflicts, event):
                continue
            changed.add(event.id)
            for old_or_new in (previous, staged[event.id]):
                if old_or_new is None:
                    continue
                code = _patient_of(old_or_new)
                if code is not None:
                    touched_patients.add(code)
                else:
                    touched_meetings.add(old_or_new.id)
                    touched_patients |= _case_patients(old_or_new)
        staged = {k: v for k, v in staged.items() if k in changed}
        if not staged:
            return ()
        # The events of each touched patient, with the staged versions.
        ids_by_patient: dict[str, set[str]] = {
            code: set(self._by_patient.get(code, ())) for code in touched_patients
        }
        for event_id, event in staged.items():
            old = self._events.get(event_id)
            old_code = None if old is None else _patient_of(old)
            if old_code is not None:
                ids_by_patient[old_code].discard(event_id)
            code = _patient_of(event)
            if code is not None:
                ids_by_patient[code].add(event_id)

        def lookup(event_id: str) -> Event:
            return staged.get(event_id) or self._events[event_id]

        patient_findings: dict[str, list[Finding]] = {}
        summaries: dict[str, PatientSummary] = {}
        for code, ids in ids_by_patient.items():
            if ids:
                patient_findings[code], summaries[code] = check_patient(
                    [lookup(i) for i in ids], self._rules
                )
        # Meetings to re-check: the touched ones, and those discussing touched patients.
        cases = {code: set(self._cases.get(code, ())) for code in touched_patients}
        for event_id, event in staged.items():
            old = self._events.get(event_id)
            for code in _case_patients(old) if old is not None else ():
                cases.setdefault(code, set(self._cases.get(code, ()))).discard(event_id)
            for code in _case_patients(event):
                cases.setdefault(code, set(self._cases.get(code, ()))).add(event_id)
        meeting_ids = set(touched_meetings)
        for ids in cases.values():
            meeting_ids |= ids
        all_summaries = _Overlay(summaries, self._summaries, ids_by_patient)
        meeting_findings: dict[str, list[Finding]] = {}
        for meeting_id in meeting_ids:
            meeting = lookup(meeting_id)
            if isinstance(meeting, RcpMeeting):
                meeting_findings[meeting_id] = check_meeting(meeting, all_summaries, self._rules)
            else:  # a meeting id reused by a correction for another type of event
                meeting_findings[meeting_id] = []
        before: set[Finding] = {
            f for code in ids_by_patient for f in self._patient_findings.get(code, ())
        }
        before |= {f for m in meeting_ids for f in self._meeting_findings.get(m, ())}
        before |= {f for i in staged if (f := self._conflicts.get(i)) is not None}
        after: set[Finding] = {f for items in patient_findings.values() for f in items}
        after |= {f for items in meeting_findings.values() for f in items}
        after |= {f for f in conflicts.values() if f is not None}
        introduced = after - before
        if self.strict:
            errors = [f for f in introduced if f.severity is Severity.ERROR]
            if errors:
                raise LifecycleError(errors)
        # Commit.
        for event_id, event in staged.items():
            self._events[event_id] = event
            found = conflicts.get(event_id)
            if found is None:
                self._conflicts.pop(event_id, None)
            else:
                self._conflicts[event_id] = found
        for code, ids in ids_by_patient.items():
            if ids:
                self._by_patient[code] = ids
                self._patient_findings[code] = patient_findings[code]
                self._summaries[code] = summaries[code]
            else:
                self._by_patient.pop(code, None)
                self._patient_findings.pop(code, None)
                self._summaries.pop(code, None)
        for code, ids in cases.items():
            if ids:
                self._cases[code] = ids
            else:
                self._cases.pop(code, None)
        for meeting_id, items in meeting_findings.items():
            self._meeting_findings[meeting_id] = items
        return tuple(sorted(introduced, key=lambda f: f.sort_key))


class _Overlay(Mapping[str, PatientSummary]):
    """Staged summaries over the committed ones (a patient with no events has none)."""

    def __init__(
        self,
        staged: Mapping[str, PatientSummary],
        committed: Mapping[str, PatientSummary],
        touched: Mapping[str, set[str]],
    ) -> None:
        self._staged = staged
        self._committed = committed
        self._touched = touched

    def __getitem__(self, key: str) -> PatientSummary:
        if key in self._touched:
            return self._staged[key]
        return self._committed[key]

    def __iter__(self) -> Iterator[str]:
        keys = set(self._committed) - set(self._touched)
        return iter(keys | set(self._staged))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def validate(
    events: Iterable[Event],
    teams: Microstructure | Network | NationalCoordination,
    *,
    overrides: Iterable[Program] = (),
) -> tuple[Finding, ...]:
    """The findings of a set of events, in any order, checked against the team file.

    ``overrides`` are program definitions merged over the shipped ones. For files too
    large for memory, use `validate_file`, which checks one patient at a time.

    Examples:
        >>> from microstructure.examples import example_national
        >>> from microstructure.records import validate
        >>> from microstructure.synthetic import generate
        >>> validate(generate(patients=5, seed=2), example_national())
        ()
    """
    return CareFile(teams, events, strict=False, overrides=overrides).findings

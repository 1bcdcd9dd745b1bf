"""The ``microstructure fhir`` command: export teams, records and a report as a FHIR R4B Bundle.

The command only reads its options and files and writes the output: the mapping is the
library's (`microstructure.fhir`); a report is read as written by ``microstructure report
--format json``, or computed here with the report options (`microstructure.evaluation`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from microstructure.cli._report import add_computation_options, computation
from microstructure.errors import ConfigurationError

if TYPE_CHECKING:
    from microstructure.evaluation import Report
    from microstructure.teams import Microstructure, NationalCoordination, Network

__all__ = ["add_parser", "run"]

EXIT_OK = 0


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command and its ``export`` subcommand."""
    parser = subparsers.add_parser(
        "fhir",
        help="export teams, pseudonymous records and a report as FHIR R4B",
        description="HL7 FHIR R4B interchange.",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export",
        help="write one FHIR R4B Bundle (JSON) of the teams, their records and a report",
        description="Writes a Bundle of type collection: Organization, Location, "
        "Practitioner, PractitionerRole and CareTeam from the team file; pseudonymous "
        "Patient, EpisodeOfCare and Encounter from the records; a Measure per indicator; "
        "MeasureReports from a report (--report FILE, or computed with --period). "
        "Exit status: 0 written, 2 unreadable or invalid input or options (nothing written).",
    )
    export.add_argument(
        "--teams", required=True, metavar="FILE", help="team file (national or network JSON)"
    )
    export.add_argument(
        "--records",
        action="append",
        default=[],
        metavar="FILE",
        help="care records file (JSON Lines); repeat for several",
    )
    export.add_argument(
        "--report",
        metavar="FILE",
        help="a report written by `microstructure report --format json`",
    )
    add_computation_options(export, with_report=True)
    export.add_argument(
        "--base",
        metavar="URL",
        help="base URL of your own code and identifier systems "
        "(default https://microstructure.invalid/fhir)",
    )
    export.add_argument("--out", required=True, metavar="FILE", help="Bundle file to write")
    parser.set_defaults(func=run)


def _report(
    args: argparse.Namespace, teams: Microstructure | Network | NationalCoordination
) -> Report | None:
    """The report to export: read from --report, computed with --period, or none."""
    from microstructure.cli._input import load_input  # noqa: PLC0415
    from microstructure.evaluation import Database, Report, report  # noqa: PLC0415
    from microstructure.io import load  # noqa: PLC0415
    from microstructure.scheduling import load_schedule  # noqa: PLC0415
    from microstructure.teams import Microstructure  # noqa: PLC0415

    computed = args.period is not None
    options = [args.level, args.breakdown, args.schedule]
    if args.report is not None and (computed or any(o is not None for o in options)):
        msg = "give either --report FILE or --period (with its options), not both"
        raise ConfigurationError(msg)
    if args.report is not None:
        return load_input(args.report, "report", lambda path: load(Report, path, what="report"))
    if not computed:
        if any(o is not None for o in options):
            msg = "--level, --breakdown and --schedule compute a report: give --period too"
            raise ConfigurationError(msg)
        return None
    if isinstance(teams, Microstructure):
        msg = f"team file {args.teams!r}: a report needs a network or a national file"
        raise ConfigurationError(msg)
    if not args.records:
        msg = "--period computes a report from records: give --records FILE"
        raise ConfigurationError(msg)
    schedule = (
        None if args.schedule is None else load_input(args.schedule, "schedule", load_schedule)
    )
    with Database(teams, schedule=schedule) as database:
        for path in args.records:
            database.add_records(path)
        return report(database, **computation(args), charts=False)


def run(args: argparse.Namespace) -> int:
    """Build the Bundle and write it; returns the exit status."""
    from microstructure.cli._files import check_input, safe_output  # noqa: PLC0415
    from microstructure.cli._input import load_input, read_teams  # noqa: PLC0415
    from microstructure.fhir import DEFAULT_BASE, bundle, dumps  # noqa: PLC0415
    from microstructure.records import Event, read_records  # noqa: PLC0415

    teams = read_teams(args.teams)
    for path in args.records:
        check_input(path, what="records")
    published = _report(args, teams)
    events: list[Event] = []
    for path in args.records:
        events += load_input(path, "records", read_records)
    protected = [*args.records, args.teams, args.report, args.schedule]
    found = bundle(
        teams,
        events,
        published,
        base=DEFAULT_BASE if args.base is None else args.base,
    )
    # Patient-derived data: the file is readable by its owner only, like records files.
    with safe_output(args.out, protected=protected, private=True) as out:
        out.write(dumps(found))
    print(f"wrote {len(found['entry']):,} resource(s) to {args.out}")  # noqa: T201
    return EXIT_OK

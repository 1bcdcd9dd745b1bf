"""The ``microstructure schema`` command: print the JSON Schema of a document type."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema (draft 2020-12) of a document type",
        description="Print the JSON Schema (draft 2020-12) of a document type, generated "
        "from the library's own rules, to validate files in any language. Without TYPE, "
        "list the types. Exit status: 0 printed, 2 unknown type.",
    )
    parser.add_argument("type", nargs="?", metavar="TYPE", help="document type, such as network")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema of ``args.type``, or the list of types."""
    from microstructure.io import document_types, schema  # noqa: PLC0415

    types = document_types()
    if args.type is None:
        width = max(map(len, types))
        for name, cl in types.items():
            print(f"{name:<{width}}  {schema(cl)['description']}")  # noqa: T201
        return 0
    if args.type not in types:
        known = ", ".join(types)
        print(  # noqa: T201
            f"microstructure schema: unknown document type {args.type!r}: expected one of {known}",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(schema(types[args.type]), ensure_ascii=False, indent=2))  # noqa: T201
    return 0

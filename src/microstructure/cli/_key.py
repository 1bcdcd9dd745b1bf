"""The ``microstructure key`` command: create a key file, show a key's fingerprint."""

from __future__ import annotations

import argparse

__all__ = ["add_parser", "run_fingerprint", "run_new"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command and its two subcommands."""
    parser = subparsers.add_parser(
        "key",
        help="create a site or national key file, or show a key file's fingerprint",
        description="Keys for pseudonymize. The key itself is never printed: only its "
        "fingerprint, 8 hex digits that let two sites check they hold the same key. Exit "
        "status: 0 done, 2 the file exists (new) or holds no valid key (fingerprint).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new",
        help="create a new random key in FILE (owner-only, never replaced)",
        description="Draw a 32-byte random key and write it to FILE as one JSON object "
        '({"format": "microstructure-key", "version": 1, "key": HEX}), created readable by '
        "its owner only (0600); refuse if FILE exists. Prints the key's fingerprint, never "
        "the key.",
    )
    new.add_argument("file", metavar="FILE", help="key file to create")
    new.set_defaults(func=run_new)
    fingerprint = actions.add_parser(
        "fingerprint",
        help="print the fingerprint of the key in FILE",
        description="Print the fingerprint of the key in FILE (8 hex digits), never the key. "
        "FILE is a key file from `key new`, or 64 hexadecimal digits (older key files, "
        "`openssl rand -hex 32`).",
    )
    fingerprint.add_argument("file", metavar="FILE", help="key file to read")
    fingerprint.set_defaults(func=run_fingerprint)


def run_new(args: argparse.Namespace) -> int:
    """Create the key file; print its fingerprint."""
    from microstructure.identifiers import create_key_file  # noqa: PLC0415

    key = create_key_file(args.file)
    print(f"new key written to {args.file} (readable by you only)")  # noqa: T201
    print(f"fingerprint {key.fingerprint}")  # noqa: T201
    return 0


def run_fingerprint(args: argparse.Namespace) -> int:
    """Print the fingerprint of the key file."""
    from microstructure.identifiers import key_file_fingerprint  # noqa: PLC0415

    print(key_file_fingerprint(args.file))  # noqa: T201
    return 0

"""The ``microstructure eligibility`` command: one decision per situation and program.

Reads patient situations from JSON (an array of objects, or JSON Lines with ``.jsonl``)
or CSV, decides each with the default policies (or a network's own), and prints or
writes the decisions with their reasons. A bad row is reported with its line and field,
never its content, and does not stop the others.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from microstructure.errors import ConfigurationError, ErrorDetail, ValidationError

__all__ = ["add_parser", "read_situations", "run"]

_FORMATS = ("text", "json", "csv")
_SET_COLUMNS = ("indications", "substances", "behaviours", "situations", "followed_by")
_PLAIN_COLUMNS = ("code", "age_band", "sex")
_PREFIXED = ("answers.", "scores.", "extra.")
_YES = {"yes", "oui", "true", "1", "y", "o"}
_NO = {"no", "non", "false", "0", "n"}
_WS = re.compile(r"\s*")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "eligibility",
        help="decide who may enter a program, with the reasons, for patient situations",
        description="Exit status: 0 every row decided, 1 some rows were bad (reported on "
        "stderr with their line and field; the others are decided), 2 unreadable input.",
    )
    parser.add_argument("file", help="situations: .json (an array), .jsonl or .csv")
    parser.add_argument(
        "--program",
        action="append",
        default=[],
        metavar="ID",
        help="decide for this program only (repeatable; default: every policy)",
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="FILE",
        help="a network's own policy (JSON or TOML) replacing the default of its program",
    )
    parser.add_argument("--format", choices=_FORMATS, default="text")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    parser.add_argument("--output", metavar="FILE", help="write there instead of stdout")
    parser.set_defaults(func=run)


# -- reading ------------------------------------------------------------------------


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        msg = f"cannot read {path!r}: {reason}"
        raise ConfigurationError(msg) from None


def _json_error(path: str, text: str, exc: json.JSONDecodeError) -> ValidationError:
    del text
    where = f"line {exc.lineno}, column {exc.colno}"
    return ValidationError(
        [ErrorDetail("$", f"expected valid JSON: {exc.msg} ({where})")], subject=path
    )


def _json_rows(path: str, text: str) -> Iterator[tuple[int, object]]:
    """Each element of a top-level JSON array, with the line it starts on."""
    decoder = json.JSONDecoder()
    index = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("[", index):
        detail = ErrorDetail("$", "expected a JSON array of situations (or use a .jsonl file)")
        raise ValidationError([detail], subject=path)
    index = _WS.match(text, index + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", index):
        return
    while True:
        line = text.count("\n", 0, index) + 1
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise _json_error(path, text, exc) from None
        yield line, value
        index = _WS.match(text, index).end()  # type: ignore[union-attr]
        if text.startswith(",", index):
            index = _WS.match(text, index + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", index):
            return
        line = text.count("\n", 0, index) + 1
        detail = ErrorDetail("$", f"expected ',' or ']' after an element (line {line})")
        raise ValidationError([detail], subject=path)


def _jsonl_rows(path: str, text: str) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise _json_error(path, text, exc) from None


def _yes_no_instruments() -> frozenset[str]:
    from microstructure.eligibility import AnswerKind, instruments  # noqa: PLC0415

    return frozenset(k for k, v in instruments().items() if v.answer_kind is AnswerKind.YES_NO)


def _number(token: str) -> object:
    try:
        return int(token)
    except ValueError:
        return token  # the converter reports it, with its field


def _cell(column: str, value: str, delimiter: str, yes_no: frozenset[str]) -> object:  # noqa: PLR0911
    separators = "".join(c for c in " |;," if c != delimiter)
    tokens = [t for t in re.split(f"[{re.escape(separators)}]+", value.strip()) if t]
    if column in _SET_COLUMNS:
        return [] if [t.lower() for t in tokens] == ["none"] else tokens
    if column == "age":
        return _number(value.strip())
    if column.startswith("answers."):
        if column.removeprefix("answers.") in yes_no:
            return [True if t.lower() in _YES else False if t.lower() in _NO else t for t in tokens]
        return [_number(t) for t in tokens]
    if column.startswith("scores."):
        return value.strip()
    if column.startswith("extra."):
        text = value.strip()
        lowered = text.lower()
        if lowered in {"true", "yes", "oui"}:
            return True
        if lowered in {"false", "no", "non"}:
            return False
        return _number(text)
    return value.strip()


def _csv_rows(path: str, text: str) -> Iterator[tuple[int, object]]:
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return
    columns = [name.strip() for name in header]
    unknown = [
        name
        for name in columns
        if name not in (*_PLAIN_COLUMNS, *_SET_COLUMNS, "age") and not name.startswith(_PREFIXED)
    ]
    if unknown:
        details = [ErrorDetail(f"line 1, column {name!r}", "unknown column") for name in unknown]
        raise ValidationError(details, subject=path)
    yes_no = _yes_no_instruments()
    line = reader.line_num + 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        record: dict[str, Any] = {}
        for column, value in zip(columns, row, strict=False):
            if not value.strip():
                continue  # an empty cell: not known
            key, _, rest = column.partition(".")
            parsed = _cell(column, value, delimiter, yes_no)
            if rest:
                record.setdefault(key, {})[rest] = parsed
            else:
                record[column] = parsed
        if len(row) > len(columns):
            record["__extra_cells__"] = True
        yield start, record


def read_situations(path: str) -> Iterator[tuple[int, object]]:
    """Raw records of a situations file, each with the line it starts on.

    Raises:
        ConfigurationError: if the file cannot be read.
        ValidationError: if the file as a whole is not valid JSON or CSV.
    """
    text = _read_text(path)
    if path.endswith(".csv"):
        return _csv_rows(path, text)
    if path.endswith(".jsonl"):
        return _jsonl_rows(path, text)
    return _json_rows(path, text)


# -- writing ------------------------------------------------------------------------


def _field(path: str) -> str:
    return path.removeprefix("$").removeprefix(".") or "(the row)"


def _reasons(decision: Any, lang: str) -> str:
    from microstructure.eligibility import Truth  # noqa: PLC0415

    root = decision.explanation
    wanted = Truth.UNKNOWN if root.result is Truth.UNKNOWN else root.result
    parts = [child for child in root.children if child.result is wanted] or [root]
    return "; ".join(part.text if lang == "en" else part.text_fr for part in parts)


def _write(out: TextIO, fmt: str, lang: str, results: list[tuple[int, list[Any]]]) -> None:
    from microstructure.io import to_data  # noqa: PLC0415

    if fmt == "json":
        payload = [
            {"line": line, "decisions": [to_data(d) for d in decisions]}
            for line, decisions in results
        ]
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["line", "code", "program", "outcome", "to_collect", "alerts", "reasons"])
        for line, decisions in results:
            for d in decisions:
                writer.writerow(
                    [
                        line,
                        d.code or "",
                        d.program,
                        d.outcome.value,
                        " ".join(d.to_collect),
                        " ".join(a.code for a in d.alerts),
                        _reasons(d, lang),
                    ]
                )
        return
    word = "line" if lang == "en" else "ligne"
    for line, decisions in results:
        for d in decisions:
            out.write(f"# {word} {line}\n{d.explain(lang)}\n\n")


def run(args: argparse.Namespace) -> int:
    """Decide every situation of the file; report bad rows; return the exit status."""
    from microstructure.eligibility import (  # noqa: PLC0415
        Situation,
        decide,
        default_policies,
        default_policy,
        load_policy,
    )
    from microstructure.io import from_data  # noqa: PLC0415

    overrides = {p.program: p for p in (load_policy(path) for path in args.policy)}
    available = {**default_policies(), **overrides}
    programs = args.program or (list(overrides) if overrides else list(available))
    policies = [default_policy(program, overrides=overrides) for program in programs]

    results: list[tuple[int, list[Any]]] = []
    bad = 0
    counts: dict[str, int] = {}
    for line, record in read_situations(args.file):
        if isinstance(record, dict) and record.pop("__extra_cells__", False):
            print(f"line {line}: more cells than columns", file=sys.stderr)  # noqa: T201
            bad += 1
            continue
        try:
            situation = from_data(Situation, record)
        except ValidationError as exc:
            bad += 1
            for error in exc.errors:
                print(f"line {line}, field {_field(error.path)}: {error.message}", file=sys.stderr)  # noqa: T201
            continue
        decisions = [decide(situation, policy) for policy in policies]
        for decision in decisions:
            counts[decision.outcome.value] = counts.get(decision.outcome.value, 0) + 1
        results.append((line, decisions))

    if args.output:
        with Path(args.output).open("w", encoding="utf-8", newline="") as out:
            _write(out, args.format, args.lang, results)
    else:
        _write(sys.stdout, args.format, args.lang, results)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no decision"
    print(f"{len(results)} situation(s) decided ({summary}); {bad} bad row(s)", file=sys.stderr)  # noqa: T201
    return 1 if bad else 0

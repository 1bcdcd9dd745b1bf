"""The decisions on a situations file as a document, and its streaming writer.

`DecisionFile` is what ``microstructure eligibility --format json`` writes (format
``microstructure-decisions``); `write_decisions` writes it, or its CSV and text
renderings, one `DecisionRow` at a time, so that a vendor's job does in Python what the
command does.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

import attrs

from microstructure import _validators as _v
from microstructure._frozen import frozen_tuple
from microstructure.eligibility._decision import Decision, Truth
from microstructure.eligibility._reading import place
from microstructure.errors import FieldError
from microstructure.io import to_data

__all__ = ["DecisionFile", "DecisionRow", "write_decisions"]

#: The renderings of `write_decisions`, and the languages of the reasons.
_FORMATS = ("json", "csv", "text")
_LANGS = ("en", "fr")
_CSV_COLUMNS = ("line", "code", "program", "outcome", "to_collect", "alerts", "reasons")


@attrs.frozen(kw_only=True)
class DecisionRow:
    """The decisions on one situation of a situations file, with the situation's place.

    Made from a `SituationRow` whose situation was read; a row that could not be read
    has no decisions and no `DecisionRow`.

    Attributes:
        index: Position of the situation in its file, from 0.
        line: Line the situation starts on (CSV and JSON Lines), or ``None`` for an
            element of a JSON array.
        decisions: One decision per policy applied, in the order of the policies.

    Examples:
        >>> from microstructure.eligibility import DecisionRow, Situation, decide
        >>> row = DecisionRow(index=0, line=2,
        ...                   decisions=[decide(Situation(situations={"debt"}), "sante-mentale")])
        >>> row.where, row.decisions[0].outcome.value
        ('line 2', 'eligible')
    """

    index: int = attrs.field(validator=_v.at_least(0))
    """Position of the situation in its file, from 0."""
    line: int | None = attrs.field(validator=_v.optional(_v.at_least(1)))
    """Line the situation starts on; null for an element of a JSON array (located by its index)."""
    decisions: tuple[Decision, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(Decision, "Decision")
    )
    """One decision per policy applied."""

    @property
    def where(self) -> str:
        """The situation's place for a message: ``line 3`` or ``$[2]``, as `SituationRow.where`.

        Examples:
            >>> from microstructure.eligibility import DecisionRow
            >>> DecisionRow(index=2, line=None, decisions=()).where
            '$[2]'
        """
        return place(self.index, self.line)


@attrs.frozen(kw_only=True)
class DecisionFile:
    """The decisions on a situations file: what ``eligibility --format json`` writes.

    Written by `microstructure.io.to_data` (or streamed by `write_decisions`) with its
    format name and version first:
    ``{"format": "microstructure-decisions", "version": 1, "rows": [...]}``.
    Situations that could not be read have no row.

    Examples:
        >>> from microstructure.eligibility import DecisionFile, DecisionRow, Situation, decide
        >>> from microstructure.io import from_data, to_data
        >>> decision = decide(Situation(code="B2", situations={"bereavement"}), "sante-mentale")
        >>> document = DecisionFile(rows=[DecisionRow(index=0, line=None, decisions=[decision])])
        >>> data = to_data(document)
        >>> data["format"], data["version"], data["rows"][0]["decisions"][0]["outcome"]
        ('microstructure-decisions', 1, 'eligible')
        >>> from_data(DecisionFile, data) == document
        True
    """

    rows: tuple[DecisionRow, ...] = attrs.field(
        converter=frozen_tuple, validator=_v.tuple_of(DecisionRow, "DecisionRow")
    )
    """The decided situations, in the order of the file."""


def _reasons(decision: Decision, lang: str) -> str:
    root = decision.explanation
    wanted = Truth.UNKNOWN if root.result is Truth.UNKNOWN else root.result
    parts = [child for child in root.children if child.result is wanted] or [root]
    return "; ".join(part.text if lang == "en" else part.text_fr for part in parts)


def _checked(rows: Iterable[DecisionRow]) -> Iterator[DecisionRow]:
    """``rows`` as an iterator that refuses, at its place, an item that is not a row."""
    given: object = rows
    try:
        items = iter(given)  # type: ignore[call-overload]
    except TypeError:
        raise FieldError(type(given).__name__, "an iterable of DecisionRow", field="rows") from None
    return _each(items)


def _each(items: Iterator[object]) -> Iterator[DecisionRow]:
    for position, row in enumerate(items):
        if not isinstance(row, DecisionRow):
            raise FieldError(type(row).__name__, "a DecisionRow", field=f"rows[{position}]")
        yield row


def _write_json(out: IO[str], rows: Iterator[DecisionRow], _: str) -> int:
    # The envelope and the key of the rows exactly as to_data writes them, then the rows.
    head = json.dumps(to_data(DecisionFile(rows=())), ensure_ascii=False).removesuffix("]}")
    out.write(head)
    count = 0
    for row in rows:
        out.write(("\n" if count == 0 else ",\n") + json.dumps(to_data(row), ensure_ascii=False))
        count += 1
    out.write("\n]}\n" if count else "]}\n")
    return count


def _write_csv(out: IO[str], rows: Iterator[DecisionRow], lang: str) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    count = 0
    for row in rows:
        for d in row.decisions:
            writer.writerow(
                [
                    row.line if row.line is not None else row.where,
                    d.code or "",
                    d.program,
                    d.outcome.value,
                    " ".join(d.to_collect),
                    " ".join(a.code for a in d.alerts),
                    _reasons(d, lang),
                ]
            )
        count += 1
    return count


def _write_text(out: IO[str], rows: Iterator[DecisionRow], lang: str) -> int:
    count = 0
    for row in rows:
        where = row.where if lang == "en" else row.where.replace("line", "ligne")
        for d in row.decisions:
            out.write(f"# {where}\n{d.explain(lang)}\n\n")
        count += 1
    return count


_WRITERS: dict[str, Callable[[IO[str], Iterator[DecisionRow], str], int]] = {
    "json": _write_json,
    "csv": _write_csv,
    "text": _write_text,
}


def write_decisions(
    out: IO[str],
    rows: Iterable[DecisionRow],
    *,
    format: str = "json",  # noqa: A002 - the word users know, as the command's --format
    lang: str = "en",
) -> int:
    r"""Write decision rows to the text stream ``out`` as they come; return how many.

    Nothing is kept: a generator of a million rows is written in constant memory.
    ``format`` is one of:

    - ``json``: the `DecisionFile` of the rows, as `microstructure.io.to_data` writes it
      (``{"format": "microstructure-decisions", "version": 1, "rows": [`` then one row
      per line, then ``]}``);
    - ``csv``: one line per decision, with the columns ``line`` (the situation's line,
      or its place ``$[2]`` in a JSON array), ``code``, ``program``, ``outcome``,
      ``to_collect`` and ``alerts`` (separated by spaces) and ``reasons`` (the criteria
      that decided, in ``lang``);
    - ``text``: each decision explained in ``lang`` (`Decision.explain`) under a
      ``# line 3`` heading (``# ligne 3`` in French).

    ``lang`` is ``en`` or ``fr``. This is what ``microstructure eligibility`` writes.

    Raises:
        FieldError: for an unknown ``format`` or ``lang``, an ``out`` without a
            ``write`` method, or a row that is not a `DecisionRow` (at ``$.rows[i]``;
            the rows before it are already written).

    Examples:
        >>> import io
        >>> from microstructure.eligibility import DecisionRow, Situation, decide, write_decisions
        >>> decision = decide(Situation(code="B2", situations={"bereavement"}), "sante-mentale")
        >>> rows = [DecisionRow(index=0, line=2, decisions=[decision])]
        >>> out = io.StringIO()
        >>> write_decisions(out, rows, format="csv")
        1
        >>> print(out.getvalue())
        line,code,program,outcome,to_collect,alerts,reasons
        2,B2,sante-mentale,eligible,,,an environmental situation
        <BLANKLINE>
        >>> out = io.StringIO()
        >>> write_decisions(out, rows)
        1
        >>> out.getvalue()[:62]
        '{"format": "microstructure-decisions", "version": 1, "rows": ['
    """
    given: object = out
    if not callable(getattr(given, "write", None)):
        raise FieldError(type(given).__name__, "a text stream (with a write method)", field="out")
    chosen: object = format
    writer = _WRITERS.get(chosen) if isinstance(chosen, str) else None
    if writer is None:
        expected = "one of " + ", ".join(repr(name) for name in _FORMATS)
        raise FieldError(format, expected, field="format")
    language: object = lang
    if not isinstance(language, str) or language not in _LANGS:
        raise FieldError(lang, "one of " + ", ".join(repr(name) for name in _LANGS), field="lang")
    return writer(out, _checked(rows), lang)

"""Reading text files line by line: bad bytes reported at their line, CSV delimiters."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

from microstructure.errors import ConfigurationError, ErrorDetail, FieldError, ValidationError

__all__ = ["CSV_DELIMITERS", "CountedLines", "guess_delimiter", "text_lines"]

#: The delimiters `guess_delimiter` chooses from: comma, semicolon, tab and pipe.
CSV_DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 16  # bytes decoded at a time


def guess_delimiter(header: str) -> str:
    r"""The most frequent of `CSV_DELIMITERS` in a CSV header line (comma if none).

    Counting is linear in the line's length, unlike `csv.Sniffer`.

    Examples:
        >>> from microstructure.io import guess_delimiter
        >>> guess_delimiter("code;age;sex"), guess_delimiter("code"), guess_delimiter("a\tb")
        (';', ',', '\t')
    """
    given: object = header
    if not isinstance(given, str):
        raise FieldError(type(given).__name__, "a header line (a string)", field="header")
    counts = {sep: header.count(sep) for sep in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _decoder(encoding: str) -> codecs.IncrementalDecoder:
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        msg = f"unknown encoding {encoding!r}: expected a text encoding such as utf-8"
        raise ConfigurationError(msg)
    return info.incrementaldecoder("strict")


def text_lines(binary: IO[bytes], *, encoding: str, subject: str) -> Iterator[str]:
    r"""The lines of a binary file, decoded one at a time, each with its line end.

    The file is decoded in blocks of 64 KiB, so memory stays bounded by the block and the
    longest line; a byte that does not decode is reported at its own line (``line 4``,
    counted by line feeds, exact for ASCII-compatible encodings), not at its block.

    Raises:
        ConfigurationError: if ``encoding`` is not a known text encoding.
        ValidationError: about ``subject``, when a line does not decode.

    Examples:
        >>> import io
        >>> from microstructure.io import text_lines
        >>> list(text_lines(io.BytesIO(b"\xef\xbb\xbfa;b\r\nc\n"), encoding="utf-8-sig",
        ...                 subject="file 'x.csv'"))
        ['a;b\r\n', 'c\n']
        >>> list(text_lines(io.BytesIO(b"a\nb\n\xff\n"), encoding="utf-8",
        ...                 subject="file 'x.csv'"))
        Traceback (most recent call last):
        ...
        microstructure.errors.ValidationError: invalid file 'x.csv': 1 problem
          - expected utf-8 text @ line 3
    """
    decoder = _decoder(encoding)
    pending = ""
    lines_before = 0  # line ends in the bytes decoded so far
    while chunk := binary.read(_CHUNK):
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _undecodable(exc, lines_before, encoding, subject) from None
        lines_before += chunk.count(b"\n")
        *lines, pending = (pending + text).split("\n")
        for line in lines:
            yield line + "\n"
    try:
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _undecodable(exc, lines_before, encoding, subject) from None
    *lines, last = pending.split("\n")
    for line in lines:
        yield line + "\n"
    if last:
        yield last


class CountedLines:
    r"""Lines passed through one at a time, counted, so that CSV rows keep their real line.

    A quoted CSV field may span several lines: read ``count`` after each row to know the
    line the row ended on.

    Examples:
        >>> import csv
        >>> from microstructure.io import CountedLines
        >>> lines = CountedLines(iter(['a,b\n', '"x\n', 'y",z\n']))
        >>> rows = csv.reader(lines)
        >>> next(rows), lines.count
        (['a', 'b'], 1)
        >>> next(rows), lines.count
        (['x\ny', 'z'], 3)
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        #: How many lines have been read so far.
        self.count = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.count += 1
            yield line


def _undecodable(
    exc: UnicodeDecodeError, lines_before: int, encoding: str, subject: str
) -> ValidationError:
    # The error's offset counts from the bytes held back by the decoder (an incomplete
    # character, never a line end in ASCII-compatible encodings) then the new chunk.
    line = lines_before + exc.object.count(b"\n", 0, exc.start) + 1
    detail = ErrorDetail(path=f"line {line}", message=f"expected {encoding} text")
    return ValidationError([detail], subject=subject)

"""The bad-input corpus: files every command must refuse with exit 2 and a sentence.

Each entry is a kind of bad input and the bytes of a file of that kind. The kinds come
from issue 10's independent run (about 520,000 bad inputs) and cover what network
coordinators will feed the tool: spreadsheets exported by hand, files cut short by a
full disk, binary files opened by mistake.
"""

import json

DEPTH = 100_000  # well past Python's recursion limit
HUGE_INT = "9" * 5_000  # past Python's 4,300-digit limit on int("…")

#: Whether the io layer reports each of these as a MicrostructureError; they are fixed
#: in `microstructure.io` (branch core-errors), and the corpus tests them strictly then.
IO_LEVEL_KINDS = frozenset({"deep-nesting", "deep-object", "huge-int", "duplicate-keys"})

#: Bad JSON (or JSON-shaped) files: the kind and the file's bytes.
JSON_FILES = {
    "empty": b"",
    "blank": b"  \n\t\n",
    "binary": bytes(range(256)) * 4,
    "bom-then-json": b"\xef\xbb\xbf{}",
    "bom-only": b"\xef\xbb\xbf",
    "latin-1": '{"name": "Réseau"}'.encode("latin-1"),
    "bad-utf8-line-4": b'{\n"a": 1,\n"b": 2,\n"c": "\xff"\n}',
    "truncated": '{"id": "net-1", "name": "Ré'.encode(),
    "nan": b"NaN",
    "nan-in-object": b'{"id": NaN, "name": Infinity, "region": -Infinity}',
    "top-level-list": b"[]",
    "top-level-string": b'"ZZSECRETNAME"',
    "top-level-number": b"42",
    "top-level-null": b"null",
    "wrong-types": json.dumps(
        {"id": 1, "name": ["x"], "region": {"a": 1}, "microstructures": "ZZSECRETNAME"}
    ).encode(),
    "dict-for-list": json.dumps(
        {"microstructures": {"isolation": 1}, "schedules": {"a": 1}}
    ).encode(),
    "deep-nesting": b"[" * DEPTH + b"]" * DEPTH,
    "deep-object": b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
    "huge-int": f'{{"id": {HUGE_INT}, "schedules": [{HUGE_INT}]}}'.encode(),
    "duplicate-keys": b'{"id": "net-1", "id": "net-2"}',
}

#: Bad CSV files: the kind and the file's bytes.
CSV_FILES = {
    "empty": b"",
    "blank": b"\n\n\n",
    "binary": bytes(range(256)) * 4,
    "bom-only": b"\xef\xbb\xbf",
    "bad-utf8-line-4": b"code;age\nA;1\nB;2\nC\xff;3\nD;4\n",
    "huge-field": b'code;age\n"' + b"x" * 200_000 + b'";1\n',
    "unclosed-quote": b'code;age\n"A;1\n',
    "unknown-columns": b"ZZSECRETNAME;ZZSECRETBIRTH\nA;1\n",
    "nul-bytes": b"code\x00;age\nA\x00;1\n",
}

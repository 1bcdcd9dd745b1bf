"""Key files carry their format name and version; bare hexadecimal files still load."""

import json
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microstructure.errors import ConfigurationError, ValidationError
from microstructure.examples import example_national
from microstructure.identifiers import (
    KEY_FORMAT,
    Key,
    create_key_file,
    key_file_fingerprint,
)
from microstructure.io import Format, from_data, to_data
from microstructure.teams import Network

ROOT = Path(__file__).parents[2]

SECRET = bytes(range(200, 232))
HEX = SECRET.hex()


def _private(path: Path, content: str | bytes) -> Path:
    """``path`` holding ``content``, readable by its owner only."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    path.chmod(0o600)
    return path


def _object(**members: object) -> str:
    """A key file's JSON object with ``members`` over the defaults (``...`` drops one)."""
    data: dict[str, object] = {"format": "microstructure-key", "version": 1, "key": HEX}
    data.update(members)
    return json.dumps({name: value for name, value in data.items() if value is not ...})


def test_key_format_is_the_documented_one():
    """The constant names the format and version 1, as a `microstructure.io.Format`."""
    assert Format("microstructure-key", 1) == KEY_FORMAT


@pytest.mark.parametrize("writer", ["write", "create_key_file"])
def test_both_writers_write_one_json_object_on_one_line(tmp_path, writer):
    """`Key.write` and `create_key_file` write the same object, mode 0600, read back."""
    path = tmp_path / "site.key"
    if writer == "write":
        key = Key(SECRET)
        key.write(path)
    else:
        key = create_key_file(path)
    text = path.read_text(encoding="ascii")
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert list(json.loads(text).items()) == [
        ("format", "microstructure-key"),
        ("version", 1),
        ("key", key.secret.hex()),
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Key.from_file(path) == key
    assert key_file_fingerprint(path) == key.fingerprint


def test_both_writers_write_the_same_bytes(tmp_path, monkeypatch):
    """For one key, both writers give byte-identical files (one shared content)."""
    monkeypatch.setattr(Key, "generate", classmethod(lambda cls: cls(SECRET)))
    create_key_file(tmp_path / "created.key")
    Key(SECRET).write(tmp_path / "written.key")
    created = (tmp_path / "created.key").read_bytes()
    assert created == (tmp_path / "written.key").read_bytes()
    assert created == (
        b'{"format": "microstructure-key", "version": 1, "key": "' + HEX.encode() + b'"}\n'
    )


@pytest.mark.parametrize(
    "content",
    [
        HEX + "\n",
        HEX,
        HEX.upper() + "\r\n",
        f"  \n{HEX}\n\n",
    ],
)
def test_bare_hexadecimal_files_still_load(tmp_path, content):
    """Older key files and ``openssl rand -hex 32`` output read as the same key."""
    bare = _private(tmp_path / "bare.key", content)
    Key(SECRET).write(tmp_path / "object.key")
    assert Key.from_file(bare) == Key(SECRET)
    assert key_file_fingerprint(bare) == key_file_fingerprint(tmp_path / "object.key")


@pytest.mark.parametrize(
    "content",
    [
        _object(),
        _object(format=...),
        _object(version=...),
        _object(format=..., version=...),
        _object(key=HEX.upper()),
        _object(key=HEX * 2),
        f"\n  {_object()}  \n",
        json.dumps({"key": HEX, "version": 1, "format": "microstructure-key"}, indent=2),
    ],
)
def test_object_forms_that_load(tmp_path, content):
    """A missing format or version means the current one; order and layout do not matter."""
    path = _private(tmp_path / "site.key", content)
    key = Key.from_file(path)
    assert key.secret.hex() == json.loads(content)["key"].lower()


BAD_OBJECTS = [
    (_object(format="microstructure-records"), r"\$\.format: expected 'microstructure-key'"),
    (_object(format=HEX), r"\$\.format: expected 'microstructure-key'"),
    (_object(format=None), r"\$\.format: expected 'microstructure-key'"),
    (_object(version="1"), r"\$\.version: expected a format version"),
    (_object(version=0), r"\$\.version: expected a format version"),
    (_object(version=-1), r"\$\.version: expected a format version"),
    (_object(version=1.0), r"\$\.version: expected a format version"),
    (_object(version=True), r"\$\.version: expected a format version"),
    (_object(version=None), r"\$\.version: expected a format version"),
    (_object(version=HEX), r"\$\.version: expected a format version"),
    (_object(version=int(HEX, 16)), r"\$\.version: expected version 1 at most"),
    (_object(version=2), r"\$\.version: expected version 1 at most"),
    (_object(comment="mine"), r"\$: expected only the keys 'format', 'version' and 'key'"),
    (_object(**{HEX: 1}), r"\$: expected only the keys .* got 1 other"),
    (_object(key=...), r"\$\.key: required key is missing"),
    ("{}", r"\$\.key: required key is missing"),
    (_object(key=None), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=int("9" * 70)), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=[HEX]), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=HEX[:-2]), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=HEX + "0"), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key="0x" + HEX), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=f" {HEX} "), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=HEX[:32] + " " + HEX[32:]), r"\$\.key: expected at least 64 hexadecimal"),
    (_object(key="zz" * 32), r"\$\.key: expected at least 64 hexadecimal digits"),
    (_object(key=SECRET.decode("latin-1")), r"\$\.key: expected at least 64 hexadecimal"),
    (_object()[:-1] + f', "key": "{HEX}"}}', r"\$\.key: duplicate key"),
    (_object()[:-2], "not one JSON object"),
    (_object() + _object(), "not one JSON object"),
    ('{"key": ' + "[" * 1500 + "]" * 1500 + "}", "not one JSON object"),
    ('{"key": ' + "[" * 3000, "not one JSON object"),
    ("{" + HEX, "not one JSON object"),
    ("{NaN}", "not one JSON object"),
]


@pytest.mark.parametrize(("content", "message"), BAD_OBJECTS)
def test_malformed_objects_are_refused_saying_what_is_expected(tmp_path, content, message):
    """Each malformed object is a ConfigurationError naming the key and what was expected."""
    path = _private(tmp_path / "site.key", content)
    with pytest.raises(ConfigurationError, match=message):
        Key.from_file(path)


def test_problems_are_all_reported_at_once(tmp_path):
    """Another format name, a bad version and a short key are reported together."""
    path = _private(tmp_path / "site.key", _object(format="x", version=0, key="ab"))
    with pytest.raises(ConfigurationError) as caught:
        Key.from_file(path)
    assert [part.split(":")[0] for part in str(caught.value).split("; ")] == [
        "cannot read the key file",
        "$.version",
        "$.key",
    ]
    assert "$.format: expected 'microstructure-key'" in str(caught.value)


def test_a_newer_version_names_the_version_this_release_reads(tmp_path):
    """Version 2 is refused: this release reads version 1 at most, a newer one is needed."""
    path = _private(tmp_path / "site.key", _object(version=2))
    with pytest.raises(ConfigurationError) as caught:
        Key.from_file(path)
    assert str(caught.value) == (
        "cannot read the key file: $.version: expected version 1 at most: the file was "
        "written for a newer version of 'microstructure-key'; read it with a newer release "
        "of microstructure"
    )


@pytest.mark.parametrize(
    "content",
    [b'{"key": "\xff' + HEX.encode() + b'"}', b"\xfe\xff" + HEX.encode(), b"{" + b" " * 4096],
)
def test_undecodable_or_oversized_files_are_refused(tmp_path, content):
    """Bytes that are not UTF-8, or a file over the size cap, are refused like raw bytes."""
    path = _private(tmp_path / "site.key", content)
    with pytest.raises(ConfigurationError, match="at least 64 hexadecimal digits") as caught:
        Key.from_file(path)
    assert "0xff" not in str(caught.value)
    assert "0xfe" not in str(caught.value)


def test_a_shared_object_file_is_refused_unless_allowed(tmp_path):
    """The mode rule holds for the JSON form too."""
    path = tmp_path / "shared.key"
    path.write_text(_object())
    path.chmod(0o640)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        Key.from_file(path)
    assert Key.from_file(path, allow_shared=True) == Key(SECRET)


KEYS = st.binary(min_size=32, max_size=512)


@given(KEYS)
def test_any_key_round_trips_through_a_key_file(secret):
    """Whatever its bytes and size, a written key reads back as the same key."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "site.key")
        Key(secret).write(path)
        assert json.loads(path.read_text(encoding="ascii"))["key"] == secret.hex()
        assert Key.from_file(path) == Key(secret)


@given(KEYS, st.booleans(), st.sampled_from(["", "\n", "\r\n", " \t\n"]))
def test_any_key_round_trips_through_the_bare_form(secret, upper, around):
    """A key written as bare hexadecimal digits, either case, reads back as the same key."""
    digits = secret.hex().upper() if upper else secret.hex()
    with tempfile.TemporaryDirectory() as folder:
        path = _private(Path(folder, "site.key"), around + digits + around)
        assert Key.from_file(path) == Key(secret)


def test_the_documented_key_file_is_what_write_makes(tmp_path):
    """The example of docs/reference/data-formats.md reads, and Key.write writes it again."""
    page = (ROOT / "docs" / "reference" / "data-formats.md").read_text(encoding="utf-8")
    section = page.split("## Key file", 1)[1]
    documented = section.split("```json\n", 1)[1].split("```", 1)[0]
    key = Key.from_file(_private(tmp_path / "documented.key", documented))
    key.write(tmp_path / "written.key")
    assert (tmp_path / "written.key").read_text(encoding="ascii") == documented


@pytest.mark.parametrize("version", [2, 0, "1"])
def test_version_messages_are_those_of_the_documents(tmp_path, version):
    """A bad key file version is explained in the words used for every document's version."""
    network = {**to_data(example_national().networks[0]), "version": version}
    with pytest.raises(ValidationError) as expected:
        from_data(Network, network)
    (detail,) = expected.value.errors
    words = detail.message.replace("microstructure-network", "microstructure-key")
    path = _private(tmp_path / "site.key", _object(version=version))
    with pytest.raises(ConfigurationError) as caught:
        Key.from_file(path)
    assert str(caught.value) == f"cannot read the key file: $.version: {words}"

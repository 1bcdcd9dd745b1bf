"""Keys: loading from bytes, hex, files and the environment, generation, redaction."""

import pickle
import stat

import pytest

from microstructure.errors import ConfigurationError
from microstructure.identifiers import Key

SECRET = bytes(range(100, 132))


def test_repr_shows_only_a_fingerprint():
    """Neither the bytes nor their hex appear in repr or str."""
    key = Key(SECRET)
    for shown in (repr(key), str(key)):
        assert SECRET.hex() not in shown
        assert SECRET.hex()[:8] not in shown
        assert repr(SECRET) not in shown
        assert shown == f"Key(fingerprint={key.fingerprint!r})"


def test_fingerprint_is_stable_and_distinguishes_keys():
    """The fingerprint depends only on the key; different keys give different ones."""
    assert Key(SECRET).fingerprint == Key(bytes(SECRET)).fingerprint
    assert Key(SECRET).fingerprint != Key(bytes(32)).fingerprint
    assert len(Key(SECRET).fingerprint) == 8


@pytest.mark.parametrize("size", [0, 16, 31])
def test_short_keys_are_refused_without_showing_them(size):
    """Fewer than 32 bytes is a ConfigurationError that does not print the key."""
    secret = bytes(range(200, 200 + size))
    with pytest.raises(ConfigurationError, match="at least 32 bytes") as caught:
        Key(secret)
    if secret:
        assert secret.hex() not in str(caught.value)


def test_non_bytes_are_refused():
    """Text is not a key: it would be a password, not 32 random bytes."""
    with pytest.raises(ConfigurationError, match="made of bytes"):
        Key("0" * 64)  # type: ignore[arg-type]  # text on purpose


def test_from_hex_ignores_white_space():
    """Hex with spaces and line breaks reads as the same key."""
    text = SECRET.hex()
    spaced = " ".join(text[i : i + 8] for i in range(0, 64, 8)) + "\n"
    assert Key.from_hex(spaced) == Key(SECRET)


@pytest.mark.parametrize("bad", ["zz" * 32, "abc", "", "00" * 31])
def test_from_hex_refuses_bad_text_without_repeating_it(bad):
    """Non-hex, odd or short text is refused; the message never repeats it."""
    with pytest.raises(ConfigurationError) as caught:
        Key.from_hex(bad)
    if bad:
        assert bad not in str(caught.value)


def test_from_hex_refuses_bytes():
    """from_hex takes text."""
    with pytest.raises(ConfigurationError):
        Key.from_hex(SECRET)  # type: ignore[arg-type]  # bytes on purpose


def test_write_then_read_a_key_file(tmp_path):
    """Write makes an owner-only hex file that from_file reads back; it never overwrites."""
    path = tmp_path / "site.key"
    key = Key.generate()
    key.write(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Key.from_file(path) == key
    with pytest.raises(ConfigurationError, match="cannot create"):
        key.write(path)


def test_from_file_refuses_raw_bytes_and_passphrases(tmp_path):
    """Only hexadecimal text is a key file: raw bytes and a 41-byte passphrase are refused."""
    for name, content in (
        ("raw.key", SECRET),
        ("passphrase.key", b"correct horse battery staple and more!!!!"),
        ("odd.key", b"0" * 65),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        path.chmod(0o600)
        with pytest.raises(ConfigurationError, match="hexadecimal digits"):
            Key.from_file(path)


def test_from_file_refuses_a_key_file_others_can_read(tmp_path):
    """A key file readable by group or others is refused, unless explicitly allowed."""
    path = tmp_path / "shared.key"
    path.write_text(SECRET.hex() + "\n")
    path.chmod(0o644)
    with pytest.raises(ConfigurationError, match="chmod 600"):
        Key.from_file(path)
    assert Key.from_file(path, allow_shared=True) == Key(SECRET)


def test_from_file_errors_show_neither_the_path_nor_the_content(tmp_path):
    """A missing file, or one too short, is reported without its path or content."""
    with pytest.raises(ConfigurationError, match="cannot read the key file") as caught:
        Key.from_file(tmp_path / "missing.key")
    assert "missing.key" not in str(caught.value)
    short = tmp_path / "short.key"
    short.write_text("abcdef0123\n")
    short.chmod(0o600)
    with pytest.raises(ConfigurationError, match="at least 64 hexadecimal") as caught:
        Key.from_file(short)
    assert "abcdef0123" not in str(caught.value)
    assert "short.key" not in str(caught.value)


def test_from_env(monkeypatch):
    """A key is read from a hex environment variable; unset or bad values are reported."""
    monkeypatch.setenv("MS_TEST_KEY", SECRET.hex())
    assert Key.from_env("MS_TEST_KEY") == Key(SECRET)
    monkeypatch.setenv("MS_TEST_KEY", "not hex at all")
    with pytest.raises(ConfigurationError, match="MS_TEST_KEY") as caught:
        Key.from_env("MS_TEST_KEY")
    assert "not hex at all" not in str(caught.value)
    monkeypatch.delenv("MS_TEST_KEY")
    with pytest.raises(ConfigurationError, match="not set"):
        Key.from_env("MS_TEST_KEY")


def test_generate_draws_32_random_bytes():
    """Generated keys have 32 bytes and differ."""
    keys = {Key.generate().secret for _ in range(20)}
    assert len(keys) == 20
    assert {len(k) for k in keys} == {32}


def test_keys_compare_and_hash_by_value_and_refuse_pickling():
    """Equal bytes make equal keys; a key cannot be pickled."""
    assert Key(SECRET) == Key(bytearray(SECRET))  # type: ignore[arg-type]  # accepted at run time
    assert Key(SECRET) != SECRET
    assert len({Key(SECRET), Key(bytes(SECRET))}) == 1
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Key(SECRET))

"""No identity value, nor a key, reaches a repr, an exception message or a log record."""

import json
import logging
from collections.abc import Callable, Iterator

import pendulum
import pytest

from microstructure.cli import main
from microstructure.errors import ConfigurationError, MicrostructureError
from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex, normalize_name
from microstructure.io import from_data

# Distinctive values that cannot appear by chance in a message.
NAME = "Zqwxéßøn"
BAD_NAME = "Zqwxйn"
FIRST = "Vladoslavina"
BIRTH_DATE = "1931-04-17"
BAD_DATE = "1931-02-31"
SECRETS = [NAME, BAD_NAME, FIRST, BIRTH_DATE, BAD_DATE, "ZQWX", "VLADOSLAVINA", "1931"]


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), f"{secret!r} leaked"


def _error_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), *map(repr, exc.args)]
    for detail in getattr(exc, "errors", ()):
        texts += [str(detail), repr(detail)]
    return texts


def _failures() -> Iterator[BaseException]:
    """Every way of giving bad identity data, as the exceptions raised."""
    date = pendulum.Date.fromisoformat(BIRTH_DATE)
    attempts: list[Callable[[], object]] = [
        lambda: Identity(birth_name=BAD_NAME, first_name=FIRST, birth_date=date, sex=Sex.MALE),
        lambda: Identity(birth_name=NAME, first_name=BAD_NAME, birth_date=date, sex=Sex.MALE),
        lambda: Identity(birth_name=NAME, first_name=FIRST, birth_date=BIRTH_DATE, sex=Sex.MALE),  # type: ignore[arg-type]
        lambda: Identity(birth_name=NAME, first_name=FIRST, birth_date=date, sex=FIRST),  # type: ignore[arg-type]
        lambda: normalize_name(BAD_NAME),
        lambda: from_data(
            Identity,
            {"birth_name": BAD_NAME, "first_name": FIRST, "birth_date": BAD_DATE, "sex": "male"},
        ),
        lambda: from_data(
            Identity,
            {"birth_name": NAME, "first_name": FIRST, "birth_date": BAD_DATE, "sex": FIRST},
        ),
        lambda: from_data(
            Identity,
            {"birth_name": 1931, "first_name": [FIRST], "birth_date": BIRTH_DATE, "sex": "male"},
        ),
        lambda: from_data(
            Identity,
            {"birth_name": NAME, "first_name": BAD_NAME, "birth_date": BIRTH_DATE, "sex": "male"},
        ),
    ]
    for attempt in attempts:
        with pytest.raises(MicrostructureError) as caught:
            attempt()
        yield caught.value


def test_no_identity_value_in_errors_reprs_or_logs(caplog):
    """Errors, reprs and log records (at DEBUG, every logger) never show identity values."""
    caplog.set_level(logging.DEBUG)
    identity = Identity(
        birth_name=NAME,
        first_name=FIRST,
        birth_date=pendulum.Date.fromisoformat(BIRTH_DATE),
        sex=Sex.FEMALE,
        used_name=NAME,
        other_given_names=(FIRST,),
    )
    pseudonymizer = Pseudonymizer(site_key=Key.generate(), national_key=Key.generate())
    pseudonym = pseudonymizer.pseudonymize(identity)
    _assert_clean(repr(identity), str(identity), repr(pseudonymizer), pseudonym)
    for exc in _failures():
        _assert_clean(*_error_texts(exc))
    _assert_clean(*(record.getMessage() for record in caplog.records))


def test_no_identity_value_in_the_command_output(tmp_path, capsys, caplog):
    """The command's output, messages and logs show line numbers, never row content."""
    caplog.set_level(logging.DEBUG)
    key = tmp_path / "site.key"
    Key.generate().write(key)
    source = tmp_path / "in.csv"
    source.write_text(
        "birth_name,first_name,birth_date,sex,note\n"
        f"{NAME},{FIRST},{BIRTH_DATE},F,ok\n"
        f"{BAD_NAME},{FIRST},{BIRTH_DATE},F,ok\n"
        f"{NAME},{FIRST},{BAD_DATE},F,ok\n"
        f"{NAME},{FIRST},{BIRTH_DATE},{FIRST},ok\n"
        f"{NAME},{FIRST}\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    status = main(["pseudonymize", str(source), str(target), "--site-key-file", str(key)])
    captured = capsys.readouterr()
    assert status == 1
    assert "line 3" in captured.err
    _assert_clean(captured.out, captured.err, target.read_text(encoding="utf-8"))
    _assert_clean(*(record.getMessage() for record in caplog.records))


# A key pasted into a key file's object in the wrong place, or as a bad value, is never shown.
KEY_HEX = bytes(range(7, 71, 2)).hex()
KEY_DECIMAL = str(int(KEY_HEX, 16))


def _key_objects() -> Iterator[str]:
    """Malformed key file objects with the secret in every place a value can go."""
    good = {"format": "microstructure-key", "version": 1, "key": KEY_HEX}
    yield from (json.dumps(data) for data in _bad_key_data(good))
    yield json.dumps(good)[:-1] + f', "key": "{KEY_HEX}"}}'  # duplicate key
    yield json.dumps(good)[:-2]  # not JSON
    yield json.dumps({**good, "version": 0})[:-2].replace('"key"', f'"{KEY_HEX}"')
    yield json.dumps(good).replace(f'"{KEY_HEX}"', KEY_DECIMAL)  # the key as a number


def _bad_key_data(good: dict[str, object]) -> Iterator[dict[str, object]]:
    """Objects where the key sits in the format, the version, a name, or is damaged."""
    for name in ("format", "version"):
        for value in (KEY_HEX, int(KEY_HEX, 16), [KEY_HEX], {"key": KEY_HEX}):
            yield {**good, name: value}
            yield {name: value, "key": KEY_HEX}
    yield {**good, KEY_HEX: 1}
    yield {**good, "comment": KEY_HEX}
    yield {"format": "microstructure-key", "version": 1, "secret": KEY_HEX}
    for damaged in (KEY_HEX[:-2], KEY_HEX + "0", f"0x{KEY_HEX}", f"{KEY_HEX}zz", f" {KEY_HEX}"):
        yield {**good, "key": damaged}
    yield {**good, "key": int(KEY_HEX, 16)}
    yield {**good, "key": [KEY_HEX]}


def _assert_no_key(text: str, path: str) -> None:
    """Neither the path, nor 6 consecutive digits of the key (hex or decimal), appear."""
    assert path not in text
    assert "refused.key" not in text
    for digits in (KEY_HEX, KEY_HEX.upper(), KEY_DECIMAL):
        windows = {digits[i : i + 6] for i in range(len(digits) - 5)}
        assert not any(window in text for window in windows), text


def test_malformed_key_files_show_neither_the_key_nor_the_path(tmp_path, capsys):
    """Key.from_file, `key fingerprint` and `pseudonymize` never print the key or the path."""
    path = tmp_path / "refused.key"
    source = tmp_path / "in.csv"
    source.write_text(f"birth_name,first_name,birth_date,sex\n{NAME},{FIRST},{BIRTH_DATE},F\n")
    contents = list(_key_objects())
    assert len(contents) > 25
    for content in contents:
        path.unlink(missing_ok=True)
        path.write_text(content, encoding="utf-8")
        path.chmod(0o600)
        with pytest.raises(ConfigurationError) as caught:
            Key.from_file(path)
        for text in _error_texts(caught.value):
            _assert_no_key(text, str(path))
        assert main(["key", "fingerprint", str(path)]) == 2
        out, err = capsys.readouterr()
        assert "cannot read the key file" in err
        _assert_no_key(out + err, str(path))
        status = main(
            ["pseudonymize", str(source), str(tmp_path / "out.csv"), "--site-key-file", str(path)]
        )
        out, err = capsys.readouterr()
        assert status == 2
        _assert_no_key(out + err, str(path))
        assert not (tmp_path / "out.csv").exists()

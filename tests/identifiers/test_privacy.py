"""No identity value reaches a repr, an exception message or a log record."""

import logging
from collections.abc import Callable, Iterator

import pendulum
import pytest

from microstructure.cli import main
from microstructure.errors import MicrostructureError
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

"""The pseudonymize command: columns written, bad rows, atomic output, refusals."""

import csv
import os
from pathlib import Path

import pendulum
import pytest

from microstructure.cli import main
from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex

HEADER = "NOM;PRENOM;DDN;SEXE;ADRESSE;GROUPE;AGE\n"
ROWS = (
    "d'Aubigné;Élodie-Marie;07/03/1985;F;1 rue des Lilas;A;40\n"
    "D AUBIGNE;ELODIE MARIE;1985-03-07;2;2 rue des Roses;B;40\n"
    "Martin;Jean;1950-07-08;H;3 place;C;75\n"
)
MAPPING = "birth_name=NOM,first_name=PRENOM,birth_date=DDN,sex=SEXE"


@pytest.fixture(autouse=True)
def keys(tmp_path):
    site, national = Key(bytes(range(32))), Key(bytes(range(32, 64)))
    site.write(tmp_path / "site.key")
    national.write(tmp_path / "national.key")
    return site, national


def _run(
    tmp_path: Path,
    content: str | None,
    *options: str,
    name: str = "in.csv",
    output: str = "out.csv",
) -> tuple[int, Path]:
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    target = tmp_path / output
    argv = ["pseudonymize", str(source), str(target), "--site-key-file", str(tmp_path / "site.key")]
    return main([*argv, *options]), target


def _read(path: Path, delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file, delimiter=delimiter))


def test_writes_pseudonym_and_non_identity_columns_only(tmp_path, keys, capsys):
    """Identity and dropped columns are gone; the pseudonym comes first; exit 0."""
    status, target = _run(
        tmp_path, HEADER + ROWS, "--columns", MAPPING, "--drop", "ADRESSE", "--keep", "GROUPE,AGE"
    )
    assert status == 0
    rows = _read(target)
    assert rows[0] == ["pseudonym", "GROUPE", "AGE"]
    expected = Pseudonymizer(site_key=keys[0]).pseudonymize(
        Identity(
            birth_name="d'Aubigné",
            first_name="Élodie-Marie",
            birth_date=pendulum.date(1985, 3, 7),
            sex=Sex.FEMALE,
        )
    )
    assert rows[1] == [expected, "A", "40"]
    assert rows[2] == [expected, "B", "40"]
    assert rows[3][1:] == ["C", "75"]
    text = target.read_text(encoding="utf-8")
    for identifying in ("Aubign", "AUBIGNE", "Élodie", "1985", "rue", "Martin"):
        assert identifying not in text
    assert "3 row(s) pseudonymised" in capsys.readouterr().out


def test_national_key_gives_national_pseudonyms(tmp_path, keys):
    """With a national key file every pseudonym is of the national tier."""
    status, target = _run(
        tmp_path,
        HEADER + ROWS,
        "--columns",
        MAPPING,
        "--national-key-file",
        str(tmp_path / "national.key"),
    )
    assert status == 0
    rows = _read(target)
    both = Pseudonymizer(site_key=keys[0], national_key=keys[1])
    martin = Identity(
        birth_name="Martin", first_name="Jean", birth_date=pendulum.date(1950, 7, 8), sex=Sex.MALE
    )
    assert rows[3][0] == both.pseudonymize(martin)
    assert all(row[0].startswith("v1n:") for row in rows[1:])


def test_default_column_names_keep_and_output_column(tmp_path):
    """Fields default to columns of their own name; --keep and --output-column shape OUT."""
    content = (
        "sex,first_name,id,birth_date,birth_name,site\n"
        "M,Jean,17,1950-07-08,Martin,S1\n"
    )  # fmt: skip
    status, target = _run(tmp_path, content, "--keep", "site,id", "--output-column", "pid")
    assert status == 0
    rows = _read(target, delimiter=",")
    assert rows[0] == ["pid", "site", "id"]
    assert rows[1][1:] == ["S1", "17"]


def test_bad_rows_are_reported_by_line_without_content(tmp_path, capsys):
    """Bad rows are left out and reported by physical line number and column; exit 1."""
    content = (
        HEADER
        + ROWS
        + "Dupont;Marie;1985-02-30;F;x;D;1\n"
        + "\n"
        + "---;Marie;1985-02-03;F;x;D;1\n"
        + "Durand;Léa;1985-02-03;féminine;x;D;1\n"
        + "short;row\n"
        + '"Multi\nline";Paul;1960-01-01;M;x;E;2\n'
        + "Petit;Йозеф;1960-01-01;M;x;E;2\n"
    )
    status, target = _run(tmp_path, content, "--columns", MAPPING)
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [
        "line 5: column 'DDN': expected a birth date as YYYY-MM-DD or DD/MM/YYYY",
        (
            "line 7: column 'NOM': expected a name of Latin letters (accents, Œ and Æ allowed), "
            "spaces, hyphens and apostrophes, with at least one letter"
        ),
        (
            "line 8: column 'SEXE': expected a sex: 1/M/H/male/homme, 2/F/female/femme, "
            "other/autre, or 0/9/I/U/X/unknown/inconnu"
        ),
        "line 9: expected 7 fields, got 2",
        (
            "line 12: column 'PRENOM': expected a name of Latin letters (accents, Œ and Æ "
            "allowed), spaces, hyphens and apostrophes, with at least one letter"
        ),
    ]
    for content_word in ("Dupont", "Marie", "Durand", "féminine", "short", "Petit", "Йозеф"):
        assert content_word not in err
    assert len(_read(target)) == 1 + 4  # the three good rows and the two-line one


def test_many_bad_rows_are_summarised(tmp_path, capsys):
    """Only the first 50 bad rows are listed; the rest are counted."""
    content = HEADER + "x;y;bad;F;a;b;c\n" * 60
    status, _ = _run(tmp_path, content, "--columns", MAPPING)
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert len(err) == 51
    assert err[-1] == "… and 10 more bad row(s)"


@pytest.mark.parametrize("delimiter", [",", "\t", "|"])
def test_delimiter_is_detected_and_kept(tmp_path, delimiter):
    """The delimiter is detected from the header line and used for OUT."""
    content = (HEADER + ROWS).replace(";", delimiter)
    status, target = _run(tmp_path, content, "--columns", MAPPING, "--keep", "ADRESSE,GROUPE,AGE")
    assert status == 0
    assert _read(target, delimiter=delimiter)[0] == ["pseudonym", "ADRESSE", "GROUPE", "AGE"]


def test_delimiter_can_be_forced(tmp_path):
    """--delimiter overrides detection: a comma file read as semicolons has one column."""
    content = (HEADER + ROWS).replace(";", ",")
    status, _ = _run(tmp_path, content, "--columns", MAPPING, "--delimiter", "comma")
    assert status == 0
    status, _ = _run(tmp_path, content, "--columns", MAPPING, "--delimiter", "semicolon")
    assert status == 2


def test_byte_order_mark_is_ignored(tmp_path):
    """A UTF-8 byte order mark (Excel) does not hide the first column name."""
    source = tmp_path / "bom.csv"
    source.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROWS).encode("utf-8"))
    status, _ = _run(tmp_path, None, "--columns", MAPPING, name="bom.csv")
    assert status == 0


@pytest.mark.parametrize("output", ["in.csv", "./in.csv", "sub/../in.csv", "link.csv", "hard.csv"])
def test_refuses_to_overwrite_its_input(tmp_path, capsys, output):
    """OUT naming the input (even through .., a symlink or a hard link) exits 2, input intact."""
    (tmp_path / "sub").mkdir()
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    status, _ = _run(tmp_path, None, "--columns", MAPPING, output=output)
    assert status == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == HEADER + ROWS


def test_refuses_to_overwrite_a_key_file(tmp_path):
    """OUT naming the key file exits 2 and leaves the key intact."""
    before = (tmp_path / "site.key").read_bytes()
    status, _ = _run(tmp_path, HEADER + ROWS, "--columns", MAPPING, output="site.key")
    assert status == 2
    assert (tmp_path / "site.key").read_bytes() == before


def test_interrupted_run_leaves_no_partial_output(tmp_path, monkeypatch):
    """An interruption mid-file leaves the previous OUT untouched and no temporary file."""
    target = tmp_path / "out.csv"
    target.write_text("previous\n", encoding="utf-8")
    calls = []
    original = Pseudonymizer.pseudonymize

    def interrupted(self, identity):
        calls.append(identity)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, identity)

    monkeypatch.setattr(Pseudonymizer, "pseudonymize", interrupted)
    status, _ = _run(tmp_path, HEADER + ROWS, "--columns", MAPPING)
    assert status == 130
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.csv",
        "national.key",
        "out.csv",
        "site.key",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--columns", "birth_name=NAME"], "missing column(s) in the header: 'NAME'"),
        (["--columns", MAPPING + ",nickname=X"], "--columns: expected FIELD=COLUMN"),
        (["--columns", "birth_name"], "--columns: expected FIELD=COLUMN"),
        (["--columns", MAPPING, "--keep", "NOM"], "identity or dropped column(s)"),
        (["--columns", MAPPING, "--keep", "NOPE"], "unknown column(s): 'NOPE'"),
        (["--columns", MAPPING, "--keep", "AGE", "--output-column", "AGE"], "also a kept"),
        (["--columns", MAPPING, "--encoding", "klingon"], "unknown encoding"),
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, options, message):
    """Unusable options are reported in one line, exit 2, and write nothing."""
    status, target = _run(tmp_path, HEADER + ROWS, *options)
    assert status == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_unusable_inputs_exit_2(tmp_path, capsys):
    """A missing input, an empty file, a bad key file or bad bytes exit 2 without output."""
    status, target = _run(tmp_path, None, name="missing.csv")
    assert status == 2
    status, target = _run(tmp_path, "", name="empty.csv")
    assert status == 2
    (tmp_path / "site.key").unlink()
    (tmp_path / "site.key").write_text("abcd\n")
    (tmp_path / "site.key").chmod(0o600)
    status, target = _run(tmp_path, HEADER + ROWS, "--columns", MAPPING)
    assert status == 2
    err = capsys.readouterr().err
    assert "cannot read input file" in err
    assert "No such file or directory" in err
    assert "is empty" in err
    assert "at least 64 hexadecimal digits" in err
    assert not target.exists()


def test_bad_encoding_writes_nothing(tmp_path, capsys):
    """Bytes that are not in the input encoding stop the run and leave no output."""
    source = tmp_path / "latin1.csv"
    source.write_bytes((HEADER + ROWS).encode("latin-1"))
    status, target = _run(tmp_path, None, "--columns", MAPPING, name="latin1.csv")
    assert status == 2
    assert "not utf-8-sig text; nothing was written" in capsys.readouterr().err
    assert not target.exists()
    status, target = _run(
        tmp_path, None, "--columns", MAPPING, "--encoding", "latin-1", name="latin1.csv"
    )
    assert status == 0


def test_missing_output_directory_exits_2(tmp_path, capsys):
    """OUT in a directory that does not exist is refused before reading."""
    status, _ = _run(tmp_path, HEADER + ROWS, "--columns", MAPPING, output="nope/out.csv")
    assert status == 2
    assert "no such directory" in capsys.readouterr().err


def test_optional_identity_columns_are_dropped(tmp_path):
    """Columns mapped to used_name or other_given_names are identity columns, never written."""
    content = (
        "birth_name,first_name,birth_date,sex,NOM_USAGE,AUTRES_PRENOMS,site\n"
        "Martin,Claire,1970-01-02,F,Durand,Anne Louise,S1\n"
    )
    status, target = _run(
        tmp_path,
        content,
        "--columns",
        "used_name=NOM_USAGE,other_given_names=AUTRES_PRENOMS",
        "--keep",
        "site",
    )
    assert status == 0
    assert _read(target, delimiter=",")[0] == ["pseudonym", "site"]
    assert "Durand" not in target.read_text(encoding="utf-8")


def test_output_is_readable_by_its_owner_only(tmp_path):
    """The pseudonymised file is created with owner-only permissions."""
    import stat

    status, target = _run(tmp_path, HEADER + ROWS, "--columns", MAPPING)
    assert status == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

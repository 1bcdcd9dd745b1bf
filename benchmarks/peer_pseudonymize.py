"""Peer of ``microstructure pseudonymize``: a minimal csv + hmac script, same normalisation.

It does what a developer would write by hand for the same job, with no library:
read the semicolon-separated file, normalise the names as the v1 scheme specifies
(NFKD, combining marks removed, upper case, Œ→OE, Æ→AE, Ø→O, Ł→L, Đ→D, white space,
hyphens and apostrophes removed), read the birth date and the sex, hash with HMAC-SHA256
and write the pseudonym with the kept columns, synced to disk as the command does.
Bad rows are counted and left out.

Usage: python benchmarks/peer_pseudonymize.py IN OUT KEY_FILE DROPPED_COLUMN
(identity columns NOM, PRENOM, DDN, SEXE, as ``bench_identifiers.py`` writes them).
"""

# ruff: noqa: PTH123 - a minimal script, as one would write it: built-in open

import csv
import datetime as dt
import hashlib
import hmac
import os
import sys
import unicodedata

LETTERS = {"Œ": "OE", "Æ": "AE", "Ø": "O", "Ł": "L", "Đ": "D"}
APOSTROPHES = frozenset("'`\u2018\u2019\u02bc")
ASCII_SEPARATORS = str.maketrans("", "", " \t-'`")
SEXES = {
    **dict.fromkeys(("1", "m", "h", "male", "homme", "masculin"), "1"),
    **dict.fromkeys(("2", "f", "female", "femme", "feminin", "féminin"), "2"),
    **dict.fromkeys(
        ("0", "9", "i", "u", "x", "unknown", "inconnu", "indetermine", "indéterminé"), "0"
    ),
}


def normalize(text: str) -> str | None:
    """The v1 normalised name, or None when it is not a name."""
    if text.isascii():
        short = text.upper().translate(ASCII_SEPARATORS)
        if short.isalpha():
            return short
    out = []
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )
    for char in stripped.upper():
        if "A" <= char <= "Z":
            out.append(char)
        elif char in LETTERS:
            out.append(LETTERS[char])
        elif not (char.isspace() or char in APOSTROPHES or unicodedata.category(char) == "Pd"):
            return None
    return "".join(out) or None


def birth_date(text: str) -> str | None:
    """YYYY-MM-DD from DD/MM/YYYY or YYYY-MM-DD, or None."""
    text = text.strip()
    parts = text.split("/")
    try:
        if len(parts) == 3 and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None
    return None


def main() -> None:
    source, target, key_file, dropped = sys.argv[1:5]
    with open(key_file, encoding="ascii") as file:
        key = bytes.fromhex(file.read().strip())
    sha256 = hashlib.sha256
    with (
        open(source, encoding="utf-8-sig", newline="") as infile,
        open(target, "w", encoding="utf-8", newline="") as outfile,
    ):
        reader = csv.reader(infile, delimiter=";")
        header = next(reader)
        where = {name: header.index(name) for name in ("NOM", "PRENOM", "DDN", "SEXE")}
        skipped = {*where.values(), header.index(dropped)}
        kept = [i for i in range(len(header)) if i not in skipped]
        writer = csv.writer(outfile, delimiter=";")
        writer.writerow(["pseudonym", *(header[i] for i in kept)])
        nom, prenom, ddn, sexe = where["NOM"], where["PRENOM"], where["DDN"], where["SEXE"]
        written = bad = 0
        for row in reader:
            if len(row) != len(header):
                bad += 1
                continue
            birth_name, first_name = normalize(row[nom]), normalize(row[prenom])
            born, sex = birth_date(row[ddn]), SEXES.get(row[sexe].strip().lower())
            if birth_name is None or first_name is None or born is None or sex is None:
                bad += 1
                continue
            message = f"{birth_name}|{first_name}|{born}|{sex}".encode()
            pseudonym = "v1s:" + hmac.digest(key, message, sha256).hex()
            writer.writerow([pseudonym, *(row[i] for i in kept)])
            written += 1
        outfile.flush()
        os.fsync(outfile.fileno())  # the library's command makes its output durable too
    print(f"{written} row(s) written, {bad} bad")


if __name__ == "__main__":
    main()

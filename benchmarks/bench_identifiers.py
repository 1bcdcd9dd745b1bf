"""Keyed pseudonyms against a raw ``hmac`` loop, and the command against a minimal script.

Run: ``python benchmarks/bench_identifiers.py`` (``--identities`` and ``--cli-rows``
scale it down for a quick look). Rows printed, each a median speed ratio (peer time /
our time: 1.0 = as fast as the peer) with its min–max over interleaved repeats, after
checking that both sides give the same pseudonyms:

- headline: `Pseudonymizer.pseudonymize` from **raw fields** (building the `Identity`,
  which normalises the names, then the HMAC) against a raw ``hmac.digest`` loop over the
  same canonical strings, normalised beforehand; site tier and two tiers;
- the same from `Identity` objects built beforehand (HMAC and checks only);
- the floor of the headline: the library's `normalize_name` on both names, the canonical
  string and the HMAC, with no `Identity`, no type check and no other field checked: what
  pseudonymising raw fields costs at the least, since the peer is given the names
  normalised;
- ``microstructure pseudonymize`` on a CSV file of ``--cli-rows`` rows against
  ``benchmarks/peer_pseudonymize.py`` (csv + hmac, same normalisation), both in a fresh
  interpreter, with the same output file; plus the command's peak resident memory.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import _harness
import pendulum

from microstructure.identifiers import (
    Identity,
    Key,
    Pseudonymizer,
    Sex,
    canonical_form,
    normalize_name,
)

BIRTH_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "d'Aubigné", "de La Fontaine", "Le Goff", "N'Diaye",
    "Lœuillet", "Martin-Dupont", "Ben Saïd", "Nguyễn", "Da Silva", "Müller", "Kowalczyk",
]  # fmt: skip
FIRST_NAMES = [
    "Marie", "Jean", "Pierre", "Michel", "André", "Philippe", "Nathalie", "Isabelle", "Sylvie",
    "Élodie", "Élodie-Marie", "Jean-Pierre", "Chloé", "Léa", "Inès", "Zoé", "Gaëlle", "Noël",
    "Aïssatou", "Mohamed", "Lætitia", "Cœlina", "François", "Jérôme", "Hélène", "Anaïs",
]  # fmt: skip
SEXES = [Sex.FEMALE, Sex.MALE, Sex.UNKNOWN]
PEER_SCRIPT = Path(__file__).with_name("peer_pseudonymize.py")


def _raw_fields(count: int, seed: int = 2026) -> list[tuple[str, str, pendulum.Date, Sex]]:
    rng = random.Random(seed)
    start = pendulum.date(1930, 1, 1)
    dates = [start.add(days=offset) for offset in range(0, 30_000, 7)]
    return [
        (
            rng.choice(BIRTH_NAMES) + ("" if rng.random() < 0.5 else f" {rng.choice(BIRTH_NAMES)}"),
            rng.choice(FIRST_NAMES),
            rng.choice(dates),
            rng.choice(SEXES),
        )
        for _ in range(count)
    ]


def bench_pseudonyms(count: int, repeats: int) -> None:
    site, national = Key.generate(), Key.generate()
    fields = _raw_fields(count)
    identities = [
        Identity(birth_name=b, first_name=f, birth_date=d, sex=s) for b, f, d, s in fields
    ]
    # The peer gets the canonical strings, already normalised, for free.
    messages = [canonical_form(identity).encode() for identity in identities]
    del identities
    site_secret, national_secret = site.secret, national.secret
    sha256 = hashlib.sha256

    def raw_site() -> list[str]:
        return ["v1s:" + hmac.digest(site_secret, m, sha256).hex() for m in messages]

    def raw_both() -> list[str]:
        return [
            "v1n:" + hmac.digest(national_secret, hmac.digest(site_secret, m, sha256), sha256).hex()
            for m in messages
        ]

    def from_fields(pseudonymizer: Pseudonymizer) -> list[str]:
        pseudonymize = pseudonymizer.pseudonymize
        return [
            pseudonymize(Identity(birth_name=b, first_name=f, birth_date=d, sex=s))
            for b, f, d, s in fields
        ]

    built = [Identity(birth_name=b, first_name=f, birth_date=d, sex=s) for b, f, d, s in fields]

    def from_identities(pseudonymizer: Pseudonymizer) -> list[str]:
        pseudonymize = pseudonymizer.pseudonymize
        return [pseudonymize(identity) for identity in built]

    # The one-character sex code of the canonical string, read from the library.
    sex_code = {
        sex: canonical_form(
            Identity(birth_name="A", first_name="B", birth_date=pendulum.date(2000, 1, 1), sex=sex)
        )[-1]
        for sex in Sex
    }

    def normalised_only() -> list[str]:
        return [
            "v1s:"
            + hmac.digest(
                site_secret,
                f"{normalize_name(b)}|{normalize_name(f)}|{d.isoformat()}|{sex_code[s]}".encode(),
                sha256,
            ).hex()
            for b, f, d, s in fields
        ]

    print(f"pseudonymising {count:,} identities")
    for label, raw, pseudonymizer in (
        ("site tier", raw_site, Pseudonymizer(site_key=site)),
        ("two tiers", raw_both, Pseudonymizer(site_key=site, national_key=national)),
    ):
        _harness.compare(
            f"pseudonymize from raw fields, {label}",
            lambda p=pseudonymizer: from_fields(p),
            raw,
            peer_name="raw hmac loop over the canonical strings",
            repeats=repeats,
            unit="speed",
            aim=">= 0.6x speed" if label == "site tier" else "",
        )
    _harness.compare(
        "floor: normalize_name on both names, then the hmac (no Identity), site tier",
        normalised_only,
        raw_site,
        peer_name="raw hmac loop over the canonical strings",
        repeats=repeats,
        unit="speed",
    )
    _harness.compare(
        "pseudonymize from built Identity objects, site tier",
        lambda: from_identities(Pseudonymizer(site_key=site)),
        raw_site,
        peer_name="raw hmac loop over the canonical strings",
        repeats=repeats,
        unit="speed",
    )


def _write_csv(path: Path, rows: int) -> None:
    fields = _raw_fields(min(rows, 100_000), seed=7)
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("NOM;PRENOM;DDN;SEXE;ADRESSE;GROUPE;SCORE\n")
        for index in range(rows):
            b, f, d, s = fields[index % len(fields)]
            sex = {"female": "F", "male": "M", "unknown": "I"}[s.value]
            file.write(
                f"{b};{f};{d.format('DD/MM/YYYY')};{sex};{index} rue X;G{index % 7};{index % 40}\n"
            )


# Runs the command in a fresh interpreter and prints its peak resident memory (VmHWM,
# which exec resets, unlike ru_maxrss that may count the parent's pages before exec).
_WRAPPER = """
import sys
from microstructure.cli import main
status = main(sys.argv[1:])
peak = next((line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")), "")
print("VmHWM", peak, file=sys.stderr)
sys.exit(status)
"""


def _run(argv: list[str]) -> str:
    result = subprocess.run(
        argv, capture_output=True, text=True, check=False, env=_harness.python_env()
    )
    if result.returncode:
        msg = f"{argv[1]} failed with status {result.returncode}: {result.stderr}"
        raise SystemExit(msg)
    return result.stderr


def bench_cli(rows: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        key = folder / "site.key"
        Key.generate().write(key)
        source = folder / "in.csv"
        _write_csv(source, rows)
        ours_out, peer_out = folder / "ours.csv", folder / "peer.csv"
        peaks: list[int] = []

        def ours() -> bytes:
            stderr = _run([
                sys.executable, "-c", _WRAPPER, "pseudonymize", str(source), str(ours_out),
                "--site-key-file", str(key), "--no-progress", "--drop", "ADRESSE",
                "--delimiter", "semicolon", "--keep", "GROUPE,SCORE",
                "--columns", "birth_name=NOM,first_name=PRENOM,birth_date=DDN,sex=SEXE",
            ])  # fmt: skip
            peaks.append(int(stderr.split()[-1]))
            return ours_out.read_bytes()

        def peer() -> bytes:
            _run(
                [sys.executable, str(PEER_SCRIPT), str(source), str(peer_out), str(key), "ADRESSE"]
            )
            return peer_out.read_bytes()

        size = source.stat().st_size / 2**20
        _harness.compare(
            f"microstructure pseudonymize, {rows:,} rows ({size:,.0f} MiB)",
            ours,
            peer,
            peer_name="csv + hmac script, same normalisation",
            repeats=repeats,
            same=lambda a, b: (a, b),
            unit="speed",
            aim=">= 0.85x speed",
        )
        _harness.note(
            f"microstructure pseudonymize, {rows:,} rows: peak resident memory "
            f"{max(peaks) / 1024:,.0f} MiB (VmHWM of the fresh interpreter)"
        )


def run(args: argparse.Namespace) -> None:
    if args.cli_rows:
        bench_cli(args.cli_rows, args.cli_repeats)  # first, while this process is small
    bench_pseudonyms(args.identities, args.repeats)


if __name__ == "__main__":
    arguments = _harness.parser(__doc__)
    arguments.add_argument("--identities", type=int, default=1_000_000)
    arguments.add_argument("--cli-rows", type=int, default=1_000_000, help="0: skip the command")
    arguments.add_argument("--cli-repeats", type=int, default=5)
    _harness.main(run, arguments)

"""Speed of keyed pseudonyms against a raw ``hmac`` loop, and memory of the CLI.

Run: ``python benchmarks/bench_identifiers.py`` (``--identities`` and ``--cli-rows``
scale it down for a quick look). Prints:

- pseudonymising N identities from their raw fields (normalisation + `Identity`
  validation + HMAC) and from already-built `Identity` objects, each as a speed ratio
  to a raw ``hmac.digest`` loop over the already-normalised bytes in the same run
  (1.0 = as fast as raw HMAC; the aim is >= 0.5 for pseudonymize itself);
- ``microstructure pseudonymize`` on CSV files of 10, 100,000 and N rows: wall time,
  rows per second and peak resident memory of the process (bounded memory: the peak
  does not grow with the file).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pendulum

from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex, canonical_form

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


def _timed(function: object) -> float:
    start = time.perf_counter()
    function()  # type: ignore[operator]
    return time.perf_counter() - start


def bench_pseudonyms(count: int) -> None:
    site, national = Key.generate(), Key.generate()
    site_only = Pseudonymizer(site_key=site)
    both = Pseudonymizer(site_key=site, national_key=national)
    fields = _raw_fields(count)
    identities = [
        Identity(birth_name=b, first_name=f, birth_date=d, sex=s) for b, f, d, s in fields
    ]
    messages = [canonical_form(identity).encode() for identity in identities]
    site_secret, national_secret = site.secret, national.secret
    sha256 = hashlib.sha256

    def raw_site() -> None:
        for message in messages:
            hmac.digest(site_secret, message, sha256).hex()

    def raw_both() -> None:
        for message in messages:
            hmac.digest(national_secret, hmac.digest(site_secret, message, sha256), sha256).hex()

    def ours(pseudonymizer: Pseudonymizer) -> None:
        pseudonymize = pseudonymizer.pseudonymize
        for identity in identities:
            pseudonymize(identity)

    def ours_from_fields(pseudonymizer: Pseudonymizer) -> None:
        pseudonymize = pseudonymizer.pseudonymize
        for b, f, d, s in fields:
            pseudonymize(Identity(birth_name=b, first_name=f, birth_date=d, sex=s))

    print(f"pseudonymising {count:,} identities (best of 3 runs each)")
    for label, raw, pseudonymizer in (
        ("site tier", raw_site, site_only),
        ("two tiers", raw_both, both),
    ):
        raw_time = min(_timed(raw) for _ in range(3))
        built = min(_timed(lambda p=pseudonymizer: ours(p)) for _ in range(3))
        from_fields = min(_timed(lambda p=pseudonymizer: ours_from_fields(p)) for _ in range(3))
        print(f"  {label}: raw hmac loop over normalised bytes {raw_time:.2f} s "
              f"({count / raw_time:,.0f}/s)")  # fmt: skip
        print(f"    Pseudonymizer.pseudonymize(identity): {built:.2f} s "
              f"({count / built:,.0f}/s) = {raw_time / built:.2f}x raw")  # fmt: skip
        print(f"    from raw fields (Identity + normalisation + pseudonymize): {from_fields:.2f} s "
              f"({count / from_fields:,.0f}/s) = {raw_time / from_fields:.2f}x raw")  # fmt: skip


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
print("VmHWM", peak)
sys.exit(status)
"""


def _peak_kib(argv: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode:
        msg = f"the command failed with status {result.returncode}: {result.stderr}"
        raise SystemExit(msg)
    return elapsed, int(result.stdout.split()[-1])


def _run_cli(source: Path, target: Path, key: Path) -> tuple[float, int]:
    return _peak_kib([
        "pseudonymize", str(source), str(target),
        "--site-key-file", str(key), "--no-progress", "--drop", "ADRESSE",
        "--columns", "birth_name=NOM,first_name=PRENOM,birth_date=DDN,sex=SEXE",
    ])  # fmt: skip


def bench_cli(rows: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        key = folder / "site.key"
        Key.generate().write(key)
        print("microstructure pseudonymize (fresh interpreter; peak RSS = VmHWM)")
        for count in sorted({10, min(100_000, rows), rows}):
            source = folder / f"in-{count}.csv"
            _write_csv(source, count)
            size = source.stat().st_size / 2**20
            elapsed, peak = _run_cli(source, folder / f"out-{count}.csv", key)
            print(f"  {count:>9,} rows ({size:,.0f} MiB): {elapsed:.1f} s, "
                  f"{count / elapsed:,.0f} rows/s, peak RSS {peak / 1024:.0f} MiB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=1_000_000)
    parser.add_argument("--cli-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_cli(args.cli_rows)  # first, while this process is still small
    bench_pseudonyms(args.identities)


if __name__ == "__main__":
    main()

"""Keyed pseudonyms: the published test vectors, tiers, prefixes and keys in use."""

import hashlib
import shutil
import subprocess
from typing import Any

import pendulum
import pytest

from microstructure.errors import ConfigurationError, ValidationError
from microstructure.identifiers import Identity, Key, Pseudonymizer, Sex, canonical_form

SITE_KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
NATIONAL_KEY_HEX = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"

# (birth name, first given name, birth date, sex, canonical form, site tier, national tier)
# Published in docs/reference/test-vectors.md; the first was checked with `openssl dgst`.
VECTORS = [
    (
        "d'Aubigné",
        "Élodie-Marie",
        "1985-03-07",
        "female",
        "DAUBIGNE|ELODIEMARIE|1985-03-07|2",
        "8435ed500ce7abd4391afef8bfc1fedb8321295458e191895634d3a00fc924bc",
        "b1e199124815c13ca435260862eab8124faa3068ba76a81f96bd14ac5d72e6f9",
    ),
    (
        "D AUBIGNE",
        "ELODIE MARIE",
        "1985-03-07",
        "female",
        "DAUBIGNE|ELODIEMARIE|1985-03-07|2",
        "8435ed500ce7abd4391afef8bfc1fedb8321295458e191895634d3a00fc924bc",
        "b1e199124815c13ca435260862eab8124faa3068ba76a81f96bd14ac5d72e6f9",
    ),
    (
        "Lœuillet",
        "Cœlina",
        "1972-11-30",
        "female",
        "LOEUILLET|COELINA|1972-11-30|2",
        "177a0106b98ccffce27c72212ee93836231576f518f2286424b470d774b6b9d1",
        "8ec361207f1f981efbcf4cb43d258b122ee48e7e4b8b8c82ed7170b39ea83898",
    ),
    (
        "Cæsar",
        "Lætitia",
        "2001-01-01",
        "female",
        "CAESAR|LAETITIA|2001-01-01|2",
        "36c3fec512f9f065ad6e16e4d76574d6633353cb0c4e326c8646ccc231d32556",
        "0eca93ab9577ced3dade9222465018398d0be3960545cd6e13912bd559051afb",
    ),
    (
        "de La Fontaine",
        "Jean",
        "1950-07-08",
        "male",
        "DELAFONTAINE|JEAN|1950-07-08|1",
        "00aff3b81ad13be0f1877e74bc1f74e46535f111320f076e48dbfccc3c0b7e5f",
        "008a092a1840e0a9de2692054e3f2cf8b5cfcf2d82de35d95b6cfdcf6d244ad0",
    ),
    (
        "Martin-Dupont",
        "Jean-Pierre",
        "1990-12-24",
        "male",
        "MARTINDUPONT|JEANPIERRE|1990-12-24|1",
        "82d6db560fbfa6b90ae35e8e35890a029ad26ac4387fd6dc41b202655896d089",
        "0cda7194181507cb3d6a842f78d613d851b2937b76a80e05d305711be122b157",
    ),
    (
        "N’Diaye",
        "Aïssatou",
        "1968-02-29",
        "unknown",
        "NDIAYE|AISSATOU|1968-02-29|0",
        "9cee31c7ef0575da05b4f5573f670de5b9f3cc9035e62d4144a57b93210bf7f7",
        "23aba64c57dd963f24ce728fac413658124b48782469d2fd4473cff05dc0b387",
    ),
    (
        "Weiß",
        "François",
        "1979-05-15",
        "male",
        "WEISS|FRANCOIS|1979-05-15|1",
        "f6186dd776d889f85cfccb4ac3aa2a89377d64c22833c0c5e86791b13d56c0b1",
        "04f7a957ea192f4ac3c2422fd63a79ac4d61688d2a842c053cfd29fc68e81303",
    ),
    (
        "Le Goff",
        "Gwenaëlle",
        "1988-10-10",
        "female",
        "LEGOFF|GWENAELLE|1988-10-10|2",
        "f251b3c8b827c9eaca684cd1b864891515817c8bc6567a084977b9b305804bf3",
        "b0a7541bddeaf0b312bc6ed7345c7ecd2ec1232b07985fbf974ac9f245cdaddc",
    ),
]


def _identity(birth_name: str, first_name: str, birth_date: str, sex: str) -> Identity:
    return Identity(
        birth_name=birth_name,
        first_name=first_name,
        birth_date=pendulum.Date.fromisoformat(birth_date),
        sex=Sex(sex),
    )


def _hmac_sha256(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 from RFC 2104 with hashlib only, independent of the hmac module."""
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).digest()


@pytest.fixture
def keys():
    return Key.from_hex(SITE_KEY_HEX), Key.from_hex(NATIONAL_KEY_HEX)


@pytest.mark.parametrize("vector", VECTORS, ids=[v[4] for v in VECTORS])
def test_published_vectors(vector, keys):
    """Each vector gives its published canonical form, site and national pseudonyms."""
    *fields, canonical, site_hex, national_hex = vector
    identity = _identity(*fields)
    site_key, national_key = keys
    assert canonical_form(identity) == canonical
    assert Pseudonymizer(site_key=site_key).pseudonymize(identity) == "v1s:" + site_hex
    both = Pseudonymizer(site_key=site_key, national_key=national_key)
    assert both.pseudonymize(identity) == "v1n:" + national_hex


@pytest.mark.parametrize("vector", VECTORS, ids=[v[4] for v in VECTORS])
def test_vectors_follow_rfc_2104(vector):
    """The published hex values are HMAC-SHA256 by a from-scratch RFC 2104 computation."""
    *_, canonical, site_hex, national_hex = vector
    site = _hmac_sha256(bytes.fromhex(SITE_KEY_HEX), canonical.encode("ascii"))
    assert site.hex() == site_hex
    assert _hmac_sha256(bytes.fromhex(NATIONAL_KEY_HEX), site).hex() == national_hex


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_first_vector_with_openssl(tmp_path):
    """OpenSSL, another implementation, gives the first vector's site tier."""
    *_, canonical, site_hex, _ = VECTORS[0]
    message = tmp_path / "message"
    message.write_bytes(canonical.encode("ascii"))
    result = subprocess.run(
        [shutil.which("openssl") or "openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", f"hexkey:{SITE_KEY_HEX}",
         str(message)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip().endswith(site_hex)


def test_national_tier_of_a_site_pseudonym(keys):
    """to_national applied to a site pseudonym equals the two-tier pseudonym."""
    site_key, national_key = keys
    identity = _identity(*VECTORS[4][:4])
    site = Pseudonymizer(site_key=site_key).pseudonymize(identity)
    both = Pseudonymizer(site_key=site_key, national_key=national_key)
    assert both.to_national(site) == both.pseudonymize(identity)
    assert both.national
    assert not Pseudonymizer(site_key=site_key).national


def test_national_party_needs_only_the_national_key(keys):
    """A pseudonymizer with only the national key converts site pseudonyms, nothing else."""
    site_key, national_key = keys
    identity = _identity(*VECTORS[0][:4])
    site = Pseudonymizer(site_key=site_key).pseudonymize(identity)
    national_only = Pseudonymizer(site_key=None, national_key=national_key)
    assert national_only.to_national(site) == "v1n:" + VECTORS[0][6]
    with pytest.raises(ConfigurationError, match="needs a site key"):
        national_only.pseudonymize(identity)
    with pytest.raises(ConfigurationError, match="needs a site key, a national key, or both"):
        Pseudonymizer(site_key=None)


def test_to_national_needs_a_national_key_and_a_site_pseudonym(keys):
    """to_national refuses without a national key, or given anything but a v1s pseudonym."""
    site_key, national_key = keys
    with pytest.raises(ConfigurationError, match="national key"):
        Pseudonymizer(site_key=site_key).to_national("v1s:" + "0" * 64)
    both = Pseudonymizer(site_key=site_key, national_key=national_key)
    for bad in ["v1n:" + "0" * 64, "v1s:" + "0" * 63, "v1s:" + "A" * 64, 42]:
        with pytest.raises(ValidationError):
            both.to_national(bad)  # type: ignore[arg-type]  # 42 on purpose


def test_other_keys_give_other_pseudonyms(keys):
    """Changing either key changes the pseudonym; tiers have distinct prefixes."""
    site_key, national_key = keys
    identity = _identity(*VECTORS[0][:4])
    first = Pseudonymizer(site_key=site_key, national_key=national_key).pseudonymize(identity)
    other_site = Pseudonymizer(site_key=Key.generate(), national_key=national_key)
    other_national = Pseudonymizer(site_key=site_key, national_key=Key.generate())
    assert first != other_site.pseudonymize(identity)
    assert first != other_national.pseudonymize(identity)


def test_optional_fields_do_not_change_the_pseudonym(keys):
    """The used name and other given names are not part of the pseudonym."""
    site_key, _ = keys
    plain = _identity("Martin", "Claire", "1970-01-02", "female")
    married = Identity(
        birth_name="Martin",
        first_name="Claire",
        birth_date=pendulum.date(1970, 1, 2),
        sex=Sex.FEMALE,
        used_name="Durand",
        other_given_names=("Anne", "Louise"),
    )
    pseudonymizer = Pseudonymizer(site_key=site_key)
    assert pseudonymizer.pseudonymize(plain) == pseudonymizer.pseudonymize(married)


@pytest.mark.parametrize(
    ("change", "value"),
    [("birth_name", "Martine"), ("first_name", "Clara"), ("birth_date", pendulum.date(1970, 2, 1)),
     ("sex", Sex.UNKNOWN)],
)  # fmt: skip
def test_each_identity_field_changes_the_pseudonym(change, value, keys):
    """Every field that enters the pseudonym changes it."""
    fields: dict[str, Any] = {
        "birth_name": "Martin",
        "first_name": "Claire",
        "birth_date": pendulum.date(1970, 1, 2),
        "sex": Sex.FEMALE,
    }
    pseudonymizer = Pseudonymizer(site_key=keys[0])
    before = pseudonymizer.pseudonymize(Identity(**fields))
    after = pseudonymizer.pseudonymize(Identity(**{**fields, change: value}))
    assert before != after


def test_pseudonymizer_accepts_bytes_and_refuses_other_keys():
    """Keys may be given as bytes; text and short keys are refused."""
    identity = _identity(*VECTORS[0][:4])
    from_bytes = Pseudonymizer(site_key=bytes.fromhex(SITE_KEY_HEX)).pseudonymize(identity)
    assert from_bytes == "v1s:" + VECTORS[0][5]
    with pytest.raises(ConfigurationError):
        Pseudonymizer(site_key=SITE_KEY_HEX)  # type: ignore[arg-type]  # text on purpose
    with pytest.raises(ConfigurationError):
        Pseudonymizer(site_key=b"short")


def test_pseudonymize_needs_an_identity(keys):
    """Anything but an Identity is a ValidationError naming its type only."""
    with pytest.raises(ValidationError, match="expected an Identity, got dict"):
        Pseudonymizer(site_key=keys[0]).pseudonymize({"birth_name": "Martin"})  # type: ignore[arg-type]


def test_pseudonymizer_cannot_be_pickled(keys):
    """A Pseudonymizer holding keys refuses to be pickled."""
    import pickle

    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Pseudonymizer(site_key=keys[0]))

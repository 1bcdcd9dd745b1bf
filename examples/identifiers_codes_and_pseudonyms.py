"""Draw an anonymous code, read it back as typed, and pseudonymise an identity."""

import pendulum

from microstructure.identifiers import (
    AnonymousCode,
    Identity,
    InvalidCodeError,
    Key,
    Pseudonymizer,
    Sex,
)

used: set[AnonymousCode] = set()
code = AnonymousCode.generate(exists=used.__contains__)
used.add(code)
print(f"new patient code: {code}")
print(f"typed in lower case without hyphen: {AnonymousCode.parse(code.value.lower())}")

try:
    AnonymousCode.parse("K3M7-QXGV")
except InvalidCodeError as error:
    print(f"rejected: {error}")

pseudonymizer = Pseudonymizer(site_key=Key.generate(), national_key=Key.generate())
for birth_name, first_name in [("d'Aubigné", "Élodie-Marie"), ("D AUBIGNE", "ELODIE MARIE")]:
    person = Identity(
        birth_name=birth_name,
        first_name=first_name,
        birth_date=pendulum.date(1985, 3, 7),
        sex=Sex.FEMALE,
    )
    print(f"{person!r} -> {pseudonymizer.pseudonymize(person)[:20]}…")

"""Score screening answers, decide three referrals for each program, and explain in French.

Run: python examples/eligibility_demo.py
"""

from microstructure.eligibility import Situation, decide, default_policies, score

# A GP's referral: the answers as printed on the forms.
audit_c = score("audit-c", [3, 2, 1], sex="male")
epices = score("epices", [True, False, False, False, True, False, False, False, True, True, False])
print(f"AUDIT-C {audit_c.total} ({audit_c.band}), EPICES {epices.total} ({epices.band})")
assert (audit_c.band, epices.band) == ("positive", "precarious")

referrals = [
    # Alcohol, precarity, not followed elsewhere: Equip'addict.
    Situation(
        code="R-001",
        age=47,
        sex="male",
        substances=["alcohol"],
        situations=["debt", "isolation"],
        followed_by=[],
        answers={"audit-c": [3, 2, 1]},
    ),
    # Bereavement after lockdown, depressive symptoms, item 9 answered: alert.
    Situation(
        code="R-002",
        age_band="25-44",
        sex="female",
        situations=["bereavement", "lockdown-effects"],
        answers={"phq-9": [2, 2, 1, 2, 1, 1, 1, 0, 1]},
    ),
    # Cannabis, nothing else known yet: to review at the next RCP.
    Situation(code="R-003", substances=["cannabis"]),
]

outcomes = {}
for situation in referrals:
    for policy in default_policies().values():
        decision = decide(situation, policy)
        outcomes[situation.code, policy.program] = decision.outcome.value
        if policy.program == "equip-addict" or decision.alerts:
            print()
            print(decision.explain("fr"))

assert outcomes["R-001", "equip-addict"] == "eligible"
assert outcomes["R-002", "sante-mentale"] == "eligible"
assert outcomes["R-003", "equip-addict"] == "to-review"

"""Composition checks in detail: lone teams, national paths, messages and program bounds.

Written against the surviving mutants of `microstructure.teams._checks` (mutmut): each test
pins down behaviour that a plausible slip in that module would change.
"""

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from microstructure.errors import Finding
from microstructure.examples import example_network
from microstructure.programs import Program, RoleRequirement
from microstructure.teams import (
    NationalCoordination,
    Network,
    Professional,
    ProgramMembership,
    Role,
    check,
)

ON = pendulum.date(2026, 6, 1)


def _codes(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in findings]


def _replace_ms(network: Network, index: int, **changes: Any) -> Network:
    mss = list(network.microstructures)
    mss[index] = attrs.evolve(mss[index], **changes)
    return attrs.evolve(network, microstructures=tuple(mss))


def _only(findings: Iterable[Finding], code: str) -> Finding:
    (found,) = (f for f in findings if f.code == code)
    return found


def test_a_lone_microstructure_is_checked_with_root_paths():
    """`check` on one team reports its own problems at `$.members[...]`, consistency included."""
    ms = example_network().microstructures[0]
    twin = Professional(id=ms.members[0].id, role=Role.PSYCHOLOGIST)
    findings = check(attrs.evolve(ms, members=(*ms.members, twin)), on=ON)
    assert _codes(findings) == [
        ("MS-TEAM-002", "$.members[5]"),
        ("MS-TEAM-003", "$.members[5]"),
    ]
    assert _codes(check(ms, on=ON)) == []


def test_a_lone_microstructure_without_psychiatrist_gets_the_info():
    """A lone team gets the same findings as inside its network, with root paths."""
    colmar = example_network().microstructures[2]
    assert _codes(check(colmar, on=ON)) == [("MS-TEAM-009", "$.members")]


def test_national_paths_name_the_network():
    """Findings of the second network of a national level are located under `$.networks[1]`."""
    alsace = example_network()
    colmar = alsace.microstructures[2]
    members = tuple(m for m in colmar.members if m.role is not Role.PSYCHOLOGIST)
    broken = _replace_ms(alsace, 2, members=members)
    reunion = example_network("04")
    findings = check(NationalCoordination(networks=(reunion, broken)), on=ON)
    assert ("MS-TEAM-001", "$.networks[1].microstructures[2].members") in _codes(findings)
    assert not [f for f in findings if f.path.startswith("$.networks[0]")]


def test_professionals_of_every_network_are_compared():
    """MS-TEAM-003 compares a professional of the first network with one in the last."""
    alsace = example_network()
    reunion = example_network("04")
    stranger = Professional(id="psy-strasbourg", role=Role.SOCIAL_WORKER)
    ms = reunion.microstructures[0]
    reunion = _replace_ms(reunion, 0, members=(*ms.members, stranger))
    national = NationalCoordination(networks=(alsace, reunion, example_network("04")))
    found = _only(check(national, on=ON), "MS-TEAM-003")
    index = len(ms.members)
    assert found.path == f"$.networks[1].microstructures[0].members[{index}]"
    assert "'psy-strasbourg'" in found.message
    assert "$.networks[0].microstructures[0].members[2]" in found.message
    assert "social-worker vs psychologist" in found.message
    assert "'psy-strasbourg'" in (found.message_fr or "")


def test_duplicate_messages_point_at_the_first_occurrence():
    """Duplicate members, microstructures and networks name where the first one is."""
    network = example_network()
    ms = network.microstructures[0]
    doubled = _replace_ms(network, 0, members=(*ms.members, ms.members[2], ms.members[2]))
    doubled = attrs.evolve(
        doubled,
        microstructures=(*doubled.microstructures, ms, ms),
    )
    findings = check(doubled, on=ON)
    members = [f for f in findings if f.code == "MS-TEAM-002"]
    assert {f.message for f in members} == {
        "professional 'psy-strasbourg' is already listed at members[2]"
    }
    assert all("members[2]" in (f.message_fr or "") for f in members)
    ids = [f for f in findings if f.code == "MS-TEAM-008"]
    assert [f.path for f in ids] == ["$.microstructures[3].id", "$.microstructures[4].id"]
    assert all("already used at microstructures[0]" in f.message for f in ids)
    assert all("'ms-neudorf'" in (f.message_fr or "") for f in ids)
    national = NationalCoordination(networks=(network, network, network))
    nets = [f for f in check(national, on=ON) if f.code == "MS-TEAM-008"]
    assert [f.path for f in nets] == ["$.networks[1].id", "$.networks[2].id"]
    assert all("already used at networks[0]" in f.message for f in nets)
    assert all("'reseau-alsace'" in (f.message_fr or "") for f in nets)


def test_role_messages_name_the_person_and_the_role():
    """Misplaced roles and missing coordinators are explained in English and French."""
    network = example_network()
    ms = network.microstructures[0]
    misplaced = Professional(id="coord-x", role=Role.ADMINISTRATIVE_COORDINATOR)
    network = _replace_ms(network, 0, members=(*ms.members, misplaced))
    gp = Professional(id="gp-z", role=Role.GENERAL_PRACTITIONER)
    network = attrs.evolve(network, coordination=(gp,))
    findings = check(network, on=ON)
    clinician, coordinator = (f for f in findings if f.code == "MS-TEAM-004")
    assert clinician.path == "$.coordination[0].role"
    assert "'gp-z' is a clinician, not a coordinator" in clinician.message
    assert "'gp-z' est un soignant" in (clinician.message_fr or "")
    assert coordinator.path == "$.microstructures[0].members[5].role"
    assert "'coord-x' belongs to the network coordination, not to a team" in coordinator.message
    assert "'coord-x' relève de la coordination" in (coordinator.message_fr or "")
    partial = _only(findings, "MS-TEAM-006")
    assert "and no" in partial.message
    assert "'reseau-alsace'" in partial.message
    assert "'reseau-alsace'" in (partial.message_fr or "")
    empty = _only(check(attrs.evolve(network, coordination=()), on=ON), "MS-TEAM-005")
    assert "'reseau-alsace' has no coordination" in empty.message
    assert "'reseau-alsace'" in (empty.message_fr or "")


def test_missing_role_and_psychiatrist_messages():
    """A missing role names the program that requires it; no psychiatrist says why it matters."""
    network = example_network()
    colmar = network.microstructures[2]
    members = tuple(m for m in colmar.members if m.role is not Role.SOCIAL_WORKER)
    findings = check(_replace_ms(network, 2, members=members), on=ON)
    missing = _only(findings, "MS-TEAM-001")
    assert "needs at least 1 social worker (program 'droit-commun'), has 0" in missing.message
    assert "(program 'droit-commun')" in (missing.message_fr or "")
    info = _only(findings, "MS-TEAM-009")
    assert "no psychiatrist" in info.message
    assert "psychiatre" in (info.message_fr or "")
    outside = _replace_ms(network, 2, members=members, programs=())
    bare = _only(check(outside, on=ON), "MS-TEAM-001")
    assert "(program" not in bare.message
    assert "needs at least 1 social worker, has 0" in bare.message


def test_the_highest_minimum_of_active_programs_wins():
    """Of two active programs requiring a role, the larger minimum and its program count."""
    two_gps = Program(
        id="two-gps",
        name="Two GPs",
        name_fr="Deux généralistes",
        required_roles=(RoleRequirement(role=Role.GENERAL_PRACTITIONER, minimum=2),),
    )
    four_gps = attrs.evolve(
        two_gps,
        id="four-gps",
        required_roles=(RoleRequirement(role=Role.GENERAL_PRACTITIONER, minimum=4),),
    )
    network = example_network()
    start = pendulum.date(2025, 1, 1)
    memberships = tuple(
        ProgramMembership(program=p, valid_from=start) for p in ("four-gps", "two-gps")
    )
    colmar = _replace_ms(network, 2, programs=memberships)  # three GPs
    findings = check(colmar, on=ON, overrides=[two_gps, four_gps])
    missing = _only(findings, "MS-TEAM-001")
    assert "needs at least 4 general practitioner (program 'four-gps'), has 3" in (missing.message)
    reversed_order = _replace_ms(network, 2, programs=memberships[::-1])
    again = _only(check(reversed_order, on=ON, overrides=[two_gps, four_gps]), "MS-TEAM-001")
    assert again.message == missing.message
    enough = _replace_ms(network, 2, programs=memberships[1:])
    assert "MS-TEAM-001" not in {f.code for f in check(enough, on=ON, overrides=[two_gps])}


def test_programs_open_in_the_network_region_raise_nothing():
    """In 2022 Alsace (Grand Est) is inside Equip'addict and santé mentale: no program finding."""
    findings = check(example_network(), on=pendulum.date(2022, 6, 1))
    assert [f.code for f in findings if f.code.startswith("MS-PROG")] == []


def test_membership_period_bounds_and_messages():
    """Joining before a program starts, or staying after it ends, is MS-PROG-004, with dates."""
    network = example_network()
    early = ProgramMembership(
        program="sante-mentale",
        valid_from=pendulum.date(2020, 6, 1),
        valid_until=pendulum.date(2022, 1, 1),
    )
    within = ProgramMembership(
        program="sante-mentale",
        valid_from=pendulum.date(2021, 1, 1),
        valid_until=pendulum.date(2023, 12, 31),
    )
    open_ended = ProgramMembership(program="sante-mentale", valid_from=pendulum.date(2021, 1, 1))
    for membership, outside in [(early, True), (within, False), (open_ended, True)]:
        changed = _replace_ms(network, 1, programs=(membership,))
        codes = [f for f in check(changed, on=ON) if f.code == "MS-PROG-004"]
        assert bool(codes) is outside
    changed = _replace_ms(network, 1, programs=(open_ended,))
    finding = _only(check(changed, on=ON), "MS-PROG-004")
    assert "membership 2021-01-01 to … is not within" in finding.message
    assert "(2021-01-01 to 2023-12-31)" in finding.message
    assert "(2021-01-01 to 2023-12-31)" in (finding.message_fr or "")
    open_program = Program(
        id="open", name="Open", name_fr="Ouvert", valid_until=pendulum.date(2030, 1, 1)
    )
    changed = _replace_ms(
        network,
        1,
        programs=(ProgramMembership(program="open", valid_from=pendulum.date(2021, 1, 1)),),
    )
    finding = _only(check(changed, on=ON, overrides=[open_program]), "MS-PROG-004")
    assert "(… to 2030-01-01)" in finding.message


def test_every_active_membership_is_checked_after_a_past_one():
    """A past membership is skipped, and the memberships after it are still checked."""
    reunion = example_network("04")
    memberships = (
        ProgramMembership(
            program="droit-commun",
            valid_from=pendulum.date(2024, 1, 1),
            valid_until=pendulum.date(2024, 12, 31),
        ),
        ProgramMembership(program="equip-addict", valid_from=pendulum.date(2022, 1, 1)),
    )
    findings = check(_replace_ms(reunion, 0, programs=memberships), on=pendulum.date(2022, 6, 1))
    wrong_region = _only(findings, "MS-PROG-003")
    assert wrong_region.path == "$.microstructures[0].programs[1]"
    site = reunion.microstructures[0].site
    assert f"region {site.region} of site {site.id!r}" in wrong_region.message
    assert f"région {site.region}" in (wrong_region.message_fr or "")


def test_unknown_and_inactive_program_messages():
    """Unknown programs list the known ones; inactive ones give the date and the period."""
    network = example_network()
    memberships = (
        ProgramMembership(program="no-such-program", valid_from=pendulum.date(2024, 1, 1)),
        ProgramMembership(
            program="equip-addict",
            valid_from=pendulum.date(2024, 1, 1),
            valid_until=pendulum.date(2026, 12, 31),
        ),
    )
    findings = check(_replace_ms(network, 2, programs=memberships), on=ON)
    unknown = _only(findings, "MS-PROG-001")
    assert "unknown program 'no-such-program'" in unknown.message
    assert "known: droit-commun, equip-addict, sante-mentale" in unknown.message
    assert "'no-such-program'" in (unknown.message_fr or "")
    inactive = _only(findings, "MS-PROG-002")
    assert "is not active on 2026-06-01 (runs 2021-01-01 to 2023-12-31)" in inactive.message
    assert "2026-06-01" in (inactive.message_fr or "")


def test_site_outside_region_message_names_both_regions():
    """MS-TEAM-007 names the site, its region and the network's region."""
    network = example_network()
    reunion_site = example_network("04").microstructures[0].site
    finding = _only(check(_replace_ms(network, 0, site=reunion_site), on=ON), "MS-TEAM-007")
    assert f"site {reunion_site.id!r} is in region 04, the network in region 44" in (
        finding.message
    )
    assert repr(reunion_site.id) in (finding.message_fr or "")


def test_default_date_is_today_in_paris():
    """Without ``on``, memberships are judged today (Europe/Paris)."""
    network = example_network()
    today = pendulum.today("Europe/Paris").date()
    assert check(network) == check(network, on=today)

"""Composition checks: each finding is produced where it should be, and only there."""

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum
import pytest

from microstructure import NotFoundError, Severity
from microstructure.errors import Finding, finding_catalogue
from microstructure.examples import example_national, example_network
from microstructure.programs import load_program, program
from microstructure.teams import (
    NationalCoordination,
    Network,
    Professional,
    ProgramMembership,
    Role,
    check,
    count_roles,
)

ON = pendulum.date(2026, 6, 1)


def _codes(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in findings]


def _replace_ms(network: Network, index: int, **changes: Any) -> Network:
    mss = list(network.microstructures)
    mss[index] = attrs.evolve(mss[index], **changes)
    return attrs.evolve(network, microstructures=tuple(mss))


def test_example_has_only_the_expected_info():
    """The example network has one info finding: Colmar has no psychiatrist."""
    assert _codes(check(example_network(), on=ON)) == [
        ("MS-TEAM-009", "$.microstructures[2].members")
    ]


def test_missing_social_worker():
    """A team without a social worker gets MS-TEAM-001 as an error."""
    network = example_network()
    ms = network.microstructures[2]
    members = tuple(m for m in ms.members if m.role is not Role.SOCIAL_WORKER)
    findings = check(_replace_ms(network, 2, members=members), on=ON)
    assert ("MS-TEAM-001", "$.microstructures[2].members") in _codes(findings)
    missing = next(f for f in findings if f.code == "MS-TEAM-001")
    assert missing.severity is Severity.ERROR
    assert "social worker" in missing.message
    assert "travailleur social" in (missing.message_fr or "")


def test_program_requiring_a_psychiatrist():
    """Joining santé mentale makes the psychiatrist a required role."""
    network = example_network()
    membership = ProgramMembership(
        program="sante-mentale",
        valid_from=pendulum.date(2021, 1, 1),
        valid_until=pendulum.date(2023, 12, 31),
    )
    findings = check(_replace_ms(network, 2, programs=(membership,)), on=pendulum.date(2022, 6, 1))
    assert ("MS-TEAM-001", "$.microstructures[2].members") in _codes(findings)
    assert "program 'sante-mentale'" in next(f for f in findings if f.code == "MS-TEAM-001").message


def test_duplicate_member():
    """The same professional twice in one team is MS-TEAM-002."""
    network = example_network()
    ms = network.microstructures[0]
    findings = check(_replace_ms(network, 0, members=(*ms.members, ms.members[2])), on=ON)
    assert ("MS-TEAM-002", "$.microstructures[0].members[5]") in _codes(findings)


def test_inconsistent_professional_across_teams():
    """One id with two roles in two teams is MS-TEAM-003."""
    network = example_network()
    ms = network.microstructures[1]
    changed = (*ms.members, Professional(id="psy-colmar", role=Role.SOCIAL_WORKER))
    findings = check(_replace_ms(network, 1, members=changed), on=ON)
    assert any(code == "MS-TEAM-003" for code, _ in _codes(findings))


@pytest.mark.parametrize(
    ("rpps", "inconsistent"),
    [("10999900011", False), ("10999900037", True), (None, True)],
)
def test_same_role_with_another_rpps_is_inconsistent(rpps, inconsistent):
    """One id with one role but another (or no) RPPS in a second team is MS-TEAM-003."""
    network = example_network()
    members = list(network.microstructures[1].members)
    assert (members[1].id, members[1].rpps) == ("psy-strasbourg", "10999900011")
    members[1] = attrs.evolve(members[1], rpps=rpps)
    codes = _codes(check(_replace_ms(network, 1, members=tuple(members)), on=ON))
    expected = [("MS-TEAM-003", "$.microstructures[1].members[1]")] if inconsistent else []
    assert [c for c in codes if c[0] == "MS-TEAM-003"] == expected


def test_inconsistent_rpps_across_networks_and_coordination():
    """MS-TEAM-003 compares RPPS numbers across networks and with the coordination too."""
    alsace = example_network()
    doctor = alsace.coordination[0]
    twin = attrs.evolve(doctor, rpps="10999900078")
    reunion = example_network("04")
    reunion = attrs.evolve(reunion, coordination=(*reunion.coordination, twin))
    findings = check(NationalCoordination(networks=(alsace, reunion)), on=ON)
    index = len(reunion.coordination) - 1
    assert ("MS-TEAM-003", f"$.networks[1].coordination[{index}]") in _codes(findings)
    same = attrs.evolve(reunion, coordination=(*reunion.coordination[:-1], doctor))
    national = NationalCoordination(networks=(alsace, same))
    assert "MS-TEAM-003" not in {f.code for f in check(national, on=ON)}


def test_coordinator_in_a_team_and_clinician_in_coordination():
    """Roles out of place give MS-TEAM-004 warnings."""
    network = example_network()
    ms = network.microstructures[0]
    coordinator = Professional(id="coord-x", role=Role.MEDICAL_COORDINATOR)
    network = _replace_ms(network, 0, members=(*ms.members, coordinator))
    network = attrs.evolve(
        network,
        coordination=(
            *network.coordination,
            Professional(id="gp-z", role=Role.GENERAL_PRACTITIONER),
        ),
    )
    codes = _codes(check(network, on=ON))
    assert ("MS-TEAM-004", "$.microstructures[0].members[5].role") in codes
    assert ("MS-TEAM-004", "$.coordination[2].role") in codes


def test_network_without_coordination():
    """No coordination is an error; half a coordination is a warning."""
    network = example_network()
    assert ("MS-TEAM-005", "$.coordination") in _codes(
        check(attrs.evolve(network, coordination=()), on=ON)
    )
    half = attrs.evolve(network, coordination=network.coordination[:1])
    assert ("MS-TEAM-006", "$.coordination") in _codes(check(half, on=ON))


def test_site_outside_network_region():
    """A La Réunion site in the Grand Est network is MS-TEAM-007."""
    network = example_network()
    reunion_site = example_network("04").microstructures[0].site
    findings = check(_replace_ms(network, 0, site=reunion_site), on=ON)
    assert ("MS-TEAM-007", "$.microstructures[0].site.department") in _codes(findings)


def test_duplicate_ids():
    """Two microstructures or two networks with one id are MS-TEAM-008."""
    network = example_network()
    doubled = attrs.evolve(
        network, microstructures=(*network.microstructures, network.microstructures[0])
    )
    assert ("MS-TEAM-008", "$.microstructures[3].id") in _codes(check(doubled, on=ON))
    national = NationalCoordination(networks=(network, network))
    assert ("MS-TEAM-008", "$.networks[1].id") in _codes(check(national, on=ON))


def test_program_findings():
    """Unknown, ended and out-of-region programs are reported; past memberships are not."""
    network = example_network()
    memberships = (
        ProgramMembership(program="no-such-program", valid_from=pendulum.date(2024, 1, 1)),
        ProgramMembership(program="equip-addict", valid_from=pendulum.date(2022, 1, 1)),
    )
    codes = _codes(check(_replace_ms(network, 2, programs=memberships), on=ON))
    assert ("MS-PROG-001", "$.microstructures[2].programs[0].program") in codes
    assert ("MS-PROG-002", "$.microstructures[2].programs[1]") in codes
    assert ("MS-PROG-004", "$.microstructures[2].programs[1]") in codes
    reunion = example_network("04")
    ms = reunion.microstructures[0]
    moved = attrs.evolve(
        reunion,
        microstructures=(
            attrs.evolve(
                ms,
                programs=(
                    ProgramMembership(
                        program="equip-addict",
                        valid_from=pendulum.date(2022, 1, 1),
                        valid_until=pendulum.date(2023, 12, 31),
                    ),
                ),
            ),
        ),
    )
    assert ("MS-PROG-003", "$.microstructures[0].programs[0]") in _codes(
        check(moved, on=pendulum.date(2022, 6, 1))
    )
    assert ("MS-PROG-003", "$.microstructures[0].programs[0]") not in _codes(check(moved, on=ON))


def test_program_override_changes_the_verdict(tmp_path):
    """A network's own program file replaces the shipped one in checks."""
    path = tmp_path / "equip.json"
    path.write_text(
        '{"id": "equip-addict", "name": "E", "name_fr": "E", "valid_from": "2021-01-01", "valid_until": "2026-12-31"}',
        encoding="utf-8",
    )
    extended = load_program(path)
    network = example_network()
    membership = ProgramMembership(program="equip-addict", valid_from=pendulum.date(2024, 1, 1))
    changed = _replace_ms(network, 2, programs=(membership,))
    assert "MS-PROG-002" in {f.code for f in check(changed, on=ON)}
    assert "MS-PROG-002" not in {f.code for f in check(changed, on=ON, overrides=[extended])}


def test_findings_are_sorted_errors_first():
    """Findings come errors first, then warnings, then infos, each severity by path."""
    network = example_network()
    neudorf, hautepierre, colmar = network.microstructures
    coordinator = Professional(id="coord-x", role=Role.MEDICAL_COORDINATOR)
    network = _replace_ms(network, 0, members=(*neudorf.members, coordinator))
    # psy-strasbourg, shared with Neudorf, shows another RPPS in Hautepierre (found last).
    members = list(hautepierre.members)
    members[1] = attrs.evolve(members[1], rpps="10999900037")
    network = _replace_ms(network, 1, members=tuple(members))
    without_social_worker = tuple(m for m in colmar.members if m.role is not Role.SOCIAL_WORKER)
    network = _replace_ms(network, 2, members=without_social_worker)
    # Written out by hand: the checks find these in another order (warning first).
    assert _codes(check(network, on=ON)) == [
        ("MS-TEAM-003", "$.microstructures[1].members[1]"),
        ("MS-TEAM-001", "$.microstructures[2].members"),
        ("MS-TEAM-004", "$.microstructures[0].members[5].role"),
        ("MS-TEAM-009", "$.microstructures[2].members"),
    ]


def test_every_code_used_is_catalogued():
    """Every finding emitted by the checks is in the catalogue with the same severity."""
    catalogue = finding_catalogue()
    network = attrs.evolve(example_network(), coordination=())
    for finding in check(network, on=ON):
        assert catalogue[finding.code].severity is finding.severity


def test_counts_by_role_count_people_once():
    """A psychologist shared by two teams counts once; counts add up across levels."""
    national = example_national()
    alsace = example_network("44")
    assert count_roles(alsace.microstructures[0])[Role.GENERAL_PRACTITIONER] == 2
    alsace_counts = count_roles(alsace)
    assert alsace_counts[Role.PSYCHOLOGIST] == 2  # psy-strasbourg is shared
    assert alsace_counts[Role.GENERAL_PRACTITIONER] == 6
    total = count_roles(national)
    reunion = count_roles(example_network("04"))
    assert all(total[r] == alsace_counts[r] + reunion[r] for r in Role)
    assert count_roles(national, region="04") == reunion
    assert count_roles(alsace.microstructures[0], region="04")[Role.GENERAL_PRACTITIONER] == 0


def test_shipped_programs():
    """The three shipped programs load with their published parameters."""
    equip = program("equip-addict")
    assert sorted(equip.regions or ()) == ["11", "27", "32", "44", "76"]
    assert str(equip.annual_forfait_per_patient) == "528"
    assert equip.valid_until == pendulum.date(2023, 12, 31)
    assert program("droit-commun").regions is None
    assert Role.PSYCHIATRIST in {r.role for r in program("sante-mentale").required_roles}


@pytest.mark.parametrize("bad", ["nope", "EQUIP-ADDICT"])
def test_unknown_program_lookup(bad):
    """Looking up an unknown program names the known ones."""
    with pytest.raises(NotFoundError, match="droit-commun"):
        program(bad)

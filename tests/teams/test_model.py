"""Professionals, sites and microstructures validate their values on construction."""

import pytest

from microstructure.examples import example_network
from microstructure.teams import Microstructure, Professional, Role, Site, SiteKind


@pytest.mark.parametrize("rpps", ["10000000009", "10100000008", "79927398713"])
def test_valid_rpps_numbers_are_accepted(rpps):
    """Eleven digits whose last is the Luhn check digit are accepted (hand-computed, and the Wikipedia Luhn example 79927398713)."""
    assert Professional(id="p", role=Role.GENERAL_PRACTITIONER, rpps=rpps).rpps == rpps


@pytest.mark.parametrize(
    "rpps", ["10000000008", "79927398710", "1000000000", "1000000000A", "١٠٠٠٠٠٠٠٠٠٧"]
)
def test_invalid_rpps_numbers_are_rejected(rpps):
    """Wrong length, non-ASCII digits or a wrong check digit are rejected."""
    with pytest.raises(ValueError, match="RPPS"):
        Professional(id="p", role=Role.GENERAL_PRACTITIONER, rpps=rpps)


def test_site_knows_its_zone_and_region():
    """A site in La Réunion is in Indian/Reunion, region 04."""
    site = Site(id="s", name="Cabinet", kind=SiteKind.CABINET, department="974")
    assert (site.timezone, site.region) == ("Indian/Reunion", "04")


def test_site_requires_canonical_department_code():
    """A site stores the canonical code, so '2a' is refused with the right spelling."""
    with pytest.raises(ValueError, match="'2A'"):
        Site(id="s", name="Cabinet", kind=SiteKind.CABINET, department="2a")


def test_microstructure_needs_a_gp():
    """A team without a general practitioner is not a microstructure."""
    site = example_network().microstructures[0].site
    with pytest.raises(ValueError, match="at least one member with role 'gp'"):
        Microstructure(
            id="m",
            name="M",
            site=site,
            members=(Professional(id="psy", role=Role.PSYCHOLOGIST),),
        )


def test_role_labels():
    """Roles have stable codes and French labels."""
    assert Role("social-worker").label_fr == "travailleur social"
    assert Role.GENERAL_PRACTITIONER.value == "gp"

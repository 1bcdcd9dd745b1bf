"""Hypothesis strategies for the library's records, shared by the test modules."""

import pendulum
from hypothesis import strategies as st

from microstructure.programs import Activity, Period, Program, RoleRequirement, SessionFrequency
from microstructure.teams import (
    Microstructure,
    NationalCoordination,
    Network,
    Professional,
    ProgramMembership,
    Role,
    Site,
    SiteKind,
)
from microstructure.territory import departments, regions

IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,20}", fullmatch=True)
TEXT = st.text(min_size=1, max_size=30).filter(lambda s: s.strip())
DATES = st.dates(min_value=pendulum.date(1990, 1, 1), max_value=pendulum.date(2040, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)


def _luhn_complete(base: str) -> str:
    for digit in "0123456789":
        candidate = base + digit
        total = 0
        for index, char in enumerate(reversed(candidate)):
            number = int(char) * (2 if index % 2 else 1)
            total += number - 9 if number > 9 else number
        if total % 10 == 0:
            return candidate
    raise AssertionError  # pragma: no cover


RPPS = st.from_regex(r"10[0-9]{8}", fullmatch=True).map(_luhn_complete)


def professionals(role: Role | None = None) -> st.SearchStrategy[Professional]:
    return st.builds(
        Professional,
        id=IDS,
        role=st.just(role) if role is not None else st.sampled_from(Role),
        rpps=st.none() | RPPS,
        display_name=st.none() | TEXT,
    )


sites = st.builds(
    Site,
    id=IDS,
    name=TEXT,
    kind=st.sampled_from(SiteKind),
    department=st.sampled_from([d.code for d in departments()]),
)


@st.composite
def memberships(draw):
    start = draw(DATES)
    end = draw(st.none() | DATES.filter(lambda d: d >= start))
    return ProgramMembership(program=draw(IDS), valid_from=start, valid_until=end)


microstructures = st.builds(
    Microstructure,
    id=IDS,
    name=TEXT,
    site=sites,
    members=st.tuples(professionals(Role.GENERAL_PRACTITIONER)).flatmap(
        lambda gp: st.lists(professionals(), max_size=4).map(lambda rest: (*gp, *rest))
    ),
    programs=st.lists(memberships(), max_size=2).map(tuple),
)

networks = st.builds(
    Network,
    id=IDS,
    name=TEXT,
    region=st.sampled_from([r.code for r in regions()]),
    coordination=st.lists(professionals(), max_size=2).map(tuple),
    microstructures=st.lists(microstructures, max_size=3).map(tuple),
)

nationals = st.builds(
    NationalCoordination, name=TEXT, networks=st.lists(networks, max_size=2).map(tuple)
)


@st.composite
def programs(draw):
    start = draw(st.none() | DATES)
    end = draw(st.none() | DATES.filter(lambda d: start is None or d >= start))
    return Program(
        id=draw(IDS),
        name=draw(TEXT),
        name_fr=draw(TEXT),
        carried_by=draw(st.none() | TEXT),
        regions=draw(st.none() | st.lists(st.sampled_from([r.code for r in regions()])).map(tuple)),
        valid_from=start,
        valid_until=end,
        required_roles=tuple(
            draw(
                st.lists(
                    st.builds(
                        RoleRequirement,
                        role=st.sampled_from(Role),
                        minimum=st.integers(1, 5),
                    ),
                    max_size=3,
                )
            )
        ),
        frequencies=tuple(
            draw(
                st.lists(
                    st.builds(
                        SessionFrequency,
                        activity=st.sampled_from(Activity),
                        period=st.sampled_from(Period),
                        count=st.integers(1, 5),
                    ),
                    max_size=3,
                )
            )
        ),
        annual_forfait_per_patient=draw(
            st.none() | st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
        ),
        notes=draw(st.text(max_size=20)),
        sources=tuple(draw(st.lists(TEXT, max_size=2))),
    )

"""Disclosure of computed tables (`disclose`): real cells, real team files, an LP audit."""

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from microstructure.errors import FieldError
from microstructure.evaluation import (
    Cell,
    Database,
    Dimension,
    Level,
    Mask,
    ReportingPeriod,
    Table,
    compute,
    disclose,
    indicator,
    indicators,
)
from microstructure.examples import example_national
from microstructure.records import write_records
from microstructure.synthetic import generate
from microstructure.teams import NationalCoordination

SEXES = ("female", "male", "other", "unknown")
LEVELS = tuple(Level)
ACTIVE, SHARE = "active-file", "multiprofessional-follow-up"


def teams_of(shape):
    """A national file of ``shape = [(region, microstructure count), ...]`` networks."""
    national = example_national()
    network = national.networks[0]
    model = network.microstructures[0]
    networks = [
        attrs.evolve(
            network,
            id=f"net-{k}",
            region=region,
            microstructures=[attrs.evolve(model, id=f"ms-{k}-{j}") for j in range(size)],
        )
        for k, (region, size) in enumerate(shape)
    ]
    return attrs.evolve(national, networks=networks)


def units_of(teams: NationalCoordination):
    """``{(level, unit): [microstructure ids below it]}``."""
    found: dict[tuple[Level, str], list[str]] = {}
    for network in teams.networks:
        for ms in network.microstructures:
            for level, unit in (
                (Level.MICROSTRUCTURE, ms.id),
                (Level.NETWORK, network.id),
                (Level.REGION, network.region),
                (Level.NATION, "FR"),
            ):
                found.setdefault((level, unit), []).append(ms.id)
    return found


def build_table(teams, active, followed):
    """Active-file and multiprofessional cells from counts per microstructure and sex."""
    cells = []
    for (level, unit), below in sorted(units_of(teams).items(), key=str):
        for breakdown, categories in ((None, (None,)), (Dimension.SEX, (None, *SEXES))):
            for category in categories:
                sexes = SEXES if category is None else (category,)
                a = sum(active[ms][s] for ms in below for s in sexes)
                f = sum(followed[ms][s] for ms in below for s in sexes)
                common = {
                    "period": "2026",
                    "level": level,
                    "unit": unit,
                    "breakdown": breakdown,
                    "category": category,
                }
                cells.append(Cell(indicator=ACTIVE, numerator=a, value=a, count=a, **common))
                cells.append(
                    Cell(
                        indicator=SHARE,
                        numerator=f,
                        denominator=a,
                        value=f / a * 100 if a else None,
                        count=f,
                        denominator_count=a,
                        **common,
                    )
                )
    return Table(
        cells=cells,
        indicators=[indicator(ACTIVE), indicator(SHARE)],
        periods=[ReportingPeriod.year(2026)],
        levels=LEVELS,
    )


def unknowns(teams, active, followed):
    """``{("A" | "F", level, unit, sex or None): index}`` and the true values."""
    variables: dict[tuple[str, Level, str, str | None], int] = {}
    values: list[int] = []
    for (level, unit), below in units_of(teams).items():
        for category in (None, *SEXES):
            sexes = SEXES if category is None else (category,)
            for name, counts in (("A", active), ("F", followed)):
                variables[(name, level, unit, category)] = len(values)
                values.append(sum(counts[ms][s] for ms in below for s in sexes))
    return variables, values


def published(variables, disclosed):
    """``{index: value}`` of every count a published cell shows, and the suppressed counts.

    A count is suppressed when a cell of its own indicator is masked as primary or
    secondary; a count hidden only because it sits in a derived cell need not be
    protected (its own count was publishable).
    """
    known, suppressed = {}, set()
    for cell in disclosed.cells:
        name = "A" if cell.indicator == ACTIVE else "F"
        own = variables[(name, cell.level, cell.unit, cell.category)]
        if cell.count is None:
            assert cell.denominator_count is None
            if cell.mask in {Mask.PRIMARY, Mask.SECONDARY}:
                suppressed.add(own)
            continue
        known[own] = cell.count
        if cell.denominator_count is not None:
            known[variables[("A", cell.level, cell.unit, cell.category)]] = cell.denominator_count
    return known, suppressed


def relations(teams, variables):
    """The rows of the additive relations: sexes add up, units add up the levels.

    Not used: ``F ≤ A`` (followed patients are active). `disclose` does not model that a
    ratio's numerator is a subset of its denominator, so a primary numerator can be
    confined below the threshold by a masked denominator (see the explanation page).
    """
    units = units_of(teams)
    size = len(variables)
    equalities = []
    for (name, level, unit, category), index in variables.items():
        parts = []
        if category is None:
            parts.append([variables[(name, level, unit, s)] for s in SEXES])
        if level is not Level.MICROSTRUCTURE:
            lower = LEVELS[LEVELS.index(level) - 1]
            below = set(units[(level, unit)])
            parts.append(
                [
                    variables[(name, lv, u, category)]
                    for (lv, u), mss in sorted(units.items(), key=str)
                    if lv is lower and set(mss) <= below
                ]
            )
        for group in parts:
            row = np.zeros(size)
            row[index] = 1
            row[group] -= 1
            equalities.append(row)
    return np.array(equalities)


def audit(teams, active, followed, disclosed, threshold=11):
    """The LP audit from the table's structure, written independently of `disclose`.

    Unknowns: the active count ``A`` and the followed count ``F`` of every unit and sex
    category (``None``: all), non-negative; known: every count a published cell shows;
    relations: sexes add up, units add up the levels.
    """
    variables, values = unknowns(teams, active, followed)
    known, suppressed = published(variables, disclosed)
    assert all(values[i] == v for i, v in known.items())  # published numbers are true
    for index, value in enumerate(values):
        assert not 0 < value < threshold or index not in known, f"{index} = {value} is published"
    a_eq = relations(teams, variables)
    size = len(values)
    bounds = [(known[i], known[i]) if i in known else (0, None) for i in range(size)]
    common = {
        "A_eq": a_eq,
        "b_eq": np.zeros(len(a_eq)),
        "bounds": bounds,
        "method": "highs",
    }
    assert not suppressed & set(known)
    for index in sorted(suppressed):
        objective = np.zeros(size)
        objective[index] = 1
        low = linprog(objective, **common)
        high = linprog(-objective, **common)
        assert low.status == 0
        top = float("inf") if high.status == 3 else -high.fun
        assert top - low.fun > 1e-6, f"{index} is determined at {values[index]}"
        if 0 < values[index] < threshold:
            assert top >= threshold - 1e-6, f"{index} = {values[index]} is at most {top}"


COUNTS = st.one_of(st.integers(0, 12), st.integers(0, 60))
SHAPES = st.lists(
    st.tuples(st.sampled_from(["44", "04", "11"]), st.integers(1, 3)), min_size=1, max_size=3
)


@st.composite
def tables(draw):
    """A random national file and active/followed counts per microstructure and sex."""
    teams = teams_of(draw(SHAPES))
    active, followed = {}, {}
    for network in teams.networks:
        for ms in network.microstructures:
            active[ms.id] = {s: draw(COUNTS) for s in SEXES}
            followed[ms.id] = {s: draw(st.integers(0, active[ms.id][s])) for s in SEXES}
    return teams, active, followed


@settings(max_examples=max(10, settings().max_examples // 4))  # ~100 LPs per example
@given(tables())
def test_random_tables_of_cells_pass_the_audit(case):
    """On random multi-level tables by sex, no masked count can be found or narrowed below 11."""
    teams, active, followed = case
    table = build_table(teams, active, followed)
    disclosed = disclose(table, teams=teams)
    for before, after in zip(table.cells, disclosed.cells, strict=True):
        if after.mask is None:
            assert after == before
        else:
            assert (after.count, after.numerator, after.denominator, after.value) == (None,) * 4
            assert attrs.evolve(after, mask=None, count=0) == attrs.evolve(
                before,
                count=0,
                numerator=None,
                denominator=None,
                value=None,
                denominator_count=None,
            )
            assert after.mask is not Mask.PRIMARY or 0 < before.count < 11
    audit(teams, active, followed, disclosed)


def test_a_small_microstructure_is_hidden_in_its_network_and_everywhere_it_appears():
    """A small active file is masked, with a sibling; the shares over it are derived."""
    teams = teams_of([("44", 3), ("04", 1)])
    active = {
        "ms-0-0": dict(zip(SEXES, (3, 1, 0, 0), strict=True)),
        "ms-0-1": dict(zip(SEXES, (30, 25, 0, 0), strict=True)),
        "ms-0-2": dict(zip(SEXES, (40, 35, 0, 0), strict=True)),
        "ms-1-0": dict(zip(SEXES, (50, 45, 0, 0), strict=True)),
    }
    followed = {ms: {s: n // 2 for s, n in counts.items()} for ms, counts in active.items()}
    table = build_table(teams, active, followed)
    disclosed = disclose(table, teams=teams)
    small = disclosed.cell(ACTIVE, "ms-0-0", level="microstructure")
    assert small.mask is Mask.PRIMARY
    assert small.count is None
    # Its share: the count 2 of followed patients is primary itself; the other sibling's
    # share has a masked denominator (the sibling's active file), so it is derived.
    assert disclosed.cell(SHARE, "ms-0-0", level="microstructure").mask is Mask.PRIMARY
    secondary = [
        c
        for c in disclosed.select(ACTIVE, level="microstructure", breakdown=None)
        if c.mask is Mask.SECONDARY
    ]
    assert [c.unit for c in secondary] == ["ms-0-1"]  # the smaller sibling, 55 < 75
    share = disclosed.cell(SHARE, "ms-0-1", level="microstructure")
    assert share.mask in {Mask.SECONDARY, Mask.DERIVED}
    # The network and nation totals stay published, and so does Réunion.
    assert disclosed.cell(ACTIVE, "net-0", level="network").count == 134
    assert disclosed.cell(ACTIVE, "ms-1-0", level="microstructure").count == 95
    audit(teams, active, followed, disclosed)


def test_teams_are_needed_to_relate_several_networks_to_their_microstructures():
    """Without the team file, two networks cannot be matched with their microstructures."""
    teams = teams_of([("44", 2), ("04", 1)])
    counts = {ms.id: dict.fromkeys(SEXES, 20) for n in teams.networks for ms in n.microstructures}
    table = build_table(teams, counts, counts)
    with pytest.raises(FieldError) as caught:
        disclose(table)
    assert caught.value.errors[0].path == "$.teams"


@pytest.mark.parametrize(
    ("arguments", "path"),
    [
        ({"table": []}, "$.table"),
        ({"threshold": 0}, "$.threshold"),
        ({"threshold": "11"}, "$.threshold"),
        ({"teams": "national.json"}, "$.teams"),
    ],
)
def test_bad_arguments_are_located(arguments, path):
    """Each bad argument is a FieldError at its path."""
    teams = teams_of([("44", 1)])
    counts = {"ms-0-0": dict.fromkeys(SEXES, 20)}
    given_arguments = {"table": build_table(teams, counts, counts), "teams": teams, **arguments}
    with pytest.raises(FieldError) as caught:
        disclose(given_arguments.pop("table"), **given_arguments)
    assert caught.value.errors[0].path == path


# -- over computed tables ----------------------------------------------------------------


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """The catalogue computed on generated records at every level, by sex, and disclosed."""
    path = tmp_path_factory.mktemp("records") / "records.jsonl"
    write_records(path, generate(patients=150, seed=11))
    teams = example_national()
    with Database(teams) as db:
        db.add_records(path)
        table = compute(db, periods=["2026-Q2"], levels=LEVELS, breakdowns=[None, "sex"])
    return table, disclose(table, teams=teams)


def test_computed_tables_mask_every_small_count(computed):
    """Every protected count below 11 is masked; published cells are unchanged; 0 is not primary."""
    table, disclosed = computed
    protected = {item.id for item in indicators().values() if item.disclosure}
    assert len(table.cells) == len(disclosed.cells)
    masked = 0
    for before, after in zip(table.cells, disclosed.cells, strict=True):
        assert (before.indicator, before.unit, before.category) == (
            after.indicator,
            after.unit,
            after.category,
        )
        if after.mask is None:
            assert after == before
            if before.indicator in protected:
                assert not 0 < before.count < 11
                assert not 0 < (before.denominator_count or 0) < 11
        else:
            masked += 1
            assert (after.count, after.numerator, after.value) == (None, None, None)
            if after.mask is Mask.PRIMARY:
                assert 0 < before.count < 11
    assert masked > 0


def test_computed_tables_mask_a_count_wherever_it_appears(computed):
    """The active file masked somewhere masks every share whose denominator it is."""
    _, disclosed = computed
    for cell in disclosed.select(ACTIVE):
        if cell.mask is None:
            continue
        for other in ("multiprofessional-follow-up", "patients-discussed-at-rcp"):
            twin = disclosed.cell(
                other, cell.unit, level=cell.level, breakdown=cell.breakdown, category=cell.category
            )
            assert twin.mask is not None


def test_computed_indicators_without_disclosure_stay_published(computed):
    """RCP and presence figures are not patient counts: they are never masked."""
    table, disclosed = computed
    free = {item.id for item in indicators().values() if not item.disclosure}
    assert free
    for before, after in zip(table.cells, disclosed.cells, strict=True):
        if before.indicator in free:
            assert after == before


def test_a_unit_missing_from_the_team_file_is_named():
    """A table computed from another team file is refused, naming the unit not found."""
    teams = teams_of([("44", 2), ("04", 1)])
    counts = {ms.id: dict.fromkeys(SEXES, 20) for n in teams.networks for ms in n.microstructures}
    table = build_table(teams, counts, counts)
    with pytest.raises(FieldError, match="ms-0-1") as caught:
        disclose(table, teams=teams_of([("44", 1)]))
    assert caught.value.errors[0].path == "$.teams"

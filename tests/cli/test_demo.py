"""The demo: each screen's key content, the report page, no personal data, exit statuses."""

import contextlib
import io
import re

import pendulum
import pytest

from microstructure.cli import main
from microstructure.evaluation import compute
from microstructure.identifiers import AnonymousCode
from microstructure.records import Inclusion, Patient, Referral
from microstructure.synthetic import nation, nation_database
from microstructure.territory import public_holidays

NETWORK = "reseau-fictif-67"


@pytest.fixture(scope="module")
def shown() -> str:
    """The demo's output at its default day, as piped (80 columns, no colour)."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.setenv("COLUMNS", "80")
        assert main(["demo"]) == 0
    return out.getvalue()


def test_teams_screen_names_the_network_its_teams_and_findings(shown):
    """The network, its microstructures, the poster's counts and the findings appear."""
    network = next(n for n in nation(seed=0).teams.networks if n.id == NETWORK)
    assert network.name in shown
    assert all(ms.id in shown for ms in network.microstructures)
    assert re.search(r"general practitioner .*\b350 .*\b350\b", shown)
    assert "MS-TEAM-009" in shown
    assert "judged on 2023-12-15" in shown


def test_month_screen_shows_the_sessions_and_the_holidays(shown):
    """December 2023 in Bas-Rhin: sessions, and both holidays by their shipped names."""
    holidays = public_holidays("67", [2023])
    december = {day: name for day, name in holidays.items() if day.month == 12}
    assert len(december) == 2  # Christmas, and 26 December in Alsace-Moselle
    assert "December 2023" in shown
    for day, name in december.items():
        assert f"holiday {day.day} December: {name}" in shown
    assert "08:30 psy" in shown


def test_eligibility_screen_shows_three_outcomes_with_reasons(shown):
    """To review (what to collect), eligible and not eligible, each with its reasons."""
    section = shown[shown.index("3 · ") : shown.index("4 · ")]
    for outcome in ("→ to review in a case meeting (RCP)", "→ eligible", "→ not eligible"):
        assert outcome in section
    assert "To collect: followed_by" in section
    assert "[?]   not: already followed by another addiction scheme" in section
    assert "[no]  not: already followed by another addiction scheme" in section


def test_codes_screen_shows_a_valid_code_and_refuses_typos(shown):
    """The code shown is the first included patient's, valid; the typos are refused."""
    events = nation(seed=0).events(network=NETWORK)
    first = next(e for e in events if isinstance(e, Inclusion))
    section = shown[shown.index("4 · ") : shown.index("5 · ")]
    read = re.findall(r"(\S{4}-\S{4}) \(valid\)|did you mean (\S{4}-\S{4})\?", section)
    codes = {a or b for a, b in read}
    assert codes == {str(first.patient)}
    assert str(AnonymousCode.parse(str(first.patient))) == str(first.patient)
    assert section.count("refused:") == 2


def test_indicator_screen_matches_compute_and_shows_masked_cells(shown):
    """The network's active file is compute()'s; masked cells are shown with their kind."""
    with nation_database(nation(seed=0), network=NETWORK) as database:
        table = compute(database, ["active-file"], periods=["2023"])
    expected = table.cell("active-file", NETWORK).value
    assert expected is not None
    section = shown[shown.index("5 · ") :]
    row = next(line for line in section.splitlines() if f"│ {NETWORK} " in line)
    assert f"{expected:,.0f}" in row.split("│")[2]
    assert "masked" in section
    assert "(primary)" in section
    assert "(secondary)" in section
    assert "a count from 1 to 10" in section


def test_output_fits_80_columns_and_ends_with_next_commands(shown):
    """Piped, every line fits 80 columns; the last line is the help command."""
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert shown.rstrip().splitlines()[-1].strip() == "microstructure --help"


def test_output_holds_no_personal_data(shown):
    """No birth year, birth date or name of a patient: only codes and counts."""
    events = list(nation(seed=0).events(network=NETWORK))
    patients = [e for e in events if isinstance(e, Patient)]
    first = next(e for e in events if isinstance(e, Inclusion))
    assert "birth" not in shown.lower()
    assert not any(f"born {p.birth_year}" in shown for p in patients)
    dates = set(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", shown))
    assert dates <= {"2023-12-15", first.date.isoformat()}
    referral = next(e for e in events if isinstance(e, Referral) and e.patient == first.patient)
    assert referral.situations  # the situation codes are not printed either
    assert not any(code in shown for code in referral.situations)


def test_on_chooses_the_month_and_the_year(capsys):
    """--on 2022-05-10: May 2022 with Ascension, and the indicators of 2022."""
    assert main(["demo", "--on", "2022-05-10"]) == 0
    out = capsys.readouterr().out
    ascension = next(
        day
        for day, name in public_holidays("67", [2022]).items()
        if name == "Ascension" and day.month == 5
    )
    assert ascension == pendulum.date(2022, 5, 26)
    assert "May 2022" in out
    assert "holiday 26 May: Ascension" in out
    assert "Indicators 2022" in out


@pytest.mark.parametrize("day", ["2020-12-31", "2024-01-01", "2023-02-30", "soon"])
def test_on_outside_the_nation_is_a_usage_error(day, capsys):
    """A day outside 2021–2023 (or not a date) exits 2 with what is expected."""
    with pytest.raises(SystemExit) as stopped:
        main(["demo", "--on", day])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "2021-01-01" in err or "ISO date" in err


def test_html_writes_a_self_contained_report_page(tmp_path, capsys):
    """--html writes one page: the title, masked cells with their reason, nothing fetched."""
    page = tmp_path / "report.html"
    assert main(["demo", "--html", str(page)]) == 0
    assert (
        f"Wrote the 2023 report page of Réseau fictif Bas-Rhin to {page}" in capsys.readouterr().out
    )
    text = page.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "Réseau fictif Bas-Rhin" in text
    assert "masked (primary)" in text
    assert "count below the threshold" in text or "below" in text
    assert "http" not in text
    assert "<script" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_html_into_a_directory_exits_2_and_writes_nothing(tmp_path, capsys):
    """A directory as --html is refused before the work, with exit status 2."""
    assert main(["demo", "--html", str(tmp_path)]) == 2
    assert "microstructure demo:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

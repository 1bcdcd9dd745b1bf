"""Regenerate docs/reference/instruments/*.md from the shipped instrument data.

Run: python docs/gen_instruments.py
"""

from decimal import Decimal
from pathlib import Path

from microstructure.eligibility import AnswerKind, Instrument, instruments

FOLDER = Path(__file__).parent / "reference" / "instruments"

# One worked example per instrument: answers as printed on the form, and the total and
# default band added by hand. The page runs it as a test (Sybil).
EXAMPLES: dict[str, tuple[str, str, str]] = {
    "audit": ("[4, 2, 3, 1, 0, 1, 2, 0, 2, 4]", "19", '"probable-dependence"'),
    "audit-c": ('[2, 1, 0], sex="female"', "3", '"positive"'),
    "cast": ("[2, 2, 1, 1, 1, 0]", "7", '"high-risk"'),
    "ftnd": ("[3, 1, 1, 2, 1, 0]", "8", '"strong"'),
    "hsi": ("[3, 2]", "5", '"strong"'),
    "phq-9": ("[1, 1, 2, 1, 0, 1, 1, 0, 1]", "8", '"mild"'),
    "gad-7": ("[2, 2, 1, 1, 1, 2, 1]", "10", '"moderate"'),
    "epices": (
        "[True, False, False, False, True, False, False, False, True, True, False]",
        'Decimal("81.06")',
        '"precarious"',
    ),
    "deta": ("[True, False, True, False]", "2", '"positive"'),
    "dast-10": (
        "[True, True, False, True, False, False, False, False, False, False]",
        "4",
        '"moderate"',
    ),
}


def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value:f}"
    return str(int(value))


def _answer(value: object) -> str:
    return repr(value)


def _items(inst: Instrument) -> list[str]:
    lines = ["## Items", ""]
    kind = (
        "Answers are `True` (yes) or `False` (no)."
        if inst.answer_kind is AnswerKind.YES_NO
        else "Answers are the points printed on the form for the chosen answer."
    )
    lines += [kind, ""]
    lines += ["| item | question (fr) | question (en) | answers → points |", "|---|---|---|---|"]
    for item in inst.items:
        options = "<br>".join(
            f"`{_answer(o.answer)}` {o.label_fr} → **{_number(o.points)}**" for o in item.options
        )
        lines.append(f"| `{item.id}` | {item.label_fr} | {item.label} | {options} |")
    return [*lines, ""]


def _schemes(inst: Instrument) -> list[str]:
    lines = ["## Bands", ""]
    for scheme in inst.schemes:
        default = " (default)" if scheme.id == inst.default_scheme else ""
        lines += [f"### `{scheme.id}`{default}: {scheme.name}", ""]
        lines += [f"*{scheme.name_fr}*. Source: {'; '.join(scheme.sources)}.", ""]
        sexed = any(b.sex is not None for b in scheme.bands)
        header = "| band | from | to |" + (" sex |" if sexed else "") + " label | libellé |"
        lines += [header, "|---|---|---|" + ("---|" if sexed else "") + "---|---|"]
        for band in scheme.bands:
            sex = f" {band.sex.value if band.sex else 'both'} |" if sexed else ""
            lines.append(
                f"| `{band.id}` | {_number(band.low)} | {_number(band.high)} |{sex}"
                f" {band.label} | {band.label_fr} |"
            )
        lines.append("")
    return lines


def _cutoffs(inst: Instrument) -> list[str]:
    parts = []
    for cutoff in inst.positive:
        who = {"female": "women", "male": "men"}.get(cutoff.sex.value, "") if cutoff.sex else ""
        parts.append(f"{_number(cutoff.at_least)} or more" + (f" for {who}" if who else ""))
    lines = ["## Positive screen", "", f"`Score.positive` is true at {', '.join(parts)}."]
    if any(c.sex for c in inst.positive):
        lines.append(
            "Without a sex (or with `other` or `unknown`), it is `None` when the thresholds disagree, and "
            "the band is `None` too: a criterion on it is *unknown* and asks for `sex`."
        )
    lines.append("")
    if inst.flags:
        lines += [
            "## Flags",
            "",
            "| flag | items | raised at | meaning | source |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| `{rule.id}` | {', '.join(rule.items)} | {_number(rule.at_least)} or more on any |"
            f" {rule.label} / *{rule.label_fr}* | {rule.source} |"
            for rule in inst.flags
        ]
        lines.append("")
    return lines


def render(inst: Instrument) -> str:
    """The Markdown page of one instrument."""
    answers, total, band = EXAMPLES[inst.id]
    intercept = f" plus a constant of {_number(inst.intercept)}" if inst.intercept else ""
    lines = [
        f"# {inst.name}",
        "",
        f"*{inst.name_fr}*. Id: `{inst.id}`. Period: {inst.period} (*{inst.period_fr}*).",
        "",
        (
            f"Total: the sum of the items' points{intercept}, from {_number(inst.minimum)} "
            f"to {_number(inst.maximum)}."
        ),
        "",
        (
            "Generated from `src/microstructure/data/instruments/` by `docs/gen_instruments.py`; "
            "a test fails when this page is stale."
        ),
        "",
        "## Sources",
        "",
        *[f"- {source}" for source in inst.sources],
        "",
        *_items(inst),
        *_schemes(inst),
        *_cutoffs(inst),
        "## Worked example",
        "",
        "Added by hand from the form:",
        "",
        "```python",
        "from decimal import Decimal",
        "from microstructure.eligibility import score",
        "",
        f'result = score("{inst.id}", {answers})',
        f"assert (result.total, result.band) == ({total}, {band})",
        "```",
        "",
    ]
    return "\n".join(lines)


def render_index() -> str:
    """The index page listing every instrument."""
    rows = [
        f"| [`{inst.id}`]({inst.id}.md) | {inst.name} | {len(inst.items)} | "
        f"{_number(inst.minimum)}–{_number(inst.maximum)} | `{inst.default_scheme}` |"
        for inst in instruments().values()
    ]
    return "\n".join(
        [
            "# Screening instruments",
            "",
            "Each instrument is data (`src/microstructure/data/instruments/*.toml`): its items",
            "with a faithful short French wording, the answer options and their points, the",
            "range, the bands of each published scheme and the cut-offs, each with its source.",
            "Where sources disagree, the competing band schemes are offered by name and the",
            "French one is the default.",
            (
                "Score with `microstructure.eligibility.score(instrument_id, answers, sex=None,"
                " scheme=None)`."
            ),
            "",
            "| id | instrument | items | range | default bands |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "Not shipped, because their rules could not be confirmed from a primary source:",
            "the SFA/HAS sex-specific AUDIT thresholds, an HAS AUDIT-C dependence threshold,",
            "the binary CAST, the EPICES quintiles above Q3, a validated French DAST-10 and",
            "the optional K10, K6 and CRAFFT (see the explanation page).",
            "",
        ]
    )


def pages() -> dict[Path, str]:
    """Every generated page, by path."""
    out = {FOLDER / "index.md": render_index()}
    out.update({FOLDER / f"{inst.id}.md": render(inst) for inst in instruments().values()})
    return out


if __name__ == "__main__":
    for path, text in pages().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")

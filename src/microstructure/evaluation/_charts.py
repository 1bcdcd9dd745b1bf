"""Line charts of a report as SVG text, drawn by matplotlib (the ``plot`` extra).

matplotlib is imported only when a chart is drawn. The SVG is deterministic: the ids
matplotlib derives from a hash use a fixed salt, the file carries no date nor metadata,
and text stays text (``svg.fonttype: none``), so that the same figures give the same
bytes. What goes into an HTML page is the bare ``<svg>`` element: no XML prolog, no
document type and no namespace declaration that a browser could take for a link.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence

__all__ = ["PLOT_HINT", "charts_available", "line_chart"]

#: What a report says instead of its charts when matplotlib is not installed.
PLOT_HINT = (
    "Charts need matplotlib: pip install 'microstructure[plot]' "
    "(from a checkout: pip install '.[plot]')."
)

# The marks and colours of the lines, cycled; colours from matplotlib's default cycle,
# marks so that the lines stay apart in black and white.
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
# An id, and a reference to one: id="x", href="#x", xlink:href="#x", url(#x).
_IDS = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def charts_available() -> bool:
    """Whether matplotlib can be imported (the ``plot`` extra is installed)."""
    try:
        import matplotlib as mpl  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    y_label: str,
    percent: bool = False,
    prefix: str = "chart",
) -> str:
    """One line per series over ``labels`` (months), as an ``<svg>`` element.

    A value of None is a gap in its line (a masked or undefined value). Every id in the
    SVG starts with ``prefix-``, so that several charts fit in one page.

    Raises:
        ImportError: if matplotlib is not installed.
    """
    import matplotlib as mpl  # noqa: PLC0415 - the plot extra, only when drawing
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    positions = list(range(len(labels)))
    with mpl.rc_context(
        {
            "svg.hashsalt": "microstructure",
            "svg.fonttype": "none",
            "font.size": 9.0,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure = Figure(figsize=(7.5, 3.2), layout="constrained")
        axes = figure.add_subplot()
        for index, (name, values) in enumerate(series):
            y = [math.nan if v is None else v for v in values]
            marker = _MARKERS[index % len(_MARKERS)]
            axes.plot(positions, y, marker=marker, markersize=4, linewidth=1.5, label=name)
        axes.set_title(title, loc="left")
        axes.set_ylabel(y_label)
        axes.set_xticks(positions, list(labels), rotation=45 if len(labels) > 6 else 0)  # noqa: PLR2004
        axes.set_ylim(bottom=0, top=100 if percent else None)
        if not percent:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.grid(axis="y", linewidth=0.5, alpha=0.5)
        if series:
            axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = _PROLOG.sub("", buffer.getvalue(), count=1)
    text = _METADATA.sub("", text, count=1)
    head, _, body = text.partition(">")
    text = _NAMESPACES.sub("", head) + ">" + body
    return _IDS.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", text)

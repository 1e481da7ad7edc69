"""The huddle pack's charts, drawn by matplotlib as SVG text to inline in the page.

matplotlib is imported here only, when a pack is made, on its Agg canvas (no window, no Qt):
the rest of LeadDesk starts without it. Each chart is drawn from a table the pack also writes
as CSV, so what the chart shows is what the CSV holds.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INK = "#1f2933"
ACCEPTED = "#2f855a"
REJECTED = "#c05621"
PLAIN = "#2b6cb0"
WIDTH_IN = 6.8  # fits an A4 or Letter page's text width at 100 %
BAR_IN = 0.32
MOST_BARS = 25  # a longer table is in the CSV and the table under the chart


def _figure(bars: int) -> Figure:
    from matplotlib.figure import Figure  # lazily: only a pack needs matplotlib

    height = 1.1 + BAR_IN * max(min(bars, MOST_BARS), 1)
    figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    figure.patch.set_alpha(0.0)
    return figure


def _svg(figure: Figure, title: str) -> str:
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    out = io.StringIO()
    # Text as text (selectable, printable, small); ids the same from run to run.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "leaddesk-huddle"}):
        figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    text = out.getvalue()
    # Inlined in HTML: drop the XML prolog and doctype; the <svg> element stands alone.
    return text[text.index("<svg") :]


def plain(text: str) -> str:
    """Text from the store, shown as written: matplotlib would read "$...$" as maths."""
    return text.replace("$", r"\$")


def _wrapped(label: str) -> str:
    return plain("\n".join(textwrap.wrap(label, 38, max_lines=2, placeholder="…")) or "—")


def accept_bars(
    title: str, groups: Sequence[str], accepted: Sequence[int], rejected: Sequence[int]
) -> str:
    """Accepted and rejected answers per group, stacked, one bar a group."""
    shown = len(groups[:MOST_BARS])
    figure = _figure(shown)
    axes = figure.add_subplot()
    places = list(range(shown))[::-1]  # the table's first row on top
    labels = [_wrapped(g) for g in groups[:MOST_BARS]]
    axes.barh(places, accepted[:MOST_BARS], color=ACCEPTED, label="accepted")
    axes.barh(
        places, rejected[:MOST_BARS], left=accepted[:MOST_BARS], color=REJECTED, label="rejected"
    )
    _finish(axes, title, places, labels, "answers from sales")
    if shown:  # above the bars, never over them
        figure.legend(loc="outside upper right", ncols=2, frameon=False, fontsize=8)
    return _svg(figure, title)


def count_bars(title: str, labels: Sequence[str], counts: Sequence[int], axis: str) -> str:
    """One bar per label, longest first as the table lists them."""
    shown = len(labels[:MOST_BARS])
    figure = _figure(shown)
    axes = figure.add_subplot()
    places = list(range(shown))[::-1]
    axes.barh(places, counts[:MOST_BARS], color=PLAIN)
    _finish(axes, title, places, [_wrapped(label) for label in labels[:MOST_BARS]], axis)
    return _svg(figure, title)


def _finish(axes: object, title: str, places: list[int], labels: list[str], axis: str) -> None:
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

    assert isinstance(axes, Axes)
    axes.set_title(plain(title), loc="left", fontsize=10, color=INK)
    axes.set_yticks(places, labels, fontsize=8, color=INK)
    axes.set_xlabel(axis, fontsize=8, color=INK)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=8, colors=INK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if not places:
        axes.set_yticks([])
        axes.text(
            0.5,
            0.5,
            "nothing in this period",
            ha="center",
            va="center",
            transform=axes.transAxes,
            fontsize=9,
            color=INK,
        )


_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def fluid(svg: str) -> str:
    """The chart scales with the page (print or screen); its viewBox keeps the shape."""
    return _SVG_SIZE.sub(r'<svg\1 style="width:100%;height:auto"', svg, count=1)

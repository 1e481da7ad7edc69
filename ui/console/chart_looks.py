"""The dashboards' chart colours for each look: the app's base colours plus series inks that
read on them, with one meaning per outcome across charts (docs/architecture.md §3)."""

from __future__ import annotations

from dataclasses import dataclass

from ui.common.theme import DARK, LIGHT, Colours


@dataclass(frozen=True)
class Look:
    """Chart colours for one look: the app's base colours plus series inks that read on them."""

    colours: Colours
    dark: bool
    series: tuple[str, ...]
    # Outcome colours keep one meaning across charts: good news green, bad news red.
    qualified: str
    nurture: str
    existing: str
    disqualified: str
    still_open: str
    dubious: str
    unworthy: str
    reasons: tuple[str, ...]


LIGHT_LOOK = Look(
    colours=LIGHT,
    dark=False,
    series=("#2f6fde", "#1f7a4d", "#d9822b", "#7c5cd6", "#0e7c86", "#b42318"),
    qualified="#1f7a4d",
    nurture="#2f6fde",
    existing="#7c5cd6",
    disqualified="#b42318",
    still_open="#9aa5b1",
    dubious="#d9822b",
    unworthy="#b42318",
    reasons=("#7c5cd6", "#0e7c86", "#8a5300", "#616e7c", "#c2417f"),
)
DARK_LOOK = Look(
    colours=DARK,
    dark=True,
    series=("#6ea2ff", "#6fd39b", "#f5a35c", "#b69cff", "#4fd1d9", "#ff8a80"),
    qualified="#6fd39b",
    nurture="#6ea2ff",
    existing="#b69cff",
    disqualified="#ff8a80",
    still_open="#6b7785",
    dubious="#f5c451",
    unworthy="#ff8a80",
    reasons=("#b69cff", "#4fd1d9", "#f5a35c", "#9aa5b1", "#f08cc0"),
)


def look_for(dark: bool) -> Look:
    return DARK_LOOK if dark else LIGHT_LOOK

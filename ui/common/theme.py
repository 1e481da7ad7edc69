"""Light and dark looks from resources/styles, following the system unless the rep picked one,
with the text at the size the rep chose.

The style sheets hold the layout and the base colours; the few colours code needs (SLA warnings,
score bars, icon ink) come from ``Colours`` so both looks stay in step. Their font sizes are the
normal size; a larger or smaller text size scales every one of them alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.desk import resource_path, resources_dir

THEMES = ("system", "light", "dark")
# The style sheets name their images as "leaddesk:styles/…": a Qt search path, pointed at the
# shipped resources wherever they are (checkout, installed wheel or frozen bundle).
SEARCH_PREFIX = "leaddesk"
# Text sizes offered, in percent of the style sheets' own.
TEXT_SIZES = (90, 100, 115, 130, 150)
NORMAL_TEXT = 100
_TEXT_SIZE = "leaddesk_text_size"
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


@dataclass(frozen=True)
class Colours:
    name: str
    ink: str  # text and icon strokes
    muted: str
    accent: str
    on_accent: str
    warn: str
    warn_back: str
    breach: str
    breach_back: str
    good: str
    window: str
    base: str
    button: str
    border: str

    def qcolor(self, field: str) -> QColor:
        return QColor(getattr(self, field))


LIGHT = Colours(
    name="light",
    ink="#1f2933",
    muted="#616e7c",
    accent="#2f6fde",
    on_accent="#ffffff",
    warn="#8a5300",
    warn_back="#fff1cc",
    breach="#b42318",
    breach_back="#fde2df",
    good="#1f7a4d",
    window="#f3f5f8",
    base="#ffffff",
    button="#ffffff",
    border="#d5dde6",
)
DARK = Colours(
    name="dark",
    ink="#e4e7eb",
    muted="#9aa5b1",
    accent="#6ea2ff",
    on_accent="#0d1117",
    warn="#f5c451",
    warn_back="#4a3a12",
    breach="#ff8a80",
    breach_back="#5c2320",
    good="#6fd39b",
    window="#161b22",
    base="#1e252e",
    button="#242c36",
    border="#323c48",
)
_BY_NAME = {"light": LIGHT, "dark": DARK}


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(name: str) -> str:
    """ "system" becomes the system's current look; unknown names fall back to it too."""
    if name not in _BY_NAME:
        return "dark" if system_prefers_dark() else "light"
    return name


def apply_theme(app: QApplication, name: str = "system", *, text_size: int | None = None) -> str:
    """Apply a look ("system", "light" or "dark") with the text at ``text_size`` percent of
    normal (unchanged when None); returns the look in effect."""
    look = resolve(name)
    size = text_size_of(app) if text_size is None else nearest_text_size(text_size)
    QDir.setSearchPaths(SEARCH_PREFIX, [str(resources_dir())])
    app.setStyle("Fusion")
    app.setPalette(palette(_BY_NAME[look]))
    app.setProperty("leaddesk_theme", look)
    app.setProperty(_TEXT_SIZE, size)
    sheet = resource_path("styles", f"{look}.qss").read_text(encoding="utf-8")
    app.setStyleSheet(scaled_sheet(sheet, size))
    return look


def nearest_text_size(percent: int) -> int:
    """One of TEXT_SIZES: a size edited by hand into the settings is never out of range."""
    return min(TEXT_SIZES, key=lambda size: (abs(size - percent), size))


def text_size_of(app: QApplication | None = None) -> int:
    app = app or QApplication.instance()  # type: ignore[assignment]
    value = app.property(_TEXT_SIZE) if app is not None else None
    return value if isinstance(value, int) else NORMAL_TEXT


def points(normal: float) -> float:
    """A font size code sets (a chart's title) at the text size in effect."""
    return round(normal * text_size_of() / NORMAL_TEXT, 1)


def scaled_sheet(sheet: str, percent: int) -> str:
    """Every ``font-size: …pt`` of a style sheet at ``percent`` of its size."""
    if percent == NORMAL_TEXT:
        return sheet

    def scale(match: re.Match[str]) -> str:
        size = round(float(match.group(1)) * percent / NORMAL_TEXT, 1)
        return f"font-size: {size:g}pt"

    return _FONT_SIZE.sub(scale, sheet)


def palette(look: Colours) -> QPalette:
    """Fusion draws check marks, radio dots and scroll bars from the palette: match the look."""
    roles = QPalette.ColorRole
    result = QPalette()
    for role, colour in (
        (roles.Window, look.window),
        (roles.WindowText, look.ink),
        (roles.Base, look.base),
        (roles.AlternateBase, look.window),
        (roles.Text, look.ink),
        (roles.Button, look.button),
        (roles.ButtonText, look.ink),
        (roles.Highlight, look.accent),
        (roles.HighlightedText, look.on_accent),
        (roles.ToolTipBase, look.base),
        (roles.ToolTipText, look.ink),
        (roles.PlaceholderText, look.muted),
        (roles.Mid, look.border),
        (roles.Dark, look.border),
        (roles.Light, look.base),
        (roles.Link, look.accent),
    ):
        result.setColor(role, QColor(colour))
    result.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor(look.muted))
    result.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor(look.muted))
    result.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor(look.muted))
    return result


def colours() -> Colours:
    """The colours of the look in effect (light before any look is applied)."""
    app = QApplication.instance()
    look = app.property("leaddesk_theme") if app is not None else None
    return _BY_NAME.get(str(look), LIGHT)

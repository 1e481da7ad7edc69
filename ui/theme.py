"""Light and dark looks from resources/styles, following the system unless the rep picked one.

The style sheets hold the layout and the base colours; the few colours code needs (SLA warnings,
score bars, icon ink) come from ``Colours`` so both looks stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.resources import resource_path, resources_dir

THEMES = ("system", "light", "dark")
# The style sheets name their images as "leaddesk:styles/…": a Qt search path, pointed at the
# shipped resources wherever they are (checkout, installed wheel or frozen bundle).
SEARCH_PREFIX = "leaddesk"


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


def apply_theme(app: QApplication, name: str = "system") -> str:
    """Apply a look ("system", "light" or "dark"); returns the one in effect."""
    look = resolve(name)
    QDir.setSearchPaths(SEARCH_PREFIX, [str(resources_dir())])
    app.setStyle("Fusion")
    app.setPalette(palette(_BY_NAME[look]))
    app.setProperty("leaddesk_theme", look)
    app.setStyleSheet(resource_path("styles", f"{look}.qss").read_text(encoding="utf-8"))
    return look


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

"""Light and dark looks from resources/styles, following the system unless told otherwise."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from leaddesk.resources import resource_path


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, name: str = "system") -> str:
    if name == "system":
        name = "dark" if system_prefers_dark() else "light"
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("styles", f"{name}.qss").read_text(encoding="utf-8"))
    return name

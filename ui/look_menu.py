"""View ▸ Look: follow the system, light or dark, remembered in the settings. One menu for
every main window (the rep's workspace, and the team console an admin opens straight into)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from leaddesk.settings import THEME, Settings
from ui.theme import THEMES, apply_theme


def add_look_menu(menu: QMenu, settings: Settings, owner: QWidget) -> QMenu:
    looks = menu.addMenu("Look")
    group = QActionGroup(owner)
    current = settings[THEME]
    for name in THEMES:
        look = QAction("Follow the system" if name == "system" else name.capitalize(), owner)
        look.setCheckable(True)
        look.setChecked(name == current)
        look.triggered.connect(lambda _=False, n=name: set_look(settings, n))
        group.addAction(look)
        looks.addAction(look)
    return looks


def set_look(settings: Settings, name: str) -> None:
    settings[THEME] = name
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, name)

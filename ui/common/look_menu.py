"""View ▸ Look and View ▸ Text size: follow the system, light or dark, and text from smaller to
much larger, both remembered in the settings. One pair of menus for every main window (the rep's
workspace, and the team console an admin opens straight into)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from leaddesk.settings import TEXT_SIZE, THEME, Settings
from ui.common import shortcuts
from ui.common.theme import (
    NORMAL_TEXT,
    TEXT_SIZES,
    THEMES,
    apply_theme,
    nearest_text_size,
    text_size_of,
)


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
    add_text_size_menu(menu, settings, owner)
    return looks


def add_text_size_menu(menu: QMenu, settings: Settings, owner: QWidget) -> QMenu:
    sizes = menu.addMenu("Text size")
    steps = (
        (shortcuts.LARGER_TEXT, "Larger text", 1),
        (shortcuts.SMALLER_TEXT, "Smaller text", -1),
    )
    for key, label, step in steps:
        action = QAction(label, owner)
        action.setShortcuts(key.sequences())
        action.triggered.connect(lambda _=False, s=step: step_text_size(settings, s))
        sizes.addAction(action)
        owner.addAction(action)  # the keys work while the menu is closed
    normal = QAction("Normal size", owner)
    normal.setShortcuts(shortcuts.NORMAL_TEXT.sequences())
    normal.triggered.connect(lambda: set_text_size(settings, NORMAL_TEXT))
    sizes.addAction(normal)
    owner.addAction(normal)
    sizes.addSeparator()
    group = QActionGroup(owner)
    choices: dict[int, QAction] = {}
    for size in TEXT_SIZES:
        choice = QAction(f"{size} %", owner)
        choice.setCheckable(True)
        choice.triggered.connect(lambda _=False, s=size: set_text_size(settings, s))
        group.addAction(choice)
        sizes.addAction(choice)
        choices[size] = choice
    # Ticked as the menu opens: another window, or the keys, may have changed it meanwhile.
    sizes.aboutToShow.connect(lambda: choices[text_size_of()].setChecked(True))
    return sizes


def set_look(settings: Settings, name: str) -> None:
    settings[THEME] = name
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, name)


def set_text_size(settings: Settings, percent: int) -> int:
    """Show the text at ``percent`` of normal (the nearest offered size); returns that size."""
    size = nearest_text_size(percent)
    settings[TEXT_SIZE] = size
    app = QApplication.instance()
    if isinstance(app, QApplication) and size != text_size_of(app):
        apply_theme(app, settings[THEME], text_size=size)
    return size


def step_text_size(settings: Settings, step: int) -> int:
    """One offered size larger (step 1) or smaller (-1), stopping at the ends."""
    at = TEXT_SIZES.index(nearest_text_size(settings[TEXT_SIZE]))
    return set_text_size(settings, TEXT_SIZES[max(0, min(len(TEXT_SIZES) - 1, at + step))])

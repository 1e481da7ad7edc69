"""The workspace on a small demo store: built once per session, copied per test."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.settings import Settings
from leaddesk.store import open_store
from ui.common import dialogs
from ui.common.operations import Operations
from ui.launch import open_window
from ui.sales.window import SalesWindow
from ui.workspace.window import MainWindow

DEMO_LEADS = 1500
NOON = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # the `clock` fixture's moment


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    store = open_store(path)
    fill_demo(store, leads=DEMO_LEADS, reps=2, seed=9, now=NOON)
    store.close()
    return path


@pytest.fixture
def empty_store(sqlite_store_path: Path, clock: FixedClock) -> Path:
    """A new team's store on its first day: the shipped definition, a rep (Anna), a team
    lead (Lena), a salesperson (Sam) and an admin; no leads, no imports, no hand-offs."""
    with setup_desk(sqlite_store_path, clock=clock) as setup:
        setup.admin.prepare_store()
        setup.people.add("anna", Role.QUALIFIER, display_name="Anna Berg")
        setup.people.add("lena", Role.TEAM_LEAD, display_name="Lena Lind")
        setup.people.add("sam", Role.SALES, display_name="Sam Sales")
        setup.people.add("admin", Role.ADMIN, display_name="Admin")
    return sqlite_store_path


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


@dataclass
class Workspace:
    """A rep's window on the demo store, with the dialogs answered by the test."""

    window: MainWindow
    desk: Desk
    dialed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A message box offscreen would wait forever for a click: record it and fail instead.
    Tests that expect a warning ask for ``warnings_shown``."""
    unexpected: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _parent, text: unexpected.append(text))
    monkeypatch.setattr(
        dialogs,
        "show_crash",
        lambda _parent, summary, details: unexpected.append(f"{summary}\n{details}"),
    )

    def ask(_parent: object, title: str, text: str) -> bool:
        # A test that ends mid-call closes its window as a rep closing for the day would:
        # yes, close; the call stays open for the next window. Any other question fails.
        if title == "Close during a call?":
            return True
        unexpected.append(f"{title}\n{text}")
        return False

    monkeypatch.setattr(dialogs, "ask", ask)
    yield unexpected
    assert not unexpected, "a message box was shown:\n" + "\n".join(unexpected)


@pytest.fixture
def warnings_shown(
    monkeypatch: pytest.MonkeyPatch, no_unexpected_message_boxes: list[str]
) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda _parent, text: shown.append(text))
    return shown


def open_workspace(
    qtbot: QtBot,
    path: Path | str,
    clock: FixedClock,
    tmp_path: Path,
    user: str = "rep1",
    ops: Operations | None = None,
) -> Workspace:
    """The window as a rep sees it (``path``: a store file or a database URL); core calls run
    inline unless ``ops`` (a real worker)."""
    desk = open_desk(path, user, clock=clock)
    dialed: list[str] = []
    window = MainWindow(
        desk,
        ops or Operations(inline=True),
        Settings(tmp_path / "settings.json"),
        rep_zone="Europe/London",
        dial=lambda number: dialed.append(number) is None,
        drafts_dir=tmp_path / "drafts",
    )
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts only reach the active window
    qtbot.waitUntil(window.is_ready)
    return Workspace(window, desk, dialed)


@dataclass
class SalesSeat:
    """A salesperson's window, as the launcher builds it for their role."""

    window: SalesWindow
    desk: Desk


def open_sales(
    qtbot: QtBot, path: Path | str, clock: FixedClock, tmp_path: Path, user: str = "sales1"
) -> SalesSeat:
    """The window a salesperson signs in to (``path``: a store file or a database URL)."""
    desk = open_desk(path, user, clock=clock)
    window = open_window(desk, Operations(inline=True), Settings(tmp_path / "settings.json"), "UTC")
    assert isinstance(window, SalesWindow)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # A and R only reach the active window
    qtbot.waitUntil(window.is_ready)
    return SalesSeat(window, desk)


@pytest.fixture
def workspace(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    warnings_shown: list[str],
) -> Iterator[Workspace]:
    opened = open_workspace(qtbot, demo_store, clock, tmp_path)
    opened.warnings = warnings_shown
    yield opened
    opened.window.close()
    opened.desk.close()


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    """Tests that apply a look put the application's style back as they found it. A look
    restyles every widget the application holds, so the widgets earlier tests closed but
    Python had not freed yet are freed first (a launch's ``gc.freeze`` keeps them for good):
    with some 1,600 of them the text-size steps took 30 s instead of 2. What is still alive
    is frozen again, as the session's start left it (tests/conftest.py)."""
    gc.unfreeze()
    gc.collect()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.freeze()
    sheet, palette, style = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    look, size = qapp.property("leaddesk_theme"), qapp.property("leaddesk_text_size")
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("leaddesk_theme", look)
    qapp.setProperty("leaddesk_text_size", size)

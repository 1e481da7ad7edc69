"""The first window on a demo store: the rep's leads, paged, and the selected lead's card."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.demo import fill_demo
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from ui.main_window import MainWindow


@pytest.fixture
def demo_store(sqlite_store_path: Path, clock: FixedClock) -> Path:
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=1200, reps=2, seed=9, now=clock())
    store.close()
    return sqlite_store_path


def test_window_shows_my_leads_and_the_first_lead(
    qtbot: QtBot, qtmodeltester: object, demo_store: Path
) -> None:
    desk = open_desk(demo_store, "rep1")
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 100  # one page, not every row
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]
    first = window.model.summary_at(0)
    assert first is not None and first.assigned_to == "rep1"
    assert window.card.title.text().startswith(first.person)
    assert window.card.phone.text() == first.phone

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second = window.model.summary_at(1)
    assert second is not None
    qtbot.waitUntil(lambda: window.card.title.text().startswith(second.person))
    desk.close()


def test_scrolling_fetches_the_next_page(qtbot: QtBot, demo_store: Path) -> None:
    desk = open_desk(demo_store, "rep1")
    window = MainWindow(desk)
    qtbot.addWidget(window)
    total = desk.count_my_open_leads()
    while window.model.canFetchMore(window.table.rootIndex()):
        window.model.fetchMore(window.table.rootIndex())
    assert window.model.rowCount() == total
    desk.close()


def test_screenshot_command_writes_a_png(tmp_path: Path, demo_store: Path) -> None:
    target = tmp_path / "workspace.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.app",
            "--db",
            str(demo_store),
            "gui",
            "--as",
            "rep1",
            "--screenshot",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert image.width() >= 1000 and image.height() >= 600

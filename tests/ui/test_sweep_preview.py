"""The team lead previews the sweep in the console: the dry run's summary, in the words the
CLI's `sweep --dry-run` prints, and nothing in the store changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, sweep_summary
from leaddesk.store.models import AuditEvent, Lead
from ui.common.operations import Operations
from ui.console.console import TeamConsole
from ui.console.sweep_preview import SweepPreview


def _store_state(path: Path, clock: FixedClock) -> tuple[int, int, int]:
    with open_desk(path, "lead1", clock=clock) as desk, desk.store.reading() as session:
        flagged = session.scalar(select(func.count()).where(Lead.flagged_untouched_at.is_not(None)))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        owners = session.scalar(select(func.sum(Lead.assigned_to_id)))
    return flagged or 0, events or 0, owners or 0


def test_preview_the_sweep_shows_what_the_cli_dry_run_says_and_changes_nothing(
    qtbot: QtBot, demo_store: Path, clock: FixedClock
) -> None:
    before = _store_state(demo_store, clock)
    desk = open_desk(demo_store, "lead1", clock=clock)
    window = TeamConsole(desk, Operations(inline=True))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(window.is_ready)
    button = window.preview_sweep_button
    assert button is not None and button.text() == "Preview the sweep"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.preview_sweep.dialog is not None)
    dialog = window.preview_sweep.dialog
    assert isinstance(dialog, SweepPreview) and dialog.isVisible()
    assert "nothing has been changed" in dialog.heading.text()
    shown = dialog.text().splitlines()
    window.close()
    desk.close()

    # The CLI's `sweep --dry-run` prints these same lines (leaddesk.desk.sweep_summary).
    with open_desk(demo_store, "lead1", clock=clock) as again:
        printed = sweep_summary(again.team.sweep(dry_run=True))
    assert printed[0].startswith("Dry run, nothing changed. Would flag ")
    assert shown[0] == printed[0].removeprefix("Dry run, nothing changed. ")
    assert shown[1:] == printed[1:]
    assert "as untouched" in shown[0]
    assert _store_state(demo_store, clock) == before

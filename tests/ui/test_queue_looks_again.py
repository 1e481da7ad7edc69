"""The rep's queue reads itself again every minute and says what came in meanwhile; the
callbacks a rep booked are one pick away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.queue import Band
from leaddesk.team.reassign import LeadPick
from tests.ui.conftest import Workspace
from ui.workspace.queue_model import FRESH_FOR, PERSON
from ui.workspace.queue_panel import BOOKED, LOOK_MS


def _hand_rep1_a_lead(workspace: Workspace, clock: FixedClock) -> int:
    """A team lead moves one of rep2's callable new leads to rep1; its id."""
    path = workspace.desk.store.url.database
    assert path is not None
    with open_desk(path, "rep2", clock=clock) as rep2:
        # rep2's own, not the open pool's (which rep1's queue lists already).
        theirs = [r for r in rep2.queue.page(band=Band.NEW, limit=50) if r.assigned_to == "rep2"]
    assert theirs, "the demo store gives rep2 a callable new lead"
    with open_desk(path, "lead1", clock=clock) as lead:
        lead.team.reassign(LeadPick(lead_ids=(theirs[0].lead_id,)), to_user="rep1", reason="cover")
    return theirs[0].lead_id


def _bold(workspace: Workspace, lead_id: int) -> bool:
    model = workspace.window.queue.model
    row = model.row_of(lead_id)
    assert row is not None, "the lead is listed"
    font = model.index(row, PERSON).data(Qt.ItemDataRole.FontRole)
    return isinstance(font, QFont) and font.bold()


def test_a_lead_handed_over_shows_up_bold_and_the_status_bar_names_it(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    queue = workspace.window.queue
    assert queue._looker.isActive() and queue._looker.interval() == LOOK_MS
    clock.advance(minutes=1)
    moved = _hand_rep1_a_lead(workspace, clock)
    assert queue.model.row_of(moved) is None, "not listed before the queue looks again"

    clock.advance(minutes=1)
    with qtbot.waitSignal(queue.arrived) as arrived:
        queue.look_again()  # what the minute's timer does
    assert [row.lead_id for row in arrived.args[0]] == [moved]
    message = workspace.window.status.currentMessage()
    assert message.startswith("In your queue now: "), message
    assert arrived.args[0][0].person in message and "new " in message
    qtbot.waitUntil(lambda: queue.model.row_of(moved) is not None)
    assert _bold(workspace, moved)
    tip = queue.model.index(queue.model.row_of(moved) or 0, PERSON).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "New in your queue since" in tip

    # Asked again, it is not news a second time; ten minutes on it is an ordinary row.
    with qtbot.assertNotEmitted(queue.arrived):
        clock.advance(minutes=1)
        queue.look_again()
    clock.advance(seconds=FRESH_FOR.total_seconds())
    queue.model.tick()
    assert not _bold(workspace, moved)


def test_looking_again_keeps_the_reps_row_and_scroll(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    queue = workspace.window.queue
    view = queue.table
    qtbot.waitUntil(lambda: queue.model.rowCount() > 30)
    view.selectRow(25)
    chosen = queue.current_row()
    assert chosen is not None
    view.scrollTo(queue.model.index(25, 0))
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0

    clock.advance(minutes=1)
    with qtbot.waitSignal(queue.model.loaded):
        queue.look_again()
    current = queue.current_row()
    assert current is not None and current.lead_id == chosen.lead_id
    assert view.verticalScrollBar().value() == scrolled


def test_f5_reads_the_queue_again_at_once(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    queue = workspace.window.queue
    clock.advance(minutes=1)
    moved = _hand_rep1_a_lead(workspace, clock)
    clock.advance(seconds=10)
    queue.focus_table()
    with qtbot.waitSignal(queue.arrived):
        qtbot.keyClick(workspace.window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: queue.model.row_of(moved) is not None)


def test_a_look_that_fails_is_logged_and_puts_up_no_dialog(
    qtbot: QtBot,
    workspace: Workspace,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The team database away for a moment must not pop a box every minute (the autouse
    fixture fails the test on any message box); the next look tries again."""

    def unreachable(_mark: object = None) -> None:
        raise ConnectionError("server closed the connection")

    monkeypatch.setattr(workspace.desk.queue, "arrivals", unreachable)
    queue = workspace.window.queue
    before = queue.model.rowCount()
    with qtbot.assertNotEmitted(queue.arrived):
        queue.look_again()
    assert "reading the queue again failed" in caplog.text
    assert queue.model.rowCount() == before
    monkeypatch.undo()
    clock.advance(minutes=1)
    moved = _hand_rep1_a_lead(workspace, clock)
    clock.advance(seconds=10)
    with qtbot.waitSignal(queue.arrived):
        queue.look_again()
    qtbot.waitUntil(lambda: queue.model.row_of(moved) is not None)


def test_the_callbacks_a_rep_booked_are_one_pick_away_soonest_first(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    queue = workspace.window.queue
    with qtbot.waitSignal(queue.model.loaded):
        queue.band.setCurrentIndex(queue.band.findData(BOOKED))
    assert queue.title.text() == "CALLBACKS I BOOKED" and not queue.source.isEnabled()
    rows = [queue.model.row_at(n) for n in range(queue.model.rowCount())]
    assert rows, "the demo store books rep1 some callbacks"
    booked = workspace.desk.queue.callbacks_ahead()
    assert [r.lead_id for r in rows if r] == [r.lead_id for r in booked]
    moments = [r.callback_at for r in rows if r is not None and r.callback_at is not None]
    assert len(moments) == len(rows) and moments == sorted(moments)
    assert all(r is not None and r.reason.startswith("callback at ") for r in rows)
    assert queue.status.text().endswith("in the next 7 days")
    with qtbot.waitSignal(queue.model.loaded):
        queue.band.setCurrentIndex(0)
    assert queue.title.text() == "MY QUEUE" and queue.source.isEnabled()

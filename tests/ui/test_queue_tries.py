"""The window's Tries column counts the calls since the person was last reached."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.intake.by_hand import NewInterest
from tests.ui.conftest import open_workspace
from ui.workspace.queue_model import TRIES, WHY


def test_tries_read_1_of_6_after_a_talk_a_callback_and_one_no_answer(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(empty_store, "anna", clock=clock) as desk:
        lead_id = desk.intake.add_lead(
            NewInterest(first_name="Ada", last_name="Quill", phone="+1 212 555 0142", country="US")
        ).lead_id
        for _ in range(2):
            tried = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
            assert tried.next_attempt_at is not None
            clock.now = tried.next_attempt_at
        desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=90)
        agreed = clock() + timedelta(days=1)
        desk.calls.log(lead_id, CallOutcome.CALLBACK, callback_at=agreed)
        clock.now = agreed
        missed = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert missed.attempts == 5 and missed.next_attempt_at is not None
    clock.now = missed.next_attempt_at + timedelta(minutes=1)

    opened = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    model = opened.window.queue.model
    row = model.row_of(lead_id)
    assert row is not None, "the lead is back in Anna's queue"
    assert model.index(row, TRIES).data() == "1/6"
    assert model.index(row, WHY).data().startswith("retry 2 of 6")
    tip = model.index(row, TRIES).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "1 unanswered since they were last reached; the team gives up after 6"
    opened.window.close()
    opened.desk.close()

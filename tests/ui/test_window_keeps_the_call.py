"""Closing the window mid-call asks first and leaves the call open; the next window brings
the half-qualified lead back, its questionnaire as it was left."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.store.models import CallAttempt
from tests.ui.conftest import open_workspace
from ui.common import dialogs
from ui.workspace.call_cycle import Phase

SHOTS = os.environ.get("LEADDESK_SHOTS")  # a folder: the test also saves what it shows


def _asked(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    asked: list[str] = []

    def ask(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(dialogs, "ask", ask)
    return asked


def test_closing_mid_call_asks_and_reopening_brings_the_lead_back_with_its_answers(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_workspace(qtbot, demo_store, clock, tmp_path)
    window, cycle = first.window, first.window.cycle
    for text in ("n", "c", "1"):
        qtbot.keyClick(window.focusWidget() or window, text)
    assert cycle.phase is Phase.QUALIFYING and cycle.on_call and cycle.lead is not None
    lead = cycle.lead
    button = window.questionnaire.fields["contact_check"].option("yes")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)

    asked = _asked(monkeypatch, False)
    window.close()  # Alt+F4 and File ▸ Quit close the same way
    company = f" ({lead.company})" if lead.company else ""
    assert asked == [
        f"You are on a call with {lead.person}{company}. Close anyway? "
        "The call stays open and comes back when you reopen."
    ]
    assert window.isVisible() and cycle.on_call  # Cancel keeps the window and the call

    _asked(monkeypatch, True)
    window.close()
    assert not window.isVisible()
    with first.desk.store.reading() as session:
        call = session.scalars(
            select(CallAttempt).where(CallAttempt.lead_id == lead.lead_id).order_by(CallAttempt.id)
        ).all()[-1]
    assert call.ended_at is None  # the call stays open
    first.desk.close()

    clock.advance(minutes=3)
    again = open_workspace(qtbot, demo_store, clock, tmp_path)
    back = again.window
    assert back.cycle.phase is Phase.QUALIFYING and back.cycle.on_call
    assert back.cycle.lead is not None and back.cycle.lead.lead_id == lead.lead_id
    assert back.left.currentWidget() is back.questionnaire
    assert back.questionnaire.fields["contact_check"].value() == "yes"
    said = f"Back to {lead.person}: the call was still open when LeadDesk closed."
    assert back.statusBar().currentMessage() == said
    status = back.status
    assert not status.calls.isVisible(), "the day's figures give way to the message"
    assert back.call.message.text().startswith(said)
    assert back.cycle.call_seconds() >= 180  # the talk time counts on from the dialling
    if SHOTS:
        back.grab().save(str(Path(SHOTS) / "otp-brought-back.png"))
    back.cycle.hang_up()
    with again.desk.store.reading() as session:
        ended = session.get(CallAttempt, call.id)
        assert ended is not None and ended.ended_at is not None
        assert (ended.duration_seconds or 0) >= 180
    back.close()
    again.desk.close()


def test_closing_with_no_call_on_the_line_does_not_ask(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened = open_workspace(qtbot, demo_store, clock, tmp_path)
    qtbot.keyClick(opened.window.focusWidget() or opened.window, "n")
    asked = _asked(monkeypatch, False)
    opened.window.close()
    assert asked == [] and not opened.window.isVisible()
    opened.desk.close()

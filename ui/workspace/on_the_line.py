"""A call is never lost with the window: closing mid-call asks first and leaves the call
open; the next window brings its lead back, questionnaire and all."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from leaddesk.desk import CallEnded, CallLeftOpen, Desk
from ui.common import dialogs
from ui.common.operations import Operations
from ui.workspace.call_cycle import CallCycle
from ui.workspace.status_panel import StatusPanel

log = logging.getLogger(__name__)

# How long the status bar says which lead came back.
NOTICE_MS = 60_000


def may_close(parent: QWidget, cycle: CallCycle) -> bool:
    """True when the window may close: no call on the line, or the rep says so."""
    held = cycle.lead
    if held is None or not cycle.on_call:
        return True
    company = f" ({held.company})" if held.company else ""
    return dialogs.ask(
        parent,
        "Close during a call?",
        f"You are on a call with {held.person}{company}. Close anyway? "
        "The call stays open and comes back when you reopen.",
    )


def take_back_left_open(desk: Desk, ops: Operations, cycle: CallCycle, status: StatusPanel) -> None:
    """The call an earlier window was on when it closed comes back: its lead, held again,
    with the questionnaire as it was left; other calls left open are ended, saying so."""

    def quietly() -> tuple[CallLeftOpen | None, list[CallEnded]]:
        try:
            return desk.calls.take_back_left_open()
        except Exception:  # a look nobody asked for: logged, never a dialog
            log.warning("bringing back the call left open failed", exc_info=True)
            return None, []

    def back(found: tuple[CallLeftOpen | None, list[CallEnded]]) -> None:
        left, ended = found
        if left is not None:
            cycle.bring_back(left)
            status.showMessage(left.message, NOTICE_MS)
        elif ended:
            status.showMessage(" ".join(call.message for call in ended), NOTICE_MS)

    ops.run(quietly, done=back, changes={"queue", "status"})


def end_calls_left_open(desk: Desk, ops: Operations, status: StatusPanel) -> None:
    """A call an earlier window left open (closed or killed mid-call) whose claim has run out
    is ended at the last moment it saw the rep on it, so the day's talk time counts it; said
    in the status bar. The window asks every time it looks at the queue again."""

    def quietly() -> list[CallEnded]:
        try:
            return desk.calls.end_interrupted()
        except Exception:  # a look nobody asked for: logged, never a dialog
            log.warning("ending calls left open failed", exc_info=True)
            return []

    def said(ended: list[CallEnded]) -> None:
        if ended:
            status.showMessage(" ".join(call.message for call in ended), NOTICE_MS)
            status.refresh()

    ops.run(quietly, done=said)

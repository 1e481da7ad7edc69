"""The rep's call cycle as a small state machine: next lead → call → outcome → (questionnaire →
verdict) → next. Every change goes through Operations; panels only show what this says.

Phases: idle (no lead), ready (a lead is claimed, not yet dialled), calling (dialled, the
timer runs), qualifying (connected: the questionnaire is open). A connected call goes on while
the rep qualifies: the timer keeps running until the rep says the call is over (H), gives the
verdict or puts the lead back, and then the call's whole length is stored as talk time. The
claim on the lead is renewed every few minutes while it is open, never on every timer tick.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from leaddesk.desk import (
    CallEnded,
    CallLeftOpen,
    CallResult,
    Desk,
    QueueRow,
    VerdictInfo,
)
from leaddesk.domain import OPEN_STAGES, CallOutcome
from leaddesk.errors import InputError, LeadDeskError, MovedDuringCall
from ui.common import dialogs
from ui.common.operations import Operations
from ui.workspace.phase import Phase as Phase  # re-exported: the panels read it here
from ui.workspace.taking_back import TakingBack
from ui.workspace.undoable import CALL, UNDO_HINT, VERDICT, VERDICT_UNDO_HINT, Undoable

# Well inside the core's 15-minute lease, so a slow worker never lets the claim lapse.
RENEW_EVERY_MS = 4 * 60 * 1000


def dial_tel(number: str) -> bool:
    """Hand the number to the system's tel: handler (the softphone)."""
    return QDesktopServices.openUrl(QUrl(f"tel:{number.replace(' ', '')}"))


class CallCycle(TakingBack, QObject):
    phase_changed = Signal(str)
    lead_changed = Signal(object)  # QueueRow | None
    lead_updated = Signal(object)  # QueueRow: the same lead, its details corrected
    said = Signal(str)  # one line for the rep: what just happened, what comes next
    seconds = Signal(int)  # time on the call, every second while calling
    busy_changed = Signal()  # a step went to the worker or came back; see ``waiting``
    moved_away = Signal(int)  # a lead id: a team lead moved the lead on the line to someone else
    callback_refused = Signal(object, object)  # the time asked, the core's InputError about it

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        *,
        dial: Callable[[str], bool] = dial_tel,
        renew_every_ms: int = RENEW_EVERY_MS,
    ) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._dial = dial
        self.phase = Phase.IDLE
        self.lead: QueueRow | None = None
        # The number the rep chose to dial (a mobile, a direct line); None dials the phone.
        self.dial_number: str | None = None
        self._waiting = False  # a cycle step is on the worker; ignore repeated keys meanwhile
        # "Not interested" puts the lead on hold, out of every queue and unclaimed: its verdict
        # is given now, in the questionnaire, or it waits out of sight.
        self._on_hold = False
        self._open_call: int | None = None  # a connected call still on the line
        # The last outcome logged and the lead it was logged on, while it may be undone: until
        # the rep takes another lead or gives a verdict (the core keeps the time limit).
        self._undoable: Undoable | None = None
        self._elapsed = QElapsedTimer()
        self._carried = 0  # seconds a call brought back had lasted before this window
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._renewer = QTimer(self)
        self._renewer.setInterval(renew_every_ms)
        self._renewer.timeout.connect(self.renew)
        self.lead_changed.connect(self._forget_number)

    # -- steps -----------------------------------------------------------------------------

    @property
    def waiting(self) -> bool:
        return self._waiting

    def next_lead(self) -> None:
        """Take the top of the queue; a lead held but not yet dialled goes back first."""
        if self._waiting or self.phase in (Phase.CALLING, Phase.QUALIFYING):
            return
        held = self.lead.lead_id if self.lead is not None else None
        desk = self._desk

        def work() -> QueueRow | None:
            if held is not None:
                desk.queue.release(held)
            return desk.queue.next()

        self._start(work, self._took, changes={"queue"})

    def take(self, row: QueueRow) -> None:
        """Work a lead picked from the queue or a search; refused if a colleague holds it."""
        if self._waiting or self.phase in (Phase.CALLING, Phase.QUALIFYING):
            return
        if row.stage not in OPEN_STAGES:
            self.said.emit(f"{row.person}: {row.reason}. The lead card shows what happened.")
            return
        held = self.lead.lead_id if self.lead is not None else None
        desk = self._desk

        def work() -> QueueRow:
            if held is not None and held != row.lead_id:
                desk.queue.release(held)
            desk.queue.renew_claim(row.lead_id)
            return row

        self._start(work, self._took, changes={"queue"})

    def bring_back(self, left: CallLeftOpen) -> None:
        """The lead a closed window left mid-call, held again: the questionnaire with its
        answers, and the call still running if the core has not ended it."""
        if self.phase is not Phase.IDLE:
            return
        self._undoable = None
        self.lead = left.row
        self._renewer.start()
        self.lead_changed.emit(left.row)
        if left.on_line:
            self._open_call = left.call_id
            self._carried = left.seconds
            self._elapsed.start()
            self._ticker.start()
            self.seconds.emit(self.call_seconds())
        self._set_phase(Phase.QUALIFYING)
        hint = " H when you hang up." if left.on_line else " Give the verdict when you are ready."
        self.said.emit(left.message + hint)

    def call(self) -> None:
        if self._waiting or self.phase is not Phase.READY or self.lead is None:
            return
        number = self.number
        if not number:
            self.said.emit("No phone number on file: F2 adds one, or put the lead back.")
            return
        # The lead may have been open a while: their calling hours can end meanwhile.
        desk, lead_id = self._desk, self.lead.lead_id
        self._start(lambda: desk.calls.why_not_dial(lead_id), self._dial_if_allowed, changes=set())

    def _dial_if_allowed(self, refused: object) -> None:
        if isinstance(refused, str):
            self.said.emit(refused)
            return
        number = self.number
        if self.phase is not Phase.READY or self.lead is None or not number:
            return
        if not self._dial(number):
            self.said.emit(f"No softphone took the call: dial {number} by hand.")
        else:
            self.said.emit(f"Calling {self.lead.person} on {number}…")
        self._elapsed.start()
        self._ticker.start()
        self.seconds.emit(0)
        self._set_phase(Phase.CALLING)

    def log(self, outcome: CallOutcome, callback_at: datetime | None = None) -> None:
        """Record how the call went; after "connected" the questionnaire opens."""
        if self._waiting or self.phase not in (Phase.READY, Phase.CALLING) or self.lead is None:
            return
        lead_id = self.lead.lead_id
        duration = self.call_seconds() if self.phase is Phase.CALLING else None
        desk = self._desk
        self._start(
            lambda: desk.calls.log(lead_id, outcome, callback_at, None, duration),
            self._logged,
            changes={"queue", "lead", "status"},
            refused=lambda error: self._callback_refused(callback_at, error),
        )

    def _callback_refused(self, callback_at: datetime | None, error: LeadDeskError) -> bool:
        """A refused callback time goes back to the picker (True); anything else is warned."""
        if callback_at is None or not isinstance(error, InputError) or error.field != "callback":
            return False
        self.callback_refused.emit(callback_at, error)
        return True

    def update_lead(self, row: QueueRow | None) -> None:
        """The held lead as it is now (its person's name or number corrected mid-call)."""
        if row is not None and self.lead is not None and row.lead_id == self.lead.lead_id:
            self.lead = row
            self.lead_updated.emit(row)

    @property
    def number(self) -> str | None:
        """The number a call on the held lead dials: the one chosen, else the phone."""
        if self.lead is None:
            return None
        return self.dial_number or self.lead.phone

    def _forget_number(self, _row: object) -> None:
        self.dial_number = None

    def choose_number(self, lead_id: int, number: str | None) -> None:
        """Dial ``number`` on the held lead ``lead_id`` (ignored once another lead is held)."""
        if self.lead is not None and self.lead.lead_id == lead_id:
            self.dial_number = number if number != self.lead.phone else None

    @property
    def on_call(self) -> bool:
        """Connected and still talking: the call's length is not stored yet."""
        return self._open_call is not None

    def hang_up(self) -> None:
        """The connected call is over: store its whole length; the questionnaire stays open."""
        if not self.on_call:
            return
        self._end_call()
        self.phase_changed.emit(self.phase.value)

    def verdict_given(self, verdict: VerdictInfo) -> None:
        held = self.lead
        talking = self._open_call is not None and self._elapsed.isValid()
        talk = QElapsedTimer(self._elapsed) if talking else None
        self._undoable = (
            Undoable(VERDICT, verdict.id, held, self._on_hold, talk) if held is not None else None
        )
        # The core ended the connected call with the verdict: show its length, stopped.
        self._open_call = None
        self._stop_timer()
        if verdict.call_seconds is not None:
            self.seconds.emit(verdict.call_seconds)
        words = verdict.verdict.done.capitalize()
        who = held.person if held is not None else f"lead {verdict.lead_id}"
        hint = VERDICT_UNDO_HINT if held is not None else ""
        self.said.emit(f"{words}: {who}. Press N for the next lead.{hint}")
        self._finish()

    def release(self) -> None:
        """Put the lead back in the queue (answers and notes stay saved)."""
        if self._waiting or self.lead is None:
            return
        # Esc while dialled but nothing logged: the call may have happened; ask.
        if self.phase is Phase.CALLING and not dialogs.ask(
            None, "Put the lead back?", "Nothing is logged for this call yet. Put it back?"
        ):
            return
        if self._on_hold:
            if not dialogs.ask(
                None,
                "Leave without a verdict?",
                f"{self.lead.person} is not interested, so the lead is out of your queue. "
                "Without a verdict it stays open with no next step. Leave it anyway?",
            ):
                return
            self.said.emit(f"{self.lead.person}: left without a verdict, out of the queue.")
            self._finish()
            return
        if self.phase is Phase.QUALIFYING and not dialogs.ask(
            None,
            "Leave without a verdict?",
            "The answers so far are saved and the lead stays in your queue. Leave it for now?",
        ):
            return
        lead_id = self.lead.lead_id
        person = self.lead.person
        self._end_call()
        self._start(
            lambda: self._desk.queue.release(lead_id),
            lambda _released: self._put_back(person),
            changes={"queue"},
        )

    def renew(self) -> None:
        if self.lead is None or self._on_hold:
            return
        lead_id = self.lead.lead_id
        self._ops.run(
            lambda: self._desk.queue.renew_claim(lead_id),
            changes={"claim"},
            failed=self._lost_claim,
        )

    @property
    def timing(self) -> bool:
        """The call timer is counting (dialling, on the line, or talking on after an undo)."""
        return self._ticker.isActive()

    def talk_seconds(self) -> int | None:
        """How long the connected call still on the line has run; None when none is."""
        return self.call_seconds() if self.on_call else None

    def call_seconds(self) -> int:
        if not self._elapsed.isValid():
            return 0
        return self._carried + int(self._elapsed.elapsed() // 1000)

    def leave_on_line(self) -> None:
        """The window closes mid-call: the call and the claim stay as they are (the next
        window brings them back); only this window's timers stop."""
        self._ticker.stop()
        self._renewer.stop()

    # -- results ---------------------------------------------------------------------------

    def _start(
        self,
        work: Callable[[], object],
        done: Callable[[object], None],
        *,
        changes: set[str],
        refused: Callable[[LeadDeskError], bool] | None = None,
    ) -> None:
        self._set_waiting(True)

        def finished(result: object) -> None:
            self._set_waiting(False)
            done(result)

        def failed(error: LeadDeskError) -> None:
            self._set_waiting(False)
            if refused is None or not refused(error):
                dialogs.warn(None, error.message)

        self._ops.run(work, done=finished, failed=failed, changes=changes)

    def _took(self, row: object) -> None:
        if row is None:
            self._undoable = None
            self._finish()
            self.said.emit("Nobody to call right now: no lead is due and within calling hours.")
            return
        assert isinstance(row, QueueRow)
        self._undoable = None  # another lead now: the last one's outcome stands
        self.lead = row
        self._renewer.start()
        self.lead_changed.emit(row)
        self._set_phase(Phase.READY)
        self.said.emit(f"{row.person}: {row.reason}. Press C to call.")

    def _logged(self, result: object) -> None:
        assert isinstance(result, CallResult)
        # Ctrl+Z takes any outcome back (a do-not-call is refused in words), not a call kept on
        # a lead a team lead moved to a colleague during it.
        row = None if result.kept else self.lead
        self._undoable = Undoable(CALL, result.call_id, row) if row else None
        if result.still_talking:
            # Still on the line: the timer runs on, and the call's length is stored at its end.
            self._open_call = result.call_id
            if not self._elapsed.isValid():
                # Picked up without dialling here (they called in, or dialled by hand): timed now.
                self._elapsed.start()
                self._ticker.start()
                self.seconds.emit(0)
            self._set_phase(Phase.QUALIFYING)
            self.said.emit(
                "Connected: work through the questions; the verdict updates live. "
                "H when you hang up."
            )
            return
        self._stop_timer()
        if result.verdict_now:
            self._renewer.stop()
            self._on_hold = True
            self._set_phase(Phase.QUALIFYING)
            self.said.emit(
                "Not interested: give the verdict now. O to nurture or disqualify with a "
                "reason; Ctrl+Enter takes the suggestion once its required questions are answered."
            )
            return
        hint = UNDO_HINT if self._undoable and result.undoable else ""
        self.said.emit(f"{result.message}{hint}")
        self._finish()

    def _put_back(self, person: str) -> None:
        self.said.emit(f"{person} is back in the queue.")
        self._finish()

    def _lost_claim(self, error: LeadDeskError) -> None:
        if isinstance(error, MovedDuringCall):  # the rep is on the phone: said, not a box
            self._renewer.stop()
            self.said.emit(error.message)
            if self.lead is not None:
                self.moved_away.emit(self.lead.lead_id)  # no longer the rep's to call
            return
        dialogs.warn(None, error.message)

    def _end_call(self) -> None:
        call_id = self._open_call
        if call_id is None:
            return
        seconds = self.call_seconds()
        self._open_call = None
        self._stop_timer()
        self.seconds.emit(seconds)  # the timer shows the call's length, stopped
        desk = self._desk
        self._ops.run(
            lambda: desk.calls.end(call_id, seconds), done=self._call_ended, changes={"status"}
        )

    def _call_ended(self, ended: object) -> None:
        assert isinstance(ended, CallEnded)
        if self.phase is Phase.QUALIFYING:  # not after the verdict: that says its own line
            self.said.emit(f"{ended.message} Give the verdict when you are ready.")

    def _finish(self) -> None:
        self._open_call = None  # its end is stored already (verdict, hang up or put back)
        self._stop_timer()
        self._renewer.stop()
        self._on_hold = False
        self.lead = None
        self.lead_changed.emit(None)
        self._set_phase(Phase.IDLE)

    def _stop_timer(self) -> None:
        self._ticker.stop()
        self._elapsed.invalidate()
        self._carried = 0

    def _tick(self) -> None:
        self.seconds.emit(self.call_seconds())

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase.value)

    def _set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.busy_changed.emit()

"""The untouched-lead policy, and the sales follow-up policy, carried out while a team
lead's (or admin's) window is open: once at start, then every few minutes (the
``sweep_minutes`` setting), off the GUI thread.

The core's sweep flags leads nobody has touched and, if the policy says so, moves the
long-untouched ones; the chase flags hand-offs sales left unanswered past the follow-up window
and moves those past escalation to another salesperson. What they did is said in the status
bar, never in a dialog.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from leaddesk.desk import Action, ChaseResult, Desk, SweepResult
from leaddesk.errors import LeadDeskError
from ui.common.operations import Operations

MOVED = frozenset({"team", "queue"})
FLAGGED = frozenset({"team"})


def sweep_words(result: SweepResult) -> str:
    at = result.at.astimezone().strftime("%H:%M")
    parts: list[str] = []
    if result.flagged:
        parts.append(f"{_leads(len(result.flagged))} flagged untouched")
    if result.moved:
        parts.append(f"{_leads(len(result.moved))} moved to reps with room")
    if result.moved_after_call:
        parts.append(f"{_leads(len(result.moved_after_call))} moved after their call")
    if result.not_moved:
        parts.append(f"{_leads(len(result.not_moved))} left where they are: no rep with room")
    if result.waiting:
        parts.append(f"{_leads(result.waiting)} wait for the next sweep (at most so many a run)")
    if result.brought_back:
        parts.append(f"{_leads(len(result.brought_back))} back from nurture")
    return f"Untouched-lead check {at}: " + (", ".join(parts) if parts else "nothing to do") + "."


def chase_words(result: ChaseResult) -> str:
    """What the sales follow-up check did, or "" when it found nothing late."""
    parts: list[str] = []
    if result.flagged:
        parts.append(f"{_handoffs(len(result.flagged))} flagged late")
    if result.moved:
        parts.append(f"{_handoffs(len(result.moved))} moved to another salesperson")
    if result.stuck:
        parts.append(f"{_handoffs(len(result.stuck))} late with nobody else in sales to take them")
    if not parts:
        return ""
    return f"Sales follow-up {result.at.astimezone().strftime('%H:%M')}: " + ", ".join(parts) + "."


def _handoffs(count: int) -> str:
    return f"{count:,} hand-off{'' if count == 1 else 's'}"


def _leads(count: int) -> str:
    return f"{count:,} lead{'' if count == 1 else 's'}"


def may_sweep(desk: Desk) -> bool:
    return desk.can(Action.REASSIGN)


class PolicySweep(QObject):
    """Runs the sweep now and then every ``minutes``; says what it did through ``reported``."""

    reported = Signal(str)
    swept = Signal(object)  # SweepResult

    def __init__(self, desk: Desk, ops: Operations, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self._desk = desk
        self._ops = ops
        self.running = False
        self.last: SweepResult | None = None
        self.last_chase: ChaseResult | None = None
        self.last_text = ""
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.run)

    def start(self) -> bool:
        """Sweep now and keep sweeping; False (nothing started) for someone who may not."""
        if not may_sweep(self._desk):
            return False
        self.run()
        self.timer.start()
        return True

    def stop(self) -> None:
        self.timer.stop()

    def run(self) -> None:
        if self.running:
            return  # the last one is still going (a big first sweep): skip this tick
        self.running = True
        self._ops.run(self._both, done=self._done, failed=self._failed)

    def _both(self) -> tuple[SweepResult, ChaseResult | None]:
        """On the worker: the sweep, then sales' follow-up for whoever may chase it."""
        swept = self._desk.team.sweep()
        chased = self._desk.handoff.chase() if self._desk.can(Action.CHASE_SALES) else None
        return swept, chased

    def _done(self, results: tuple[SweepResult, ChaseResult | None]) -> None:
        result, chased = results
        self.running = False
        self.last, self.last_chase = result, chased
        said = chase_words(chased) if chased is not None else ""
        self._say(" ".join(filter(None, (sweep_words(result), said))))
        self.swept.emit(result)
        # Say what changed only when something did, so open views do not reload for nothing.
        if result.moved or result.moved_after_call or result.brought_back:
            self._ops.changed.emit(MOVED)
        elif result.flagged or result.unflagged or (chased and (chased.flagged or chased.moved)):
            self._ops.changed.emit(FLAGGED)

    def _failed(self, error: LeadDeskError) -> None:
        self.running = False
        stamp = datetime.now().strftime("%H:%M")
        self._say(f"Untouched-lead check {stamp} did not run: {error.message}")

    def _say(self, text: str) -> None:
        self.last_text = text
        self.reported.emit(text)

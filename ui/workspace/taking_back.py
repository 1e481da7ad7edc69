"""Ctrl+Z in the call cycle: the rep takes back the outcome just logged or the verdict just
given (the wrong key), and holds the lead again as it was, for the right one.

A part of ``CallCycle`` (ui/workspace/call_cycle.py), which holds the state named below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer

from leaddesk.desk import QueueRow, UndoneCall, UndoneVerdict
from ui.workspace.phase import Phase
from ui.workspace.undoable import VERDICT, Undoable

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance

    from leaddesk.desk import Desk
    from leaddesk.errors import LeadDeskError


class TakingBack:
    """The undo step of the call cycle."""

    if TYPE_CHECKING:  # kept by CallCycle
        _desk: Desk
        _waiting: bool
        _undoable: Undoable | None
        _open_call: int | None
        _on_hold: bool
        _elapsed: QElapsedTimer
        _ticker: QTimer
        _renewer: QTimer
        lead: QueueRow | None
        lead_changed: SignalInstance
        said: SignalInstance
        seconds: SignalInstance

        def _start(
            self,
            work: Callable[[], object],
            done: Callable[[object], None],
            *,
            changes: set[str],
            refused: Callable[[LeadDeskError], bool] | None = None,
        ) -> None: ...

        def _stop_timer(self) -> None: ...

        def _set_phase(self, phase: Phase) -> None: ...

        def call_seconds(self) -> int: ...

    @property
    def can_undo(self) -> bool:
        """The last outcome logged, or the verdict just given, may be taken back (Ctrl+Z)."""
        return self._undoable is not None and not self._waiting

    def undo(self) -> None:
        """Take back the last outcome logged or the verdict just given (the wrong key): the
        lead is held again, as it was before, for the right one."""
        if self._waiting or self._undoable is None:
            return
        undoable = self._undoable
        record_id, row = undoable.record_id, undoable.row
        desk = self._desk
        if undoable.kind == VERDICT:
            self._start(
                lambda: desk.qualifying.undo_verdict(record_id),
                lambda undone: self._verdict_undone(undone, undoable),
                changes={"queue", "lead", "status"},
            )
            return
        self._start(
            lambda: desk.calls.undo(record_id),
            lambda undone: self._undone(undone, row),
            changes={"queue", "lead", "status"},
        )

    def _undone(self, undone: object, row: QueueRow) -> None:
        assert isinstance(undone, UndoneCall)
        self._undoable = None
        self._open_call = None  # the call is gone, and its end with it
        self._stop_timer()
        self._on_hold = False
        self.lead = row
        self._renewer.start()
        self.lead_changed.emit(row)
        self._set_phase(Phase.READY)
        said = undone.outcome.label
        self.said.emit(
            f"Undone: the {said} call is no longer logged; {row.person} is as before the call. "
            "Press the right outcome key (1 … 0)."
        )

    def _verdict_undone(self, undone: object, undoable: Undoable) -> None:
        assert isinstance(undone, UndoneVerdict)
        row, on_hold = undoable.row, undoable.on_hold
        self._undoable = None
        self.lead = row
        # "Not interested" keeps the lead out of every queue: as before its verdict, Esc then
        # asks whether to leave it without one.
        self._on_hold = on_hold
        if not on_hold:
            self._renewer.start()
        self.lead_changed.emit(row)
        if undoable.talk is not None and undoable.talk.isValid():
            # Still talking: the timer counts on from the call's start, not from zero.
            self._elapsed = QElapsedTimer(undoable.talk)
            self._ticker.start()
            self.seconds.emit(self.call_seconds())
        self._set_phase(Phase.QUALIFYING)  # the questionnaire again, its answers as they were
        said = undone.verdict.label
        self.said.emit(
            f"Undone: the {said} verdict on {row.person} is withdrawn; the answers are as you "
            "left them. Give the right verdict."
        )

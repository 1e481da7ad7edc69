"""What Ctrl+Z takes back in the call cycle: the outcome just logged or the verdict just
given, with what the lead was like before it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer

from leaddesk.desk import QueueRow

# Said after an outcome that moved the lead on: the wrong key is one key away from undone.
UNDO_HINT = " Wrong key? Ctrl+Z undoes it."
VERDICT_UNDO_HINT = " Wrong verdict? Ctrl+Z undoes it."
CALL, VERDICT = "call", "verdict"  # what Ctrl+Z takes back


@dataclass(frozen=True)
class Undoable:
    """What Ctrl+Z would take back: a call's outcome or a verdict, on this lead."""

    kind: str  # CALL or VERDICT
    record_id: int
    row: QueueRow
    on_hold: bool = False  # the lead was held ("not interested") when it was done
    # The talk time running when a verdict was given mid-call: an undo carries on counting it.
    talk: QElapsedTimer | None = None

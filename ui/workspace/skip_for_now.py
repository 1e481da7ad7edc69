"""S, "skip for now": the selected lead (or the one held, not yet dialled) waits behind the
next few of the queue; the core records it, no call is logged."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from leaddesk.desk import Desk, Skipped
from ui.common import shortcuts
from ui.common.operations import Operations
from ui.workspace.call_cycle import CallCycle, Phase
from ui.workspace.queue_panel import QueuePanel


def skip_action(
    parent: QWidget, desk: Desk, ops: Operations, queue: QueuePanel, cycle: CallCycle
) -> QAction:
    """The S action; the window adds it to the Call menu."""
    action = QAction("Skip for now", parent)
    action.setShortcuts(shortcuts.SKIP.sequences())

    def skip() -> None:
        if cycle.waiting or cycle.phase in (Phase.CALLING, Phase.QUALIFYING):
            return  # on a call: log how it went instead
        row = cycle.lead if cycle.phase is Phase.READY else queue.current_row()
        if row is None:
            return
        if cycle.phase is Phase.READY:
            cycle.release()  # runs first: the worker takes work in order
        lead_id = row.lead_id

        def said(skipped: Skipped) -> None:
            cycle.said.emit(f"{skipped.message} N takes the next one.")

        queue.select_top_next()  # S again skips the new top, not the same lead twice
        ops.run(lambda: desk.queue.skip(lead_id), done=said, changes={"queue"})

    action.triggered.connect(skip)
    return action

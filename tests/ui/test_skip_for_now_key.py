"""S in the window: the selected lead waits behind the next five of the queue, no call."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import Workspace
from tests.ui.test_call_cycle import calls_on, key
from ui.common import shortcuts
from ui.workspace.call_cycle import Phase

SHOTS = os.environ.get("LEADDESK_SHOTS")  # a folder: the test also saves what it shows


def _queue_ids(workspace: Workspace, count: int = 8) -> list[int]:
    model = workspace.window.queue.model
    return [row.lead_id for i in range(count) if (row := model.row_at(i)) is not None]


def test_s_on_the_selected_lead_puts_it_behind_the_next_five(
    qtbot: QtBot, workspace: Workspace
) -> None:
    before = _queue_ids(workspace)
    window = workspace.window
    assert window.queue.current_row() is not None
    assert window.queue.current_row().lead_id == before[0]  # type: ignore[union-attr]
    key(qtbot, workspace, "s")
    qtbot.waitUntil(lambda: _queue_ids(workspace)[:6] == [*before[1:6], before[0]])
    assert "for now: back after the next 5 leads. N takes the next one." in (
        window.call.message.text()
    )
    assert calls_on(workspace, before[0]) == []
    top = window.queue.current_row()
    assert top is not None and top.lead_id == before[1]  # S again would skip the new top
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "otp-skipped.png"))
    key(qtbot, workspace, "n")
    assert window.cycle.lead is not None and window.cycle.lead.lead_id == before[1]
    assert workspace.warnings == []


def test_s_on_the_lead_just_taken_lets_it_go_and_n_takes_the_next(
    qtbot: QtBot, workspace: Workspace
) -> None:
    before = _queue_ids(workspace)
    cycle = workspace.window.cycle
    key(qtbot, workspace, "n")
    assert cycle.phase is Phase.READY and cycle.lead is not None
    assert cycle.lead.lead_id == before[0]
    key(qtbot, workspace, "s")
    assert cycle.phase is Phase.IDLE and cycle.lead is None
    key(qtbot, workspace, "n")
    assert cycle.lead is not None and cycle.lead.lead_id == before[1]
    assert workspace.warnings == []


def test_the_shortcut_sheet_lists_skip_for_now() -> None:
    rows = [keys for _group, pairs in shortcuts.sheet() for keys, _what in pairs]
    assert "S" in rows

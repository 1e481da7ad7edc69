"""A team lead finds a lead closed in error, opens its card and reopens it for a rep; a rep's
card has no Reopen button."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.domain import Stage
from leaddesk.store.models import Lead
from tests.ui.conftest import Workspace, open_workspace
from tests.ui.test_accessibility import unnamed
from ui.workspace.reopen_dialog import ReopenDialog


def _disqualified_lead(workspace: Workspace) -> int:
    with workspace.desk.store.reading() as session:
        lead_id = session.scalar(
            select(Lead.id).where(Lead.stage == Stage.DISQUALIFIED).order_by(Lead.id).limit(1)
        )
    assert lead_id is not None
    return lead_id


def test_a_team_lead_reopens_a_closed_lead_from_its_card(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path, user="lead1")
    window = workspace.window
    lead_id = _disqualified_lead(workspace)
    window.queue.search.setText(f"#{lead_id}")
    window.queue.apply()
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1)
    window.queue.table.selectRow(0)
    qtbot.waitUntil(
        lambda: window.lead.lead_file is not None and window.lead.lead_file.lead_id == lead_id
    )
    assert window.lead.reopen_button.isVisible()
    window.lead.reopen_button.click()
    dialog = window.findChild(ReopenDialog)
    assert isinstance(dialog, ReopenDialog)
    assert unnamed(dialog) == []
    dialog.reopen()  # no reason yet: said in the dialog, the reason box focused
    qtbot.waitUntil(dialog.error.isVisible)
    assert dialog.error.text().startswith("Say why it is reopened")
    assert dialog.focusWidget() is dialog.reason
    dialog.reason.setText("their colleague confirmed the project")
    dialog.owner.setCurrentIndex(dialog.owner.findData("rep2"))
    dialog.reopen()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "reopened, in Rep 2's queue and due now" in window.status.currentMessage()
    with workspace.desk.store.reading() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.stage in (Stage.WORKING, Stage.IN_QUALIFICATION)
    window.close()
    workspace.desk.close()


def test_a_reps_card_has_no_reopen(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    lead_id = _disqualified_lead(workspace)
    window.lead.show_lead(lead_id)
    qtbot.waitUntil(lambda: window.lead.lead_file is not None)
    assert not window.lead.reopen_button.isVisible()
    assert window.show_reopen() is None

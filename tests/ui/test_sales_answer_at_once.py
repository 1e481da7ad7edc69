"""The salesperson's page answers a hand-off routed to them at once: Accept and Reject work
before the end-of-day export, and the answer hands the lead off with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role, Stage, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Lead
from tests.qualification.qualification_scenarios import add_lead, sales_worthy, set_up_team
from ui.common.operations import Operations
from ui.sales.home import SalesHome


@pytest.fixture
def store(sqlite_store_path: Path, clock: FixedClock) -> Path:
    set_up_team(str(sqlite_store_path), clock)
    with open_desk(sqlite_store_path, "admin1", clock=clock) as desk:
        desk.people.add("ben", Role.SALES, display_name="Ben Ortiz", territories=("US",))
    return sqlite_store_path


def test_sales_accepts_a_routed_hand_off_before_any_export(
    qtbot: QtBot, store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = add_lead(str(store), clock)
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert given.route is not None and given.route.name == "ben"
    with open_desk(store, "ben", clock=clock) as desk:
        home = SalesHome(desk, Operations(inline=True))
        qtbot.addWidget(home)
        home.resize(1366, 600)
        home.show()
        home.refresh()
        assert home.table.item(0, 0).text() == str(lead_id)
        assert home.accept_button.isEnabled() and home.reject_button.isEnabled()
        assert home.grab().save(str(tmp_path / "sales-answer-at-once.png"))
        dialog = home.answer(accept=True)
        assert dialog is not None
        qtbot.addWidget(dialog)
        assert "not exported yet: your answer hands it off now" in dialog.intro.text()
        dialog.opportunity.setText("006BEN0000000001")
        assert dialog.grab().save(str(tmp_path / "sales-answer-dialog.png"))
        with qtbot.waitSignal(dialog.answered) as answered:
            dialog.record()
        assert answered.args == [lead_id]
        assert home.table.rowCount() == 0
    opened = open_store(store)
    try:
        with opened.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            assert lead.stage is Stage.ACCEPTED and lead.handoff_batch_id is not None
    finally:
        opened.close()

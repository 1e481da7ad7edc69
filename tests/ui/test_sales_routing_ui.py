"""The verdict panel names the salesperson before the rep confirms (and lets them pick
another); the salesperson's page lists the hand-off at once, with when it is due."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.definition.temperature import Temperature
from leaddesk.desk import open_desk
from leaddesk.domain import Role, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Lead
from tests.qualification.qualification_scenarios import add_lead, sales_worthy, set_up_team
from ui.common.operations import Operations
from ui.sales.home import SalesHome, record_html
from ui.workspace.questionnaire_panel import QuestionnairePanel


@pytest.fixture
def store(sqlite_store_path: Path, clock: FixedClock) -> Path:
    set_up_team(str(sqlite_store_path), clock)
    with open_desk(sqlite_store_path, "admin1", clock=clock) as desk:
        desk.people.add("ben", Role.SALES, display_name="Ben Ortiz", territories=("US",))
    return sqlite_store_path


def test_the_rep_sees_who_gets_the_hand_off_and_hands_it_to_another(
    qtbot: QtBot, store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = add_lead(str(store), clock)
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        panel = QuestionnairePanel(desk, Operations(inline=True))
        qtbot.addWidget(panel)
        panel.resize(1100, 720)
        panel.show()
        panel.start(lead_id)
        picker = panel.salesperson
        assert not picker.isHidden()
        assert picker.choice.currentText() == "Ben Ortiz · 0 of 40 open · US"
        assert picker.why.text().startswith("Chosen by the policy: next in turn with room.")
        assert panel.grab().save(str(tmp_path / "verdict-panel.png"))
        picker.choice.setCurrentIndex(picker.choice.findData("sales1"))
        assert picker.picked() == "sales1"
        assert "instead of Ben Ortiz" in picker.why.text()
        with qtbot.waitSignal(panel.verdict_given) as given:
            panel.confirm()
    verdict = given.args[0]
    assert verdict.verdict is Verdict.HAND_OFF and verdict.route.name == "sales1"


def test_the_salespersons_page_lists_a_hand_off_at_the_verdict_with_its_due_time(
    qtbot: QtBot, store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = add_lead(str(store), clock)
    with open_desk(store, "rep1", clock=clock) as desk:
        scores = desk.qualifying.answer(lead_id, sales_worthy("bant")).evaluation.scores
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert given.route is not None and given.route.name == "ben"
    with open_desk(store, "ben", clock=clock) as desk:
        home = SalesHome(desk, Operations(inline=True))
        qtbot.addWidget(home)
        home.resize(1366, 600)
        home.show()
        home.refresh()
        table = home.table
        assert table.rowCount() == 1
        cells = [table.item(0, column).text() for column in range(table.columnCount())]
        assert cells[0] == str(lead_id) and cells[3].startswith("Ben Ortiz · due ")
        assert (cells[4], cells[5]) == ("rep1", "0 h")
        assert "Dana Ito" in home.record.toPlainText()  # readable before any export
        rating = Temperature().rating(scores.fit, scores.interest)  # the shipped BANT's levels
        assert f"Rating: {rating}" in home.record.toPlainText()
        assert home.accept_button.isEnabled()  # theirs to answer before any export
        assert home.grab().save(str(tmp_path / "sales-page.png"))
        due = given.sales_due_at
        assert due is not None
        assert cells[3] == f"Ben Ortiz · due {due.astimezone():%a %H:%M}"  # this week: its day
        # Weeks later, still unanswered: the date it was due, not just a day of the week.
        clock.advance(days=30)
        home.refresh()
        late = home.table.item(0, 3).text()
        assert late == f"Ben Ortiz · due {due.astimezone():%d %b %H:%M}"


def test_the_salespersons_page_says_marketing_vouched_for_the_lead(
    store: Path, clock: FixedClock
) -> None:
    lead_id = add_lead(str(store), clock)
    kept = open_store(store)
    with kept.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.marketing_qualified_at = clock()
    kept.close()
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    with open_desk(store, "ben", clock=clock) as desk:
        shown = record_html(desk.handoff.record(lead_id))
    # The default definition has no such stage: LeadDesk's own words for it.
    assert f"Marketing-qualified: <b>Marketing qualified</b> since {clock():%d %b %Y}" in shown

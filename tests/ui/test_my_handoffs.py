"""The rep sees sales' answer in the window: the status bar says when sales answers, My
hand-offs lists it with sales' reason and comment, and the lead's card shows it."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qt_compat import qt_api
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import SalesDecision
from leaddesk.handoff import Decision
from tests.cli_in_process import RunCli
from tests.ui.conftest import open_workspace
from ui.workspace.my_handoffs import ANSWER, STATUS

COMMENT = "Ada left the company; her successor starts in January"


def _rejected_for_rep1(store: Path, clock: FixedClock) -> int:
    """Sales rejects one of rep1's waiting hand-offs with a comment; its lead id."""
    with open_desk(store, "sales1", clock=clock) as sales:
        waiting = [
            p for p in sales.handoff.pending(everything=True).leads if p.qualified_by == "rep1"
        ]
        assert waiting, "the demo leaves rep1 hand-offs waiting for sales"
        lead_id = waiting[0].lead_id
        decision = Decision(lead_id, SalesDecision.REJECTED, reason="wrong_person", comment=COMMENT)
        assert sales.handoff.record_decision(decision)
    return lead_id


def test_sales_rejects_and_the_rep_sees_the_comment_in_the_status_bar_my_handoffs_and_card(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, qtmodeltester: object
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    window = workspace.window
    clock.advance(minutes=1)
    lead_id = _rejected_for_rep1(demo_store, clock)

    clock.advance(minutes=1)
    window.queue.look_again()  # what the minute's timer does; the answers are asked with it
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("Sales answered"))
    message = window.status.currentMessage()
    assert f"lead #{lead_id}" in message and "Wrong person" in message and COMMENT in message

    dialog = window.handoffs.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.select_lead(lead_id)
    row = dialog.table.currentIndex().row()
    assert dialog.model.index(row, STATUS).data() == "Rejected"
    assert COMMENT in dialog.model.index(row, ANSWER).data()
    assert COMMENT in dialog.detail.text() and "Answered by" in dialog.detail.text()
    dialog.filter.setCurrentIndex(dialog.filter.findData("waiting"))
    qtbot.waitUntil(lambda: not dialog.select_lead(lead_id))
    assert all(lead.status == "waiting" for lead in dialog.model.leads)
    dialog.filter.setCurrentIndex(dialog.filter.findData("rejected"))
    qtbot.waitUntil(lambda: dialog.select_lead(lead_id))
    dialog.grab().save(str(tmp_path / "my_handoffs.png"))

    # Enter on the row opens the lead on the card: its stage in the definition's words,
    # sales' answer above the scores, and the answer on the timeline.
    dialog.table.activated.emit(dialog.table.currentIndex())
    card = window.lead
    qtbot.waitUntil(lambda: card.lead_file is not None and card.lead_file.lead_id == lead_id)
    assert card.stage.text() == "Stage: Working"  # wrong person: back to the rep
    assert card.sales_answer.isVisibleTo(card) and COMMENT in card.sales_answer.text()
    texts = [card.timeline.item(i).text() for i in range(card.timeline.count())]
    assert any("Sales rejected: Wrong person" in text and COMMENT in text for text in texts)
    assert any("Verdict: Hand off to sales → " in text for text in texts)
    card.tabs.setCurrentWidget(card.timeline)
    card.grab().save(str(tmp_path / "lead_card_timeline.png"))
    for name in ("my_handoffs.png", "lead_card_timeline.png"):
        picture = qt_api.QtGui.QImage(str(tmp_path / name))
        assert not picture.isNull() and picture.width() > 300


def test_my_handoffs_is_in_the_view_menu_with_its_key(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    window = open_workspace(qtbot, demo_store, clock, tmp_path).window
    action = window.handoffs.action
    assert action in window._menus["View"].actions()
    assert action.shortcut().toString() == "Ctrl+Shift+H"
    action.trigger()
    dialog = window.handoffs.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.handoffs is not None)
    assert dialog.handoffs is not None and dialog.handoffs.rep == "rep1"
    assert dialog.summary.text().endswith("rejected") or "No hand-offs" in dialog.summary.text()


def test_on_a_demo_store_the_rep_reads_sales_comment_from_the_command_line(
    demo_store: Path, clock: FixedClock, run_cli: RunCli
) -> None:
    lead_id = _rejected_for_rep1(demo_store, clock)
    code, out, err = run_cli(
        "handoff", "mine", "--as", "rep1", "--status", "rejected", db=demo_store
    )
    assert code == 0, err
    assert f"#{lead_id}" in out and COMMENT in out and "Wrong person" in out
    code, out, err = run_cli("lead", str(lead_id), "--as", "rep1", db=demo_store)
    assert code == 0, err
    assert "Stage: Working" in out and "Sales rejected: Wrong person" in out and COMMENT in out

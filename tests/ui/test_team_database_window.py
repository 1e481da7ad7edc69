"""The window on a team database that enforces the roles itself: a rep, a salesperson and a
team lead each sign in with their own login and work a day through the window, including
what the window does on its own (the minute's looks, claims kept, notes saved, calls a
closed window left open, the untouched-lead sweep)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import LeadDeskError
from leaddesk.settings import Settings
from leaddesk.store.models import Lead
from tests.csv_sheets import write_csv
from tests.factories import TeamLogins
from tests.ui.conftest import Workspace, open_sales, open_workspace
from ui.common import dialogs
from ui.common.operations import Operations
from ui.console import do_not_call as team_do_not_call
from ui.console.console import TeamConsole
from ui.handoff.dialog import EndOfDayExport, State
from ui.intake.wizard import COLUMNS, IMPORT, PREVIEW
from ui.launch import open_window
from ui.sales.answer import AnswerDialog
from ui.workspace.call_cycle import Phase
from ui.workspace.new_lead_dialog import NewLeadDialog
from ui.workspace.queue_panel import BOOKED
from ui.workspace.window import MainWindow

SALES_WORTHY = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "timeline": "3_months",
    "next_step_agreed": True,
}
PLAIN = ["name", "email", "phone", "company"]
INQUIRIES = [
    ["Ada Meyer", "ada@meyer.example", "+1 212 555 0101", "Meyer Labs"],
    ["Bruno Kim", "bruno@kim.example", "+1 212 555 0102", "Kim Works"],
    ["Cleo Park", "cleo@park.example", "+1 212 555 0103", "Park Tools"],
    ["Dev Shah", "dev@shah.example", "+1 212 555 0104", "Shah Freight"],
]


@pytest.fixture
def nothing_failed_quietly(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """What the window does on its own logs a failure instead of showing it: none may be."""
    caplog.set_level(logging.WARNING)
    yield
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not failures, "the window logged a failure:\n" + "\n".join(failures)


def key(qtbot: QtBot, window: MainWindow, text: str | Qt.Key, ctrl: bool = False) -> None:
    """A key where the focus is, as the user presses it."""
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(window.focusWidget() or window, text, modifier)


def stage_of(team: TeamLogins, clock: FixedClock, lead_id: int) -> Stage:
    """The lead's stage as the store's owner reads it."""
    with open_desk(team.owner_url, "admin", clock=clock) as owner, owner.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        return lead.stage


def make_a_good_fit(team: TeamLogins, clock: FixedClock, lead_id: int) -> None:
    """The company and person behind the lead fit the buyer profile (set by the owner)."""
    with (
        open_desk(team.owner_url, "admin", clock=clock) as owner,
        owner.store.transaction() as session,
    ):
        lead = session.get(Lead, lead_id)
        assert lead is not None
        account = lead.account or lead.person.account
        assert account is not None
        account.employees, account.industry, account.is_customer = 1200, "Software", False
        lead.person.country, lead.person.seniority = "US", "vp"


def qualify_as_sales_worthy(qtbot: QtBot, window: MainWindow) -> None:
    """The questions answered by keyboard, then Ctrl+Enter confirms the suggested hand-off."""
    panel = window.questionnaire
    qtbot.waitUntil(lambda: window.left.currentWidget() is panel)
    for question_id, value in SALES_WORTHY.items():
        button = panel.fields[question_id].option(value)
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert panel.suggested.text() == "Hand off to sales"
    key(qtbot, window, Qt.Key.Key_Return, ctrl=True)
    qtbot.waitUntil(lambda: window.cycle.phase is Phase.IDLE)


def import_in_the_window(qtbot: QtBot, ws: Workspace, path: Path) -> None:
    dialog = ws.window.open_import(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.job.look is not None)
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    assert dialog.currentId() == COLUMNS
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.currentId() == PREVIEW
    assert dialog.preview_page.counts.number("created") == len(INQUIRIES)
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert dialog.currentId() == IMPORT and dialog.result_page.heading.text() == "Import finished"
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Done
    qtbot.waitUntil(lambda: ws.window.queue.model.rowCount() == len(INQUIRIES))


def type_in_a_caller(qtbot: QtBot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_N, ctrl=True)
    dialog = window.findChild(NewLeadDialog)
    assert dialog is not None and dialog.work_now.isChecked()
    qtbot.keyClicks(dialog.first_name, "Eve")
    qtbot.keyClicks(dialog.last_name, "Quill")
    qtbot.keyClicks(dialog.phone, "(212) 555-0142")
    qtbot.keyClicks(dialog.company, "Quill Labs")
    qtbot.keyClicks(dialog.inquiry, "Pricing for 40 seats")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.cycle.lead is not None and window.cycle.lead.person == "Eve Quill"
    )
    assert window.cycle.phase is Phase.READY
    assert window.status.currentMessage().endswith("On the line: press 1 (connected).")


def test_a_rep_works_a_day_in_the_window_through_their_own_login(
    qtbot: QtBot,
    team: TeamLogins,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    nothing_failed_quietly: None,
) -> None:
    ws = open_workspace(qtbot, team.url_for(team.rep), clock, tmp_path, user=team.rep)
    window, cycle, queue = ws.window, ws.window.cycle, ws.window.queue
    assert queue.model.rowCount() == 0
    import_in_the_window(qtbot, ws, write_csv(tmp_path / "inquiries.csv", PLAIN, INQUIRIES))

    # N, C, 2: no answer.
    key(qtbot, window, "n")
    unanswered = cycle.lead
    assert unanswered is not None
    key(qtbot, window, "c")
    assert ws.dialed == [unanswered.phone]
    key(qtbot, window, "2")
    assert cycle.phase is Phase.IDLE
    assert window.call.message.text().startswith("No answer.")
    qtbot.waitUntil(lambda: "1 call" in window.status.calls.text())

    # N, C, 1: connected; a note while talking; the questions; Ctrl+Enter hands it off.
    key(qtbot, window, "n")
    talked = cycle.lead
    assert talked is not None
    make_a_good_fit(team, clock, talked.lead_id)
    key(qtbot, window, "c")
    key(qtbot, window, "1")
    assert cycle.phase is Phase.QUALIFYING
    window.lead.notes.setFocus()
    qtbot.keyClicks(window.lead.notes, "Budget approved in October")
    window.notes.flush()
    cycle.renew()  # the claim kept while the call runs long
    qualify_as_sales_worthy(qtbot, window)
    assert stage_of(team, clock, talked.lead_id) is Stage.QUALIFIED
    note = ws.desk.calls.my_note(talked.lead_id)
    assert note is not None and note[1] == "Budget approved in October"

    # N, C, 6: they ask to be called tomorrow at 11, their time.
    key(qtbot, window, "n")
    booked = cycle.lead
    assert booked is not None
    tomorrow = (clock() + timedelta(days=1)).astimezone(ZoneInfo(booked.zones[0]))
    eleven = tomorrow.replace(hour=11, minute=0, second=0, microsecond=0)
    monkeypatch.setattr(dialogs, "ask_callback", lambda _parent, _request: eleven)
    key(qtbot, window, "c")
    key(qtbot, window, "6")
    assert cycle.phase is Phase.IDLE

    # Someone calls in: File ▸ New lead…, worked at once.
    type_in_a_caller(qtbot, window)
    caller = cycle.lead
    assert caller is not None
    make_a_good_fit(team, clock, caller.lead_id)
    cycle.renew()
    key(qtbot, window, "1")
    assert cycle.phase is Phase.QUALIFYING
    qualify_as_sales_worthy(qtbot, window)
    assert stage_of(team, clock, caller.lead_id) is Stage.QUALIFIED

    # The minute's look (status bar and calls left open with it), then F5.
    clock.advance(minutes=1)
    with qtbot.waitSignal(queue.looked):
        queue.look_again()
    clock.advance(seconds=10)
    queue.focus_table()
    with qtbot.waitSignal(queue.looked):
        key(qtbot, window, Qt.Key.Key_F5)
    assert "4 calls" in window.status.calls.text()

    # The callbacks the rep booked.
    with qtbot.waitSignal(queue.model.loaded):
        queue.band.setCurrentIndex(queue.band.findData(BOOKED))
    assert queue.model.rowCount() == 1
    row = queue.model.row_at(0)
    assert row is not None and row.lead_id == booked.lead_id
    assert queue.status.text() == "1 in the next 7 days"
    with qtbot.waitSignal(queue.model.loaded):
        queue.band.setCurrentIndex(0)

    # End of day: both hand-offs go to sales.
    key(qtbot, window, Qt.Key.Key_E, ctrl=True)
    export = window.findChild(EndOfDayExport)
    assert export is not None
    qtbot.waitUntil(lambda: export.state is State.READY)
    assert export.model.rowCount() == 2
    export.folder.setText(str(tmp_path / "handoffs"))
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: export.state is State.DONE)
    assert export.exported is not None and export.exported.new_batch is not None
    assert set(export.exported.new_batch.lead_ids) == {talked.lead_id, caller.lead_id}
    assert stage_of(team, clock, talked.lead_id) is Stage.HANDED_OFF
    export.close()
    window.close()

    # A rep may put someone who asked on the do-not-call list from their own login too.
    ws.desk.privacy.add_do_not_call(unanswered.phone, "asked on the call")
    ws.desk.close()


def test_a_call_a_killed_window_left_open_is_ended_through_the_reps_login(
    qtbot: QtBot, team: TeamLogins, clock: FixedClock, tmp_path: Path, nothing_failed_quietly: None
) -> None:
    rep = team.url_for(team.rep)
    with open_desk(rep, team.rep, clock=clock) as desk:
        desk.intake.import_file(write_csv(tmp_path / "inquiries.csv", PLAIN, INQUIRIES[:1]))
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=15)
    clock.advance(minutes=40)  # the window died on the call; its claim has run out
    ws = open_workspace(qtbot, rep, clock, tmp_path, user=team.rep)
    qtbot.waitUntil(lambda: "still open when LeadDesk closed" in ws.window.status.currentMessage())
    ws.window.close()
    ws.desk.close()


def hand_off_two(team: TeamLogins, clock: FixedClock, tmp_path: Path) -> list[int]:
    """The rep's day in short, through the rep's login: two leads handed off to sales."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        desk.intake.import_file(write_csv(tmp_path / "inquiries.csv", PLAIN, INQUIRIES[:2]))
        handed = []
        for _ in range(2):
            row = desk.queue.next()
            assert row is not None
            make_a_good_fit(team, clock, row.lead_id)
            desk.calls.log(row.lead_id, CallOutcome.CONNECTED)
            desk.qualifying.answer(row.lead_id, {**SALES_WORTHY, "next_step_agreed": "yes"})
            desk.calls.save_note(row.lead_id, "Decides this quarter")
            desk.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Budget approved")
            handed.append(row.lead_id)
        desk.handoff.export(tmp_path / "out")
    return handed


def test_a_salesperson_answers_hand_offs_one_at_a_time_through_their_own_login(
    qtbot: QtBot, team: TeamLogins, clock: FixedClock, tmp_path: Path, nothing_failed_quietly: None
) -> None:
    handed = hand_off_two(team, clock, tmp_path)
    ws = open_sales(qtbot, team.url_for(team.sales), clock, tmp_path, user=team.sales)
    home = ws.window.sales_home
    assert home is not None
    assert home.table.rowCount() == 2
    assert {home.table.item(n, 0).text() for n in range(2)} == {str(i) for i in handed}

    def answer(row: int, accept: bool) -> AnswerDialog:
        home.table.setFocus()
        home.table.selectRow(row)
        chosen = home.selected()
        assert chosen is not None
        qtbot.waitUntil(
            lambda: home.shown_record is not None and home.shown_record.lead_id == chosen.lead_id
        )
        assert "Decides this quarter" in home.record.toPlainText()
        qtbot.keyClick(home.table, "a" if accept else "r")
        (dialog,) = (d for d in home.findChildren(AnswerDialog) if d.isVisible())
        return dialog

    dialog = answer(0, accept=True)
    accepted = dialog.lead.lead_id
    qtbot.keyClicks(dialog.opportunity, "006ABC")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not dialog.error.isVisible(), dialog.error.text()
    qtbot.waitUntil(lambda: home.table.rowCount() == 1)
    assert stage_of(team, clock, accepted) is Stage.ACCEPTED

    dialog = answer(0, accept=False)
    rejected = dialog.lead.lead_id
    dialog.reason.setCurrentIndex(dialog.reason.findData("no_budget"))
    qtbot.keyClicks(dialog.comment, "Their budget went to hiring")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not dialog.error.isVisible(), dialog.error.text()
    qtbot.waitUntil(lambda: home.table.rowCount() == 0)
    # The definition sends a lead rejected for no budget back to nurture.
    assert stage_of(team, clock, rejected) is Stage.NURTURE
    assert home.headline.text() == "Nothing is waiting for sales. Every hand-off has its answer."
    ws.window.close()
    ws.desk.close()


def test_a_team_lead_watches_the_floor_and_keeps_the_do_not_call_list_through_their_login(
    qtbot: QtBot,
    team: TeamLogins,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    nothing_failed_quietly: None,
) -> None:
    hand_off_two(team, clock, tmp_path)
    desk: Desk = open_desk(team.url_for(team.lead), team.lead, clock=clock)
    window = open_window(desk, Operations(inline=True), Settings(tmp_path / "s.json"), "UTC")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, MainWindow)
        assert "Untouched-lead check" in window.statusBar().currentMessage()
        window.team_console_action.trigger()
        (console,) = window.findChildren(TeamConsole)
        qtbot.waitUntil(console.is_ready)
        team_tab = console.team_tab
        console.tabs.setCurrentWidget(team_tab)
        clock.advance(minutes=1)
        console.look_again()
        assert [r.name for r in team_tab.rep_rows()] == [team.rep]

        tab = console.do_not_call_tab
        assert tab is not None
        console.tabs.setCurrentWidget(tab)
        monkeypatch.setattr(
            team_do_not_call, "ask_entry", lambda _parent: ("+1 212 555 0199", "asked by email")
        )
        tab.add()
        qtbot.waitUntil(lambda: len(tab.entries) == 1)
        assert tab.table.item(0, 0).text() == "+12125550199"

        # Users: the rep's capacity, then the rep away for good; their login follows.
        users = console.users_tab
        assert users is not None
        console.tabs.setCurrentWidget(users)
        users.select(team.rep)
        users.capacity.setValue(35)
        qtbot.mouseClick(users.save, Qt.MouseButton.LeftButton)
        assert next(u for u in desk.people.users() if u.name == team.rep).capacity == 35
        monkeypatch.setattr(dialogs, "ask", lambda _parent, _title, _text: True)
        users.select(team.rep)
        qtbot.mouseClick(users.deactivate, Qt.MouseButton.LeftButton)
        assert not next(u for u in desk.people.users() if u.name == team.rep).active
        with pytest.raises(LeadDeskError, match="not permitted to log in"):
            open_desk(team.url_for(team.rep), team.rep, clock=clock)
        console.close()
    finally:
        window.close()
        desk.close()

"""The whole call cycle in the window, by keyboard, on a demo store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, LeadType, Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.queue import QueueRow
from leaddesk.store.models import CallAttempt, Lead, VerdictRecord
from tests.ui.conftest import Workspace, open_workspace
from ui.common import dialogs
from ui.common.operations import Operations
from ui.common.theme import apply_theme
from ui.workspace.call_cycle import Phase
from ui.workspace.callback_picker import day_and_time
from ui.workspace.override_dialog import OverrideChoice

SALES_WORTHY = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "timeline": "3_months",
    "next_step_agreed": True,
}


def key(
    qtbot: QtBot,
    workspace: Workspace,
    text: str | Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press a key where the focus is, as the rep would."""
    window = workspace.window
    target = window.focusWidget() or window
    qtbot.keyClick(target, text, modifier)


def call_next(qtbot: QtBot, workspace: Workspace, outcome_key: str) -> QueueRow:
    """N, C and an outcome key, as the rep presses them; the lead that was called."""
    key(qtbot, workspace, "n")
    lead = workspace.window.cycle.lead
    assert lead is not None
    key(qtbot, workspace, "c")
    key(qtbot, workspace, outcome_key)
    return lead


def nurture_when_overridden(monkeypatch: pytest.MonkeyPatch, reason: str) -> None:
    """The override dialog answers "nurture, unqualified interest" with ``reason``."""
    choice = OverrideChoice(Verdict.NURTURE, LeadType.UNQUALIFIED_INTEREST, reason)
    monkeypatch.setattr(dialogs, "ask_override", lambda _p, _r: choice)


def calls_on(workspace: Workspace, lead_id: int) -> list[CallOutcome]:
    """Calls logged on the lead today (the demo store has older history)."""
    with workspace.desk.store.reading() as session:
        return list(
            session.scalars(
                select(CallAttempt.outcome).where(
                    CallAttempt.lead_id == lead_id, CallAttempt.at >= workspace.desk.clock()
                )
            )
        )


def test_next_no_answer_next_takes_three_keys_each(qtbot: QtBot, workspace: Workspace) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    worked = []
    for _ in range(2):
        key(qtbot, workspace, "n")
        assert cycle.phase is Phase.READY and cycle.lead is not None
        lead = cycle.lead
        assert window.call.phone.text() == lead.phone
        assert window.lead.lead_file is not None and window.lead.lead_file.lead_id == lead.lead_id
        key(qtbot, workspace, "c")
        assert cycle.phase is Phase.CALLING
        assert workspace.dialed[-1] == lead.phone
        key(qtbot, workspace, "2")
        assert cycle.phase is Phase.IDLE
        assert calls_on(workspace, lead.lead_id) == [CallOutcome.NO_ANSWER]
        # The core's word on what happens next (a retry time, or nurture once cadence is used up).
        assert window.call.message.text().startswith(("No answer.", "Moved to nurture"))
        worked.append(lead.lead_id)
    assert worked[0] != worked[1]
    # The queue has focus again, ready for the next N.
    assert window.queue.table.hasFocus()
    assert workspace.warnings == []


def test_return_on_the_call_button_dials(qtbot: QtBot, workspace: Workspace) -> None:
    key(qtbot, workspace, "n")
    assert workspace.window.call.call_button.hasFocus()
    qtbot.keyClick(workspace.window.call.call_button, Qt.Key.Key_Return)
    assert workspace.window.cycle.phase is Phase.CALLING


def answer_by_keyboard(qtbot: QtBot, workspace: Workspace, answers: dict[str, object]) -> None:
    """Tick each answer the way the keyboard does: focus the option, press Space."""
    panel = workspace.window.questionnaire
    for question_id, value in answers.items():
        field = panel.fields[question_id]
        assert field.isVisible(), question_id
        button = field.option(value)
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Space)


def test_connected_call_qualifies_and_hands_off(qtbot: QtBot, workspace: Workspace) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    # Make this one a good-fit company so the strong answers make it sales-worthy.
    with workspace.desk.store.transaction() as session:
        row = session.get(Lead, lead.lead_id)
        assert row is not None
        account = row.account or row.person.account
        assert account is not None
        account.employees, account.industry, account.is_customer = 1200, "Software", False
        row.person.country, row.person.seniority = "US", "vp"
    key(qtbot, workspace, "c")
    key(qtbot, workspace, "1")
    assert cycle.phase is Phase.QUALIFYING
    assert window.left.currentWidget() is window.questionnaire
    answer_by_keyboard(qtbot, workspace, SALES_WORTHY)
    panel = window.questionnaire
    assert panel.qualification is not None
    assert panel.qualification.suggestion.verdict is Verdict.HAND_OFF
    # The verdict, then the lead type on a line of its own and named as such.
    assert panel.suggested.text() == "Hand off to sales"
    assert panel.suggested_type.text().startswith("Lead type: ")
    assert panel.suggested_type.text() != "Lead type: "
    assert panel.fired.text()  # the rule behind it is shown
    key(qtbot, workspace, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with workspace.desk.store.reading() as session:
        verdict = session.scalars(
            select(VerdictRecord).where(
                VerdictRecord.lead_id == lead.lead_id,
                VerdictRecord.decided_at >= workspace.desk.clock(),
            )
        ).one()
        stage = session.get(Lead, lead.lead_id).stage  # type: ignore[union-attr]
    assert verdict.verdict is Verdict.HAND_OFF and verdict.lead_type is LeadType.SALES_WORTHY
    assert not verdict.overridden
    assert stage is Stage.QUALIFIED
    assert cycle.phase is Phase.IDLE
    assert window.left.currentWidget() is window.queue
    assert workspace.warnings == []


def connected_calls(workspace: Workspace, lead_id: int) -> list[CallAttempt]:
    with workspace.desk.store.reading() as session:
        return list(
            session.scalars(
                select(CallAttempt).where(
                    CallAttempt.lead_id == lead_id,
                    CallAttempt.at >= workspace.desk.clock(),
                    CallAttempt.outcome == CallOutcome.CONNECTED,
                )
            )
        )


def test_the_timer_runs_on_through_the_conversation_until_the_rep_hangs_up(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Talk time is the conversation: "connected" is logged when the person picks up, the timer
    keeps running while the rep qualifies, and H stores the call's whole length."""
    window, cycle = workspace.window, workspace.window.cycle
    panel = window.call
    lead = call_next(qtbot, workspace, "1")
    assert cycle.phase is Phase.QUALIFYING and cycle.on_call
    assert panel.hang_up_button.isVisible() and not panel.call_button.isVisible()
    assert panel.timer.property("running") == "true"
    (call,) = connected_calls(workspace, lead.lead_id)
    assert call.ended_at is None
    qtbot.waitUntil(lambda: panel.timer.text() == "00:02", timeout=4000)  # still counting

    key(qtbot, workspace, "h")

    assert not cycle.on_call and cycle.phase is Phase.QUALIFYING  # the questions stay open
    assert not panel.hang_up_button.isVisible() and panel.call_button.isVisible()
    assert panel.timer.property("running") == "false"
    stopped = panel.timer.text()
    (call,) = connected_calls(workspace, lead.lead_id)
    assert call.ended_at == workspace.desk.clock()
    assert call.duration_seconds is not None and call.duration_seconds >= 2
    assert panel.timer.text() == f"00:{call.duration_seconds:02d}" == stopped
    assert panel.message.text().startswith("Call ended after 0:0")
    # The verdict afterwards does not end it again (a second end would be refused and warned).
    nurture_when_overridden(monkeypatch, "Later")
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    key(qtbot, workspace, "o")
    assert cycle.phase is Phase.IDLE
    assert workspace.warnings == []


@pytest.mark.parametrize("ending", ["verdict", "put back"])
def test_a_call_still_on_the_line_ends_with_the_verdict_or_when_put_back(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "1")
    qtbot.waitUntil(lambda: cycle.call_seconds() >= 1, timeout=3000)
    if ending == "verdict":
        nurture_when_overridden(monkeypatch, "Later")
        qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
        key(qtbot, workspace, "o")
    else:
        monkeypatch.setattr(dialogs, "ask", lambda *_args: True)
        key(qtbot, workspace, Qt.Key.Key_Escape)
    assert cycle.phase is Phase.IDLE and not cycle.on_call
    (call,) = connected_calls(workspace, lead.lead_id)
    assert call.ended_at == workspace.desk.clock()
    assert call.duration_seconds is not None and call.duration_seconds >= 1
    assert workspace.warnings == []


def test_the_call_panel_follows_the_clock_while_a_lead_is_held(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    """A long call: their local time and the why-line say what is true now, not what was
    true when the lead was taken."""
    window, cycle = workspace.window, workspace.window.cycle
    panel = window.call
    assert panel.phone.property("idle") == "true"  # the placeholder number is drawn quietly
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    assert panel.phone.property("idle") == "false" and panel.phone.text() == lead.phone
    taken_time, taken_why = panel.their_time.text(), panel.why.text()
    assert taken_why == lead.reason_at(clock())
    clock.advance(minutes=47)
    panel._clock_timer.timeout.emit()  # the panel's half-minute refresh
    assert panel.their_time.text() != taken_time
    assert panel.why.text() == lead.reason_at(clock())
    assert lead.band.key in ("callback", "new")  # the top of the demo queue has a clock
    assert panel.why.text() != taken_why


def test_lead_card_and_questionnaire_show_one_fit_and_one_interest(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mid-call the card beside the questionnaire follows the live scores (answers so far,
    facts as they are now), so the rep never reads two different Fit numbers at once."""
    window, cycle = workspace.window, workspace.window.cycle
    card, panel = window.lead, window.questionnaire

    def on_screen() -> tuple[tuple[str, str], tuple[str, str]]:
        return (
            (card.fit_value.text(), card.interest_value.text()),
            (panel.bars["fit"][1].text(), panel.bars["interest"][1].text()),
        )

    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    # The lead came in a week ago: the "contacted in the last day" points no longer count.
    with workspace.desk.store.transaction() as session:
        row = session.get(Lead, lead.lead_id)
        assert row is not None
        row.arrived_at = workspace.desk.clock() - timedelta(days=7)
        row.fit_score, row.interest_score = 12, 97
    key(qtbot, workspace, "c")
    key(qtbot, workspace, "1")
    qtbot.waitUntil(lambda: panel.qualification is not None)
    card_scores, panel_scores = on_screen()
    assert card_scores == panel_scores
    assert card_scores != ("12", "97")
    answer_by_keyboard(qtbot, workspace, {"contact_check": "yes", "inquiry_reason": "project"})
    assert panel.qualification is not None
    live = panel.qualification.scores
    assert on_screen() == ((str(live.fit), str(live.interest)),) * 2
    # A note saved meanwhile re-reads the lead; the card keeps the live numbers.
    card.notes.setPlainText("Wants it before the spring peak")
    window.notes.flush()
    assert on_screen()[0] == (str(live.fit), str(live.interest))
    # Put back without a verdict: the card shows the lead as the queue has it again.
    monkeypatch.setattr(dialogs, "ask", lambda *_args: True)
    key(qtbot, workspace, Qt.Key.Key_Escape)
    assert cycle.phase is Phase.IDLE
    shown = card.lead_file
    assert shown is not None
    assert on_screen()[0] == (str(shown.fit_score), str(shown.interest_score))


def test_not_interested_goes_straight_to_the_verdict(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "not interested" call takes the lead out of the queue and asks for a verdict: the window
    opens the questionnaire for it there and then, instead of leaving a lead nobody can
    reach again (taking it from a search is refused: it is on hold)."""
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "7")
    assert cycle.phase is Phase.QUALIFYING
    assert window.left.currentWidget() is window.questionnaire
    assert "verdict" in window.call.message.text()
    nurture_when_overridden(monkeypatch, "No need")
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    key(qtbot, workspace, "o")
    with workspace.desk.store.reading() as session:
        stage = session.get(Lead, lead.lead_id).stage  # type: ignore[union-attr]
    assert stage is Stage.NURTURE
    assert cycle.phase is Phase.IDLE
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.NOT_INTERESTED]
    assert workspace.warnings == []


def test_leaving_a_not_interested_lead_without_a_verdict_says_where_it_went(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    call_next(qtbot, workspace, "7")
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: asked.append(text) is None)
    # Minutes later the claim renewal comes round: a lead on hold is not claimed, no warning.
    cycle.renew()
    key(qtbot, workspace, Qt.Key.Key_Escape)
    assert cycle.phase is Phase.IDLE
    assert asked and "stays in your queue" not in asked[0]
    assert "back in the queue" not in window.call.message.text()
    assert workspace.warnings == []


def test_override_without_a_reason_is_refused(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "1")
    answer_by_keyboard(qtbot, workspace, {"contact_check": "yes"})
    suggestion = window.questionnaire.qualification.suggestion  # type: ignore[union-attr]
    other = Verdict.DISQUALIFY if suggestion.verdict is not Verdict.DISQUALIFY else Verdict.NURTURE
    monkeypatch.setattr(
        dialogs, "ask_override", lambda _p, _r: OverrideChoice(other, LeadType.UNWORTHY, "")
    )
    key(qtbot, workspace, "o")
    assert workspace.warnings and "give a reason" in workspace.warnings[-1]
    with workspace.desk.store.reading() as session:
        assert session.get(Lead, lead.lead_id).stage is Stage.IN_QUALIFICATION  # type: ignore[union-attr]
    assert cycle.phase is Phase.QUALIFYING  # still on the call, nothing recorded

    monkeypatch.setattr(
        dialogs,
        "ask_override",
        lambda _p, _r: OverrideChoice(other, LeadType.UNWORTHY, "Student project, no budget"),
    )
    key(qtbot, workspace, "o")
    with workspace.desk.store.reading() as session:
        verdict = session.scalars(
            select(VerdictRecord).where(
                VerdictRecord.lead_id == lead.lead_id,
                VerdictRecord.decided_at >= workspace.desk.clock(),
            )
        ).one()
    assert verdict.overridden and verdict.override_reason == "Student project, no budget"
    assert cycle.phase is Phase.IDLE


def test_the_override_dialog_needs_a_reason_before_it_records(
    qtbot: QtBot, workspace: Workspace
) -> None:
    from leaddesk.definition import default_definition_path, evaluate, load_definition
    from ui.workspace.override_dialog import OverrideDialog, OverrideRequest

    definition = load_definition(default_definition_path())
    suggestion = evaluate(definition, {}, {}).suggestion
    dialog = OverrideDialog(OverrideRequest("Anna", definition, suggestion))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason.setPlainText("Met them at the fair; they buy next month")
    assert ok.isEnabled()
    assert dialog.choice().verdict is not suggestion.verdict


def test_callback_outside_calling_hours_is_refused(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    cycle = workspace.window.cycle
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    zone = lead.zones[0]
    from zoneinfo import ZoneInfo

    # 03:00 tomorrow, their time: nobody is called then.
    tomorrow = (clock() + timedelta(days=1)).astimezone(ZoneInfo(zone))
    night = tomorrow.replace(hour=3, minute=0, second=0, microsecond=0)
    asked: list[object] = []
    refusals: list[tuple[datetime, InputError]] = []

    def pick(_parent: object, request: object, refused: object = None) -> object:
        asked.append(request)
        if refused is None:
            return night
        refusals.append(refused)  # type: ignore[arg-type]
        return None  # the rep cancels the picker that came back

    monkeypatch.setattr(dialogs, "ask_callback", pick)
    key(qtbot, workspace, "b")
    # The core refuses the time: the picker comes back on it, saying why; nothing is logged.
    qtbot.waitUntil(lambda: len(refusals) == 1)
    when, error = refusals[0]
    assert when == night and error.field == "callback"
    assert "outside their calling hours" in error.message
    assert workspace.warnings == []
    assert calls_on(workspace, lead.lead_id) == []
    assert cycle.phase is Phase.READY  # nothing logged; the rep can pick another time

    # The picker itself says why and will not book it.
    from ui.workspace.callback_picker import CallbackPicker

    picker = CallbackPicker(asked[0])  # type: ignore[arg-type]
    qtbot.addWidget(picker)
    picker.set_time(night)
    assert "outside their calling hours" in picker.problem.text()
    assert not picker.buttons.button(picker.buttons.StandardButton.Ok).isEnabled()
    evening = tomorrow.replace(hour=11, minute=0, second=0, microsecond=0)
    picker.set_time(evening)
    assert picker.buttons.button(picker.buttons.StandardButton.Ok).isEnabled()
    assert picker.theirs.text().endswith("11:00")
    # "You" reads the day as the picker above it writes it, and a single-digit day has no zero.
    assert picker.mine.text().replace(",", "").split()[:3] == picker.when.text().split()[:3]
    assert day_and_time(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == "Tue 1 Dec, 17:00"

    monkeypatch.setattr(dialogs, "ask_callback", lambda _p, _r: evening)
    key(qtbot, workspace, "6")
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.CALLBACK]
    assert cycle.phase is Phase.IDLE


def test_the_callback_pickers_refusal_pushes_the_form_down_not_over_it(
    qtbot: QtBot, clock: FixedClock
) -> None:
    """When a time is refused, the reason (two lines) gets room below the form: the
    dialog grows instead of squashing "Your time", "You" and "Them" over each other."""
    from zoneinfo import ZoneInfo

    from leaddesk.definition import Policy
    from ui.workspace.callback_picker import CallbackPicker, CallbackRequest

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.style().name(), app.palette(), app.styleSheet())
    apply_theme(app, "light")
    try:
        request = CallbackRequest(
            person="Thibault Ferrand",
            zones=("Europe/Paris",),
            policy=Policy(timezone="America/New_York"),
            rep_zone="Europe/London",
            now=clock(),
        )
        picker = CallbackPicker(request)
        qtbot.addWidget(picker)
        with qtbot.waitExposed(picker):
            picker.show()
        tomorrow = (clock() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris"))
        picker.set_time(tomorrow.replace(hour=3, minute=0, second=0, microsecond=0))
        qtbot.wait(20)
        assert picker.problem.isVisible()
        rows = [picker.when, picker.mine, picker.theirs, picker.problem, picker.buttons]
        for upper, lower in pairwise(rows):
            assert upper.geometry().bottom() < lower.geometry().top(), (upper, lower)
        problem = picker.problem
        assert problem.height() >= problem.heightForWidth(problem.width())
    finally:
        app.setStyle(before[0])
        app.setPalette(before[1])
        app.setStyleSheet(before[2])


def test_notes_survive_closing_the_window(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    from tests.ui.conftest import open_workspace

    first = open_workspace(qtbot, demo_store, clock, tmp_path)
    key(qtbot, first, "n")
    lead = first.window.cycle.lead
    assert lead is not None
    qtbot.keyClick(first.window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert first.window.lead.notes.hasFocus()
    qtbot.keyClicks(first.window.lead.notes, "Wants a demo for 12 people")
    first.window.close()  # before the typing pause ran out
    first.desk.close()

    again = open_workspace(qtbot, demo_store, clock, tmp_path)
    note = again.desk.calls.my_note(lead.lead_id)
    assert note is not None and note[1] == "Wants a demo for 12 people"
    again.window.cycle.take(lead)
    assert again.window.lead.notes.toPlainText() == "Wants a demo for 12 people"
    again.window.close()
    again.desk.close()


def test_a_note_typed_just_before_a_crash_comes_back(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    from tests.ui.conftest import open_workspace

    first = open_workspace(qtbot, demo_store, clock, tmp_path)
    key(qtbot, first, "n")
    lead = first.window.cycle.lead
    assert lead is not None
    qtbot.keyClicks(first.window.lead.notes, "Call after 3pm")
    # Killed: no close, no flush — only the draft on disk is left.
    first.window.notes._pause.stop()
    first.desk.close()

    again = open_workspace(qtbot, demo_store, clock, tmp_path)
    again.window.cycle.take(lead)
    assert again.window.lead.notes.toPlainText() == "Call after 3pm"
    note = again.desk.calls.my_note(lead.lead_id)
    assert note is not None and note[1] == "Call after 3pm"
    again.window.close()
    again.desk.close()


def test_ten_leads_by_keyboard_alone_with_work_off_the_gui_thread(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    # As a rep on the phone: keys only, the real worker thread, ten leads in a row. Most
    # calls go unanswered; one connects and is qualified by Tab, arrows and Space.
    ops = Operations()
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path, ops=ops)
    window, desk = workspace.window, workspace.desk
    cycle = window.cycle

    def press(
        text: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        qtbot.waitUntil(lambda: not ops.is_busy)
        qtbot.keyClick(window.focusWidget() or window, text, modifier)

    worked: list[int] = []
    for number in range(10):
        press("n")
        qtbot.waitUntil(lambda: cycle.phase is Phase.READY)
        assert cycle.lead is not None
        worked.append(cycle.lead.lead_id)
        press("c")
        qtbot.waitUntil(lambda: cycle.phase is Phase.CALLING)
        if number != 4:
            press("234"[number % 3])
            qtbot.waitUntil(lambda: cycle.phase is Phase.IDLE and not ops.is_busy)
            continue
        press("1")
        qtbot.waitUntil(lambda: cycle.phase is Phase.QUALIFYING and not ops.is_busy)
        panel = window.questionnaire
        qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
        assert window.isActiveWindow()  # building the questionnaire flashed no stray window
        # Tab from question to question, ticking the first option of each, as far as the
        # Confirm button; typed questions are left empty. Then Ctrl+Enter.
        for _ in range(40):
            focused = window.focusWidget()
            if focused is panel.confirm_button:
                break
            # A lead called before keeps its answers: Space ticks only what is not ticked yet.
            if isinstance(focused, QRadioButton | QCheckBox) and not focused.isChecked():
                press(Qt.Key.Key_Space)
            press(Qt.Key.Key_Tab)
        assert window.focusWidget() is panel.confirm_button
        assert panel.qualification is not None
        assert panel.qualification.evaluation.completeness > 0.5
        suggested = panel.qualification.evaluation.suggestion.verdict
        press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: cycle.phase is Phase.IDLE and not ops.is_busy)

    assert len(set(worked)) == 10
    with desk.store.reading() as session:
        logged = session.scalars(select(CallAttempt.lead_id).where(CallAttempt.at >= clock())).all()
        verdicts = dict(
            session.execute(
                select(VerdictRecord.lead_id, VerdictRecord.verdict).where(
                    VerdictRecord.decided_at >= clock()
                )
            ).all()
        )
    assert sorted(logged) == sorted(worked)
    # Ctrl+Enter confirmed what the panel suggested (a lead called before keeps the answers
    # it had, so the verdict need not be the strong one the first options give a fresh lead).
    assert verdicts.pop(worked[4]) == suggested
    # A no-answer that used up the cadence sends its lead to nurture, said by the core.
    assert set(verdicts.values()) <= {Verdict.NURTURE}
    window.close()
    ops.shutdown()


def test_a_call_a_killed_window_left_open_is_ended_when_the_window_opens_again(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(demo_store, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=15)
    clock.advance(minutes=40)  # the window died on the call; its claim has run out
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    qtbot.waitUntil(
        lambda: "still open when LeadDesk closed" in workspace.window.status.currentMessage()
    )
    workspace.window.close()
    workspace.desk.close()


def test_c_does_not_dial_once_their_calling_hours_ended_while_the_lead_was_open(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    key(qtbot, workspace, "n")
    cycle = workspace.window.cycle
    lead = cycle.lead
    assert lead is not None
    local = clock().astimezone(ZoneInfo(lead.zones[0]))
    # The rep got up with the lead open; it is past 21:00 for the person now.
    clock.advance(hours=(21 - local.hour) % 24 + 0.5)
    key(qtbot, workspace, "c")
    assert cycle.phase is Phase.READY and workspace.dialed == []
    message = workspace.window.status.currentMessage()
    assert "outside their calling hours" in message and "Book a callback (B)" in message


def test_the_wrong_outcome_key_is_undone_with_ctrl_z(qtbot: QtBot, workspace: Workspace) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    undo = window.call.undo_action
    assert not undo.isEnabled()  # nothing logged yet
    lead = call_next(qtbot, workspace, "2")  # "no answer"; they had just picked up
    assert cycle.phase is Phase.IDLE and undo.isEnabled()
    assert window.call.message.text().endswith("Wrong key? Ctrl+Z undoes it.")
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The same lead is held again, as before the call, for the right key.
    assert cycle.phase is Phase.READY and cycle.lead is not None
    assert cycle.lead.lead_id == lead.lead_id
    assert calls_on(workspace, lead.lead_id) == []
    assert window.call.message.text().startswith("Undone: the no answer call is no longer logged;")
    assert not undo.isEnabled()
    with workspace.desk.store.reading() as session:
        before = session.get(Lead, lead.lead_id)
        assert before is not None
        calls_before = before.attempts
    key(qtbot, workspace, "1")
    assert cycle.phase is Phase.QUALIFYING
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.CONNECTED]
    with workspace.desk.store.reading() as session:
        stored = session.get(Lead, lead.lead_id)
        assert stored is not None and stored.attempts == calls_before + 1
        assert stored.cadence_attempts == 0  # reached: a new cadence
        assert stored.stage is Stage.IN_QUALIFICATION
    assert workspace.warnings == []


def test_ctrl_z_takes_back_the_no_answer_that_sent_the_lead_to_nurture(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    now = workspace.desk.clock()
    with workspace.desk.store.transaction() as session:
        # Five unanswered calls this morning: the next one uses up the cadence.
        for minutes in (300, 240, 180, 120, 60):
            session.add(
                CallAttempt(
                    lead_id=lead.lead_id,
                    user_id=workspace.desk.actor.id,
                    at=now - timedelta(minutes=minutes),
                    outcome=CallOutcome.NO_ANSWER,
                    ended_at=now - timedelta(minutes=minutes),
                )
            )
    key(qtbot, workspace, "c")
    key(qtbot, workspace, "2")
    assert window.call.message.text().startswith("Moved to nurture: unreachable, no contact in ")
    assert window.call.message.text().endswith("Wrong key? Ctrl+Z undoes it.")
    assert window.call.undo_action.isEnabled()
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cycle.phase is Phase.READY and cycle.lead is not None
    assert cycle.lead.lead_id == lead.lead_id
    assert window.call.message.text().startswith("Undone: the no answer call is no longer logged;")
    with workspace.desk.store.reading() as session:
        stored = session.get(Lead, lead.lead_id)
        assert stored is not None and stored.stage is not Stage.NURTURE
        assert stored.closed_at is None
    assert workspace.warnings == []


def test_ctrl_z_after_do_not_call_says_why_it_stands(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = workspace.window
    monkeypatch.setattr(dialogs, "ask", lambda *_args, **_kw: True)
    lead = call_next(qtbot, workspace, "0")
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.DO_NOT_CALL]
    assert not window.call.message.text().endswith("Ctrl+Z undoes it.")
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(workspace.warnings))
    assert "do-not-call cannot be undone" in workspace.warnings[-1]
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.DO_NOT_CALL]


def test_taking_the_next_lead_keeps_the_last_outcome(qtbot: QtBot, workspace: Workspace) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    first = call_next(qtbot, workspace, "3")  # voicemail
    key(qtbot, workspace, "n")
    assert cycle.lead is not None and cycle.lead.lead_id != first.lead_id
    assert not window.call.undo_action.isEnabled()
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert calls_on(workspace, first.lead_id) == [CallOutcome.VOICEMAIL]


def verdicts_today(workspace: Workspace, lead_id: int) -> int:
    with workspace.desk.store.reading() as session:
        query = select(VerdictRecord).where(
            VerdictRecord.lead_id == lead_id,
            VerdictRecord.decided_at >= workspace.desk.clock(),
        )
        return len(session.scalars(query).all())


def test_ctrl_enter_before_the_required_answers_records_no_verdict(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "1")
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    assert window.questionnaire.qualification.completeness == 0  # type: ignore[union-attr]
    key(qtbot, workspace, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert cycle.phase is Phase.QUALIFYING and verdicts_today(workspace, lead.lead_id) == 0
    said = window.questionnaire.next_question.text()
    assert said.startswith("Not yet: 7 required questions unanswered") and "press O" in said
    # The rep is taken to the first unanswered question, on the call still.
    first = window.questionnaire.fields["contact_check"]
    assert first.isAncestorOf(window.focusWidget())
    assert cycle.on_call and workspace.warnings == []


def test_a_verdict_given_by_mistake_is_undone_and_the_call_timer_runs_on(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "1")
    assert cycle.phase is Phase.QUALIFYING
    answer_by_keyboard(qtbot, workspace, {"contact_check": "yes", "inquiry_reason": "project"})
    answered = window.questionnaire.qualification
    assert answered is not None
    qtbot.wait(1100)  # a second of talking
    nurture_when_overridden(monkeypatch, "They asked for material")  # the wrong call
    key(qtbot, workspace, "o")
    assert cycle.phase is Phase.IDLE and verdicts_today(workspace, lead.lead_id) == 1
    assert window.call.message.text().endswith("Wrong verdict? Ctrl+Z undoes it.")
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert verdicts_today(workspace, lead.lead_id) == 0
    # Back in the questionnaire on the same lead, the answers as they were.
    assert cycle.phase is Phase.QUALIFYING and cycle.lead is not None
    assert cycle.lead.lead_id == lead.lead_id
    assert window.left.currentWidget() is window.questionnaire
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    again = window.questionnaire.qualification
    assert again is not None and again.evaluation.answers == answered.evaluation.answers
    assert "verdict on" in window.call.message.text() and "withdrawn" in window.call.message.text()
    # Still talking: the timer counts on from the call's start instead of starting at 00:00.
    assert cycle.timing and cycle.call_seconds() >= 1
    qtbot.waitUntil(lambda: window.call.timer.text() not in ("00:00", ""), timeout=2500)
    assert window.call.timer.property("running") == "true"
    assert workspace.warnings == []


def test_a_verdict_undone_after_not_interested_leaves_the_lead_on_hold(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, cycle = workspace.window, workspace.window.cycle
    lead = call_next(qtbot, workspace, "7")
    nurture_when_overridden(monkeypatch, "No need")
    qtbot.waitUntil(lambda: window.questionnaire.qualification is not None)
    key(qtbot, workspace, "o")
    assert cycle.phase is Phase.IDLE
    key(qtbot, workspace, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cycle.phase is Phase.QUALIFYING and cycle.lead is not None
    assert cycle.lead.lead_id == lead.lead_id
    # Still "not interested": leaving it says so, not "it stays in your queue".
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: asked.append(text) is None)
    key(qtbot, workspace, Qt.Key.Key_Escape)
    assert asked and "not interested" in asked[0] and "stays in your queue" not in asked[0]
    assert workspace.warnings == []


def test_a_call_the_team_lead_moved_away_is_kept_and_the_window_says_so(
    qtbot: QtBot, workspace: Workspace, demo_store: Path, clock: FixedClock
) -> None:
    from leaddesk.team.reassign import LeadPick

    window, cycle = workspace.window, workspace.window.cycle
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    key(qtbot, workspace, "c")  # on the phone: the team lead takes the lead meanwhile
    with open_desk(demo_store, "lead1", clock=clock) as team_lead:
        picked = LeadPick(lead_ids=(lead.lead_id,))
        team_lead.team.reassign(picked, to_user="rep2", force=True)
    key(qtbot, workspace, "2")  # no answer
    said = window.call.message.text()
    assert said.startswith(f"Lead {lead.lead_id} was moved to ")
    assert said.endswith("during your call; your call (no answer) was kept on it.")
    assert cycle.phase is Phase.IDLE and not window.call.undo_action.isEnabled()
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.NO_ANSWER]
    assert workspace.warnings == []


def test_the_claims_renewal_after_a_forced_move_says_so_on_the_call_panel_not_in_a_box(
    qtbot: QtBot, workspace: Workspace, demo_store: Path, clock: FixedClock
) -> None:
    from leaddesk.team.reassign import LeadPick

    window, cycle = workspace.window, workspace.window.cycle
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    key(qtbot, workspace, "c")  # on the phone: the team lead takes the lead meanwhile
    with open_desk(demo_store, "lead1", clock=clock) as team_lead:
        picked = LeadPick(lead_ids=(lead.lead_id,))
        team_lead.team.reassign(picked, to_user="rep2", force=True)
        now_with = next(u.display_name for u in team_lead.people.users() if u.name == "rep2")
    cycle.renew()  # its timer's turn, a few minutes into the call
    said = window.call.message.text()
    assert said == (
        f"Your team lead moved lead {lead.lead_id} to {now_with} during this call; "
        "log the call as usual, it is kept on the lead."
    )
    assert workspace.warnings == []  # no box over the call
    assert cycle.phase is Phase.CALLING and cycle.lead == lead  # the call goes on
    key(qtbot, workspace, "2")
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.NO_ANSWER]


def test_a_lead_the_team_lead_moved_away_leaves_the_reps_queue_at_once(
    qtbot: QtBot, workspace: Workspace, demo_store: Path, clock: FixedClock
) -> None:
    from leaddesk.team.reassign import LeadPick

    window, cycle = workspace.window, workspace.window.cycle
    model = window.queue.model
    key(qtbot, workspace, "n")
    lead = cycle.lead
    assert lead is not None
    key(qtbot, workspace, "c")  # on the phone: the team lead takes the lead meanwhile
    qtbot.waitUntil(lambda: not model.loading)
    assert model.row_of(lead.lead_id) is not None  # the rep's own, held lead is listed
    reads: list[int] = []
    model.loaded.connect(lambda: reads.append(model.rowCount()))
    with open_desk(demo_store, "lead1", clock=clock) as team_lead:
        picked = LeadPick(lead_ids=(lead.lead_id,))
        team_lead.team.reassign(picked, to_user="rep2", force=True)
    cycle.renew()  # how the window learns of it: the claim's renewal, minutes into the call
    # Gone from the list now, not at the next minute's look; the rest of the list is read again.
    assert model.row_of(lead.lead_id) is None
    qtbot.waitUntil(lambda: bool(reads))
    assert model.row_of(lead.lead_id) is None
    window.grab().save("/tmp/s15-polish-moved-away.png")
    assert cycle.lead == lead  # the call goes on, and is logged as usual
    key(qtbot, workspace, "2")
    assert calls_on(workspace, lead.lead_id) == [CallOutcome.NO_ANSWER]
    assert workspace.warnings == []

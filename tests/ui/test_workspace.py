"""The rest of the workspace: the queue model, search and filters, reference sheets, the
status bar, what a rep may not see, sign-in and the screenshot command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.people.permissions import Action
from leaddesk.people.users import UserInfo
from leaddesk.queue import Band
from tests.ui.conftest import Workspace, open_workspace
from ui.common.theme import apply_theme
from ui.start.sign_in import SignInDialog
from ui.workspace.queue_model import PAGE, SLA, SOURCE, WHY, sla_text
from ui.workspace.status_panel import talk_text


def test_queue_model_pages_and_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, workspace: Workspace
) -> None:
    model = workspace.window.queue.model
    assert model.rowCount() == PAGE  # one page, not every row
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.fetchMore(QModelIndex())
    assert model.rowCount() > PAGE
    first = model.row_at(0)
    assert first is not None
    assert model.index(0, 0).data() == first.person
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == first.lead_id


def test_sla_countdown_turns_red_once_breached(workspace: Workspace) -> None:
    model = workspace.window.queue.model
    from leaddesk.domain import Stage

    late = next(
        row
        for row in range(model.rowCount())
        if (r := model.row_at(row)) is not None
        and r.stage is Stage.NEW
        and r.sla_due_at is not None
        and r.sla_due_at < workspace.desk.clock()
    )
    index = model.index(late, SLA)
    assert index.data().startswith("−")
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert sla_text(-90) == "−1 h 30" and sla_text(12) == "12 min"


def test_a_lead_back_from_nurture_says_why_no_deadline_runs(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """A recycled lead is new but nobody is waiting on a reply: no countdown, and the
    tooltip does not claim it was contacted."""
    import dataclasses

    from leaddesk.domain import Stage

    model = workspace.window.queue.model
    new = next(
        r
        for row in range(model.rowCount())
        if (r := model.row_at(row)) is not None and r.stage is Stage.NEW
    )
    recycled = dataclasses.replace(new, source="recycled", sla_due_at=None)
    assert model._text(recycled, SLA) == "—"
    assert model._tip(recycled, SLA).startswith("No speed-to-lead deadline runs for this lead")
    assert recycled.reason_at(workspace.desk.clock()).startswith("new lead back from nurture")


def test_a_marketing_qualified_lead_counts_down_to_its_first_call_as_a_new_one(
    workspace: Workspace,
) -> None:
    """The definition's added stage ("Basic Qualified Lead") is fresh: its speed-to-lead
    countdown shows as a new lead's does."""
    import dataclasses

    from leaddesk.domain import Stage

    model = workspace.window.queue.model
    new = next(
        r
        for row in range(model.rowCount())
        if (r := model.row_at(row)) is not None and r.stage is Stage.NEW and r.sla_due_at
    )
    vouched = dataclasses.replace(
        new,
        stage=Stage.MARKETING_QUALIFIED,
        stage_label="Basic Qualified Lead",
    )
    assert model._text(vouched, SLA) == model._text(new, SLA) != "—"
    # Its why-line says marketing vouched for it, in the definition's words.
    said = vouched.reason_at(workspace.desk.clock())
    assert said.startswith("Basic Qualified Lead: ")


def test_overdue_countdown_agrees_with_the_reason_and_reads_whole(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    """12½ minutes past the deadline the row says "call overdue by 12 min", so the SLA
    column says "−12 min" (not "−13", and not "−12 …" cut short by a narrow column)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.style().name(), app.palette(), app.styleSheet())
    apply_theme(app, "light")
    try:
        queue = workspace.window.queue
        model, view = queue.model, queue.table
        due = next(
            r.sla_due_at
            for row in range(model.rowCount())
            if (r := model.row_at(row)) is not None
            and r.band is Band.NEW
            and r.sla_due_at is not None
            and r.sla_due_at > clock() - timedelta(minutes=12)
        )
        assert due is not None
        clock.advance(seconds=(due - clock()).total_seconds() + 12.5 * 60)
        model.refresh()
        qtbot.waitUntil(lambda: not model.loading)
        late = next(
            row
            for row in range(model.rowCount())
            if (r := model.row_at(row)) is not None and r.sla_due_at == due
        )
        reason = model.index(late, WHY).data()
        assert reason.endswith("call overdue by 12 min"), reason
        index = model.index(late, SLA)
        assert index.data() == "−12 min"
        # Drawn whole: the cell's right part looks the same as in a column far wider.
        view.scrollTo(index)

        def right_part(width: int, keep: int) -> QImage:
            view.setColumnWidth(SLA, width)
            qtbot.wait(20)
            cell = view.viewport().grab(view.visualRect(index)).toImage()
            return cell.copy(cell.width() - keep, 0, keep, cell.height())

        width = view.columnWidth(SLA)
        assert right_part(width, width - 2) == right_part(width + 120, width - 2)
    finally:
        app.setStyle(before[0])
        app.setPalette(before[1])
        app.setStyleSheet(before[2])


def test_the_longest_source_reads_whole_in_the_source_column(
    qtbot: QtBot, workspace: Workspace, restore_look: None
) -> None:
    """ "purchased list" is drawn whole, not "purchased…": the cell looks the same as in a
    column far wider."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    queue = workspace.window.queue
    model, view = queue.model, queue.table
    row = next(
        row
        for row in range(model.rowCount())
        if (r := model.row_at(row)) is not None and r.source == "purchased_list"
    )
    index = model.index(row, SOURCE)
    assert index.data() == "purchased list"
    view.scrollTo(index)

    def left_part(width: int, keep: int) -> QImage:
        view.setColumnWidth(SOURCE, width)
        qtbot.wait(20)
        cell = view.viewport().grab(view.visualRect(index)).toImage()
        return cell.copy(0, 0, keep, cell.height())

    width = view.columnWidth(SOURCE)
    assert left_part(width, width - 2) == left_part(width + 120, width - 2)


def test_an_idle_queue_keeps_its_reasons_true_without_moving_a_row(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock
) -> None:
    """Left alone past a lead's deadline, "N min left to call" turns into "call overdue by …"
    beside the countdown, while the rows, their order and the rep's selection stay put and the
    store is not asked again."""
    queue = workspace.window.queue
    model, view = queue.model, queue.table
    watched = next(
        row
        for row in range(model.rowCount())
        if (r := model.row_at(row)) is not None
        and r.band is Band.NEW
        and r.sla_due_at is not None
        and r.sla_due_at - clock() > timedelta(minutes=5)
    )
    view.selectRow(watched)
    lead = model.row_at(watched)
    assert lead is not None and lead.sla_due_at is not None
    before = model.index(watched, WHY).data()
    assert before.endswith("left to call"), before
    order = [model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(model.rowCount())]

    with qtbot.assertNotEmitted(model.loaded), qtbot.assertNotEmitted(model.modelReset):
        clock.now = lead.sla_due_at + timedelta(minutes=12, seconds=30)
        model.tick()  # what the panel's timer does every half minute
    after = model.index(watched, WHY).data()
    assert after.endswith("call overdue by 12 min"), after
    assert model.index(watched, SLA).data() == "−12 min"
    tip = model.index(watched, WHY).data(Qt.ItemDataRole.ToolTipRole)
    assert after in tip and before not in tip
    assert [
        model.index(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(model.rowCount())
    ] == order
    assert view.currentIndex().row() == watched
    assert queue.current_row() is lead


def test_search_finds_a_lead_by_name_company_email_and_phone(
    qtbot: QtBot, qtmodeltester: object, workspace: Workspace
) -> None:
    panel = workspace.window.queue
    target = panel.model.row_at(5)
    assert target is not None and target.phone
    lead_file = workspace.desk.queue.lead_file(target.lead_id)
    for text in (
        target.person.split()[-1][:4],
        (target.company or "")[:5],
        (lead_file.email or "")[:8],
        target.phone[:9],
    ):
        panel.focus_search()
        qtbot.keyClicks(panel.search, text)
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
        found = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
        assert target.lead_id in {row.lead_id for row in found if row}, text
        assert panel.title.text() == "SEARCH RESULTS"
        qtmodeltester.check(panel.model)  # type: ignore[attr-defined]
        panel.search.clear()
        panel.apply()
    assert panel.title.text() == "MY QUEUE"


def test_band_filter_shows_only_that_band(qtbot: QtBot, workspace: Workspace) -> None:
    panel = workspace.window.queue
    panel.band.setCurrentIndex(panel.band.findData(Band.NEW))
    rows = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
    assert rows and all(row is not None and row.band is Band.NEW for row in rows)


def test_working_a_searched_lead_with_return_claims_it(qtbot: QtBot, workspace: Workspace) -> None:
    panel = workspace.window.queue
    target = panel.model.row_at(3)
    assert target is not None
    qtbot.keyClick(workspace.window, "/")
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, target.person)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.table.hasFocus()
    row = panel.model.row_of(target.lead_id)
    assert row is not None
    panel.table.selectRow(row)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert workspace.window.cycle.lead is not None
    assert workspace.window.cycle.lead.lead_id == target.lead_id


def test_on_a_laptop_screen_the_call_buttons_keep_their_size_and_nothing_overlaps(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """1366×768 less a taskbar and a title bar: the right column is short. The call panel
    keeps its height; the lead's details scroll; the notes keep a few lines. Measured with
    the app's own look (its style sheet sets the sizes that matter)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.style().name(), app.palette(), app.styleSheet())
    apply_theme(app, "light")
    try:
        window = workspace.window
        qtbot.waitUntil(lambda: window.lead.lead_file is not None)
        for width, height in ((1366, 700), (1440, 860)):
            window.resize(width, height)
            qtbot.wait(50)
            call, lead = window.call, window.lead
            assert call.height() >= call.sizeHint().height()
            for button in call.outcome_buttons.values():
                assert button.height() >= button.sizeHint().height()
            details, tabs = lead.details_area, lead.tabs
            assert details.geometry().bottom() < tabs.geometry().top()
            # Room to type: at least two lines of notes.
            assert lead.notes.height() >= 2 * lead.notes.fontMetrics().lineSpacing()
        # With room to spare, the details show whole, with no scroll bar.
        assert not lead.details_area.verticalScrollBar().isVisible()
    finally:
        app.setStyle(before[0])
        app.setPalette(before[1])
        app.setStyleSheet(before[2])


def test_glossary_and_shortcut_sheet_are_one_key_away(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    qtbot.keyClick(window, Qt.Key.Key_F1)
    glossary = window._sheets["glossary"]
    assert glossary.isVisible()
    text = glossary.text.toPlainText()
    assert "Sales-worthy" in text and "Unqualified suitability" in text
    glossary.close()
    qtbot.keyClick(window.focusWidget() or window, "?")
    sheet = window._sheets["keys"]
    assert sheet.isVisible() and "No answer" in sheet.text.toPlainText()
    sheet.close()


def test_status_bar_counts_the_call_just_made(qtbot: QtBot, workspace: Workspace) -> None:
    status = workspace.window.status
    assert status.summary is not None
    calls = status.summary.calls
    for text in ("n", "c", "2"):
        qtbot.keyClick(workspace.window.focusWidget() or workspace.window, text)
    assert status.summary.calls == calls + 1
    assert f"{calls + 1} calls" in status.calls.text()
    # The day's talk time beside the calls, once there is some (the demo rep has talked).
    talk = status.summary.talk_minutes
    assert talk > 0 and status.calls.text().endswith(f" · {talk_text(talk)} talk")
    assert talk_text(42) == "42 min" and talk_text(65) == "1 h 05"
    assert "SLA breaches in my queue" in status.breaches.text()
    dialog = workspace.window.show_day_summary()
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_team_lead_actions_are_absent_for_reps_and_refused_by_the_core(
    workspace: Workspace,
) -> None:
    window = workspace.window
    reassign = QAction("Reassign…", window)
    assert not window.add_menu_action("Team", reassign, requires=Action.REASSIGN)
    assert not window.set_team_console(lambda: None)
    assert not window.team_console_action.isVisible()
    titles = [action.text() for action in window.menuBar().actions()]
    assert "Team" not in titles
    with pytest.raises(NotPermitted):
        workspace.desk.require(Action.REASSIGN)
    with pytest.raises(NotPermitted):
        workspace.desk.qualifying.publish_definition("[definition]\n", "x.toml")
    # Actions anyone may use plug in where asked.
    mine = QAction("Export my handoff…", window)
    assert window.add_menu_action("File", mine, requires=Action.EXPORT_OWN)


def test_a_team_lead_sees_the_team_console_entry(  # the demo store has lead1
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    opened = open_workspace(qtbot, demo_store, clock, tmp_path, user="lead1")
    assert opened.window.set_team_console(lambda: None)
    assert opened.window.team_console_action.isVisible()
    opened.window.close()
    opened.desk.close()


def test_first_run_sign_in_creates_a_profile(qtbot: QtBot) -> None:
    dialog = SignInDialog([])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.creating and not ok.isEnabled()
    qtbot.keyClicks(dialog.new_name, "Anna Berg")
    assert ok.isEnabled()
    assert dialog.chosen_name() == "anna.berg" and dialog.display_name() == "Anna Berg"


def test_the_first_profile_on_a_new_store_can_work_straight_away(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store the window made (no `leaddesk init`) gets its lead definition with the first
    profile, so the window opens without "no lead definition" and questions can be asked;
    the first user may say they lead the team."""
    from PySide6.QtWidgets import QDialog

    from leaddesk.settings import Settings
    from ui import launch

    def fill_in(dialog: SignInDialog) -> int:
        qtbot.addWidget(dialog)
        assert dialog.creating and dialog.role.isVisibleTo(dialog)
        dialog.new_name.setText("Lena Lind")
        dialog.role.setCurrentIndex(dialog.role.findData(Role.TEAM_LEAD.value))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SignInDialog, "exec", fill_in)
    store = tmp_path / "new.sqlite3"
    desk = launch.sign_in(str(store), Settings(tmp_path / "settings.json"))
    assert desk is not None
    with desk:
        assert desk.actor.name == "lena.lind" and desk.actor.role is Role.TEAM_LEAD
        assert desk.qualifying.definition().published.version == 1


def test_sign_in_offers_the_last_profile_first(qtbot: QtBot, clock: FixedClock) -> None:
    users = [
        UserInfo(
            id=1,
            name="rep1",
            display_name="Rep 1",
            role=Role.QUALIFIER,
            capacity=40,
            active=True,
            territories=(),
        ),
        UserInfo(
            id=2,
            name="rep2",
            display_name="Rep 2",
            role=Role.QUALIFIER,
            capacity=40,
            active=True,
            territories=(),
        ),
    ]
    dialog = SignInDialog(users, last="rep2")
    qtbot.addWidget(dialog)
    assert not dialog.creating and dialog.chosen_name() == "rep2"


def _written(path: Path) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        flagged = connection.execute(
            "SELECT count(*) FROM leads WHERE flagged_untouched_at IS NOT NULL"
        ).fetchone()[0]
        events = connection.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    return flagged, events


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a screen is a Linux question")
def test_without_a_screen_the_window_says_so_instead_of_aborting(
    demo_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaddesk import cli
    from ui.app import open_window

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["--db", str(demo_store), "gui", "--as", "rep1"], open_window=open_window) == 2
    assert "the window needs a desktop session" in capsys.readouterr().err


def test_a_screenshot_that_cannot_be_written_is_refused_before_the_window_opens(
    tmp_path: Path, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from leaddesk import cli
    from ui.app import open_window

    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a folder", encoding="utf-8")
    for target, words in (
        (in_the_way / "shot.png", f"cannot make its folder: {in_the_way} is a file, not a folder"),
        (tmp_path, "is a folder; name the PNG file to write"),
    ):
        args = ["--db", str(demo_store), "gui", "--as", "rep1", "--screenshot", str(target)]
        assert cli.main(args, open_window=open_window) == 2
        assert f"--screenshot {target}: {words}" in capsys.readouterr().err


@pytest.mark.parametrize("user", ["rep1", "lead1"])
def test_screenshot_command_waits_for_the_queue_and_writes_a_png(
    tmp_path: Path, demo_store: Path, user: str
) -> None:
    # A team lead's window would sweep for untouched leads; a screenshot only looks.
    before = _written(demo_store)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if user == "rep1":  # a machine with no screen at all: the screenshot needs none
        for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
    target = tmp_path / "workspace.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.app",
            "--db",
            str(demo_store),
            "gui",
            "--as",
            user,
            "--screenshot",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert image.width() >= 1366 and image.height() >= 768
    assert _written(demo_store) == before


def test_an_empty_queue_says_to_import_leads_with_ctrl_i(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    queue = ws.window.queue
    qtbot.waitUntil(lambda: queue.note.isVisible())
    assert queue.note.text().startswith("No leads to call yet.")
    assert "File ▸ Import leads (Ctrl+I)" in queue.note.text()
    assert queue.status.text() == "No leads yet"
    assert ws.window.lead.role.text() == "Your queue is empty: import a lead list with Ctrl+I."
    ws.window.close()
    ws.desk.close()


def test_an_empty_queue_names_the_next_callback_and_hides_once_leads_are_due(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    from datetime import datetime

    from leaddesk.desk import open_desk
    from leaddesk.domain import Stage
    from leaddesk.store.models import Lead, Person

    now = clock()
    with open_desk(empty_store, "anna", clock=clock) as desk, desk.store.transaction() as session:
        person = Person(
            first_name="Ada",
            last_name="Lovelace",
            phone="+442079460001",
            country="GB",
            zone_key="Europe/London",
            timezone="Europe/London",
            created_at=now,
        )
        session.add(person)
        session.flush()
        session.add(
            Lead(
                person_id=person.id,
                source="web_form",
                arrived_at=now - timedelta(days=1),
                stage=Stage.IN_QUALIFICATION,
                stage_changed_at=now,
                assigned_to_id=desk.actor.id,
                callback_at=datetime(2026, 11, 18, 16, 30, tzinfo=now.tzinfo),
                created_at=now,
            )
        )
    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    queue = ws.window.queue
    qtbot.waitUntil(lambda: queue.note.isVisible())
    said = "Nothing due now — next callback at 16:30."  # the rep's London time
    assert queue.note.text() == said
    assert ws.window.lead.role.text() == said

    clock.advance(hours=2)
    queue.apply()
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    assert not queue.note.isVisible()
    ws.window.close()
    ws.desk.close()


def test_a_search_that_finds_nobody_says_where_it_looked(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    queue = ws.window.queue
    queue.search.setText("zebra")
    queue.apply()
    qtbot.waitUntil(lambda: queue.status.text() == "Nothing found")
    assert queue.note.isVisible()
    assert queue.note.text().startswith("Nobody found.")
    ws.window.close()
    ws.desk.close()


def test_a_search_shows_a_closed_lead_greyed_and_return_says_how_it_ended(
    qtbot: QtBot, workspace: Workspace
) -> None:
    from sqlalchemy import select

    from leaddesk.domain import OPEN_STAGES
    from leaddesk.store.models import Lead, Person
    from ui.workspace.call_cycle import Phase
    from ui.workspace.queue_model import BAND

    desk, panel = workspace.desk, workspace.window.queue
    with desk.store.reading() as session:
        lead_id, email = session.execute(
            select(Lead.id, Person.email)
            .join(Person, Person.id == Lead.person_id)
            .where(
                Lead.assigned_to_id == desk.actor.id,
                Lead.stage.not_in(OPEN_STAGES),
                Person.email.is_not(None),
            )
            .limit(1)
        ).one()
    panel.focus_search()
    qtbot.keyClicks(panel.search, email)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    rows = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
    (at,) = [i for i, row in enumerate(rows) if row is not None and row.lead_id == lead_id]
    assert panel.model.index(at, BAND).data() == "Closed"
    assert panel.model.index(at, WHY).data().startswith("closed: ")
    panel.table.selectRow(at)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    cycle = workspace.window.cycle
    assert cycle.phase is Phase.IDLE and cycle.lead is None  # history, not work
    assert "The lead card shows what happened." in workspace.window.call.message.text()
    # Its card is the one shown: its timeline says what happened.
    qtbot.waitUntil(
        lambda: (
            workspace.window.lead.lead_file is not None
            and workspace.window.lead.lead_file.lead_id == lead_id
        )
    )
    assert workspace.warnings == []

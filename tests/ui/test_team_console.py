"""The team lead console on the demo store: reassigning by drag and drop, rebalancing with a
preview, users, the lead definition, the sweep, and a qualifier kept out of all of it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QStyle, QStyleOptionComboBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import NotPermitted
from leaddesk.people.permissions import Action
from leaddesk.settings import SWEEP_MINUTES, THEME, Settings
from leaddesk.store.models import Assignment, Lead, User
from leaddesk.team.moves import POOL
from leaddesk.team.reassign import LeadPick
from leaddesk.team.sweep import SweepResult
from tests.ui.conftest import open_workspace
from ui.common import dialogs
from ui.common.operations import Operations
from ui.common.theme import apply_theme, colours
from ui.console import dialogs as team_dialogs
from ui.console import store as team_store
from ui.console.console import ConsoleOpener, TeamConsole
from ui.console.dialogs import ConfirmMovesDialog, MoveChoice, MovesToConfirm, NewUser
from ui.console.models import MOVE_COLUMNS, when
from ui.console.sweep import PolicySweep, sweep_words
from ui.launch import open_window
from ui.workspace.window import MainWindow

MOVE_HEADERS = [column.header for column in MOVE_COLUMNS]


@dataclass
class Console:
    window: TeamConsole
    desk: Desk
    path: Path
    clock: FixedClock
    reasons: list[str] = field(default_factory=list)
    asked_why: list[str] = field(default_factory=list)  # the reason prompts, as shown
    confirmed: list[MovesToConfirm] = field(default_factory=list)
    choice: MoveChoice | None = MoveChoice.APPLY
    warnings: list[str] = field(default_factory=list)

    def as_user(self, name: str) -> Desk:
        return open_desk(self.path, name, clock=self.clock)

    def owner(self, lead_id: int) -> str | None:
        with self.desk.store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            if lead.assigned_to_id is None:
                return None
            names = {u.id: u.name for u in self.desk.people.users()}
            return names[lead.assigned_to_id]

    def open_count(self, name: str) -> int:
        view = self.desk.team.view()
        if name == POOL:
            return view.pool.open_leads
        return next(r.open_leads for r in view.reps if r.name == name)


@pytest.fixture
def console(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> Iterator[Console]:
    desk = open_desk(demo_store, "lead1", clock=clock)
    window = TeamConsole(desk, Operations(inline=True))
    opened = Console(window, desk, demo_store, clock, warnings=warnings_shown)

    def reason(_parent: object, _title: str, prompt: str, default: str) -> str | None:
        opened.asked_why.append(prompt)
        return opened.reasons.pop(0) if opened.reasons else default

    def confirm(_parent: object, request: MovesToConfirm) -> MoveChoice | None:
        opened.confirmed.append(request)
        return opened.choice

    def crash(_parent: object, summary: str, details: str) -> None:
        raise AssertionError(f"{summary}\n{details}")

    monkeypatch.setattr(dialogs, "show_crash", crash)
    monkeypatch.setattr(team_dialogs, "ask_reason", reason)
    monkeypatch.setattr(team_dialogs, "confirm_moves", confirm)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(window.is_ready)
    yield opened
    window.close()
    desk.close()


def _drop(console: Console, lead_ids: set[int], receiver: str) -> None:
    """Select the leads and drop the selection on a rep, as a drag from the table does."""
    tab = console.window.leads_tab
    tab.select_leads(lead_ids)
    indexes = tab.table.selectionModel().selectedIndexes()
    mime = tab.proxy.mimeData(indexes)
    item = tab.reps.item_for(receiver)
    assert item is not None
    where = QPointF(tab.reps.visualItemRect(item).center())
    event = QDropEvent(
        where,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tab.reps.dropEvent(event)
    assert event.isAccepted()


def test_dragging_leads_onto_a_rep_puts_them_in_that_reps_queue(
    qtbot: QtBot, console: Console
) -> None:
    window = console.window
    window.show_leads_of("rep1")
    tab = window.leads_tab
    qtbot.waitUntil(lambda: not tab.loading)
    held = {m.lead_id for m in tab.model.items}
    assert held and {m.from_user for m in tab.model.items} == {"rep1"}
    with console.as_user("rep1") as rep1:
        callable_now = [r.lead_id for r in rep1.queue.page(limit=500) if r.lead_id in held]
    chosen = set(callable_now[:3])
    assert len(chosen) == 3
    console.reasons.append("Rep 1 is on a course this week")

    _drop(console, chosen, "rep2")

    request = console.confirmed[-1]
    assert {m.lead_id for m in request.moves} == chosen
    assert {m.to_user for m in request.moves} == {"rep2"}
    with console.as_user("rep2") as rep2:
        queue = {r.lead_id for r in rep2.queue.page(limit=2000)}
    assert chosen <= queue
    assert all(console.owner(lead) == "rep2" for lead in chosen)
    rep2_id = next(u.id for u in console.desk.people.users() if u.name == "rep2")
    with console.desk.store.reading() as session:
        reasons = set(
            session.scalars(
                select(Assignment.reason).where(
                    Assignment.lead_id.in_(chosen), Assignment.to_user_id == rep2_id
                )
            )
        )
    assert reasons == {"Rep 1 is on a course this week"}
    # The console shows the new state: rep1's list no longer holds them.
    assert not chosen & {m.lead_id for m in tab.model.items}
    # People are named as the team knows them, never by their sign-in name.
    assert console.asked_why[-1] == "Why do these 3 leads move to Rep 2?"
    assert request.summary == "3 leads to Rep 2 — “Rep 1 is on a course this week”"
    assert "Moved 3 leads to Rep 2" in window.status.currentMessage()
    assert not console.warnings


def test_moving_the_oldest_from_one_rep_to_another(qtbot: QtBot, console: Console) -> None:
    tab = console.window.leads_tab
    oldest = [m.lead_id for m in console.desk.team.leads(LeadPick(from_user="rep1", count=4))]
    tab.oldest_count.setValue(4)
    tab.oldest_from.setCurrentIndex(tab.oldest_from.findData("rep1"))
    tab.oldest_to.setCurrentIndex(tab.oldest_to.findData("rep2"))
    before = console.open_count("rep2")
    qtbot.mouseClick(tab.move_oldest, Qt.MouseButton.LeftButton)
    assert [m.lead_id for m in console.confirmed[-1].moves] == oldest
    assert console.open_count("rep2") == before + 4
    assert all(console.owner(lead) == "rep2" for lead in oldest)


def test_the_rep_choices_show_names_and_counts_that_follow_a_move(
    qtbot: QtBot, console: Console
) -> None:
    tab = console.window.leads_tab
    shown = {r.name: r.display_name for r in console.desk.team.view().reps}
    assert shown["rep1"] and shown["rep1"] != "rep1"
    rep1_at = tab.holder.findData("rep1")
    assert tab.holder.itemText(rep1_at) == f"{shown['rep1']} ({console.open_count('rep1'):,})"
    assert tab.target.itemText(tab.target.findData("rep2")) == shown["rep2"]
    assert tab.absent.itemText(tab.absent.findData("rep1")) == shown["rep1"]
    pool = console.open_count(POOL)
    tab.oldest_count.setValue(3)
    tab.oldest_from.setCurrentIndex(tab.oldest_from.findData(POOL))
    tab.oldest_to.setCurrentIndex(tab.oldest_to.findData("rep1"))
    qtbot.mouseClick(tab.move_oldest, Qt.MouseButton.LeftButton)
    assert console.open_count(POOL) == pool - 3
    # Every count the tab shows agrees with the store after the move, not before it.
    for combo in (tab.holder, tab.oldest_from):
        assert combo.itemText(combo.findData(POOL)) == f"Open pool ({pool - 3:,})"
        assert combo.itemText(combo.findData("rep1")) == (
            f"{shown['rep1']} ({console.open_count('rep1'):,})"
        )
    assert tab.oldest_from.currentData() == POOL and tab.oldest_to.currentData() == "rep1"
    overview = console.window.team_tab.team_detail.text()
    assert "rep1" not in overview and shown["rep1"] in overview


def test_a_lead_on_a_call_moves_after_the_call_unless_forced(
    qtbot: QtBot, console: Console
) -> None:
    window = console.window
    window.show_leads_of("rep1")
    tab = window.leads_tab
    qtbot.waitUntil(lambda: not tab.loading)
    with console.desk.store.reading() as session:  # leads rep1 may call: none on hold
        held = set(session.scalars(select(Lead.id).where(Lead.hold_reason.is_not(None))))
    calling, taken = [m.lead_id for m in tab.model.items if m.lead_id not in held][:2]
    with console.as_user("rep1") as rep1:
        rep1.queue.renew_claim(calling)
        rep1.queue.renew_claim(taken)
    window.refresh()
    tab.reload()
    on_call = {m.lead_id: m.on_call_with for m in tab.model.items}
    assert on_call[calling] == "rep1" and on_call[taken] == "rep1"

    # Move after the call: a warning, the lead stays until rep1 lets go, then moves at once.
    console.choice = MoveChoice.AFTER_CALL
    tab.select_leads({calling})
    tab.target.setCurrentIndex(tab.target.findData("rep2"))
    qtbot.mouseClick(tab.move_selected, Qt.MouseButton.LeftButton)
    assert any("on a call with Rep 1 right now" in w for w in console.confirmed[-1].warnings)
    assert console.owner(calling) == "rep1"
    assert "will move when the call ends" in window.status.currentMessage()
    with console.as_user("rep1") as rep1:
        rep1.queue.release(calling)
    assert console.owner(calling) == "rep2"  # at the release, no sweep needed
    sweep = PolicySweep(console.desk, window.ops, 5, window)
    sweep.run()
    assert sweep.last is not None and sweep.last.moved_after_call == ()
    assert sweep.last_text.startswith("Untouched-lead check")

    # Forced: taken from the call now.
    console.choice = MoveChoice.FORCE
    tab.select_leads({taken})
    qtbot.mouseClick(tab.move_selected, Qt.MouseButton.LeftButton)
    assert console.owner(taken) == "rep2"
    assert "taken from a call" in window.status.currentMessage()


def test_rebalance_previews_then_applies_exactly_that(qtbot: QtBot, console: Console) -> None:
    tab = console.window.rebalance_tab
    console.window.tabs.setCurrentWidget(tab)
    before = {r.name: r.open_leads for r in console.desk.team.view().reps}
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    plan = tab.plan
    assert plan is not None and plan.moves
    assert tab.apply_button.isEnabled()
    assert tab.moves.rowCount() == len(plan.moves)
    assert {r.name for r in tab.loads.items} == {"rep1", "rep2"}
    # Nothing moved by the preview.
    assert {r.name: r.open_leads for r in console.desk.team.view().reps} == before

    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    after = {r.name: r.open_leads for r in console.desk.team.view().reps}
    assert after == {load.name: load.after for load in plan.reps}
    received = {m.lead_id for m in plan.moves if m.to_user == "rep2"}
    assert received and all(console.owner(lead) == "rep2" for lead in received)
    with console.as_user("rep2") as rep2:
        queue = {r.lead_id for r in rep2.queue.page(limit=2000)}
    assert received & queue  # the callable ones are in rep2's queue now
    assert not tab.apply_button.isEnabled()
    assert "Moved" in tab.summary.text()
    assert tab.loads.rowCount() == 0  # no stale "open now" figures after the move


def test_rebalance_and_move_confirmations_name_reps_not_logins(
    qtbot: QtBot, console: Console
) -> None:
    tab = console.window.rebalance_tab
    console.window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.preview_button, Qt.MouseButton.LeftButton)
    plan = tab.plan
    assert plan is not None and plan.moves
    counts = {"Rep 1": 0, "Rep 2": 0}
    for move in plan.moves:
        counts[str(move.to_display_name)] += 1
    shares = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
    assert tab.summary.text() == f"Would move {len(plan.moves):,} leads: {shares}."
    shown = {tab.load_table.model().index(row, 0).data() for row in range(tab.loads.rowCount())}
    assert shown == {"Rep 1", "Rep 2"}
    to_column = MOVE_HEADERS.index("To")
    receivers = {tab.moves.index(row, to_column).data() for row in range(tab.moves.rowCount())}
    assert receivers <= {"Rep 1", "Rep 2"}
    qtbot.wait(1)  # let the layout follow the new texts before the picture
    console.window.grab().save(str(console.path.parent / "rebalance.png"))

    # An absent rep's leads: the dialog the team lead confirms, built for real.
    leads = console.window.leads_tab
    leads.absent.setCurrentIndex(leads.absent.findData("rep1"))
    busy = next(m.lead_id for m in console.desk.team.leads(LeadPick(from_user="rep1", count=1)))
    with console.as_user("rep1") as rep1:
        rep1.queue.renew_claim(busy)
    console.choice = None
    qtbot.mouseClick(leads.spread, Qt.MouseButton.LeftButton)
    request = console.confirmed[-1]
    assert request.title == "Spread Rep 1's leads"
    assert request.summary.startswith(f"{len(request.moves):,} leads: Rep 2 ")
    (left_out,) = request.warnings
    assert left_out.endswith(", 1 on a call with Rep 1 right now.")
    dialog = ConfirmMovesDialog(request)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    from_column, to_column = MOVE_HEADERS.index("From"), MOVE_HEADERS.index("To")
    assert {model.index(r, from_column).data() for r in range(model.rowCount())} == {"Rep 1"}
    assert {model.index(r, to_column).data() for r in range(model.rowCount())} == {"Rep 2"}
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert request.summary in texts and not any("rep1" in t or "rep2" in t for t in texts)
    dialog.grab().save(str(console.path.parent / "confirm-spread.png"))
    assert "Nothing moved." in console.window.status.currentMessage()


def test_spreading_an_absent_reps_leads(qtbot: QtBot, console: Console) -> None:
    tab = console.window.leads_tab
    tab.absent.setCurrentIndex(tab.absent.findData("rep1"))
    before = console.open_count("rep1")
    qtbot.mouseClick(tab.spread, Qt.MouseButton.LeftButton)
    request = console.confirmed[-1]
    assert request.moves and {m.to_user for m in request.moves} == {"rep2"}
    assert console.open_count("rep1") == before - len(request.moves)


def test_deactivating_a_rep_returns_their_leads_to_the_pool(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = console.window.users_tab
    assert users is not None
    console.window.tabs.setCurrentWidget(users)
    held = console.open_count("rep1")
    pool = console.open_count(POOL)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: asked.append(text) is None)
    users.select("rep1")
    qtbot.mouseClick(users.deactivate, Qt.MouseButton.LeftButton)
    assert asked and "open pool" in asked[0]
    assert console.open_count(POOL) == pool + held
    rep1 = next(u for u in console.desk.people.users() if u.name == "rep1")
    assert not rep1.active
    assert users.selected() is not None and users.reactivate.isEnabled()
    assert f"{held} open leads back to the pool" in console.window.status.currentMessage()

    users.select("rep2")
    users.capacity.setValue(123)
    users.territories.setText("de, at")
    qtbot.mouseClick(users.save, Qt.MouseButton.LeftButton)
    rep2 = next(u for u in users.model.items if u.name == "rep2")
    assert rep2.capacity == 123 and rep2.territories == ("AT", "DE")

    made = NewUser("anna.berg", "Anna Berg", rep2.role, 30, ("SE",))
    monkeypatch.setattr(team_dialogs, "ask_new_user", lambda _p, _admins: made)
    qtbot.mouseClick(users.add_button, Qt.MouseButton.LeftButton)
    assert any(u.name == "anna.berg" and u.capacity == 30 for u in users.model.items)


def test_lead_definition_validates_with_lines_shows_the_difference_and_publishes(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = console.window.definition_tab
    assert tab is not None
    current = console.desk.qualifying.definition().published
    text = current.source_text
    broken = text.replace("[definition]", "[definition]\nbogus = 1", 1)
    tab.editor.setPlainText(broken)
    qtbot.mouseClick(tab.validate_button, Qt.MouseButton.LeftButton)
    assert tab.findings.count() >= 1
    first = tab.findings.item(0)
    assert first.text().startswith("Line ") and "bogus" in first.text()
    assert not tab.publish_button.isEnabled()

    changed = text.replace('label = "New"', 'label = "Fresh"', 1)
    assert changed != text
    tab.editor.setPlainText(changed)
    qtbot.mouseClick(tab.validate_button, Qt.MouseButton.LeftButton)
    assert tab.verdict.text().startswith("✓ Valid. 1 change for reps against version")
    assert tab.publish_button.isEnabled()
    monkeypatch.setattr(team_dialogs, "ask_note", lambda _p, _hint: "Our own name")
    qtbot.mouseClick(tab.publish_button, Qt.MouseButton.LeftButton)
    published = console.desk.qualifying.definition().published
    assert published.version == current.version + 1 and published.note == "Our own name"
    assert f"version {published.version}" in tab.version.text()
    # The publisher as the team knows them; the framework said once, not "BANT (default) (BANT)".
    assert tab.version.text().endswith(f" by {console.desk.actor.display_name}")
    assert console.desk.actor.display_name != "lead1"
    assert f"— {published.name}, published" in tab.version.text()


def test_console_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester: object, console: Console
) -> None:
    window = console.window
    qtbot.mouseClick(window.rebalance_tab.preview_button, Qt.MouseButton.LeftButton)
    users = window.users_tab
    assert users is not None
    for model in (
        window.team_tab.model,
        window.leads_tab.model,
        window.leads_tab.proxy,
        window.rebalance_tab.loads,
        window.rebalance_tab.moves,
        users.model,
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_a_qualifier_has_no_console_and_the_desk_refuses_them(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path, user="rep1")
    desk = workspace.desk
    try:
        assert not workspace.window.set_team_console(lambda: None)
        assert not workspace.window.team_console_action.isVisible()
        with pytest.raises(NotPermitted):
            TeamConsole(desk, Operations(inline=True))
        for action in (
            desk.team.view,
            lambda: desk.team.leads(LeadPick(from_user="rep2")),
            lambda: desk.team.preview_reassign(LeadPick(from_user="rep2"), to_user="rep1"),
            desk.team.plan_rebalance,
            desk.team.sweep,
            lambda: desk.people.deactivate("rep2"),
        ):
            with pytest.raises(NotPermitted):
                action()
        sweep = PolicySweep(desk, workspace.window.ops, 5, workspace.window)
        assert not sweep.start() and not sweep.timer.isActive()
    finally:
        workspace.window.close()
        desk.close()


def test_team_leads_get_the_console_and_the_sweep_from_the_window(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    desk = open_desk(demo_store, "lead1", clock=clock)
    ops = Operations(inline=True)
    settings = Settings(tmp_path / "settings.json")
    settings[SWEEP_MINUTES] = 2
    window = open_window(desk, ops, settings, "UTC")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, MainWindow)
        assert window.team_console_action.isVisible()
        assert "Untouched-lead check" in window.statusBar().currentMessage()
        window.team_console_action.trigger()
        consoles = window.findChildren(TeamConsole)
        assert len(consoles) == 1 and consoles[0].isVisible()
        window.team_console_action.trigger()
        assert len(window.findChildren(TeamConsole)) == 1  # the same console, shown again
        sweeps = window.findChildren(PolicySweep)
        assert len(sweeps) == 1 and sweeps[0].timer.isActive()
        assert sweeps[0].timer.interval() == 2 * 60_000
        consoles[0].close()
    finally:
        window.close()
        desk.close()


def test_an_admin_opens_straight_into_the_console(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, restore_look: None
) -> None:
    desk = open_desk(demo_store, "admin", clock=clock)
    assert not desk.can(Action.WORK_QUEUE)
    settings = Settings(tmp_path / "s.json")
    window = open_window(desk, Operations(inline=True), settings, "UTC")
    qtbot.addWidget(window)
    try:
        assert isinstance(window, TeamConsole)
        qtbot.waitUntil(window.is_ready)
        assert window.sweep is not None and window.sweep.last is not None
        assert window.sweep_label.text().startswith("Untouched-lead check")
        # Their only window has a View menu: the look can be changed and is remembered.
        (view,) = (a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        (looks,) = (a.menu() for a in view.actions() if a.text() == "Look")
        dark = next(a for a in looks.actions() if a.text() == "Dark")
        dark.trigger()
        assert settings[THEME] == "dark" and colours().name == "dark"
    finally:
        window.close()
        desk.close()


def test_console_opener_makes_one_console(qtbot: QtBot, console: Console) -> None:
    parent = console.window
    opener = ConsoleOpener(console.desk, parent.ops, parent)
    opener()
    first = opener.console
    opener()
    assert first is not None and opener.console is first and first.isVisible()
    first.close()


def test_a_hidden_console_catches_up_when_shown(qtbot: QtBot, console: Console) -> None:
    window = console.window
    held = console.open_count("rep1")
    window.hide()
    console.desk.team.reassign(LeadPick(from_user="rep1", count=2), to_user="rep2")
    window.ops.changed.emit(frozenset({"team"}))
    assert window.team is not None
    assert next(r for r in window.team.reps if r.name == "rep1").open_leads == held
    window.show()
    qtbot.waitUntil(window.is_ready)
    assert next(r for r in window.team.reps if r.name == "rep1").open_leads == held - 2


def test_what_the_core_refuses_a_team_lead_is_said_in_a_message(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = console.window.users_tab
    assert users is not None
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, _text: True)
    users.select("admin")
    # The admin's row offers a team lead nothing, and says why …
    assert users.locked.isVisibleTo(users) and "Only an admin" in users.locked.text()
    assert not any(
        widget.isEnabled()
        for widget in (users.role, users.capacity, users.territories, users.save, users.deactivate)
    )
    # … and should it be asked all the same, the core's refusal is a message, not a traceback.
    users.deactivate_selected()
    assert console.warnings and "only an admin" in console.warnings[-1]
    assert next(u for u in console.desk.people.users() if u.name == "admin").active


def test_an_admin_backs_the_store_up_from_the_console_and_a_team_lead_cannot(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    console: Console,
) -> None:
    assert console.window.store_tab is None  # a team lead has no Store tab …
    with pytest.raises(NotPermitted):
        console.desk.admin.take_backup(tmp_path)  # … and the core refuses them too

    desk = open_desk(demo_store, "admin", clock=clock)
    ops = Operations()  # the real worker thread: the window stays responsive meanwhile
    window = TeamConsole(desk, ops)  # closed below, before its worker stops
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setattr(team_store, "choose_backup_folder", lambda _parent, _suggested: folder)
    try:
        tab = window.store_tab
        assert tab is not None
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: not ops.is_busy)
        assert tab.table.rowCount() == 0 and tab.said.text() == "No backup taken yet."
        tab.backup_button.click()
        qtbot.waitUntil(lambda: tab.backup_button.isEnabled() and not ops.is_busy, timeout=30_000)
        (taken,) = folder.iterdir()
        assert tab.said.text().startswith("Backed up ") and str(taken) in tab.said.text()
        assert tab.table.rowCount() == 1
        assert tab.table.item(0, 1).text() == "Administrator"
        assert tab.table.item(0, 2).text() == taken.name
        # What was written restores into a new store with the same leads.
        restored = restore_backup(tmp_path / "restored.sqlite3", taken, at=clock())
        with desk.store.reading() as session:
            leads = session.scalar(select(func.count()).select_from(Lead))
        assert restored.rows["leads"] == leads
    finally:
        window.close()
        ops.shutdown()
        desk.close()


def test_a_backup_that_fails_does_not_leave_the_last_success_in_the_status_bar(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    desk = open_desk(demo_store, "admin", clock=clock)
    window = TeamConsole(desk, Operations(inline=True))
    qtbot.addWidget(window)
    folders = [tmp_path, tmp_path / "not-a-folder.txt" / "backups"]
    (tmp_path / "not-a-folder.txt").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setattr(team_store, "choose_backup_folder", lambda _p, _s: folders.pop(0))
    try:
        tab = window.store_tab
        assert tab is not None
        tab.backup_button.click()
        assert window.status.currentMessage().startswith("Backed up ")
        tab.backup_button.click()
        assert tab.said.text() == "The backup was not taken."
        assert window.status.currentMessage() == "The backup was not taken."
        assert len(warnings_shown) == 1 and "Traceback" not in warnings_shown[0]
        assert tab.backup_button.isEnabled() and tab.table.rowCount() == 1
    finally:
        window.close()
        desk.close()


def _rename(console: Console, name: str, display_name: str) -> None:
    with console.desk.store.transaction() as session:
        user = session.scalar(select(User).where(User.name == name))
        assert user is not None
        user.display_name = display_name


LONG_NAME = "Annika Bergström-Lindqvist"


def test_the_team_tab_shows_whole_names_and_the_untouched_hours(
    qtbot: QtBot, console: Console
) -> None:
    _rename(console, "rep1", LONG_NAME)
    window = console.window
    window.refresh()
    qtbot.waitUntil(window.is_ready)
    tab = window.team_tab
    table = tab.table
    table.ensurePolished()
    assert table.columnWidth(0) > table.fontMetrics().horizontalAdvance(LONG_NAME)
    model = tab.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Untouched > 24 business h" in headers
    header = table.horizontalHeader()
    for column, text in enumerate(headers):  # no heading cut short either
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(str(text))
    assert "untouched > 24 business h" in tab.pool_detail.text()
    # The cards' big figures stand on one line, however long the detail under one of them.
    figures = (tab.team_figure, tab.pool_figure, tab.sales_figure)
    assert len({figure.mapTo(tab, QPoint(0, 0)).y() for figure in figures}) == 1


def test_console_times_are_in_the_viewers_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert when(datetime(2026, 11, 18, 15, 0, tzinfo=UTC)) == "18 Nov 10:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_sweep_line_counts_leads_with_thousands_grouped() -> None:
    at = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    result = SweepResult(
        at=at,
        flagged=tuple(range(1656)),
        unflagged=(),
        moved=(),
        not_moved=((7, "no rep with room"),),
        moved_after_call=(),
        auto_reassign=False,
    )
    words = sweep_words(result)
    assert "1,656 leads flagged untouched" in words
    assert "1 lead left where they are: no rep with room" in words


def test_the_drop_list_and_the_move_button_say_what_their_figures_are(
    qtbot: QtBot, console: Console
) -> None:
    tab = console.window.leads_tab
    view = console.desk.team.view()
    rep1 = next(r for r in view.reps if r.name == "rep1")
    item = tab.reps.item_for("rep1")
    assert item is not None
    assert item.text().replace("\u00a0", " ") == (
        f"{rep1.display_name} ({rep1.open_leads:,} / {rep1.capacity:,} leads)"
    )
    assert f"capacity {rep1.capacity:,}" in item.toolTip()
    assert not tab.move_selected.isEnabled() and tab.move_selected.text() == "Move…"
    tab.select_leads({m.lead_id for m in tab.model.items[:3]})
    assert tab.move_selected.isEnabled() and tab.move_selected.text() == "Move 3 leads…"
    assert tab.oldest_count.text() == "10 leads"


def test_user_changes_are_said_with_the_persons_name(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = console.window.users_tab
    assert users is not None
    console.window.tabs.setCurrentWidget(users)
    admin_choice = users.role.findData("admin")
    assert not users.role.model().index(admin_choice, 0).flags() & Qt.ItemFlag.ItemIsEnabled
    users.select("rep2")
    users.capacity.setValue(5)
    qtbot.mouseClick(users.save, Qt.MouseButton.LeftButton)
    said = console.window.status.currentMessage()
    assert said.startswith("Rep 2: capacity ") and "Rep 2 holds " in said
    assert "rep2" not in said
    users.select("sales1")  # no call queue: capacity and territories say nothing
    assert not users.capacity.isEnabled() and not users.territories.isEnabled()
    row = next(r for r, u in enumerate(users.model.items) if u.name == "sales1")
    assert users.model.index(row, 3).data() == "—"
    users.role.setCurrentIndex(users.role.findData("qualifier"))  # … until they would get one
    assert users.capacity.isEnabled() and users.territories.isEnabled()
    users.select("rep2")
    users.display_name.setText("Rory Rep")  # a name typed wrong at first, put right
    qtbot.mouseClick(users.save, Qt.MouseButton.LeftButton)
    assert console.window.status.currentMessage() == "Rory Rep: name Rep 2 → Rory Rep."
    assert users.selected().display_name == "Rory Rep"  # type: ignore[union-attr]
    made = NewUser("anna.berg", "Anna Berg", users.selected().role, 30, ())  # type: ignore[union-attr]
    monkeypatch.setattr(team_dialogs, "ask_new_user", lambda _p, _admins: made)
    qtbot.mouseClick(users.add_button, Qt.MouseButton.LeftButton)
    assert console.window.status.currentMessage() == (
        "Added Anna Berg (qualifier), who signs in as anna.berg."
    )


def test_moving_the_oldest_to_where_they_already_are_is_not_offered(
    qtbot: QtBot, qapp: QApplication, console: Console, restore_look: None
) -> None:
    apply_theme(qapp, "light")  # the look's font, which the side panel must make room for
    tab = console.window.leads_tab
    assert tab.move_oldest.isEnabled()  # the console opens on two different holders
    tab.oldest_from.setCurrentIndex(tab.oldest_from.findData("rep1"))
    tab.oldest_to.setCurrentIndex(tab.oldest_to.findData("rep1"))
    assert not tab.move_oldest.isEnabled()
    assert tab.move_oldest.toolTip() == "From and To are the same."
    tab.oldest_to.setCurrentIndex(tab.oldest_to.findData("rep2"))
    assert tab.move_oldest.isEnabled() and not tab.move_oldest.toolTip()
    _rename(console, "rep1", LONG_NAME)
    console.window.refresh()  # a refresh of the counts keeps it right
    qtbot.waitUntil(console.window.is_ready)
    assert tab.move_oldest.isEnabled()
    assert not console.asked_why  # nothing was asked along the way
    # A long name keeps its count in view in the narrow side panel.
    console.window.tabs.setCurrentWidget(tab)
    tab.oldest_from.setCurrentIndex(tab.oldest_from.findData("rep1"))
    qapp.processEvents()  # the layout follows the new look and names
    shown = tab.oldest_from.currentText()
    assert shown.startswith(LONG_NAME) and shown.endswith(")")
    room = tab.oldest_from.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox,
        _combo_option(tab.oldest_from),
        QStyle.SubControl.SC_ComboBoxEditField,
        tab.oldest_from,
    )
    assert room.width() >= tab.oldest_from.fontMetrics().horizontalAdvance(shown)


def _combo_option(combo: QComboBox) -> QStyleOptionComboBox:
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.currentText = combo.currentText()
    return option


def test_the_team_tab_shows_who_is_on_a_call_and_reads_the_floor_again(
    qtbot: QtBot, console: Console
) -> None:
    team = console.window.team_tab
    now_column = next(n for n, c in enumerate(team.model.columns) if c.header == "Now")

    def now_of(rep: str) -> str:
        row = next(n for n, r in enumerate(team.rep_rows()) if r.name == rep)
        return str(team.model.index(row, now_column).data())

    with console.as_user("rep1") as rep:
        taken = rep.queue.next()
        assert taken is not None
        rep.calls.log(taken.lead_id, CallOutcome.CONNECTED, duration_seconds=20)
    console.clock.advance(minutes=4)
    assert not now_of("rep1").startswith("on a call")  # read before the call

    console.window.tabs.setCurrentWidget(console.window.leads_tab)
    console.window.look_again()  # the minute's look skips a tab nobody is looking at
    assert not now_of("rep1").startswith("on a call")
    console.window.tabs.setCurrentWidget(team)
    console.window.look_again()
    qtbot.waitUntil(lambda: now_of("rep1") == "on a call, 4 min")
    row = next(n for n, r in enumerate(team.rep_rows()) if r.name == "rep1")
    tone = team.model.index(row, now_column).data(Qt.ItemDataRole.ForegroundRole)
    assert tone == colours().qcolor("good")


def test_the_do_not_call_tab_adds_imports_and_removes_entries(
    qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui.console import do_not_call as team_do_not_call

    window = console.window
    tab = window.do_not_call_tab
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    monkeypatch.setattr(
        team_do_not_call, "ask_entry", lambda _parent: ("+1 212 555 0199", "asked on a call")
    )
    tab.add()
    qtbot.waitUntil(lambda: len(tab.entries) == 1)
    assert tab.table.item(0, 0).text() == "+12125550199"
    listing = tmp_path / "scrub.csv"
    listing.write_text("Email\noptout@northwind.example\n", encoding="utf-8")
    monkeypatch.setattr(team_do_not_call, "ask_list_file", lambda _parent: listing)
    tab.import_file()
    qtbot.waitUntil(lambda: len(tab.entries) == 2)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _parent, _title, text: asked.append(text) or True)
    tab.table.selectRow(1)
    assert tab.remove_button.isEnabled()
    tab.remove()
    qtbot.waitUntil(lambda: len(tab.entries) == 1)
    assert "stay flagged" in asked[0]
    assert [entry.value for entry in console.desk.privacy.do_not_call_list()] == [
        "optout@northwind.example"
    ]


def test_an_admins_console_brings_leads_in_and_hands_the_teams_off(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    desk = open_desk(demo_store, "admin", clock=clock)
    console = TeamConsole(desk, Operations(inline=True), settings=Settings(tmp_path / "s.json"))
    qtbot.addWidget(console)
    console.show()
    qtbot.waitUntil(console.is_ready)
    file_menu = next(m for m in console.menuBar().actions() if m.text() == "&File").menu()
    assert [a.text() for a in file_menu.actions() if a.text()] == [
        "Import leads…",
        "New lead…",
        "End of day: hand the team's leads to sales…",
        "&Restore a backup…",
        "Sync settings…",
        "Quit",
    ]
    dialog = console.show_new_lead()
    assert dialog.owner.itemData(0) == "policy" and not dialog.work_now.isVisible()
    dialog.owner.setCurrentIndex(dialog.owner.findData("pool"))
    qtbot.keyClicks(dialog.first_name, "Dee")
    qtbot.keyClicks(dialog.email, "dee@example.com")
    dialog.add()
    assert console.status.currentMessage().endswith("for Dee, in the open pool")
    assert console.open_import().isVisible()
    export = console.show_handoff_export()
    assert export.isVisible() and export.team.isChecked()  # an admin hands off the team's
    assert not warnings_shown
    console.close()
    desk.close()

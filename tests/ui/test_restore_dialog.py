"""File ▸ Restore a backup… in an admin's console, driven from the keyboard on the demo store:
check first, then restore into a new file; a damaged backup, a file that exists and a stop
leave nothing written; a team lead neither sees the entry nor gets past the core."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.errors import NotPermitted
from leaddesk.settings import Settings
from leaddesk.store import open_store
from leaddesk.store.models import Lead
from tests.conftest import PG_ENV, _reset_postgres
from tests.ui.conftest import DEMO_LEADS, open_workspace
from ui.common.operations import Operations
from ui.console.console import TeamConsole
from ui.start import restore as restore_dialog
from ui.start.restore import RestoreDialog, Step


@dataclass
class Admin:
    console: TeamConsole
    desk: Desk
    ops: Operations
    backup: Path
    target: Path

    def restore_dialog(self) -> RestoreDialog:
        """File ▸ Restore a backup…, as the menu opens it (file pickers answered by the test)."""
        action = self.console.restore_action
        assert action is not None and action in self.console.menuBar().actions()[0].menu().actions()
        action.trigger()
        dialog = self.console.findChild(RestoreDialog)
        assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
        return dialog


@pytest.fixture
def admin(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Admin]:
    desk = open_desk(demo_store, "admin", clock=clock)
    backup = desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
    target = tmp_path / "restored" / "team.sqlite3"
    # The admin's console as the app (with its File menu); its work on a real worker thread.
    ops = Operations()
    console = TeamConsole(desk, ops, settings=Settings(tmp_path / "settings.json"))
    picked = Admin(console, desk, ops, backup, target)
    monkeypatch.setattr(restore_dialog, "choose_backup_file", lambda _p, _f: picked.backup)
    monkeypatch.setattr(restore_dialog, "choose_new_store_file", lambda _p, _s: picked.target)
    qtbot.addWidget(console)
    with qtbot.waitExposed(console):
        console.show()
    qtbot.waitUntil(console.is_ready, timeout=20_000)
    yield picked
    for widget in QApplication.topLevelWidgets():  # a restored store opened beside it
        if isinstance(widget, TeamConsole) and widget is not console:
            widget.close()
    console.close()
    picked.ops.shutdown()
    desk.close()


def leads_in(path: Path | str) -> int:
    store = open_store(path, create=False)
    try:
        with store.reading() as session:
            return int(session.scalar(select(func.count()).select_from(Lead)) or 0)
    finally:
        store.close()


def press(qtbot: QtBot, dialog: RestoreDialog, key: Qt.Key) -> None:
    qtbot.keyClick(dialog.focusWidget() or dialog, key)


def test_an_admin_checks_a_backup_then_restores_it_into_a_new_file(
    qtbot: QtBot, admin: Admin
) -> None:
    dialog = admin.restore_dialog()
    # Both pickers were asked in turn; Enter runs the default button, the check.
    assert dialog.source.text() == str(admin.backup)
    assert dialog.target.text() == str(admin.target)
    assert dialog.check_button.isDefault()
    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.step is Step.CHECKED, timeout=30_000)
    assert not admin.target.exists()  # the check wrote nothing
    facts = dialog.facts.text()
    assert "team.ldbackup.gz" in facts and "by admin" in facts and "schema" in facts
    tables = {
        dialog.table.item(row, 0).text(): dialog.table.item(row, 1).text()
        for row in range(dialog.table.rowCount())
    }
    assert tables["leads"] == f"{DEMO_LEADS:,}"
    assert dialog.restore_button.isDefault() and dialog.restore_button.hasFocus()

    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.step is Step.DONE, timeout=60_000)
    assert leads_in(admin.target) == DEMO_LEADS
    said = dialog.said.text()
    assert str(admin.target) in said and "leaddesk --db" in said
    assert dialog.open_button.isDefault()

    press(qtbot, dialog, Qt.Key.Key_Return)  # Open in a new window
    opened = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, TeamConsole) and widget is not admin.console
    ]
    assert len(opened) == 1 and opened[0].desk.store.label == str(admin.target)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not opened[0].ops.is_busy, timeout=20_000)


def test_a_damaged_backup_is_refused_at_the_check_and_nothing_is_written(
    qtbot: QtBot, admin: Admin
) -> None:
    whole = admin.backup.read_bytes()
    admin.backup = admin.backup.with_name("cut.ldbackup.gz")
    admin.backup.write_bytes(whole[: len(whole) // 2])  # a copy that stopped half-way
    dialog = admin.restore_dialog()
    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.is_idle() and dialog.problem.isVisible(), timeout=30_000)
    problem = dialog.problem.text()
    assert problem.startswith("<b>This backup cannot be restored.</b> ")
    assert "cut.ldbackup.gz" in problem
    assert "damaged" in problem and "Choose another backup file" in problem
    assert "Traceback" not in problem
    assert dialog.step is Step.CHOOSING and not dialog.restore_button.isVisible()
    assert dialog.source.hasFocus()  # the box to change
    assert not admin.target.exists() and not admin.target.parent.exists()


def test_a_store_file_that_exists_is_refused_and_left_as_it_was(qtbot: QtBot, admin: Admin) -> None:
    admin.target.parent.mkdir()
    admin.target.write_bytes(b"someone's notes")
    dialog = admin.restore_dialog()
    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.is_idle() and dialog.problem.isVisible(), timeout=30_000)
    assert str(admin.target) in dialog.problem.text()
    assert "already exists" in dialog.problem.text() and "new file name" in dialog.problem.text()
    assert dialog.target.hasFocus() and dialog.step is Step.CHOOSING
    assert admin.target.read_bytes() == b"someone's notes"
    # A new name, and the check goes through.
    dialog.target.setText(str(admin.target.with_name("fresh.sqlite3")))
    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.step is Step.CHECKED, timeout=30_000)
    assert not dialog.problem.isVisible()


def test_esc_stops_a_restore_and_nothing_is_written(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    desk = open_desk(demo_store, "admin", clock=clock)
    backup = desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
    target = tmp_path / "restored.sqlite3"
    dialog = RestoreDialog(desk, Operations(inline=True))
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        dialog.source.setText(str(backup))
        dialog.target.setText(str(target))
        dialog.check()
        assert dialog.step is Step.CHECKED
        # At the first rows written, the admin presses Esc: the restore stops, the dialog stays.
        dialog.progressed.connect(lambda *_: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
        dialog.restore()
        assert dialog.isVisible() and dialog.step is Step.CHECKED
        assert dialog.said.text() == "Restore stopped. Nothing was written."
        assert not target.exists()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing running: Esc closes
        assert not dialog.isVisible()
    finally:
        desk.close()


def test_the_fields_are_reached_with_alt_letters(qtbot: QtBot, admin: Admin) -> None:
    dialog = admin.restore_dialog()
    form = dialog.findChild(QFormLayout)
    assert form is not None
    buddies = {}
    for row in range(2):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        assert item is not None and isinstance(item.widget(), QLabel)
        label = item.widget()
        assert isinstance(label, QLabel)
        buddies[label.text()] = label.buddy()
    assert buddies == {"&Backup file:": dialog.source, "Restore &into:": dialog.target}
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_backup_restores_into_an_empty_postgresql_database_from_the_dialog(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    postgres_url: str | None,
) -> None:
    if not postgres_url:
        pytest.skip(f"no PostgreSQL configured: set {PG_ENV} (.ci/run does)")
    _reset_postgres(postgres_url)
    desk = open_desk(demo_store, "admin", clock=clock)
    dialog = RestoreDialog(desk, Operations(inline=True))
    qtbot.addWidget(dialog)
    try:
        dialog.source.setText(str(desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path))
        dialog.target.setText(postgres_url)
        dialog.check()
        assert dialog.step is Step.CHECKED, dialog.problem.text()
        dialog.restore()
        assert dialog.step is Step.DONE, dialog.problem.text()
        assert "Database logins are not in a backup" in dialog.said.text()
        assert leads_in(postgres_url) == DEMO_LEADS
        # Restoring again into what is now a full database is refused at the check.
        dialog.target.setText(postgres_url)
        dialog._edited()
        dialog.check()
        assert "already holds data" in dialog.problem.text()
        assert dialog.step is Step.CHOOSING and not dialog.restore_button.isVisible()
    finally:
        dialog.close()
        desk.close()


def test_a_team_lead_has_no_restore_entry_and_the_core_refuses_them(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(demo_store, "admin", clock=clock) as admin_desk:
        backup = admin_desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
    settings = Settings(tmp_path / "settings.json")
    desk = open_desk(demo_store, "lead1", clock=clock)
    console = TeamConsole(desk, Operations(inline=True), settings=settings)
    qtbot.addWidget(console)
    target = tmp_path / "theirs.sqlite3"
    try:
        assert console.restore_action is None
        entries = [
            action.text()
            for menu in console.menuBar().actions()
            if menu.menu() is not None
            for action in menu.menu().actions()
        ]
        assert entries and not any("Restore" in text for text in entries)
        with pytest.raises(NotPermitted):
            desk.admin.restore(backup, str(target), dry_run=True)
        # Should the dialog be reached all the same, the refusal is said in it, in words.
        dialog = RestoreDialog(desk, Operations(inline=True), console)
        dialog.source.setText(str(backup))
        dialog.target.setText(str(target))
        dialog.check()
        assert "cannot set up, back up or fill the store" in dialog.problem.text()
        assert dialog.step is Step.CHOOSING and not target.exists()
        dialog.close()
    finally:
        console.close()
        desk.close()
    # A rep's workspace has no such entry either.
    rep = open_workspace(qtbot, demo_store, clock, tmp_path, user="rep1")
    try:
        texts = [a.text() for a in rep.window.findChildren(type(rep.window.import_action))]
        assert not any("Restore" in text for text in texts)
    finally:
        rep.window.close()
        rep.desk.close()

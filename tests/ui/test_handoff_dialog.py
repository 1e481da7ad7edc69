"""The end-of-day export dialog: preview, remembered folder, progress, cancel, open folder."""

from __future__ import annotations

import json
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.handoff import verify_batch
from leaddesk.settings import EXPORT_FOLDER, Settings
from leaddesk.store import open_store
from leaddesk.store.models import Lead
from tests.ui.conftest import open_sales, open_workspace
from ui.common.operations import Operations
from ui.common.theme import DARK, LIGHT, apply_theme
from ui.handoff.dialog import EndOfDayExport, State


def _dialog(
    qtbot: QtBot, path: Path, clock: FixedClock, tmp_path: Path, user: str = "rep1"
) -> tuple[EndOfDayExport, Desk, list[Path]]:
    desk = open_desk(path, user, clock=clock)
    opened: list[Path] = []
    dialog = EndOfDayExport(
        desk,
        Operations(inline=True),
        Settings(tmp_path / "settings.json"),
        open_folder=lambda folder: opened.append(folder) is None,
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state is not State.LOADING)
    return dialog, desk, opened


def test_ctrl_e_previews_exports_remembers_the_folder_and_opens_it(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    waiting = workspace.desk.handoff.preview()
    assert waiting.count > 0  # the demo leaves every rep a few hand-offs

    qtbot.keyClick(workspace.window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.window.findChild(EndOfDayExport)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.state is State.READY)
    assert dialog.model.rowCount() == waiting.count
    assert f"{waiting.count} lead" in dialog.headline.text()
    assert not dialog.team.isVisible()  # a rep hands off only their own leads

    out = tmp_path / "handoffs"
    dialog.folder.setText(str(out))
    dialog.xlsx.setChecked(True)
    opened: list[Path] = []
    dialog._open_folder = lambda folder: opened.append(folder) is None
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state is State.DONE)

    assert dialog.exported is not None
    batch = dialog.exported.new_batch
    assert batch is not None and batch.lead_count == waiting.count
    assert batch.folder.parent == out
    assert {p.suffix for p in batch.paths} >= {".csv", ".jsonl", ".json", ".xlsx"}
    assert verify_batch(batch.folder).ok
    assert batch.code in dialog.said.text()
    # The headline no longer says the leads are waiting: they have gone.
    assert "waiting" not in dialog.headline.text()
    assert f"Handed off: {waiting.count} lead" in dialog.headline.text()
    manifest = json.loads((batch.folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["lead_ids"]) == sorted(lead.lead_id for lead in waiting.leads)

    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [batch.folder]
    # The folder is remembered for tomorrow, and nothing is left to hand off.
    assert Settings(tmp_path / "settings.json")[EXPORT_FOLDER] == str(out)
    assert workspace.desk.handoff.preview().count == 0
    assert workspace.window.show_handoff_export() is dialog  # Ctrl+E again: the same dialog
    dialog.close()
    again = workspace.window.show_handoff_export()
    assert again is not dialog
    qtbot.waitUntil(lambda: again.state is State.NOTHING)
    assert again.folder.text() == str(out)
    assert not again.export_button.isEnabled()
    assert "Nothing to hand off" in again.headline.text()
    assert warnings_shown == []


def test_cancel_while_writing_hands_nothing_off(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    dialog, desk, _ = _dialog(qtbot, demo_store, clock, tmp_path)
    before = desk.handoff.preview()
    out = tmp_path / "out"
    dialog.folder.setText(str(out))
    # The rep presses Cancel as soon as the first progress arrives.
    dialog._progress.moved.connect(lambda *_: dialog.reject())
    dialog.export()
    qtbot.waitUntil(lambda: dialog.state is not State.EXPORTING and dialog._run is None)
    qtbot.waitUntil(lambda: dialog.state is State.READY)
    assert "cancelled" in dialog.said.text().lower()
    assert dialog.isVisible() or not dialog.exported  # the dialog did not close under the rep
    assert desk.handoff.preview().count == before.count
    batches = list(out.glob("*/manifest.json")) if out.exists() else []
    assert batches == []


def test_a_folder_that_cannot_be_made_is_said_and_nothing_moves(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    dialog, desk, _ = _dialog(qtbot, demo_store, clock, tmp_path)
    before = desk.handoff.preview().count
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    dialog.folder.setText(str(blocker / "inside"))
    dialog.export()
    qtbot.waitUntil(lambda: dialog.state is State.READY)
    assert str(blocker / "inside") in dialog.said.text()
    assert desk.handoff.preview().count == before


def test_team_lead_may_export_the_team_and_the_preview_says_what_sales_will_miss(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    qtmodeltester: ModelTester,
    warnings_shown: list[str],
) -> None:
    dialog, desk, _ = _dialog(qtbot, demo_store, clock, tmp_path, user="lead1")
    assert not dialog.team.isHidden()
    # A team lead has no hand-offs of their own: the dialog says where the team's are.
    assert dialog.state is State.NOTHING
    assert "Tick the box below to see the whole team's" in dialog.headline.text()
    dialog.team.setChecked(True)
    assert warnings_shown == []
    qtbot.waitUntil(lambda: dialog.state is State.READY)
    team = desk.handoff.preview(team=True)
    assert dialog.model.rowCount() == team.count > 0
    qtmodeltester.check(dialog.model)
    lacking = [lead for lead in team.leads if lead.warnings]
    if lacking:
        row = team.leads.index(lacking[0])
        shown = dialog.model.index(row, 7).data()
        assert shown == ", ".join(lacking[0].warnings)
        assert "Sales will miss" in dialog.warnings.text()


def test_the_export_is_absent_for_sales(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    sales = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    shown = [action.text() for menu in sales.window._menus.values() for action in menu.actions()]
    assert not any("hand off to sales" in text for text in shown)
    assert not sales.window.findChildren(EndOfDayExport)
    assert warnings_shown == []  # no message box for the queue a salesperson does not work


def test_the_preview_names_qualifiers_on_the_viewers_clock_and_colours_by_the_look(
    qtbot: QtBot,
    qapp: QApplication,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    restore_look: None,
) -> None:
    with open_desk(demo_store, "lead1", clock=clock) as desk:
        first = desk.handoff.preview(team=True).leads[0]
    store = open_store(demo_store)
    with store.transaction() as session:  # sales will miss this one's email
        lead = session.get(Lead, first.lead_id)
        assert lead is not None
        lead.person.email = None
    store.close()
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        dialog, desk, _ = _dialog(qtbot, demo_store, clock, tmp_path, user="lead1")
        dialog.team.setChecked(True)
        qtbot.waitUntil(lambda: dialog.state is State.READY)
        model = dialog.model
        assert model.index(0, 0).data() == first.lead_id
        assert first.qualified_by_name and first.qualified_by_name != first.qualified_by
        assert model.index(0, 3).data() == first.qualified_by_name
        local = first.qualified_at.astimezone(ZoneInfo("America/New_York"))
        assert model.index(0, 4).data() == local.strftime("%d %b %H:%M")
        assert model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for look, colours in (("dark", DARK), ("light", LIGHT)):
            apply_theme(qapp, look)
            ink = model.index(0, 7).data(Qt.ItemDataRole.ForegroundRole)
            assert ink.color() == colours.qcolor("warn")
        desk.close()
    finally:
        monkeypatch.undo()
        time.tzset()

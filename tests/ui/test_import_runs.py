"""File ▸ Recent imports: the runs listed with who ran them, one undone after asking, another
rep's refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, UndoSummary, open_desk
from leaddesk.intake.by_hand import NewInterest
from leaddesk.intake.runs import BY_HAND
from leaddesk.store.models import Lead, User
from tests.ui.conftest import open_workspace
from ui.common import dialogs
from ui.intake.runs import COLUMNS, ImportRunsDialog, _kept_in_the_trail

BY, STATUS = COLUMNS.index("By"), COLUMNS.index("Status")


def _lead_count(desk: Desk) -> int:
    with desk.store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Lead)) or 0)


def test_a_run_is_listed_and_undone_after_asking(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    before = _lead_count(workspace.desk)
    sheet = tmp_path / "webinar.csv"
    sheet.write_text(
        "name,email,phone,company\n"
        "Ada Quill,ada.quill@quillworks.example,+44 20 7946 0101,Quillworks\n"
        "Ben Ferro,ben@ferro-tools.example,+44 20 7946 0102,Ferro Tools\n",
        encoding="utf-8",
    )
    summary = workspace.desk.intake.import_file(sheet, source="webinar")
    assert summary.counts.created == 2 and _lead_count(workspace.desk) == before + 2
    single = tmp_path / "fair.csv"
    single.write_text(
        "name,email,phone,company\nCai Lund,cai@lund-bikes.example,+44 20 7946 0103,Lund\n",
        encoding="utf-8",
    )
    assert workspace.desk.intake.import_file(single, source="fair").counts.created == 1

    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: asked.append(text) is None)
    dialog = workspace.window.show_import_runs()
    assert isinstance(dialog, ImportRunsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2)
    # One lead is said as one lead.
    assert dialog.table.item(0, 1).text() == "fair.csv"
    # Who ran each import, by the name the team knows them by, not their sign-in name.
    assert [dialog.table.item(row, BY).text() for row in (0, 1)] == ["Rep 1", "Rep 1"]
    # The short count headings stand over their figures and say in full what they count.
    merged = dialog.table.horizontalHeaderItem(COLUMNS.index("Merged"))
    assert merged is not None and merged.toolTip() == "Merged into existing people"
    assert Qt.AlignmentFlag(merged.textAlignment()) & Qt.AlignmentFlag.AlignRight
    dialog.table.selectRow(0)
    dialog.undo_selected()
    qtbot.waitUntil(lambda: "undone:" in dialog.said.text())
    assert "1 lead and 1 person removed, 0 open leads given back" in dialog.said.text()
    qtbot.waitUntil(lambda: dialog.table.item(0, STATUS).text() == "undone")
    assert dialog.table.item(1, 1).text() == "webinar.csv"
    dialog.table.selectRow(1)
    asked.clear()
    dialog.said.setText("")
    assert dialog.table.item(1, STATUS).text() == "imported"
    assert dialog.undo_button.isEnabled()
    dialog.undo_selected()
    qtbot.waitUntil(lambda: "undone:" in dialog.said.text())
    assert asked and "webinar.csv" in asked[0]
    assert "2 leads" in dialog.said.text()
    assert _lead_count(workspace.desk) == before
    qtbot.waitUntil(lambda: dialog.table.item(1, STATUS).text() == "undone")
    dialog.table.selectRow(1)
    assert not dialog.undo_button.isEnabled()


def test_a_rep_cannot_undo_another_reps_import(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_workspace(qtbot, demo_store, clock, tmp_path, user="rep1")
    sheet = tmp_path / "fair.csv"
    sheet.write_text(
        "name,email,company\nCara Dune,cara@dune-freight.example,Dune Freight\n",
        encoding="utf-8",
    )
    first.desk.intake.import_file(sheet, source="fair")
    first.window.close()
    before = _lead_count(first.desk)

    other = open_workspace(qtbot, demo_store, clock, tmp_path, user="rep2")
    monkeypatch.setattr(dialogs, "ask", lambda *_args: True)
    dialog = other.window.show_import_runs()
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1)
    assert dialog.table.item(0, BY).text() == "Rep 1"
    assert dialog.table.horizontalHeaderItem(BY).text() == "By"
    dialog.table.selectRow(0)
    dialog.undo_selected()
    qtbot.waitUntil(lambda: dialog.said.text().startswith("Nothing was undone"))
    assert _lead_count(other.desk) == before


def test_leads_entered_by_hand_are_listed_only_on_request(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    workspace = open_workspace(qtbot, demo_store, clock, tmp_path)
    sheet = tmp_path / "webinar.csv"
    sheet.write_text(
        "name,email,phone,company\nAda Quill,ada.quill@quillworks.example,,Quillworks\n",
        encoding="utf-8",
    )
    workspace.desk.intake.import_file(sheet, source="webinar")
    for number in range(3):
        workspace.desk.intake.add_lead(
            NewInterest(first_name="Caller", last_name=f"No{number}", phone=f"+1212555010{number}")
        )
    dialog = workspace.window.show_import_runs()
    assert isinstance(dialog, ImportRunsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1)
    # Three leads typed in by hand do not push the file import down the list.
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "webinar.csv"
    dialog.by_hand_box.setChecked(True)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4)
    assert [dialog.table.item(row, 1).text() for row in range(3)] == [BY_HAND] * 3
    assert dialog.table.item(0, COLUMNS.index("Source")).text() == "inbound call"
    assert dialog.table.item(3, 1).text() == "webinar.csv"


def test_a_run_kept_while_a_rep_has_its_lead_open_is_undone_once_they_only_skipped_it(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    team_lead = open_workspace(qtbot, demo_store, clock, tmp_path, user="lead1")
    before = _lead_count(team_lead.desk)
    sheet = tmp_path / "expo.csv"
    sheet.write_text(
        "name,email,phone,company\nDara Vale,dara@vale-ceramics.example,+44 20 7946 0104,Vale\n",
        encoding="utf-8",
    )
    assert team_lead.desk.intake.import_file(sheet, source="expo").counts.created == 1
    with team_lead.desk.store.reading() as session:
        lead_id, holder, shown = session.execute(
            select(Lead.id, User.name, User.display_name)
            .join(User, User.id == Lead.assigned_to_id)
            .order_by(Lead.id.desc())
            .limit(1)
        ).one()
    monkeypatch.setattr(dialogs, "ask", lambda *_args: True)
    dialog = team_lead.window.show_import_runs()
    assert isinstance(dialog, ImportRunsDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 1)
    assert dialog.table.item(0, 1).text() == "expo.csv"
    with open_desk(demo_store, holder, clock=clock) as rep:
        rep.queue.renew_claim(lead_id)  # open on the rep's screen: maybe on the phone
        dialog.table.selectRow(0)
        dialog.undo_selected()
        qtbot.waitUntil(lambda: dialog.said.text().startswith("Nothing was undone."))
        assert f"{shown} has lead #{lead_id} open" in dialog.said.text()
        assert _lead_count(team_lead.desk) == before + 1
        rep.queue.skip(lead_id)  # "skip for now": a look, nothing of theirs to lose
    dialog.table.selectRow(0)
    dialog.undo_selected()
    qtbot.waitUntil(lambda: "undone:" in dialog.said.text())
    assert _lead_count(team_lead.desk) == before
    assert dialog.said.text().endswith(
        "Reps had only looked at 1 of the leads: the audit trail keeps those events."
    )


def test_the_window_says_what_the_undo_took_that_was_not_work() -> None:
    def said(looked_at: int, flagged: int) -> str:
        return _kept_in_the_trail(UndoSummary(7, 3, 3, 0, 0, looked_at=looked_at, flagged=flagged))

    assert said(0, 0) == ""
    assert (
        said(0, 2) == " The sweep had flagged 2 as untouched: the audit trail keeps those events."
    )
    assert said(1, 1_200) == (
        " Reps had only looked at 1 of the leads and the sweep had flagged 1,200 as untouched:"
        " the audit trail keeps those events."
    )

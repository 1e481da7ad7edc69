"""File ▸ Import… and dropping a file on the window: columns, preview, import, stop, reuse."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.domain import OPEN_STAGES
from leaddesk.intake.importing import CHUNK_ROWS
from leaddesk.intake.mapping import Field
from leaddesk.settings import IMPORT_FOLDER
from leaddesk.store.models import ImportRun, Lead, Person, SourceMapping
from tests.csv_sheets import write_csv
from tests.ui.conftest import Workspace
from ui.common import shortcuts
from ui.common.operations import Operations
from ui.intake import dialog as import_dialog
from ui.intake.dialog import COLUMNS, FILE, IMPORT, PREVIEW, ImportDialog
from ui.workspace.window import MainWindow

PLAIN = ["name", "email", "phone", "company"]


def store_counts(ws: Workspace) -> tuple[int, int, int, int]:
    with ws.desk.store.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Lead)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(ImportRun)) or 0,
            session.scalar(select(func.count()).select_from(SourceMapping)) or 0,
        )


def known_people(ws: Workspace) -> tuple[Person, Person]:
    """A demo person with an open lead, and one whose leads are all closed."""
    with ws.desk.store.reading() as session:
        people = session.scalars(select(Person).where(Person.email.is_not(None)).limit(400)).all()
        with_open = without_open = None
        for person in people:
            stages = session.scalars(select(Lead.stage).where(Lead.person_id == person.id)).all()
            if any(stage in OPEN_STAGES for stage in stages):
                with_open = with_open or person
            elif stages:
                without_open = without_open or person
        assert with_open is not None and without_open is not None
        session.expunge_all()
        return with_open, without_open


def open_dialog(ws: Workspace, qtbot: QtBot, path: Path | None = None) -> ImportDialog:
    dialog = ws.window.open_import(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.running is None)
    return dialog


def drop(window: MainWindow | ImportDialog, path: Path) -> tuple[bool, bool]:
    """Drag ``path`` over the window and drop it: (drag accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action, button, modifier = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(50, 50), action, mime, button, modifier)
    enter.ignore()
    window.dragEnterEvent(enter)
    dropped = QDropEvent(QPointF(50, 50), action, mime, button, modifier)
    dropped.ignore()
    window.dropEvent(dropped)
    return enter.isAccepted(), dropped.isAccepted()


@pytest.fixture
def opened_reports(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []
    monkeypatch.setattr(import_dialog, "open_report", lambda path: opened.append(path) is None)
    return opened


def test_a_dropped_plain_sheet_previews_imports_and_refreshes_the_queue(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path, opened_reports: list[Path]
) -> None:
    ws = workspace
    with_open, without_open = known_people(ws)
    rows = [
        ["Ada Lovelace", "ada@engines.example", "+44 20 7946 0001", "Analytical Engines"],
        ["Grace Hopper", "grace@cobol.example", "+1 212 555 0100", "Compilers Inc"],
        ["Alan Turing", "alan@bletchley.example", "+44 20 7946 0002", "Bletchley Park"],
        ["Known Again", without_open.email or "", "", "Somewhere"],
        ["Still Open", with_open.email or "", "", "Elsewhere"],
        ["Nobody", "not-an-email", "", "Acme"],
    ]
    (tmp_path / "inbound").mkdir()
    path = write_csv(tmp_path / "inbound" / "Webinar leads 2026-11-30.csv", PLAIN, rows)
    before = store_counts(ws)

    assert drop(ws.window, path) == (True, True)
    dialog = ws.window._import
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.look is not None)
    assert dialog.source_box.currentText() == "Webinar leads"
    assert "CSV" in dialog.file_info.text() and "4 columns" in dialog.file_info.text()

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == COLUMNS
    chosen = {name: combo.currentText() for name, combo in dialog.mapping.combos.items()}
    assert chosen == {"name": "Full name", "email": "Email", "phone": "Phone", "company": "Company"}
    assert "plain name, email, phone, company sheet" in dialog.mapping.found.text()
    assert store_counts(ws) == before

    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Preview
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.page == PREVIEW
    counts = dialog.preview_counts
    assert counts.number("created") == 3
    assert counts.number("merged") == 1
    assert counts.number("attached") == 1
    assert counts.number("invalid") == 1
    reasons = dict(dialog.preview_rows.reasons())
    assert reasons["2"] == "new lead"
    assert reasons["5"].startswith("merged")
    assert reasons["6"].startswith("attached")
    assert reasons["7"].startswith("row skipped: no usable email or phone")
    assert dialog.next_button.text() == "&Import 5 rows"
    assert store_counts(ws) == before  # a preview stores nothing

    with qtbot.waitSignal(ws.window.queue.model.loaded, timeout=5000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Import
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.page == IMPORT
    assert dialog.import_title.text() == "Import finished"
    assert "6 rows of Webinar leads 2026-11-30.csv imported" in dialog.import_status.text()
    assert "File ▸ Recent imports (undo)… takes it out again" in dialog.import_status.text()
    leads, people, runs, mappings = store_counts(ws)
    assert (leads, people, runs, mappings) == (before[0] + 4, before[1] + 3, before[2] + 1, 1)
    with ws.desk.store.reading() as session:
        emails = set(
            session.scalars(
                select(Person.email)
                .join(Lead, Lead.person_id == Person.id)
                .where(Lead.source == "Webinar leads")
            )
        )
    assert emails == {
        "ada@engines.example",
        "grace@cobol.example",
        "alan@bletchley.example",
        without_open.email,
    }

    report = dialog.outcome.summary.report if dialog.outcome else None
    assert report is not None and Path(report).parent == path.parent and Path(report).exists()
    assert report in dialog.report_label.text()
    qtbot.mouseClick(dialog.open_report_button, Qt.MouseButton.LeftButton)
    assert opened_reports == [Path(report)]
    assert ws.warnings == []
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Done
    assert not dialog.isVisible()


def test_file_import_is_in_the_file_menu_with_ctrl_i_and_on_the_shortcut_sheet(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = workspace.window
    file_menu = window._menus["File"]
    assert window.import_action in file_menu.actions()
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert any("Import leads" in what for _group, rows in shortcuts.sheet() for _k, what in rows)
    path = write_csv(tmp_path / "sheet.csv", PLAIN, [["Ada", "ada@x.example", "", "AE"]])
    monkeypatch.setattr(import_dialog, "choose_file", lambda _parent, _folder: path)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window._import
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog.choose_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.look is not None)
    assert window.settings[IMPORT_FOLDER] == str(tmp_path)
    # Return walks the steps: columns, then the preview.
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.page == COLUMNS
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview_counts.number("created") == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_something_other_than_an_export_is_not_taken_when_dropped(
    workspace: Workspace, tmp_path: Path
) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert drop(workspace.window, picture) == (False, False)
    assert workspace.window._import is None


HOSTILE: dict[str, bytes] = {
    "empty": b"",
    "header only": b"name,email,phone,company\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "old excel": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "duplicate headers": b"email,email,name\na@x.example,b@x.example,Ada\n",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_file_gets_a_message_naming_it_and_changes_nothing(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path, kind: str
) -> None:
    ws = workspace
    before = store_counts(ws)
    path = tmp_path / "leads.csv"
    path.write_bytes(HOSTILE[kind])
    dialog = open_dialog(ws, qtbot, path)
    assert dialog.page == FILE
    assert dialog.problem.isVisible()
    assert dialog.problem.text().startswith("Can't import this file. leads.csv")
    assert "Traceback" not in dialog.problem.text()
    assert not dialog.next_button.isEnabled() or dialog.look is None
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.page == FILE
    assert store_counts(ws) == before
    assert ws.warnings == []


def test_a_broken_quote_deep_in_the_file_is_named_by_row_at_the_preview(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    lines = ["name,email,phone,company"]
    lines += [f"Person {n},p{n}@x.example,,Acme" for n in range(40)]
    lines += ['"Broken,broken@x.example,,Acme']
    lines += [f"Later {n},l{n}@x.example,,Acme" for n in range(5)]
    path = tmp_path / "quotes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dialog = open_dialog(ws, qtbot, path)
    assert not dialog.problem.isVisible()
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.running is None)
    assert dialog.preview is None
    text = dialog.problem.text()
    assert "quotes.csv, row 42" in text
    assert dialog.page == PREVIEW and not dialog.next_button.isEnabled()
    assert store_counts(ws) == before


def test_no_recognisable_columns_says_so_and_waits_for_a_choice(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    path = write_csv(tmp_path / "odd.csv", ["who", "how"], [["Ada Lovelace", "phoned"]])
    dialog = open_dialog(ws, qtbot, path)
    dialog.next_step()
    assert dialog.page == COLUMNS
    assert "no recognisable columns" in dialog.problem.text()
    assert "odd.csv" in dialog.problem.text()
    assert not dialog.next_button.isEnabled()
    dialog.mapping.set_field("who", Field.FULL_NAME)
    assert dialog.next_button.isEnabled()
    assert store_counts(ws) == before


def test_stopping_mid_import_keeps_whole_chunks_and_can_resume(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path, opened_reports: list[Path]
) -> None:
    ws = workspace
    before = store_counts(ws)
    total = CHUNK_ROWS * 2 + 500
    rows = [[f"Bulk Person {n}", f"bulk{n}@list.example", "", f"Bulk Co {n}"] for n in range(total)]
    path = write_csv(tmp_path / "bulk.csv", PLAIN, rows)
    dialog = open_dialog(ws, qtbot, path)
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview_counts.number("created") == total
    assert dialog.preview_rows.more > 0  # the table shows the first rows only

    # The rep presses Stop as soon as the first chunk is in.
    def stop_once(done: int, _total: int) -> None:
        if dialog.running == "import" and done:
            dialog.stop()

    dialog.progressed.connect(stop_once)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    dialog.progressed.disconnect(stop_once)
    outcome = dialog.outcome
    assert outcome is not None and outcome.stopped
    assert dialog.import_title.text() == "Import stopped"
    text = dialog.import_status.text()
    assert f"up to row {CHUNK_ROWS + 1:,} are in, whole" in text
    assert "Resume" in text and "undo" in text
    assert dialog.resume_button.isVisible() and dialog.undo_button.isVisible()
    leads, people, _runs, mappings = store_counts(ws)
    assert leads - before[0] == CHUNK_ROWS  # whole rows only: a lead and its person each
    assert people - before[1] == CHUNK_ROWS
    assert mappings == before[3]  # confirmed columns are remembered when an import finishes

    qtbot.mouseClick(dialog.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None and not dialog.outcome.stopped)
    assert dialog.import_title.text() == "Import finished"
    assert f"resumed after row {CHUNK_ROWS + 1:,}" in dialog.import_status.text()
    leads, people, runs, mappings = store_counts(ws)
    assert (leads - before[0], people - before[1]) == (total, total)
    assert runs == before[2] + 1  # one run, resumed
    assert mappings == before[3] + 1


def test_undo_after_stopping_takes_the_rows_out_again(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Undo {n}", f"undo{n}@list.example", "", ""] for n in range(CHUNK_ROWS + 100)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "undo.csv", PLAIN, rows))
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    dialog.progressed.connect(lambda done, _t: dialog.stop() if done else None)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert store_counts(ws)[0] == before[0] + CHUNK_ROWS
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.undone is not None)
    assert dialog.import_title.text() == "Import undone"
    assert f"Took out {CHUNK_ROWS:,} leads" in dialog.import_status.text()
    assert store_counts(ws)[:2] == before[:2]


def test_the_edited_columns_are_reused_for_the_next_export_of_the_source(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    header = ["Who", "Mail", "Tel", "Firm", "Booth"]
    first = write_csv(
        tmp_path / "fair-october.csv",
        header,
        [["Ada Lovelace", "ada@fair.example", "", "Engines", "Hall 1"]],
    )
    dialog = open_dialog(ws, qtbot, first)
    dialog.source_box.setEditText("Trade fair")
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.page == COLUMNS)
    assert dialog.mapping.combos["Booth"].currentText() == "Keep as extra attribute"
    dialog.mapping.set_field("Who", Field.FULL_NAME)
    dialog.mapping.set_field("Booth", Field.CAMPAIGN)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert not dialog.outcome.stopped
    dialog.accept()

    second = write_csv(
        tmp_path / "fair-november.csv",
        header,
        [["Grace Hopper", "grace@fair.example", "", "Compilers", "Hall 2"]],
    )
    again = open_dialog(ws, qtbot, second)
    assert again is not dialog
    assert again.source_box.currentText() == "Trade fair"
    again.next_step()
    assert "confirmed for “Trade fair” last time" in again.mapping.found.text()
    assert again.mapping.combos["Who"].currentText() == "Full name"
    assert again.mapping.combos["Booth"].currentText() == "Campaign"
    again.next_step()
    qtbot.waitUntil(lambda: again.preview is not None)
    again.next_step()
    qtbot.waitUntil(lambda: again.outcome is not None)
    with ws.desk.store.reading() as session:
        lead = session.scalars(
            select(Lead).join(Person).where(Person.email == "grace@fair.example")
        ).one()
        assert lead.campaign == "Hall 2"


def test_picking_a_field_twice_moves_it(workspace: Workspace, qtbot: QtBot, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "two.csv", ["email", "work mail", "name"], [["a@x.example", "b@x.example", "A"]]
    )
    dialog = open_dialog(workspace, qtbot, path)
    dialog.next_step()
    assert dialog.mapping.combos["email"].currentText() == "Email"
    dialog.mapping.set_field("work mail", Field.EMAIL)
    assert dialog.mapping.combos["email"].currentText() == "Keep as extra attribute"
    assert "“email” is now kept as an extra attribute" in dialog.mapping.note.text()
    mapping = dialog.mapping.mapping()
    assert mapping.columns == {"work mail": Field.EMAIL, "name": Field.FULL_NAME}
    assert mapping.extras == ("email",)


def test_the_same_file_again_has_nothing_new_and_each_kind_of_row_can_be_picked_out(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    rows = [[f"Again {n}", f"again{n}@x.example", "", "Again Co"] for n in range(30)]
    rows.insert(20, ["No Way", "no-way", "", "Again Co"])
    path = write_csv(tmp_path / "again.csv", PLAIN, rows)
    dialog = open_dialog(ws, qtbot, path)
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    dialog.accept()
    before = store_counts(ws)

    again = open_dialog(ws, qtbot, path)
    again.next_step()
    again.next_step()
    qtbot.waitUntil(lambda: again.preview is not None)
    assert again.preview_counts.number("unchanged") == 30
    assert again.preview_counts.number("created") == 0
    assert again.next_button.text() == "Nothing new to import"
    assert not again.next_button.isEnabled()
    assert again.preview_rows.rowCount() == 31
    kinds = again.row_kind
    kinds.setCurrentIndex(kinds.findData("check"))
    shown = again.preview_rows.reasons()
    assert [row for row, _reason in shown] == ["22"]
    assert shown[0][1].startswith("row skipped: no usable email or phone")
    kinds.setCurrentIndex(kinds.findData("unchanged"))
    assert len(again.preview_rows.reasons()) == 30
    kinds.setCurrentIndex(kinds.findData("attached"))
    assert again.preview_rows.rowCount() == 0
    assert again.preview_more.text() == "No such rows"
    assert store_counts(ws) == before


def test_closing_the_window_mid_import_stops_it_between_chunks(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Late {n}", f"late{n}@list.example", "", ""] for n in range(CHUNK_ROWS + 50)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "late.csv", PLAIN, rows))
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    dialog.progressed.connect(lambda done, _t: ws.window.close() if done else None)
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.stopped
    assert store_counts(ws)[0] == before[0] + CHUNK_ROWS


def test_the_preview_and_import_run_off_the_gui_thread(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Thread {n}", f"thread{n}@x.example", "", ""] for n in range(50)]
    path = write_csv(tmp_path / "threads.csv", PLAIN, rows)
    ops = Operations()  # a real worker thread, as in the app
    dialog = ImportDialog(ws.desk, ops, ws.window.settings)
    qtbot.addWidget(dialog)
    seen: list[tuple[int, int]] = []
    dialog.progressed.connect(lambda done, total: seen.append((done, total)))
    try:
        dialog.show()
        dialog.set_file(path)
        qtbot.waitUntil(lambda: dialog.look is not None)
        dialog.next_step()
        dialog.next_step()
        qtbot.waitUntil(lambda: dialog.preview is not None)
        assert dialog.preview_counts.number("created") == 50
        dialog.next_step()
        qtbot.waitUntil(lambda: dialog.outcome is not None)
        assert seen and seen[-1][0] == 50
        assert store_counts(ws)[0] == before[0] + 50
    finally:
        ops.shutdown()


SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.mark.parametrize(
    ("sample", "said", "source"),
    [
        ("salesforce_leads.csv", "Salesforce lead or contact report", "salesforce"),
        ("hubspot_contacts.csv", "HubSpot contacts export", "hubspot"),
        ("marketo_list.csv", "Marketo list", "marketo"),
        ("linkedin_leadgen.csv", "LinkedIn lead-gen form download", "linkedin"),
        ("plain_contacts.csv", "plain name, email, phone, company sheet", "plain contacts"),
        ("plain_contacts.xlsx", "plain name, email, phone, company sheet", "plain contacts"),
    ],
)
def test_the_usual_exports_are_recognised_and_import_without_touching_the_columns(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path, sample: str, said: str, source: str
) -> None:
    ws = workspace
    path = tmp_path / sample
    path.write_bytes((SAMPLES / sample).read_bytes())
    before = store_counts(ws)
    dialog = open_dialog(ws, qtbot, path)
    assert dialog.source_box.currentText() == source
    dialog.next_step()
    assert said in dialog.mapping.found.text()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    created = dialog.preview_counts.number("created")
    assert created > 0
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.import_title.text() == "Import finished"
    assert store_counts(ws)[0] >= before[0] + created


def test_a_file_dropped_on_the_open_dialog_starts_over_from_it(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "first.csv", PLAIN, [["Ada", "ada@x.example", "", ""]])
    second = write_csv(tmp_path / "second.csv", PLAIN, [["Grace", "grace@x.example", "", ""]])
    dialog = open_dialog(workspace, qtbot, first)
    dialog.next_step()
    assert dialog.page == COLUMNS
    assert drop(dialog, second) == (True, True)
    qtbot.waitUntil(lambda: dialog.look is not None and dialog.look.path == second)
    assert dialog.page == FILE
    assert dialog.path_edit.text() == str(second)


def test_another_sheet_of_a_workbook_can_be_chosen(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Read me"
    notes.append(["remark", "by"])
    notes.append(["exported for the fair", "marketing"])
    leads = book.create_sheet("Leads")
    leads.append(PLAIN)
    leads.append(["Ada Lovelace", "ada@sheet.example", "", "Engines"])
    leads.append(["Grace Hopper", "grace@sheet.example", "", "Compilers"])
    path = tmp_path / "fair.xlsx"
    book.save(path)
    before = store_counts(workspace)

    dialog = open_dialog(workspace, qtbot, path)
    assert dialog.sheet_box.isVisibleTo(dialog)
    assert dialog.sheet_box.currentText() == "Read me"
    dialog.sheet_box.setCurrentIndex(1)
    dialog.sheet_box.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.look is not None and dialog.look.sheet == "Leads")
    assert "sheet “Leads”" in dialog.file_info.text()
    dialog.next_step()
    assert dialog.look is not None and dialog.look.problem is None
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    assert dialog.preview_counts.number("created") == 2
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert store_counts(workspace)[0] == before[0] + 2


def test_a_single_sheet_or_a_csv_shows_no_sheet_choice(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "one.csv", PLAIN, [["Ada", "ada@x.example", "", ""]])
    dialog = open_dialog(workspace, qtbot, path)
    assert not dialog.sheet_box.isVisibleTo(dialog)


def test_the_preview_shows_a_rejected_value_as_it_was_in_the_file_with_the_whole_text_on_hover(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    rows = [["Fine Person", "fine@y.example", "", "Y Co"], ["Tom Phone", "", "+1 (0) 999", "Y Co"]]
    path = write_csv(tmp_path / "phones.csv", PLAIN, rows)
    dialog = open_dialog(workspace, qtbot, path)
    dialog.next_step()
    dialog.next_step()
    qtbot.waitUntil(lambda: dialog.preview is not None)
    kinds = dialog.row_kind
    kinds.setCurrentIndex(kinds.findData("check"))
    table = dialog.preview_rows
    assert [row for row, _reason in table.reasons()] == ["3"]
    value = table.item(0, 3)
    assert value.text() == "+1 (0) 999"  # not the report's spreadsheet-safe "'+1 (0) 999"
    for column in range(table.columnCount()):
        cell = table.item(0, column)
        assert cell.toolTip() == cell.text() != ""


def test_a_reps_preview_says_the_new_leads_stay_theirs_unless_they_share_them(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    rows = [
        ["Ada Lovelace", "ada@engines.example", "+44 20 7946 0001", "Analytical Engines"],
        ["Grace Hopper", "grace@cobol.example", "+1 212 555 0100", "Compilers Inc"],
    ]
    path = write_csv(tmp_path / "my fair contacts.csv", PLAIN, rows)
    dialog = open_dialog(ws, qtbot, path)
    qtbot.waitUntil(lambda: dialog.look is not None)
    assert dialog.share_box.isVisibleTo(dialog) and not dialog.share_box.isChecked()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Columns
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Preview
    qtbot.waitUntil(lambda: dialog.preview is not None)
    shown = ws.desk.actor.display_name
    assert dialog.preview is not None and dialog.preview.kept_for == shown
    assert f"2 kept for {shown}: their own import" in dialog.preview_counts.line.text()

    dialog.share_box.setChecked(True)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # Import
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert dialog.outcome is not None and dialog.outcome.summary.kept_for is None
    given = dialog.outcome.summary.assigned_to
    assert sum(given.values()) == dialog.outcome.summary.counts.assigned
    assert "to reps (" in dialog.import_counts.line.text()
    assert ws.warnings == []

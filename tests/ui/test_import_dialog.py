"""File ▸ Import… and dropping a file on the window: the steps, the keyboard, the files refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.intake.importing import CHUNK_ROWS
from leaddesk.intake.mapping import Field
from leaddesk.settings import IMPORT_FOLDER
from leaddesk.store.models import Lead, Person
from tests.csv_sheets import write_csv
from tests.ui.conftest import Workspace
from tests.ui.import_steps import PLAIN, drop, known_people, open_dialog, store_counts
from ui.common import shortcuts
from ui.intake import choose_page, result_page
from ui.intake.wizard import COLUMNS, FILE, IMPORT, PREVIEW


@pytest.fixture
def opened_reports(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []
    monkeypatch.setattr(result_page, "open_report", lambda path: opened.append(path) is None)
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
        # Known people by their email, under their own names (another name is to decide).
        [
            f"{without_open.first_name} {without_open.last_name}",
            without_open.email or "",
            "",
            "Somewhere",
        ],
        [f"{with_open.first_name} {with_open.last_name}", with_open.email or "", "", "Elsewhere"],
        ["Nobody", "not-an-email", "", "Acme"],
    ]
    (tmp_path / "inbound").mkdir()
    path = write_csv(tmp_path / "inbound" / "Webinar leads 2026-11-30.csv", PLAIN, rows)
    before = store_counts(ws)

    assert drop(ws.window, path) == (True, True)
    dialog = ws.window._import
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.job.look is not None)
    assert dialog.choose_page.source_box.currentText() == "Webinar leads"
    assert (
        "CSV" in dialog.choose_page.file_info.text()
        and "4 columns" in dialog.choose_page.file_info.text()
    )

    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    assert dialog.currentId() == COLUMNS
    chosen = {
        name: combo.currentText() for name, combo in dialog.columns_page.mapping.combos.items()
    }
    assert chosen == {"name": "Full name", "email": "Email", "phone": "Phone", "company": "Company"}
    assert "plain name, email, phone, company sheet" in dialog.columns_page.mapping.found.text()
    assert store_counts(ws) == before

    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Preview
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.currentId() == PREVIEW
    counts = dialog.preview_page.counts
    assert counts.number("created") == 3
    assert counts.number("merged") == 1
    assert counts.number("attached") == 1
    assert counts.number("invalid") == 1
    reasons = dict(dialog.preview_page.rows.reasons())
    assert reasons["2"] == "new lead"
    assert reasons["5"].startswith("merged")
    assert reasons["6"].startswith("attached")
    assert reasons["7"].startswith("row skipped: no usable email or phone")
    assert dialog.forward_button().text() == "&Import 5 rows"
    assert store_counts(ws) == before  # a preview stores nothing

    with qtbot.waitSignal(ws.window.queue.model.loaded, timeout=5000):
        qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Import
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert dialog.currentId() == IMPORT
    assert dialog.result_page.heading.text() == "Import finished"
    assert "6 rows of Webinar leads 2026-11-30.csv imported" in dialog.result_page.status.text()
    assert "File ▸ Recent imports (undo)… takes it out again" in dialog.result_page.status.text()
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

    report = dialog.result_page.outcome.summary.report if dialog.result_page.outcome else None
    assert report is not None and Path(report).parent == path.parent and Path(report).exists()
    assert report in dialog.result_page.report_label.text()
    qtbot.mouseClick(dialog.result_page.open_report_button, Qt.MouseButton.LeftButton)
    assert opened_reports == [Path(report)]
    assert ws.warnings == []
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Done
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
    monkeypatch.setattr(choose_page, "choose_file", lambda _parent, _folder: path)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window._import
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(dialog.choose_page.choose_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.job.look is not None)
    assert window.settings[IMPORT_FOLDER] == str(tmp_path)
    # Return walks the steps: columns, then the preview.
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.currentId() == COLUMNS
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.preview_page.counts.number("created") == 1
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
    assert dialog.currentId() == FILE
    assert dialog.current_step().problem.isVisible()
    assert dialog.current_step().problem.text().startswith("Can't import this file. leads.csv")
    assert "Traceback" not in dialog.current_step().problem.text()
    assert not dialog.forward_button().isEnabled() or dialog.job.look is None
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)
    assert dialog.currentId() == FILE
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
    assert not dialog.current_step().problem.isVisible()
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.job.running is None)
    assert dialog.preview_page.summary is None
    text = dialog.current_step().problem.text()
    assert "quotes.csv, row 42" in text
    assert dialog.currentId() == PREVIEW and not dialog.forward_button().isEnabled()
    assert store_counts(ws) == before


def test_no_recognisable_columns_says_so_and_waits_for_a_choice(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    path = write_csv(tmp_path / "odd.csv", ["who", "how"], [["Ada Lovelace", "phoned"]])
    dialog = open_dialog(ws, qtbot, path)
    dialog.next()
    assert dialog.currentId() == COLUMNS
    assert "no recognisable columns" in dialog.current_step().problem.text()
    assert "odd.csv" in dialog.current_step().problem.text()
    assert not dialog.forward_button().isEnabled()
    dialog.columns_page.mapping.set_field("who", Field.FULL_NAME)
    assert not dialog.forward_button().isEnabled()  # a name alone makes no lead
    dialog.columns_page.mapping.set_field("how", Field.PHONE)
    assert dialog.forward_button().isEnabled()
    assert store_counts(ws) == before


def test_a_file_dropped_on_the_open_dialog_starts_over_from_it(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "first.csv", PLAIN, [["Ada", "ada@x.example", "", ""]])
    second = write_csv(tmp_path / "second.csv", PLAIN, [["Grace", "grace@x.example", "", ""]])
    dialog = open_dialog(workspace, qtbot, first)
    dialog.next()
    assert dialog.currentId() == COLUMNS
    assert drop(dialog, second) == (True, True)
    qtbot.waitUntil(lambda: dialog.job.look is not None and dialog.job.look.path == second)
    assert dialog.currentId() == FILE
    assert dialog.choose_page.path_edit.text() == str(second)


def test_the_preview_shows_a_rejected_value_as_it_was_in_the_file_with_the_whole_text_on_hover(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    rows = [["Fine Person", "fine@y.example", "", "Y Co"], ["Tom Phone", "", "+1 (0) 999", "Y Co"]]
    path = write_csv(tmp_path / "phones.csv", PLAIN, rows)
    dialog = open_dialog(workspace, qtbot, path)
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    kinds = dialog.preview_page.row_kind
    kinds.setCurrentIndex(kinds.findData("check"))
    table = dialog.preview_page.rows
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
    qtbot.waitUntil(lambda: dialog.job.look is not None)
    assert (
        dialog.choose_page.share_box.isVisibleTo(dialog)
        and not dialog.choose_page.share_box.isChecked()
    )
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Columns
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Preview
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    shown = ws.desk.actor.display_name
    assert dialog.preview_page.summary is not None and dialog.preview_page.summary.kept_for == shown
    assert f"2 kept for {shown}: their own import" in dialog.preview_page.counts.line.text()

    dialog.choose_page.share_box.setChecked(True)
    qtbot.mouseClick(dialog.forward_button(), Qt.MouseButton.LeftButton)  # Import
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert (
        dialog.result_page.outcome is not None
        and dialog.result_page.outcome.summary.kept_for is None
    )
    given = dialog.result_page.outcome.summary.assigned_to
    assert sum(given.values()) == dialog.result_page.outcome.summary.counts.assigned
    assert "to reps (" in dialog.result_page.counts.line.text()
    assert ws.warnings == []


def test_while_the_preview_runs_back_waits_and_cancel_says_stop_and_stops_it(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    before = store_counts(ws)
    rows = [[f"Wait {n}", f"wait{n}@x.example", "", ""] for n in range(CHUNK_ROWS + 50)]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "wait.csv", PLAIN, rows))
    dialog.next()
    back = dialog.button(QWizard.WizardButton.BackButton)
    cancel = dialog.button(QWizard.WizardButton.CancelButton)
    seen: list[tuple[bool, str]] = []

    def escape_once(done: int, _total: int) -> None:
        if done and not seen:
            seen.append((back.isEnabled(), cancel.text()))
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the rep presses Esc mid-preview

    dialog.job.progressed.connect(escape_once)
    dialog.next()  # Preview
    qtbot.waitUntil(lambda: dialog.job.running is None)
    assert seen == [(False, "&Stop")]
    assert dialog.isVisible() and dialog.currentId() == PREVIEW
    assert dialog.preview_page.summary is None
    assert dialog.preview_page.status.text() == "Preview stopped. Go back to change the columns."
    assert back.isEnabled() and cancel.text() == "Cancel"
    assert not dialog.forward_button().isEnabled()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert dialog.currentId() == COLUMNS
    assert store_counts(ws) == before


def test_a_later_rows_different_mobile_is_a_row_to_check_in_the_preview_and_the_summary(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = workspace
    header = ["name", "email", "phone", "mobile", "company", "message"]
    first = ["Mia Wong", "mia@wong.example", "+1 212 555 0100", "+1 415 555 0199", "Wong Co", "?"]
    ws.desk.intake.import_file(write_csv(tmp_path / "webinar.csv", header, [first]))
    later = ["Mia Wong", "mia@wong.example", "", "+1 415 555 0777", "Wong Co", "A demo"]
    dialog = open_dialog(ws, qtbot, write_csv(tmp_path / "fair.csv", header, [later]))
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    kinds = dialog.preview_page.row_kind
    kinds.setCurrentIndex(kinds.findData("check"))
    [(row, reason)] = dialog.preview_page.rows.reasons()
    assert row == "2" and reason.startswith("Mobile differs: lead #")
    assert reason.endswith("has +14155550199, kept; check which is right")
    assert "1 row kept with a value to check" in dialog.preview_page.counts.line.text()

    dialog.next()  # Import
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert "1 row kept with a value to check" in dialog.result_page.counts.line.text()
    with ws.desk.store.reading() as session:
        extra = session.scalars(
            select(Lead.extra).join(Person).where(Person.email == "mia@wong.example")
        ).one()
    assert extra is not None and extra["mobile"] == "+14155550199"

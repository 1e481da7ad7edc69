"""The import's columns: recognised exports, edits remembered per source, sheets of a workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.intake.mapping import Field
from leaddesk.store.models import Lead, Person
from tests.csv_sheets import write_csv
from tests.ui.conftest import Workspace
from tests.ui.import_steps import PLAIN, open_dialog, store_counts
from ui.intake.wizard import COLUMNS


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
    dialog.choose_page.source_box.setEditText("Trade fair")
    dialog.next()
    qtbot.waitUntil(lambda: dialog.currentId() == COLUMNS)
    assert dialog.columns_page.mapping.combos["Booth"].currentText() == "Keep as extra attribute"
    dialog.columns_page.mapping.set_field("Who", Field.FULL_NAME)
    dialog.columns_page.mapping.set_field("Booth", Field.CAMPAIGN)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert not dialog.result_page.outcome.stopped
    dialog.accept()

    second = write_csv(
        tmp_path / "fair-november.csv",
        header,
        [["Grace Hopper", "grace@fair.example", "", "Compilers", "Hall 2"]],
    )
    again = open_dialog(ws, qtbot, second)
    assert again is not dialog
    assert again.choose_page.source_box.currentText() == "Trade fair"
    again.next()
    assert "confirmed for “Trade fair” last time" in again.columns_page.mapping.found.text()
    assert again.columns_page.mapping.combos["Who"].currentText() == "Full name"
    assert again.columns_page.mapping.combos["Booth"].currentText() == "Campaign"
    again.next()
    qtbot.waitUntil(lambda: again.preview_page.summary is not None)
    again.next()
    qtbot.waitUntil(lambda: again.result_page.outcome is not None)
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
    dialog.next()
    assert dialog.columns_page.mapping.combos["email"].currentText() == "Email"
    dialog.columns_page.mapping.set_field("work mail", Field.EMAIL)
    assert dialog.columns_page.mapping.combos["email"].currentText() == "Keep as extra attribute"
    assert "“email” is now kept as an extra attribute" in dialog.columns_page.mapping.note.text()
    mapping = dialog.columns_page.mapping.mapping()
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
    dialog.next()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    dialog.accept()
    before = store_counts(ws)

    again = open_dialog(ws, qtbot, path)
    again.next()
    again.next()
    qtbot.waitUntil(lambda: again.preview_page.summary is not None)
    assert again.preview_page.counts.number("unchanged") == 30
    assert again.preview_page.counts.number("created") == 0
    assert again.forward_button().text() == "Nothing new to import"
    assert not again.forward_button().isEnabled()
    assert again.preview_page.rows.rowCount() == 31
    kinds = again.preview_page.row_kind
    kinds.setCurrentIndex(kinds.findData("check"))
    shown = again.preview_page.rows.reasons()
    assert [row for row, _reason in shown] == ["22"]
    assert shown[0][1].startswith("row skipped: no usable email or phone")
    kinds.setCurrentIndex(kinds.findData("unchanged"))
    assert len(again.preview_page.rows.reasons()) == 30
    kinds.setCurrentIndex(kinds.findData("attached"))
    assert again.preview_page.rows.rowCount() == 0
    assert again.preview_page.more.text() == "No such rows"
    assert store_counts(ws) == before


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
    assert dialog.choose_page.source_box.currentText() == source
    dialog.next()
    assert said in dialog.columns_page.mapping.found.text()
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    created = dialog.preview_page.counts.number("created")
    assert created > 0
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert dialog.result_page.heading.text() == "Import finished"
    assert store_counts(ws)[0] >= before[0] + created


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
    assert dialog.choose_page.sheet_box.isVisibleTo(dialog)
    assert dialog.choose_page.sheet_box.currentText() == "Read me"
    dialog.choose_page.sheet_box.setCurrentIndex(1)
    dialog.choose_page.sheet_box.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.job.look is not None and dialog.job.look.sheet == "Leads")
    assert "sheet “Leads”" in dialog.choose_page.file_info.text()
    dialog.next()
    assert dialog.job.look is not None and dialog.job.look.problem is None
    dialog.next()
    qtbot.waitUntil(lambda: dialog.preview_page.summary is not None)
    assert dialog.preview_page.counts.number("created") == 2
    dialog.next()
    qtbot.waitUntil(lambda: dialog.result_page.outcome is not None)
    assert store_counts(workspace)[0] == before[0] + 2


def test_a_single_sheet_or_a_csv_shows_no_sheet_choice(
    workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "one.csv", PLAIN, [["Ada", "ada@x.example", "", ""]])
    dialog = open_dialog(workspace, qtbot, path)
    assert not dialog.choose_page.sheet_box.isVisibleTo(dialog)

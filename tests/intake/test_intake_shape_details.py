"""The details of the exports people really have (#21): a preamble before the header, headers
that repeat on purpose, several values in a cell, several numbers per person, an Account ID
where a company name belongs, workbooks of several sheets, and a source that names the tool or
else the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.intake import (
    CleanRow,
    FileProblem,
    IntakeFileError,
    RawRow,
    Shape,
    clean_row,
    detect_mapping,
    open_export,
)
from leaddesk.store import Store
from tests.cli_in_process import RunCli

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def cleaned(header: list[str], values: list[str]) -> CleanRow:
    mapping = detect_mapping(header)
    row = clean_row(RawRow(2, dict(zip(header, values, strict=True))), mapping, "US")
    assert isinstance(row, CleanRow), row
    return row


# --- reading ----------------------------------------------------------------------------------


def test_the_linkedin_connections_notes_before_the_header_are_skipped() -> None:
    with open_export(SAMPLES / "linkedin_connections.csv") as export:
        rows = list(export.rows())
        assert export.header == [
            "First Name", "Last Name", "URL", "Email Address", "Company", "Position",
            "Connected On",
        ]  # fmt: skip
        assert export.header_row == 4
    assert rows[0].number == 5
    assert rows[0].values["Email Address"] == "chloe.lefevre@atelier-lumiere.example.fr"


def test_a_one_column_file_keeps_its_first_line_as_the_header(tmp_path: Path) -> None:
    path = tmp_path / "emails.csv"
    path.write_text("Email\nada@example.org\nbob@example.org\n", encoding="utf-8")
    with open_export(path) as export:
        rows = list(export.rows())
        assert export.header == ["Email"]
    assert [(row.number, row.values) for row in rows] == [
        (2, {"Email": "ada@example.org"}),
        (3, {"Email": "bob@example.org"}),
    ]


def test_hubspot_company_columns_are_told_apart_by_their_side() -> None:
    with open_export(SAMPLES / "hubspot_with_companies.csv") as export:
        header = export.header
        first = next(export.rows())
    assert header.count("Record ID") == 1
    assert header[12:14] == ["Associated company: Record ID", "Associated company: Name"]
    assert first.values["Phone Number"] == "+91 98765 43210"
    assert first.values["Associated company: Phone Number"] == "+91 80 4000 1234"


def test_a_repeated_header_no_known_shape_explains_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("Name,Email,Phone,Email\nAda,a@example.org,,b@example.org\n", "utf-8")
    with pytest.raises(IntakeFileError) as caught:
        open_export(path)
    assert caught.value.kind is FileProblem.DUPLICATE_HEADER
    assert "appears twice (columns B and D)" in str(caught.value)


def test_a_workbook_says_which_sheet_was_read_and_which_others_it_has() -> None:
    with open_export(SAMPLES / "fair_workbook.xlsx") as export:
        assert export.sheet == "Booth visitors"
        assert export.sheets == ("Booth visitors", "Talk attendees", "Summary")
    with open_export(SAMPLES / "fair_workbook.xlsx", sheet="Talk attendees") as export:
        assert export.header == ["Full Name", "Company", "Email", "Talk"]


# --- cleaning ---------------------------------------------------------------------------------

APOLLO = ["First Name", "Last Name", "Company Name for Emails", "Email", "Work Direct Phone",
          "Mobile Phone", "Corporate Phone", "Other Phone", "Home Phone", "Country"]  # fmt: skip


@pytest.mark.parametrize(
    ("direct", "mobile", "corporate", "other", "home", "dialled"),
    [
        ("+1 312 555 0147", "+1 312 555 0123", "+1 312 555 0100", "", "", "+13125550147"),
        ("", "+1 312 555 0123", "+1 312 555 0100", "+1 312 555 0111", "", "+13125550123"),
        ("", "", "+1 312 555 0100", "+1 312 555 0111", "+1 312 555 0190", "+13125550100"),
        ("", "", "", "+1 312 555 0111", "+1 312 555 0190", "+13125550111"),
        ("", "", "", "", "+1 312 555 0190", "+13125550190"),
        ("12", "", "+1 312 555 0100", "", "", "+13125550100"),  # a broken direct line
    ],
)
def test_the_number_dialled_is_direct_then_mobile_then_corporate_other_home(
    direct: str, mobile: str, corporate: str, other: str, home: str, dialled: str
) -> None:
    row = cleaned(APOLLO, ["Ada", "Byron", "Engines", "", direct, mobile, corporate, other, home,
                           "United States"])  # fmt: skip
    assert row.best_phone == dialled
    # Every further number is kept as typed.
    for column, value in (("Corporate Phone", corporate), ("Other Phone", other),
                          ("Home Phone", home)):  # fmt: skip
        assert row.extra.get(column, "") == value


def test_a_cell_with_several_values_gives_its_first_and_is_kept_whole() -> None:
    header = ["Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Value",
              "Organization 1 - Name", "Group Membership"]  # fmt: skip
    row = cleaned(header, ["Ada", "Lovelace", "* Work ::: Home", "ada@engines.example.com ::: "
                           "ada@home.example.org", "+44 20 7946 0958 ::: +44 20 7946 0959",
                           "Engines Ltd", "* myContacts"])  # fmt: skip
    assert (row.email, row.phone_e164) == ("ada@engines.example.com", "+442079460958")
    assert row.extra["E-mail 1 - Value"] == "ada@engines.example.com ::: ada@home.example.org"
    assert row.extra["Phone 1 - Value"] == "+44 20 7946 0958 ::: +44 20 7946 0959"


def test_an_account_id_in_the_company_column_is_the_crm_id_never_the_name() -> None:
    header = ["Contact ID", "First Name", "Last Name", "Account", "Email", "Contact Owner"]
    row = cleaned(header, ["0035g00000AbCdEAAZ", "Ava", "Thompson", "0015g00000XyZ12AAB",
                           "ava@northwind.example.com", "Dana"])  # fmt: skip
    assert (row.company, row.crm_id, row.account_crm_id) == (
        "",
        "0035g00000AbCdEAAZ",
        "0015g00000XyZ12AAB",
    )
    named = cleaned(header, ["0035g00000AbCdEAAZ", "Ava", "Thompson", "0015 Logistics Ltd",
                             "ava@northwind.example.com", "Dana"])  # fmt: skip
    assert named.company == "0015 Logistics Ltd"


def test_a_business_list_row_is_a_company_not_a_person() -> None:
    header = ["Name", "Category", "Address", "Phone", "Website"]
    mapping = detect_mapping(header)
    assert mapping.shape is Shape.BUSINESS_LIST
    row = cleaned(header, ["Smith & Jones Ltd", "Law firm", "1 High St, Leeds, United Kingdom",
                           "0113 496 0000", "smithjones.example.co.uk"])  # fmt: skip
    assert (row.first_name, row.last_name, row.company) == ("", "", "Smith & Jones Ltd")
    # The country the address ends with reads the national number.
    assert row.phone_e164 == "+441134960000"
    # A person's list with the same "Name" column is still people.
    assert detect_mapping(["Name", "Email", "Phone", "Company"]).shape is Shape.PLAIN


# --- the source -------------------------------------------------------------------------------


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def test_a_salesforce_report_is_never_called_hubspot(lead1: Desk) -> None:
    for name in ("salesforce_contacts_report.csv", "salesforce_leads.csv"):
        look = lead1.intake.look(SAMPLES / name)
        assert (look.source, look.source_how) == (
            "salesforce",
            "recognised as an export from Salesforce",
        )


def test_when_the_tool_cannot_be_told_the_file_name_is_the_source_and_said_so(
    lead1: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "Trade fair 2026-11-30.csv"
    path.write_text(
        "Full Name,E-mail,Tel\nAda Lovelace,ada@example.org,+44 20 7946 0958\n", "utf-8"
    )
    look = lead1.intake.look(path)
    assert look.source == "Trade fair"
    assert look.source_how == "named after the file: which tool made it could not be told"
    given = lead1.intake.look(path, source="Berlin fair")
    assert (given.source, given.source_how) == ("Berlin fair", "")


def test_the_cli_says_which_sheet_it_read_and_reads_another_by_name(
    store: Store, store_location: str, run_cli: RunCli
) -> None:
    workbook = str(SAMPLES / "fair_workbook.xlsx")
    code, out, _progress = run_cli(
        "import", workbook, "--as", "lead1", "--dry-run", db=store_location
    )
    assert code == 0
    assert "read sheet 'Booth visitors'; the workbook also has 'Talk attendees', 'Summary'" in out
    code, out, _progress = run_cli(
        "import", workbook, "--as", "lead1", "--sheet", "Talk attendees", db=store_location
    )
    assert code == 0
    assert "read sheet 'Talk attendees'; the workbook also has 'Booth visitors'" in out
    with open_desk(store_location, "lead1") as desk:
        assert len(desk.intake.runs()) == 1


def test_a_sheet_without_leads_is_refused_naming_the_other_sheets(
    store: Store, store_location: str, run_cli: RunCli
) -> None:
    workbook = str(SAMPLES / "fair_workbook.xlsx")
    code, _out, err = run_cli(
        "import", workbook, "--as", "lead1", "--sheet", "Summary", db=store_location
    )
    assert code == 2
    assert (
        "fair_workbook.xlsx: sheet 'Summary' has no recognisable columns" in err
        and "the workbook also has 'Booth visitors', 'Talk attendees': name the sheet with the "
        "leads (--sheet NAME)"
        in err
    )


def test_a_connections_export_saved_as_a_workbook_skips_its_notes_too(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Notes:"],
        ["Some email addresses may be missing."],
        [],
        ["First Name", "Last Name", "Email Address", "Company"],
        ["Rahul", "Mehta", "rahul@ganges-tech.example.in", "Ganges Tech"],
    ):
        sheet.append(row)
    book.save(tmp_path / "Connections.xlsx")
    with open_export(tmp_path / "Connections.xlsx") as export:
        rows = list(export.rows())
        assert (export.header_row, export.header[2]) == (4, "Email Address")
    assert [(row.number, row.values["Company"]) for row in rows] == [(5, "Ganges Tech")]


def test_a_one_column_workbook_keeps_its_first_row_as_the_header(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Email"], ["ada@example.org"], ["bob@example.org"]):
        sheet.append(row)
    book.save(tmp_path / "emails.xlsx")
    with open_export(tmp_path / "emails.xlsx") as export:
        rows = list(export.rows())
        assert export.header == ["Email"]
    assert [row.number for row in rows] == [2, 3]

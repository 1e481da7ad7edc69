"""What the import dialog asks the desk before importing: a look at the file, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.intake import FileProblem, IntakeFileError
from leaddesk.intake.mapping import Field, Mapping, Shape
from leaddesk.store import Store
from leaddesk.store.models import AuditEvent, ImportRun, Lead, SourceMapping
from tests.csv_sheets import write_csv
from tests.factories import small_team
from tests.one_store import sqlite_only


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    with small_team(
        store_location, clock, [("rep1", Role.QUALIFIER), ("sales1", Role.SALES)]
    ) as store:
        yield store


@pytest.fixture
def rep(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "rep1", clock=clock) as desk:
        yield desk


def written(store: Store) -> tuple[int, int, int, int]:
    with store.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Lead)) or 0,
            session.scalar(select(func.count()).select_from(ImportRun)) or 0,
            session.scalar(select(func.count()).select_from(SourceMapping)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


PLAIN = ["name", "email", "phone", "company"]
ROWS = [
    ["Ada Lovelace", "ada@engines.example", "+44 20 7946 0001", "Analytical Engines"],
    ["Grace Hopper", "grace@cobol.example", "+1 212 555 0100", "Compilers Inc"],
    ["Alan Turing", "alan@bletchley.example", "+44 20 7946 0002", "Bletchley"],
    ["Edsger Dijkstra", "edsger@paths.example", "+31 20 555 0100", "Shortest Paths"],
]


def test_a_plain_sheet_is_recognised_with_samples_and_nothing_written(
    rep: Desk, store: Store, tmp_path: Path
) -> None:
    before = written(store)
    path = write_csv(tmp_path / "Webinar leads 2026-11-30.csv", PLAIN, ROWS)
    look = rep.intake.look(path)
    assert look.format == "csv"
    assert look.header == PLAIN
    assert [row["name"] for row in look.samples] == ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
    assert look.mapping.shape is Shape.PLAIN
    assert look.mapping.columns == {
        "name": Field.FULL_NAME,
        "email": Field.EMAIL,
        "phone": Field.PHONE,
        "company": Field.COMPANY,
    }
    assert look.mapping_how == "detected"
    assert look.problem is None
    # A plain sheet names no tool: the file name (without its date) becomes the source.
    assert look.source == "Webinar leads"
    assert written(store) == before


# A name made from the file's name: the store plays no part.
@sqlite_only
@pytest.mark.parametrize(
    ("file_name", "source"),
    [
        ("webinar_2026_q3.csv", "webinar 2026 q3"),
        ("Summit 2026 (2).csv", "Summit 2026"),
        ("leads_20261130_1405.csv", "leads"),
        ("Webinar leads 2026-11-30 (2).csv", "Webinar leads"),
    ],
)
def test_a_source_named_after_the_file_keeps_its_digits_and_drops_only_a_date_or_copy_number(
    rep: Desk, tmp_path: Path, file_name: str, source: str
) -> None:
    assert rep.intake.look(write_csv(tmp_path / file_name, PLAIN, ROWS)).source == source


def test_a_recognised_export_suggests_its_tool_as_the_source(rep: Desk, tmp_path: Path) -> None:
    header = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name",
              "Lifecycle Stage", "Original Source", "Create Date"]  # fmt: skip
    path = write_csv(
        tmp_path / "export.csv",
        header,
        [["1", "Ada", "Lovelace", "ada@x.example", "+44 20 7946 0001", "AE", "lead", "Web", ""]],
    )
    look = rep.intake.look(path)
    assert look.mapping.shape is Shape.HUBSPOT
    assert look.source == "hubspot"


FAIR = ["Who", "Mail", "Tel", "Firm", "Booth"]


def _first_fair_export(rep: Desk, tmp_path: Path) -> None:
    """A trade fair's first export, imported as "Trade fair" with "Booth" mapped to the
    campaign by the rep: a finished import remembers that for the source."""
    first = write_csv(tmp_path / "fair-2026-10.csv", FAIR, [[*row, "A1"] for row in ROWS[:2]])
    edited = Mapping(
        {"Who": Field.FULL_NAME, "Mail": Field.EMAIL, "Tel": Field.PHONE, "Firm": Field.COMPANY,
         "Booth": Field.CAMPAIGN},
    )  # fmt: skip
    mapping_file = tmp_path / "mapping.json"
    edited.save(mapping_file)
    rep.intake.import_file(first, source="Trade fair", mapping=str(mapping_file))


def test_the_mapping_saved_for_a_source_is_found_for_its_next_export(
    rep: Desk, store: Store, tmp_path: Path
) -> None:
    _first_fair_export(rep, tmp_path)

    second = write_csv(tmp_path / "fair-2026-11.csv", FAIR, [[*row, "B2"] for row in ROWS[2:]])
    look = rep.intake.look(second)
    assert look.source == "Trade fair"
    assert look.mapping_how == "saved for Trade fair"
    assert look.mapping.columns["Booth"] is Field.CAMPAIGN
    assert look.saved_sources == ["Trade fair"]
    # Named explicitly, another source starts from detection again.
    other = rep.intake.look(second, source="Partner list")
    assert other.mapping_how == "detected"
    assert "Booth" in other.mapping.extras


def test_no_recognisable_column_gives_the_columns_and_a_problem(
    rep: Desk, store: Store, tmp_path: Path
) -> None:
    before = written(store)
    path = write_csv(tmp_path / "odd.csv", ["foo", "bar"], [["1", "2"]])
    look = rep.intake.look(path)
    assert look.header == ["foo", "bar"]
    assert look.mapping.columns == {}
    assert look.mapping.extras == ("foo", "bar")
    assert look.problem is not None and "no recognisable columns" in look.problem
    assert "odd.csv" in look.problem
    assert written(store) == before


# Refused while the file is read, before the store is touched.
@sqlite_only
@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", FileProblem.EMPTY),
        (b"name,email\n", FileProblem.HEADER_ONLY),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", FileProblem.BINARY),
        (b'name,email\n"Ada,ada@x.example\nGrace,grace@x.example\n', FileProblem.UNBALANCED_QUOTES),
    ],
    ids=["empty", "header-only", "binary", "unbalanced-quotes"],
)
def test_a_hostile_file_is_refused_naming_the_file_and_nothing_is_written(
    rep: Desk, store: Store, tmp_path: Path, content: bytes, kind: FileProblem
) -> None:
    before = written(store)
    path = tmp_path / "hostile.csv"
    path.write_bytes(content)
    with pytest.raises(IntakeFileError) as raised:
        rep.intake.look(path)
    assert raised.value.kind is kind
    assert "hostile.csv" in raised.value.message
    assert written(store) == before


def test_someone_who_may_not_import_is_refused(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "plain.csv", PLAIN, ROWS)
    with open_desk(store_location, "sales1", clock=clock) as sales, pytest.raises(NotPermitted):
        sales.intake.look(path)


def two_sheet_book(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Read me"
    notes.append(["remark", "by"])
    notes.append(["exported for the trade fair", "marketing"])
    leads = book.create_sheet("Leads")
    leads.append(PLAIN)
    for row in ROWS:
        leads.append(row)
    book.save(path)
    return path


def test_a_workbook_lists_its_sheets_and_one_can_be_chosen(rep: Desk, tmp_path: Path) -> None:
    path = two_sheet_book(tmp_path / "fair.xlsx")
    first = rep.intake.look(path)
    assert first.format == "xlsx"
    assert first.sheets == ("Read me", "Leads")
    assert first.sheet == "Read me"
    assert first.problem is not None  # nothing recognisable on the notes sheet
    chosen = rep.intake.look(path, sheet="Leads")
    assert chosen.sheet == "Leads"
    assert chosen.problem is None
    assert chosen.mapping.shape is Shape.PLAIN
    assert chosen.samples[0]["email"] == "ada@engines.example"


def test_an_import_given_no_source_takes_the_one_the_window_suggests(
    rep: Desk, store: Store, tmp_path: Path
) -> None:
    # The command line and the window must agree on the source, or the same file imported once
    # from each would count as two different interests.
    path = write_csv(tmp_path / "Webinar leads 2026-11-30.csv", PLAIN, ROWS)
    summary = rep.intake.import_file(path)
    assert summary.source == rep.intake.look(path).source == "Webinar leads"
    assert summary.counts.created == len(ROWS)
    before = written(store)
    again = rep.intake.import_file(path, source=rep.intake.look(path).source)
    assert (again.counts.created, again.counts.attached, again.counts.merged) == (0, 0, 0)
    assert written(store)[:2] == before[:2]


def test_the_next_export_given_no_source_keeps_the_saved_source_and_columns(
    rep: Desk, tmp_path: Path
) -> None:
    _first_fair_export(rep, tmp_path)

    second = write_csv(tmp_path / "booth scans.csv", FAIR, [[*row, "B2"] for row in ROWS[2:]])
    summary = rep.intake.import_file(second)
    assert summary.source == "Trade fair"
    assert summary.mapping_how == "saved for Trade fair"
    assert summary.mapping.columns["Booth"] is Field.CAMPAIGN

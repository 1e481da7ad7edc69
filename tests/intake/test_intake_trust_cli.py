"""`leaddesk import` and `leaddesk lead` on the files #21 found untrustworthy: refusals with exit
2 (and a JSON object with --json), the preview of a row whose phone is its mobile, the report's
reasons, and the lead's "From the file" lines. In-process, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from tests.cli_in_process import RunCli
from tests.factories import small_team
from tests.intake.test_intake_import_cli import dump


@pytest.fixture
def db(store_location: str, clock: FixedClock) -> str:
    with small_team(store_location, clock, [("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER)]):
        return store_location


def test_a_file_without_email_or_phone_columns_exits_2_and_json_says_why(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "names.csv"
    export.write_text("First Name,Last Name,Company\nAnn,Lee,Acme\n", encoding="utf-8")
    before = dump(db)
    code, out, err = run_cli("import", str(export), "--as", "lead1", db=db)
    assert code == 2 and not out
    assert err.startswith("leaddesk: names.csv: no email or phone column recognised")
    assert "found: First Name, Last Name, Company" in err and "Traceback" not in err
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    assert code == 2
    refused = json.loads(out)
    assert refused["exit_code"] == 2 and refused["kind"] == "no_columns"
    assert refused["file"] == str(export)
    assert refused["error"].startswith("names.csv: no email or phone column recognised")
    assert "Email, Phone or Mobile" in refused["error"]
    assert dump(db) == before


def test_a_refused_encoding_exits_2_naming_the_encoding_tried_in_json_too(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "kr.csv"
    export.write_bytes("First Name,Email\n김민준,kim@x.example\n".encode("euc_kr"))
    code, out, err = run_cli(
        "import", str(export), "--as", "lead1", "--encoding", "utf-8", "--json", db=db
    )
    assert code == 2 and "kr.csv, row 2: is not utf-8" in err
    refused = json.loads(out)
    assert refused["kind"] == "encoding" and refused["row"] == 2
    assert "is not utf-8" in refused["error"]


def test_the_preview_of_a_row_whose_phone_is_its_mobile_exits_0(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "same.csv"
    export.write_text(
        "First Name,Last Name,Email,Phone,Mobile\n"
        "Ann,Lee,ann@x.example,+1 212 555 0101,+1 212 555 0101\n"
        "Bob,Stone,bob@x.example,+1 212 555 0102,+1 (212) 555-0102\n",
        encoding="utf-8",
    )
    before = dump(db)
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--dry-run", db=db)
    assert code == 0, err
    assert "2 rows: 2 new leads" in out and "free some space" not in err
    assert dump(db) == before


def test_the_report_lists_who_is_to_decide_and_who_shares_a_number(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "office.csv"
    export.write_text(
        "First Name,Last Name,Email,Phone,Company\n"
        "Ann,Lee,info@acme.example,+1 212 555 0100,Acme\n"
        "Bob,Jones,info@acme.example,,Acme\n"
        "Cy,Young,cy@acme.example,+1 212 555 0100,Acme\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.csv"
    code, out, _err = run_cli(
        "import", str(export), "--as", "lead1", "--report", str(report), db=db
    )
    assert code == 0
    assert "1 row to decide, not imported: their email is already someone else's" in out
    assert "1 row with a phone number someone else has too (a switchboard?)" in out
    with report.open(encoding="utf-8-sig") as handle:
        lines = [(line["row"], line["field"], line["reason"]) for line in csv.DictReader(handle)]
    assert lines[0][:2] == ("3", "email") and lines[0][2].startswith("to decide: ")
    assert lines[1] == (
        "4",
        "phone",
        "shared number: also Ann Lee (row 2)'s; kept on both, not merged",
    )


def test_the_lead_command_shows_what_came_from_the_file(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "crm.csv"
    export.write_text(
        "Record ID,First Name,Last Name,Email,Phone,Mobile,Colour\n"
        "00Q5e000001AbCd,Mia,Wong,mia@wong.example,(212) 555-0199,(646) 555-0111,teal\n",
        encoding="utf-8",
    )
    code, _out, err = run_cli("import", str(export), "--as", "lead1", db=db)
    assert code == 0, err
    code, out, _err = run_cli("search", "00q5e", "--as", "lead1", "--json", db=db)
    assert code == 0
    (found,) = json.loads(out)
    code, out, _err = run_cli("lead", str(found["lead_id"]), "--as", "lead1", db=db)
    assert code == 0
    assert "mia@wong.example · +12125550199 · country assumed: US" in out
    shown = out.split("From the file:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert shown == [
        "  CRM record id: 00Q5e000001AbCd",
        "  Mobile: +16465550111",
        "  Country assumed: US (the number had no country code)",
        "  Colour: teal",
        "  Imported from: crm.csv, row 2",
    ]

"""`leaddesk import` as scripts see it: exit codes, JSON, hostile files that change nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from leaddesk import definition_versions
from leaddesk import users as user_ops
from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from leaddesk.store import open_store

HEADER = "First Name,Last Name,Email,Phone,Company\n"


def leaddesk(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "leaddesk", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240)


@pytest.fixture
def db(sqlite_store_path: Path, clock: FixedClock) -> Path:
    # Set up in-process: four CLI start-ups would cost more than the tests themselves.
    store = open_store(sqlite_store_path)
    with store.transaction() as session:
        definition_versions.ensure_default(session, at=clock())
        for name, role in (
            ("lead1", Role.TEAM_LEAD),
            ("rep1", Role.QUALIFIER),
            ("sales1", Role.SALES),
        ):
            user_ops.add_user(session, name=name, role=role, at=clock(), actor_id=None)
    store.close()
    return sqlite_store_path


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: the store as a whole, to compare before and after."""
    with sqlite3.connect(db) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }


def good_rows(count: int) -> str:
    return "".join(
        f"P{n},Test,p{n}@x.example,+1 212 555 {n % 10000:04d},Co {n}\n" for n in range(count)
    )


def hostile_files(folder: Path) -> dict[str, tuple[Path, list[str], str]]:
    """name -> (file, extra arguments, words the message must contain)."""
    files: dict[str, tuple[Path, list[str], str]] = {}

    def add(name: str, data: bytes, says: str, *extra: str) -> None:
        path = folder / f"{name}.csv"
        path.write_bytes(data)
        files[name] = (path, list(extra), says)

    add("empty", b"", "is empty")
    add("header_only", HEADER.encode(), "nothing to import")
    add("binary", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "PNG image")
    add("binary_noise", bytes((n * 37) % 256 for n in range(20_000)), "binary")
    # 50 MB in one field, after thousands of good rows: found before anything is stored.
    huge = (HEADER + good_rows(5000)).encode() + b'Q,Huge,"' + b"x" * 50_000_000 + b'",,\n'
    add("huge_field", huge, "over")
    add(
        "unbalanced_quotes",
        (HEADER + good_rows(4500) + 'Bad,"Row,bad@x.example,,Co\n' + good_rows(3)).encode(),
        'never closed (missing ")',
    )
    add(
        "wrong_encoding",
        (HEADER + "Jürgen,Müller,j@m.example,,Müller GmbH\n").encode("cp1252"),
        "is not utf-8",
        "--encoding",
        "utf-8",
    )
    add("duplicate_headers", b"Email,Name,email\na@b.example,A,c@d.example\n", "appears twice")
    add("no_columns", b"colour,size\nteal,9\n", "no recognisable columns")
    return files


@pytest.mark.slow
def test_hostile_files_exit_2_with_a_message_and_leave_the_store_unchanged(
    db: Path, tmp_path: Path
) -> None:
    before = dump(db)
    for name, (path, extra, says) in hostile_files(tmp_path).items():
        result = leaddesk(db, "import", str(path), "--as", "lead1", *extra)
        assert result.returncode == 2, (name, result.stderr)
        message = result.stderr.strip()
        assert message.startswith(f"leaddesk: {path.name}"), (name, message)
        assert says in message, (name, message)
        assert "Traceback" not in result.stderr and len(message.splitlines()) == 1, name
        assert dump(db) == before, name


def test_formula_payloads_import_as_plain_text_and_the_report_cannot_run_them(
    db: Path, tmp_path: Path
) -> None:
    export = tmp_path / "formulas.csv"
    export.write_text(
        HEADER + '=HYPERLINK("http://evil.example"),@SUM(A1),not-an-email,+1 212 555 0100,=1+2\n',
        encoding="utf-8",
    )
    report = tmp_path / "report.csv"
    result = leaddesk(db, "import", str(export), "--as", "lead1", "--report", str(report), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 1
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT first_name, last_name FROM people").fetchone()
        company = connection.execute("SELECT name FROM accounts").fetchone()
    assert stored == ('=HYPERLINK("http://evil.example")', "@SUM(A1)")
    assert company == ("=1+2",)
    text = report.read_text(encoding="utf-8-sig")
    assert "not-an-email" in text and "\n=" not in text and ",=" not in text


def test_json_summary_has_the_counts_and_the_report(db: Path, tmp_path: Path) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(3) + ",,,,Nobody\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    result = leaddesk(
        db, "import", str(export), "--as", "rep1", "--dry-run", "--report", str(report), "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("rows", "created", "merged", "attached", "invalid")} == {
        "rows": 4,
        "created": 3,
        "merged": 0,
        "attached": 0,
        "invalid": 1,
    }
    assert summary["existing_account"] == 0 and summary["report"] == str(report)
    assert summary["dry_run"] is True and summary["run"] is None


def test_sales_may_not_import(db: Path, tmp_path: Path) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(1), encoding="utf-8")
    before = dump(db)
    result = leaddesk(db, "import", str(export), "--as", "sales1")
    assert result.returncode == 3 and "cannot import leads" in result.stderr
    assert dump(db) == before


def test_undo_from_the_command_line_restores_the_store(db: Path, tmp_path: Path) -> None:
    export = tmp_path / "leads.csv"
    export.write_text(HEADER + good_rows(5), encoding="utf-8")
    before = dump(db)
    imported = leaddesk(db, "import", str(export), "--as", "lead1", "--json")
    assert imported.returncode == 0, imported.stderr
    run = json.loads(imported.stdout)["run"]
    undone = leaddesk(db, "import", "--undo", str(run), "--as", "lead1")
    assert undone.returncode == 0, undone.stderr
    assert "removed 5 leads" in undone.stdout
    after = dump(db)
    for table in ("leads", "people", "accounts", "notes"):
        assert after[table] == before[table], table
    again = leaddesk(db, "import", "--undo", str(run), "--as", "lead1")
    assert again.returncode == 2 and "already undone" in again.stderr

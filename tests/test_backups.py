"""Backups: every row to one file from a consistent snapshot, restored into a new store of
either kind; a damaged or mismatched file is refused and leaves nothing behind."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from leaddesk.admin.backup_file import sealed
from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.backups import take_backup
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.migrations import SCHEMA_HEAD, current_revision
from leaddesk.store.models import AuditEvent, CallAttempt, Note
from tests.cli_in_process import RunCli
from tests.conftest import NOON


@pytest.fixture
def demo_path(
    demo_made: Callable[[int, int, int], Path], tmp_path: Path, clock: FixedClock
) -> Path:
    """A demo team's store, apart from ``store_location`` (the empty store to restore into)."""
    assert clock() == NOON  # the demo was filled at the tests' own noon
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_made(1200, 2, 4), path)
    return path


def backup_of(path: Path | str, clock: FixedClock, out: Path) -> Path:
    with open_desk(path, "admin", clock=clock) as desk:
        return desk.admin.take_backup(out).path


def lines(backup: Path) -> list[Any]:
    with gzip.open(backup, "rt", encoding="utf-8") as read:
        return [json.loads(line) for line in read]


def rewrite(backup: Path, items: list[Any], to: Path) -> Path:
    """``items`` as a backup file of today's format (sealed with its SHA-256), so what it
    proves is that the lines themselves are checked."""
    with to.open("wb") as raw, sealed(raw, datetime.now(UTC)) as out:
        for item in items:
            out.write(json.dumps(item) + "\n")
    return to


def as_format_1(items: list[Any], to: Path) -> Path:
    """``items`` as LeadDesk wrote backups before they carried a SHA-256: plain gzip."""
    with gzip.open(to, "wt", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({**item, "version": 1} if "format" in item else item) + "\n")
    return to


def test_a_backup_restores_into_either_store_row_for_row(
    demo_path: Path, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    first = backup_of(demo_path, clock, tmp_path / "first.ldbackup.gz")
    # store_location is an empty SQLite file or an empty PostgreSQL database.
    summary = restore_backup(store_location, first, at=clock())
    assert summary.rows["leads"] == 1200 and not summary.dry_run
    again = backup_of(store_location, clock, tmp_path / "again.ldbackup.gz")

    before, after = lines(first), lines(again)
    assert before[0]["schema"] == after[0]["schema"] == SCHEMA_HEAD
    # Every row the same, whichever database held it; only the audit trail has grown, by the
    # restore.
    first_tables, again_tables = by_table(before), by_table(after)
    assert first_tables.pop("audit_events") == again_tables["audit_events"][:-1]
    again_tables.pop("audit_events")
    assert first_tables == again_tables
    with open_desk(store_location, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        # New rows get fresh ids after the restored ones (PostgreSQL's sequences moved on).
        desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER)
        desk.calls.save_note(row.lead_id, "Restored and working")
    store = open_store(store_location)
    with store.reading() as session:
        actions = set(session.scalars(select(AuditEvent.action)))
        notes = session.scalar(select(func.count()).select_from(Note))
    store.close()
    assert {"store_restored", "backup_taken", "call_logged"} <= actions
    assert notes == before[0]["tables"]["notes"] + 1


def by_table(items: list[Any]) -> dict[str, list[Any]]:
    """The rows of a backup's lines, by table (with each table's columns first)."""
    tables: dict[str, list[Any]] = {}
    current: list[Any] = []
    for item in items[1:]:
        if isinstance(item, dict) and "table" in item:
            current = tables.setdefault(item["table"], [item["columns"]])
        elif isinstance(item, list):
            current.append(item)
    return tables


def test_a_backup_is_one_snapshot_while_others_keep_working(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    """Rows written while the backup runs are not half in it: the file is the store as it was
    when the backup began, and its counts add up."""
    store = open_store(demo_path)
    other = open_store(demo_path)
    written: list[int] = []

    def meanwhile(_done: int, _total: int) -> None:
        if not written:
            with open_desk(demo_path, "rep1", clock=clock) as desk:
                row = desk.queue.next()
                assert row is not None
                desk.calls.save_note(row.lead_id, "Typed during the backup")
                written.append(row.lead_id)

    with other.reading() as session:
        notes_before = session.scalar(select(func.count()).select_from(Note))
    summary = take_backup(
        store, tmp_path / "b.ldbackup.gz", taken_by="admin", at=clock(), progress=meanwhile
    )
    store.close()
    other.close()
    assert written, "the backup was too small to be interrupted"
    assert summary.rows["notes"] == notes_before
    restored = restore_backup(tmp_path / "r.sqlite3", summary.path, at=clock())
    assert restored.rows == summary.rows


def test_only_an_admin_backs_up_and_a_backup_never_overwrites(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for user in ("rep1", "lead1", "sales1"):
        with (
            open_desk(demo_path, user, clock=clock) as desk,
            pytest.raises(NotPermitted, match="back up"),
        ):
            desk.admin.take_backup(folder)
    taken = backup_of(demo_path, clock, folder / "kept.ldbackup.gz")
    size = taken.stat().st_size
    with pytest.raises(InputError, match="already exists, and a backup never overwrites one"):
        backup_of(demo_path, clock, taken)
    assert taken.stat().st_size == size
    assert sorted(p.name for p in folder.iterdir()) == ["kept.ldbackup.gz"]
    # A folder gets a dated file of its own.
    named = backup_of(demo_path, clock, folder)
    assert named.parent == folder and named.name.startswith("leaddesk-backup-")


def test_backup_out_with_a_trailing_slash_is_a_new_folder(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from leaddesk.cli import main

    folder = tmp_path / "nightly"
    assert main(["--db", str(demo_path), "backup", "--out", f"{folder}/", "--as", "admin"]) == 0
    [taken] = folder.iterdir()
    assert taken.name.startswith("leaddesk-backup-") and taken.name.endswith(".ldbackup.gz")
    assert capsys.readouterr().out.strip().endswith(f"to {taken}")


def test_a_restore_goes_into_an_empty_store_only(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    backup = backup_of(demo_path, clock, tmp_path / "b.ldbackup.gz")
    before = demo_path.read_bytes()
    with pytest.raises(InputError, match=r"already holds data .* new, empty store only"):
        restore_backup(demo_path, backup, at=clock())
    assert demo_path.read_bytes() == before


def damaged(backup: Path, tmp_path: Path) -> dict[str, Path]:
    items = lines(backup)
    header, rest = items[0], items[1:]
    leads_at = next(i for i, item in enumerate(rest) if _is(item, "leads"))
    columns = rest[leads_at]["columns"]
    bad_row = list(rest[leads_at + 1])
    bad_row[columns.index("stage")] = "bogus"
    files = {
        "cut short": rewrite(backup, items[:-1], tmp_path / "cut.gz"),
        "bad value": rewrite(
            backup,
            [header, *rest[: leads_at + 1], bad_row, *rest[leads_at + 2 :]],
            tmp_path / "value.gz",
        ),
        "newer": rewrite(backup, [{**header, "schema": "0099"}, *rest], tmp_path / "newer.gz"),
        "not ours": rewrite(backup, [{"hello": 1}], tmp_path / "other.gz"),
    }
    half = tmp_path / "half.gz"
    half.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    files["torn"] = half
    text = tmp_path / "leads.csv"
    text.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")
    files["plain text"] = text
    return files


def _is(item: Any, table: str) -> bool:
    return isinstance(item, dict) and item.get("table") == table


MESSAGES = {
    "cut short": r"cut short after line \d+ \(no end line\); nothing was restored",
    "bad value": r"line \d+, table leads, column stage: 'bogus' is not one of new, ",
    "newer": r"taken by a newer LeadDesk \(schema 0099, this one is \d+\); restore it with",
    "not ours": r"not a LeadDesk backup \(no backup header on line 1\)",
    "torn": r"damaged or cut short \(its SHA-256 does not match its content\); nothing was",
    "plain text": r"not a LeadDesk backup \(not a gzip file",
}


@pytest.mark.parametrize("kind", list(MESSAGES))
def test_a_damaged_backup_is_refused_by_name_and_leaves_no_store(
    demo_path: Path, clock: FixedClock, tmp_path: Path, kind: str
) -> None:
    backup = backup_of(demo_path, clock, tmp_path / "b.ldbackup.gz")
    broken = damaged(backup, tmp_path)[kind]
    target = tmp_path / "new" / "restored.sqlite3"
    for dry_run in (True, False):
        with pytest.raises(InputError, match=MESSAGES[kind]) as refused:
            restore_backup(target, broken, at=clock(), dry_run=dry_run)
        assert broken.name in refused.value.message
        # Nothing made, nothing left half-filled.
        assert not target.exists() and not list(tmp_path.glob("new/restored.sqlite3*"))


def test_backup_and_restore_from_the_command_line(
    demo_path: Path, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    refused = run_cli("--db", str(demo_path), "backup", "--as", "lead1", "--out", str(tmp_path))
    assert refused.returncode == 3 and "back up" in refused.stderr
    taken = run_cli(
        "--db", str(demo_path), "backup", "--as", "admin", "--out", str(tmp_path), "--json"
    )
    assert taken.returncode == 0, taken.stderr
    summary = json.loads(taken.stdout)
    backup = Path(summary["file"])
    assert backup.is_file() and summary["rows"]["leads"] == 1200

    target = tmp_path / "restored.sqlite3"
    checked = run_cli("--db", str(target), "restore", str(backup), "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "is whole:" in checked.stdout and not target.exists()
    restored = run_cli("--db", str(target), "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored ")
    # Checked whole, then written: each pass counts the backup's rows, never twice as many.
    rows = sum(summary["rows"].values())
    lines = restored.stderr.splitlines()
    assert (
        f"Checking: {rows:,} rows, done" in lines and lines[-1] == f"Restoring: {rows:,} rows, done"
    )
    assert all(line.endswith(f" of {rows:,} rows") for line in lines if " of " in line), lines
    folder = run_cli("--db", str(tmp_path / "other.sqlite3"), "restore", str(tmp_path))
    assert folder.returncode == 2 and "a folder, not a backup file" in folder.stderr
    twice = run_cli("--db", str(target), "restore", str(backup))
    assert twice.returncode == 2 and "already holds data" in twice.stderr
    assert "Traceback" not in twice.stderr
    listed = run_cli("--db", str(target), "users", "list", "--json")
    assert {user["name"] for user in json.loads(listed.stdout)} >= {"rep1", "lead1", "admin"}


def test_restoring_into_postgresql_says_logins_are_given_again(
    demo_path: Path,
    store_location: str,
    clock: FixedClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from leaddesk.cli import main

    backup = backup_of(demo_path, clock, tmp_path / "b.ldbackup.gz")
    assert main(["--db", store_location, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Restored ")
    hinted = "give them again with 'users login'" in out
    assert hinted == store_location.startswith("postgresql")


def test_restoring_into_a_store_init_has_set_up_says_to_skip_init(
    demo_path: Path, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    from leaddesk.cli import main

    backup = backup_of(demo_path, clock, tmp_path / "team.ldbackup.gz")
    assert main(["--db", store_location, "init"]) == 0
    with pytest.raises(InputError, match=r"was set up by 'leaddesk init', so it is not empty;"):
        restore_backup(store_location, backup, at=clock())


def as_of_schema_0004(backup: Path, to: Path) -> Path:
    """The backup as LeadDesk at schema 0004 wrote it: without the columns added since (when a call
    ended, when a nurtured lead came back, a lead's tries since its last contact, which
    login wrote an audit event, a user's password, a hand-off's salesperson and their clock,
    where sales' rejection sent a lead, who referred it, when it became marketing-qualified,
    whose call a forced move took it from, an opportunity's amount, the hand-off an answer
    is to) and the tables (the do-not-call list, the store's identity, the moves waiting for
    a call, the sync's outbox and settings, the values an import kept for search, the
    salespeople's calendars and the meetings booked into them)."""
    added: dict[str, tuple[str, ...]] = {
        "call_attempts": ("ended_at",),
        "leads": (
            "recycled_at",
            "cadence_attempts",
            "sales_owner_id",
            "sales_clock_at",
            "sales_due_at",
            "sales_flagged_at",
            "referred_by_id",
            "marketing_qualified_at",
            "taken_from_call_id",
        ),
        "opportunity_refs": ("amount_cents",),
        "audit_events": ("db_login",),
        "users": ("password_hash", "timezone"),
        "verdicts": ("salesperson_id",),
        "sales_feedback": ("route", "recycle_at", "batch_id"),
    }
    new_tables = {
        "do_not_call_entries",
        "store_identity",
        "pending_moves",
        "sync_outbox",
        "sync_settings",
        "lead_file_values",
        "sales_calendars",
        "meetings",
    }
    items, out = lines(backup), []
    drop: list[int] = []
    skipping = False
    for item in items:
        if isinstance(item, dict):  # a table's heading, or the end line after the last table
            skipping = item.get("table") in new_tables
        if skipping:
            continue
        if isinstance(item, dict) and "end" in item:  # the row counts: of its tables only
            counts = {k: v for k, v in item["end"].items() if k not in new_tables}
            out.append({**item, "end": counts})
        elif isinstance(item, dict) and "format" in item:
            tables = {k: v for k, v in item["tables"].items() if k not in new_tables}
            out.append({**item, "schema": "0004", "tables": tables})
        elif isinstance(item, dict) and "table" in item:
            gone = added.get(item["table"], ())
            drop = [i for i, c in enumerate(item["columns"]) if c in gone]
            kept = [c for c in item["columns"] if c not in gone]
            out.append({**item, "columns": kept})
        elif isinstance(item, list) and drop:
            out.append([value for i, value in enumerate(item) if i not in drop])
        else:
            out.append(item)
    return rewrite(backup, out, to)


def test_a_backup_from_an_older_leaddesk_restores_and_is_brought_up_to_date(
    demo_path: Path, new_store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    old = as_of_schema_0004(backup_of(demo_path, clock, tmp_path / "b.gz"), tmp_path / "old.gz")
    assert restore_backup(tmp_path / "checked.sqlite3", old, at=clock(), dry_run=True).schema == (
        "0004"
    )
    target = new_store_location  # a new file, or an empty PostgreSQL database
    summary = restore_backup(target, old, at=clock())
    assert summary.rows["leads"] == 1200 and summary.schema == "0004"
    store = open_store(target)
    assert current_revision(store) == SCHEMA_HEAD
    with store.reading() as session:
        ended = session.scalar(
            select(func.count()).select_from(CallAttempt).where(CallAttempt.ended_at.is_not(None))
        )
        calls = session.scalar(select(func.count()).select_from(CallAttempt))
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "store_restored")
        ).one()
    store.close()
    # As an upgraded store has it: older calls were over when logged, with their logged length.
    assert calls and ended == calls
    assert event.details["schema"] == "0004"
    with open_desk(target, "rep1", clock=clock) as desk:  # and it works
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER)


def test_an_older_backup_whose_columns_are_not_that_schemas_is_refused(
    demo_path: Path, clock: FixedClock, tmp_path: Path
) -> None:
    backup = backup_of(demo_path, clock, tmp_path / "b.gz")
    items = lines(backup)
    # Says schema 0004 but carries today's columns: it was not written at 0004.
    mixed = rewrite(backup, [{**items[0], "schema": "0004"}, *items[1:]], tmp_path / "mixed.gz")
    target = tmp_path / "new" / "restored.sqlite3"
    with pytest.raises(InputError, match=r"table \w+: the columns are not those of schema 0004"):
        restore_backup(target, mixed, at=clock())
    assert not target.exists()

"""Backup and restore speed: every row of a store to one file, and back into a new store.

Run: python tests/benchmarks/bench_backup.py [--store PATH] [--leads N] [--postgres URL]

Without ``--store`` a demo store of ``--leads`` leads (default 20,000) is made first. The store
is copied, so the audit event a backup writes does not change it. Prints rows/s and the file's
size for the backup, the check (``restore --dry-run``) and the restore into a new SQLite file
(and into the PostgreSQL database given, which must be empty); asserts no time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.backups import take_backup
from leaddesk.admin.demo import fill_demo
from leaddesk.store import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a SQLite store to back up (copied first)")
    parser.add_argument("--leads", type=int, default=20_000, help="demo size without --store")
    parser.add_argument("--postgres", metavar="URL", help="also restore into this empty database")
    args = parser.parse_args(argv)
    now = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="leaddesk-bench-backup-"))
    source = work / "source.sqlite3"
    if args.store:
        shutil.copyfile(args.store, source)
    else:
        started = time.perf_counter()
        store = open_store(source)
        fill_demo(store, leads=args.leads, now=now)
        store.close()
        print(f"demo store of {args.leads:,} leads made in {time.perf_counter() - started:.1f} s")

    store = open_store(source)
    started = time.perf_counter()
    summary = take_backup(store, work / "store.ldbackup.gz", taken_by="bench", at=now)
    took = time.perf_counter() - started
    store.close()
    rows = sum(summary.rows.values())
    size = summary.size / 1e6
    print(f"backup   {rows:,} rows in {took:6.1f} s = {rows / took:8,.0f} rows/s, {size:.1f} MB")

    targets: list[tuple[str, str | Path, bool]] = [
        ("check", work / "checked.sqlite3", True),
        ("restore", work / "restored.sqlite3", False),
    ]
    if args.postgres:
        targets.append(("restore to PostgreSQL", args.postgres, False))
    for label, target, dry_run in targets:
        started = time.perf_counter()
        restore_backup(target, summary.path, at=now, dry_run=dry_run)
        took = time.perf_counter() - started
        print(f"{label:<8} {rows:,} rows in {took:6.1f} s = {rows / took:8,.0f} rows/s")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A damaged backup never passes: one flipped bit anywhere in the file, or a few bytes cut off,
and both `restore` and `restore --dry-run` refuse it by name and leave the target as it was."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect

from leaddesk.admin.backup_file import sealed
from leaddesk.admin.backup_reading import BackupUnreadable
from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.demo import fill_demo
from leaddesk.cli import main
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.errors import InputError
from leaddesk.store import open_store
from leaddesk.store.database import resolve_location


@pytest.fixture
def small_backup(sqlite_template: Path, tmp_path: Path, clock: FixedClock) -> Path:
    path = tmp_path / "small.sqlite3"
    shutil.copyfile(sqlite_template, path)
    store = open_store(path)
    fill_demo(store, leads=12, reps=1, seed=3, now=clock())
    store.close()
    with open_desk(path, "admin", clock=clock) as desk:
        return desk.admin.take_backup(tmp_path / "small.ldbackup.gz").path


def tables_in(location: str) -> set[str]:
    engine = create_engine(resolve_location(location))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def flipped(data: bytes, position: int, bit: int) -> bytes:
    damaged = bytearray(data)
    damaged[position] ^= 1 << bit
    return bytes(damaged)


def damaged_copies(backup: Path, folder: Path) -> list[Path]:
    """The backup with one bit flipped in the gzip header (every byte of it, the SHA-256
    included), all through the compressed body, and in the trailer (CRC and length); and the
    backup cut short at several lengths."""
    data = backup.read_bytes()
    size = len(data)
    header = list(range(48))  # 10 gzip header bytes, the extra field and its SHA-256
    body = [48 + (size - 56) * step // 24 for step in range(24)]
    trailer = list(range(size - 8, size))
    positions = [*header[:16], *header[16:48:4], *body, *trailer]
    assert len(positions) >= 40
    folder.mkdir()
    copies = []
    for number, position in enumerate(positions):
        copy = folder / f"flip-{position}.ldbackup.gz"
        copy.write_bytes(flipped(data, position, number % 8))
        copies.append(copy)
    for length in (size - 1, size - 3, size - 8, size - 9, size // 2, 60, 20, 0):
        copy = folder / f"cut-{length}.ldbackup.gz"
        copy.write_bytes(data[:length])
        copies.append(copy)
    return copies


def test_every_flipped_bit_and_every_cut_is_refused_and_the_target_stays_as_it_was(
    small_backup: Path,
    store_location: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A new SQLite file, or the empty PostgreSQL database.
    target = store_location if "://" in store_location else str(tmp_path / "new.sqlite3")
    before = tables_in(target) if "://" in target else set()
    for copy in damaged_copies(small_backup, tmp_path / "damaged"):
        for dry_run in (["--dry-run"], []):
            code = main(["--db", target, "restore", str(copy), *dry_run])
            said = capsys.readouterr()
            assert code == 2, f"{copy.name} {dry_run}: {said.out}"
            assert copy.name in said.err and "Traceback" not in said.err
        if "://" in target:
            assert tables_in(target) == before
        else:
            assert not list(tmp_path.glob("new.sqlite3*"))
    # And the backup itself, whole, is taken.
    assert main(["--db", target, "restore", str(small_backup)]) == 0


def test_a_backup_cut_by_a_few_bytes_is_refused_even_without_its_sha256(
    small_backup: Path, tmp_path: Path, clock: FixedClock
) -> None:
    """A backup of format 1 (no SHA-256) is still read, and its gzip CRC and length are
    checked: cutting off the trailer is noticed, not ignored."""
    with gzip.open(small_backup, "rt", encoding="utf-8") as read:
        items = [json.loads(line) for line in read]
    old = tmp_path / "old.ldbackup.gz"
    with gzip.open(old, "wt", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps({**item, "version": 1} if "format" in item else item) + "\n")
    data = old.read_bytes()
    for cut in (1, 4, 8):
        short = tmp_path / f"old-cut-{cut}.ldbackup.gz"
        short.write_bytes(data[:-cut])
        with pytest.raises(BackupUnreadable, match=rf"{short.name}: damaged after line \d+"):
            restore_backup(tmp_path / "never.sqlite3", short, at=clock(), dry_run=True)
    crc = tmp_path / "old-crc.ldbackup.gz"
    crc.write_bytes(flipped(data, len(data) - 6, 2))
    with pytest.raises(InputError, match="CRC check failed"):
        restore_backup(tmp_path / "never.sqlite3", crc, at=clock())
    assert not list(tmp_path.glob("never.sqlite3*"))
    summary = restore_backup(tmp_path / "restored.sqlite3", old, at=clock())
    assert summary.rows["leads"] == 12


def without_person_for_the_first_lead(items: list[Any]) -> list[Any]:
    """Every line as it was, but the first person is gone: their lead points at nobody."""
    kept: list[Any] = []
    table = None
    skipped = False
    for item in items:
        if isinstance(item, dict) and "table" in item:
            table = item["table"]
        elif isinstance(item, list) and table == "people" and not skipped:
            skipped = True
            continue
        kept.append(item)
    counts = dict(kept[0]["tables"])
    counts["people"] -= 1
    end = dict(kept[-1]["end"])
    end["people"] -= 1
    return [{**kept[0], "tables": counts}, *kept[1:-1], {"end": end}]


def test_a_restore_the_database_refuses_leaves_no_tables_behind(
    small_backup: Path, new_store_location: str, tmp_path: Path, clock: FixedClock
) -> None:
    with gzip.open(small_backup, "rt", encoding="utf-8") as read:
        items = [json.loads(line) for line in read]
    broken = tmp_path / "orphans.ldbackup.gz"
    with broken.open("wb") as raw, sealed(raw, clock()) as out:
        for item in without_person_for_the_first_lead(items):
            out.write(json.dumps(item) + "\n")
    target = new_store_location  # a new file, or an empty PostgreSQL database
    with pytest.raises(
        BackupUnreadable, match=r"orphans.ldbackup.gz: its rows do not fit together"
    ):
        restore_backup(target, broken, at=clock())
    if "://" in target:
        assert tables_in(target) == set()
    else:
        assert not list(tmp_path.glob("new-store.sqlite3*"))


def test_a_sealed_backup_is_still_a_gzip_file_other_tools_read(small_backup: Path) -> None:
    with gzip.open(small_backup, "rt", encoding="utf-8") as read:
        first = json.loads(read.readline())
    assert (first["format"], first["version"]) == ("leaddesk-backup", 2)
    if shutil.which("gzip"):
        tested = subprocess.run(["gzip", "-t", str(small_backup)], capture_output=True, check=False)
        assert tested.returncode == 0, tested.stderr

"""Where a backup is written: a new file only, never through a link planted in the folder,
and never into a folder others can change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from leaddesk.cli import main
from leaddesk.errors import InputError
from leaddesk.store import open_store
from leaddesk.store.database import backup_sqlite

NOBODY = 65534  # another user's id, for folders that are not ours


@pytest.fixture
def store_path(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(sqlite_template, path)
    assert main(["--db", str(path), "init"]) == 0
    return path


def backup(store: Path, out: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", str(store), "backup", "--out", out])  # as the file's owner
    return code, capsys.readouterr().err


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file outside the backup folder that a planted link points at."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    path = outside / "precious.txt"
    path.write_text("keep me", encoding="utf-8")
    return path


def test_a_planted_partial_link_is_never_written_through(
    store_path: Path, tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "nightly.ldbackup.gz"
    planted = folder / "nightly.ldbackup.gz.partial"
    planted.symlink_to(victim)
    code, err = backup(store_path, str(target), capsys)
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert planted.is_symlink() and os.readlink(planted) == str(victim)
    assert target.is_file() and not target.is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == sorted([planted.name, target.name])


@pytest.mark.parametrize("link_to", ["a file", "nothing"])
def test_a_backup_refuses_a_name_taken_by_a_link(
    store_path: Path,
    tmp_path: Path,
    victim: Path,
    capsys: pytest.CaptureFixture[str],
    link_to: str,
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "nightly.ldbackup.gz"
    target.symlink_to(victim if link_to == "a file" else tmp_path / "not-there")
    code, err = backup(store_path, str(target), capsys)
    assert code == 2
    assert f"{target} already exists, and a backup never overwrites one" in err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "not-there").exists()
    assert [p.name for p in folder.iterdir()] == [target.name]


def shared_folder(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "".join(c for c in kind if c.isalnum())
    folder.mkdir()
    if kind in ("another user's", "group-writable, not mine"):
        if os.geteuid() != 0:
            pytest.skip("giving a folder to another user needs root")
        os.chown(folder, NOBODY, -1)
    mode = {
        "world-writable": 0o777,
        "sticky, like /tmp": 0o1777,
        "group-writable, not mine": 0o775,
        "another user's": 0o755,
    }[kind]
    folder.chmod(mode)
    return folder


SHARED = {
    "world-writable": "anyone on this computer can write in it;",
    "sticky, like /tmp": "anyone on this computer can write in it (like /tmp);",
    "group-writable, not mine": "belongs to nobody",
    "another user's": "belongs to nobody, who could swap files in it;",
}


@pytest.mark.parametrize("kind", list(SHARED))
def test_a_backup_refuses_a_folder_others_can_write_to(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    folder = shared_folder(tmp_path, kind)
    for out in (f"{folder}/", str(folder / "nightly.ldbackup.gz")):
        code, err = backup(store_path, out, capsys)
        assert code == 2, err
        assert f"{folder}: {SHARED[kind]}" in err
        assert "a backup goes only into a folder of your own" in err
        assert list(folder.iterdir()) == []


def test_a_group_writable_folder_of_ones_own_is_fine(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's private group (umask 002 systems) makes new folders group-writable."""
    folder = tmp_path / "mine"
    folder.mkdir()
    folder.chmod(0o775)
    code, err = backup(store_path, f"{folder}/", capsys)
    assert code == 0, err
    assert len(list(folder.iterdir())) == 1


def test_the_copy_before_an_upgrade_never_follows_a_planted_link(
    store_path: Path, tmp_path: Path, victim: Path
) -> None:
    copy = tmp_path / "store.sqlite3.before-upgrade.bak"
    (tmp_path / f"{copy.name}.partial").symlink_to(victim)
    store = open_store(store_path)
    try:
        assert backup_sqlite(store, copy) == copy
        assert victim.read_text(encoding="utf-8") == "keep me"
        assert copy.read_bytes().startswith(b"SQLite format 3")
        with pytest.raises(InputError, match="already exists"):
            backup_sqlite(store, copy)  # and never over a file that is there
    finally:
        store.close()

"""Stores the user cannot write are said plainly: a read-only file, a folder without write
access, and a user named on a store that does not exist yet (which leaves nothing behind).

Tests run as root here, where chmod stops nothing: the file or folder is made immutable with
``chattr +i`` instead (as root), or read-only with chmod (anyone else); where neither works
the test skips, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from leaddesk.desk import check_store_writable, open_desk
from leaddesk.errors import InputError, NotPermitted
from tests.cli_in_process import RunCli


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """``path`` (a file or folder) cannot be written by this process for the block."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: nothing can make a file unwritable")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def demo_store(tmp_path: Path, run_cli: RunCli) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "demo.sqlite3"
    assert run_cli("--db", str(path), "demo", "--leads", "40", "--reps", "2")[0] == 0
    return path


def test_a_read_only_store_still_reads_but_refuses_the_first_write_plainly(
    demo_store: Path, run_cli: RunCli
) -> None:
    before = demo_store.read_bytes()
    with unwritable(demo_store):
        # What is callable depends on the day and hour (weekends, holidays): a read, whatever
        # it finds, works; adding a lead is a write, whatever the clock says.
        code, out, _ = run_cli("--db", str(demo_store), "queue", "--as", "rep1", "--json")
        assert code == 0 and isinstance(json.loads(out), list)
        code, _, err = run_cli(
            "--db",
            str(demo_store),
            "add-lead",
            "--as",
            "rep1",
            "--first-name",
            "Ida",
            "--email",
            "ida@readonly.example",
        )
        assert code == 3
        assert f"This store is read-only (file permissions): {demo_store}" in err
        assert "Ask whoever manages it" in err and "This is a bug" not in err
    assert demo_store.read_bytes() == before


def test_the_window_refuses_a_read_only_store_before_it_opens(demo_store: Path) -> None:
    check_store_writable(str(demo_store))  # writable: no complaint
    with unwritable(demo_store), pytest.raises(NotPermitted) as refused:
        check_store_writable(str(demo_store))
    assert "read-only (file permissions)" in refused.value.message
    assert str(demo_store) in refused.value.message


def test_a_new_store_in_a_folder_without_write_access_names_the_folder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with unwritable(folder):
        code, _, err = run_cli("--db", str(folder / "team.sqlite3"), "init")
    assert code == 3
    assert f"the folder {folder} is not writable for you" in err
    assert "--db ~/leaddesk.sqlite3" in err
    assert list(folder.iterdir()) == []


def test_a_store_in_a_folder_without_write_access_names_the_folder(
    demo_store: Path, run_cli: RunCli
) -> None:
    folder = demo_store.parent
    with unwritable(folder):
        code, _, err = run_cli("--db", str(demo_store), "queue", "--as", "rep1")
        assert code == 3
        assert f"The folder {folder} is not writable for you" in err
        with pytest.raises(NotPermitted) as refused:
            check_store_writable(str(demo_store))
        assert str(folder) in refused.value.message


def test_a_store_path_under_a_file_says_the_file_is_in_the_way(
    tmp_path: Path, run_cli: RunCli
) -> None:
    blocking = tmp_path / "notes.txt"
    blocking.write_text("not a folder")
    code, _, err = run_cli("--db", str(blocking / "demo.sqlite3"), "init")
    assert code == 2
    assert f"{blocking} is a file, not a folder" in err


def test_an_unknown_user_on_a_new_store_path_creates_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    store = tmp_path / "new" / "demo.sqlite3"
    code, _, err = run_cli("--db", str(store), "init", "--as", "rep1")
    assert code == 2
    assert f"No store at {store} yet, so no user 'rep1' in it" in err
    assert f"leaddesk --db {store} demo" in err
    with pytest.raises(InputError):
        open_desk(str(store), "rep1", create=True)
    assert not (tmp_path / "new").exists()


def test_an_unknown_user_on_an_existing_store_is_still_named(
    demo_store: Path, run_cli: RunCli
) -> None:
    code, _, err = run_cli("--db", str(demo_store), "queue", "--as", "nobody")
    assert code == 2 and "No user named 'nobody'" in err

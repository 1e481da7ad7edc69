"""The window refuses, before it opens, a store it could not write and a user a store that
does not exist yet cannot have, leaving nothing behind."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from leaddesk import cli
from ui.app import open_window


def test_a_read_only_store_is_refused_before_the_window_opens(
    tmp_path: Path, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0 and shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: nothing can make the store read-only")
    lock = ["chattr", "+i"] if os.geteuid() == 0 else ["chmod", "a-w"]
    unlock = ["chattr", "-i"] if os.geteuid() == 0 else ["chmod", "u+w"]
    if subprocess.run([*lock, str(demo_store)], capture_output=True).returncode != 0:
        pytest.skip("cannot make the store read-only on this file system")
    try:
        target = tmp_path / "shot.png"
        args = ["--db", str(demo_store), "gui", "--as", "rep1", "--screenshot", str(target)]
        assert cli.main(args, open_window=open_window) == 3
    finally:
        subprocess.run([*unlock, str(demo_store)], check=True)
    assert "This store is read-only (file permissions)" in capsys.readouterr().err
    assert not target.exists()


def test_a_user_on_a_store_not_made_yet_leaves_no_file_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "new.sqlite3"
    args = ["--db", str(store), "gui", "--as", "rep1", "--screenshot", str(tmp_path / "s.png")]
    assert cli.main(args, open_window=open_window) == 2
    assert f"No store at {store} yet, so no user 'rep1'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

"""The installed ``leaddesk`` program ends a command without the interpreter's teardown
(``ui.app.run``: ``os._exit`` once the command is done). These prove nothing is lost by it:
what a command wrote to the store, the log's lines, all of what it printed, and the exit
status, each as a real process leaves them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from leaddesk import __version__
from leaddesk.cli import main as cli_main
from leaddesk.desk import setup_desk
from leaddesk.domain import Role
from leaddesk.store.migrations import SCHEMA_HEAD

pytestmark = pytest.mark.end2end
ROOT = Path(__file__).resolve().parents[2]
OLD_STORE = ROOT / "tests" / "data" / "store-r10.sqlite3"
# What the installed ``leaddesk`` script runs (pyproject.toml: leaddesk = "ui.app:run").
ENTRY = "from ui.app import run; run()"


def leaddesk(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        environment[name] = str(tmp_path / name.lower())
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=tmp_path,
    )


def test_a_user_added_by_the_command_is_in_the_store_after_it_exits(
    tmp_path: Path, sqlite_store_path: Path
) -> None:
    with setup_desk(sqlite_store_path) as desk:
        desk.people.add("lead1", Role.TEAM_LEAD)

    done = leaddesk(
        tmp_path, "--db", sqlite_store_path, "users", "add", "rep5", "--role", "qualifier"
    )

    assert (done.returncode, done.stderr) == (0, "")
    with sqlite3.connect(sqlite_store_path) as store:
        names = {name for (name,) in store.execute("SELECT name FROM users")}
    assert "rep5" in names
    check = leaddesk(tmp_path, "--db", sqlite_store_path, "users", "list")
    assert check.returncode == 0 and "rep5" in check.stdout


def test_the_log_keeps_every_line_of_an_upgrade_the_command_ran(tmp_path: Path) -> None:
    store = tmp_path / "old.sqlite3"
    shutil.copy(OLD_STORE, store)

    done = leaddesk(tmp_path, "--db", store, "users", "list")

    assert done.returncode == 0, done.stderr
    log = next((tmp_path / "xdg_state_home").rglob("leaddesk.log")).read_text(encoding="utf-8")
    upgrades = [line for line in log.splitlines() if "Running upgrade" in line]
    assert upgrades and f"-> {SCHEMA_HEAD}, " in upgrades[-1]  # the last one, up to the head


def test_everything_printed_reaches_the_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli_main(["--help"])  # argparse prints the help and exits
    expected = capsys.readouterr().out

    done = leaddesk(tmp_path, "--help")

    assert (done.returncode, done.stdout) == (0, expected)


def test_exit_statuses_are_those_of_a_normal_exit(tmp_path: Path) -> None:
    version = leaddesk(tmp_path, "--version")
    misspelt = leaddesk(tmp_path, "quueue")

    assert (version.returncode, version.stdout.strip()) == (0, f"LeadDesk {__version__}")
    assert misspelt.returncode == 2 and "invalid choice: 'quueue'" in misspelt.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "--help"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=tmp_path,
    )
    assert command.stdout is not None and command.stderr is not None
    command.stdout.close()  # as `leaddesk --help | head -0` does
    with command.stderr:
        err = command.stderr.read()
    assert command.wait(timeout=120) == 0
    assert b"Traceback" not in err

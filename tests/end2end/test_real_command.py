"""What only a real ``leaddesk`` process proves: the installed entry point and ``python -m
leaddesk`` start, exit codes reach the shell through the interpreter, the environment is
inherited, and stdin piped from a script is not a terminal to ask a password on. Everything
else runs in-process through the ``run_cli`` fixture, at a fraction of the cost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leaddesk import __version__
from leaddesk.clock import FixedClock
from leaddesk.domain import Role
from tests.factories import Team

pytestmark = pytest.mark.end2end
ROOT = Path(__file__).resolve().parents[2]


def python_m_leaddesk(
    *args: str | Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    # This worktree's code first, whatever the virtualenv was installed from.
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, "-m", "leaddesk", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        input=input if input is not None else "",
    )


def test_python_m_leaddesk_prints_the_version() -> None:
    result = python_m_leaddesk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"LeadDesk {__version__}"


def test_the_installed_leaddesk_command_starts_the_entry_point() -> None:
    command = shutil.which("leaddesk", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.skip("the leaddesk command is not installed next to this Python")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [command, "--version"], capture_output=True, text=True, timeout=120, env=environment
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"LeadDesk {__version__}")


def test_the_store_named_in_the_environment_is_used(tmp_path: Path) -> None:
    store = tmp_path / "env.sqlite3"
    result = python_m_leaddesk("init", env={"LEADDESK_DATABASE_URL": str(store)})
    assert result.returncode == 0, result.stderr
    assert store.exists()


@pytest.fixture
def claimed_lead(sqlite_store_path: Path) -> int:
    """rep1 on a call with a lead (on the real clock, as the commands run on it)."""
    team = Team(str(sqlite_store_path), FixedClock(datetime.now(UTC)))
    team.user("lead1", Role.TEAM_LEAD)
    team.user("rep1")
    team.user("rep2")
    lead_id = team.lead("rep1")
    team.claim(lead_id, "rep1", minutes=30)
    team.store.close()
    return lead_id


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["users", "add", "x", "--role", "boss"], 2, "role: 'boss' is not a role"),
        (["frobnicate"], 2, "invalid choice"),
        (["users", "add", "y", "--role", "qualifier", "--as", "nobody"], 2, "No user named"),
        (["team", "--as", "rep1"], 3, "leaddesk: rep1 is a qualifier and cannot see the team"),
        (["users", "add", "rep1", "--role", "qualifier", "--as", "lead1"], 4, "already exists"),
        (
            ["reassign", "--lead", "{lead}", "--to", "rep2", "--as", "lead1"],
            4,
            "on a call with rep1",
        ),
    ],
    ids=["argparse", "unknown-command", "input", "not-permitted", "exists", "claimed"],
)
def test_exit_codes_and_one_line_messages_reach_the_shell(
    sqlite_store_path: Path, claimed_lead: int, args: list[str], code: int, says: str
) -> None:
    given = [a.replace("{lead}", str(claimed_lead)) for a in args]
    result = python_m_leaddesk("--db", sqlite_store_path, *given)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_password_piped_on_stdin_is_refused_not_read(sqlite_store_path: Path) -> None:
    """A pipe is not a terminal: the command says how to give the password instead of
    waiting for one, and nothing is changed."""
    made = python_m_leaddesk("--db", sqlite_store_path, "users", "add", "ana", "--role", "admin")
    assert made.returncode == 0, made.stderr
    result = python_m_leaddesk(
        "--db", sqlite_store_path, "users", "password", "ana", input="secret-password\n"
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "leaddesk: Give the new password with --password-file FILE (no terminal to ask)."
    )


def test_json_output_piped_to_another_program_is_whole(sqlite_store_path: Path) -> None:
    python_m_leaddesk("--db", sqlite_store_path, "users", "add", "ana", "--role", "team_lead")
    listed = python_m_leaddesk("--db", sqlite_store_path, "users", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [u["name"] for u in json.loads(listed.stdout)] == ["ana"]

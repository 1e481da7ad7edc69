"""The command line as a script sees it: exit codes, JSON, one-line messages (run in this
process; tests/end2end starts the real one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaddesk import __version__
from tests.cli_in_process import RunCli


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"LeadDesk {__version__}"


def test_python_m_leaddesk_gui_says_which_command_opens_the_window(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # `python -m leaddesk` has no window to open: it says which command has one.
    result = run_cli("gui", "--as", "rep1", db=tmp_path / "team.sqlite3")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "leaddesk: 'python -m leaddesk' runs the commands only; the window opens with the "
        "'leaddesk' command ('leaddesk gui')"
    )


def test_init_is_idempotent(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "team.sqlite3"
    first = run_cli("init", "--json", db=db)
    second = run_cli("init", "--json", db=db)
    assert first.returncode == second.returncode == 0, first.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert json.loads(second.stdout)["definition"] == 1


def test_users_add_and_list(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "team.sqlite3"
    assert run_cli("users", "add", "ana", "--role", "team_lead", db=db).returncode == 0
    assert (
        run_cli("users", "add", "rep9", "--role", "qualifier", "--capacity", "12", db=db).returncode
        == 0
    )
    listed = run_cli("users", "list", "--json", db=db)
    assert listed.returncode == 0
    assert {(u["name"], u["role"], u["capacity"]) for u in json.loads(listed.stdout)} == {
        ("ana", "team_lead", 40),
        ("rep9", "qualifier", 12),
    }


def test_a_new_store_says_what_to_do_first_at_every_command(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The first day, before any lead: each listing says what comes next, exit 0."""

    db = tmp_path / "new.sqlite3"
    assert run_cli("init", db=db).returncode == 0
    nobody = run_cli("users", "list", db=db)
    assert (nobody.returncode, nobody.stdout) == (
        0,
        "No users yet. Add the first: leaddesk users add NAME --role admin\n",
    )
    assert run_cli("users", "add", "lena", "--role", "team_lead", db=db).returncode == 0
    said = {
        ("team", "--as", "lena"): "No reps yet. Add one: leaddesk users add NAME --role "
        "qualifier --as lena\n\nOpen pool: 0 leads, 0 past SLA, 0 untouched\n"
        "Waiting for sales: 0 handed off, 0 past 24 h, 0 past 48 h\n",
        ("import", "--runs", "--as", "lena"): "No imports yet. Import a lead list: "
        "leaddesk import FILE --as lena\n",
        ("handoff", "pending", "--as", "lena"): "Nothing has been handed off to sales yet, "
        "so sales owes no answer.\n",
        ("queue", "--as", "lena"): "No leads to call yet. Import a list: "
        "leaddesk import FILE --as lena\n",
        ("next", "--as", "lena"): "null\n",
    }
    for args, text in said.items():
        result = run_cli(*args, db=db)
        assert (result.returncode, result.stdout, result.stderr) == (0, text, ""), args


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["users", "add", "x", "--role", "boss"], 2, "role: 'boss' is not a role"),
        (["users", "add", "x"], 2, "--role"),
        (["frobnicate"], 2, "invalid choice"),
        (["demo", "--leads", "0"], 2, "--leads"),
        (["users", "add", "rep2", "--role", "qualifier", "--as", "rep1"], 3, "cannot manage users"),
        (["users", "add", "rep1", "--role", "qualifier", "--as", "lead1"], 4, "already exists"),
        (["users", "add", "y", "--role", "qualifier", "--as", "nobody"], 2, "No user named"),
    ],
)
def test_errors_are_one_line_with_their_exit_code(
    tmp_path: Path, args: list[str], code: int, says: str, run_cli: RunCli
) -> None:
    db = tmp_path / "team.sqlite3"
    run_cli("users", "add", "rep1", "--role", "qualifier", db=db)
    run_cli("users", "add", "lead1", "--role", "team_lead", db=db)
    result = run_cli(*args, db=db)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_store_from_the_future_exits_2_and_is_untouched(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "future.sqlite3"
    run_cli("init", db=db)
    import sqlite3

    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    before = _contents(db)
    result = run_cli("users", "list", db=db)
    assert result.returncode == 2
    assert "newer LeadDesk" in result.stderr
    assert _contents(db) == before


def _contents(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return list(connection.iterdump())


def test_demo_then_users_list(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "demo.sqlite3"
    made = run_cli("demo", "--leads", "500", "--reps", "3", "--json", db=db)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["leads"] == 500
    listed = json.loads(run_cli("users", "list", "--json", db=db).stdout)
    assert {(u["name"], u["role"]) for u in listed} == {
        ("rep1", "qualifier"),
        ("rep2", "qualifier"),
        ("rep3", "qualifier"),
        ("lead1", "team_lead"),
        ("sales1", "sales"),
        ("admin", "admin"),
    }
    again = run_cli("demo", "--leads", "10", db=db)
    assert again.returncode == 2 and "already holds leads" in again.stderr


def test_database_url_from_the_environment(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("init", env={"LEADDESK_DATABASE_URL": str(tmp_path / "env.sqlite3")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.sqlite3").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["release", "99999999999999999999", "--as", "rep1"], "too large to be a record number"),
        (["qualify", "0", "--as", "rep1"], "0 is not a record number (they start at 1)"),
        (["log-call", "x", "--as", "rep1", "--outcome", "busy"], "'x' is not a number"),
        (["import", "--undo", "99999999999999999999", "--as", "lead1"], "too large"),
        (["reassign", "--as", "lead1", "--lead", "-4", "--to", "rep1"], "they start at 1"),
        (
            ["reassign", "--as", "lead1", "--count", "99999999999999999999", "--from", "rep1"],
            "--count: give a number of leads from 1 to 1,000,000",
        ),
        (["queue", "--as", "rep1", "--offset", "99999999999999999999"], "--offset: give"),
        (["queue", "--as", "rep1", "--at", "0001-01-01T00:00Z"], "--at: give a time between"),
        (["next", "--as", "rep1", "--at", "9999-12-31T23:00Z"], "--at: give a time between"),
        (["report", "funnel", "--as", "lead1", "--until", "0001-01-01"], "--until: give a date"),
        (
            ["log-call", "1", "--as", "rep1", "--outcome", "callback", "--callback", "tomorrow"],
            "--callback: 'tomorrow' is not an ISO date-time; write it like 2026-11-19T14:30+01:00",
        ),
    ],
    ids=[
        "release",
        "qualify",
        "log-call",
        "undo",
        "reassign-lead",
        "count",
        "offset",
        "at-1",
        "at-9999",
        "until-1",
        "callback-words",
    ],
)
def test_numbers_and_times_no_record_could_have_exit_2_saying_so(
    tmp_path: Path, run_cli: RunCli, args: list[str], says: str
) -> None:
    db = tmp_path / "team.sqlite3"
    for name, role in (("rep1", "qualifier"), ("lead1", "team_lead")):
        assert run_cli("users", "add", name, "--role", role, db=db).returncode == 0
    result = run_cli(*args, db=db)  # argparse's own refusals included, as the real command
    assert result.returncode == 2
    assert says in result.stderr and "Traceback" not in result.stderr
    assert "bug" not in result.stderr

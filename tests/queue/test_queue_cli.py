"""The headless desk as a script or dialer drives it: JSON, exit codes, one-line mistakes, the
rep's own time zone (run in this process; tests/end2end starts the real command)."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from queue_helpers import Team, add_lead

from leaddesk.domain import Stage
from tests.cli_in_process import RunCli

AT = "2026-11-18T15:00:00+00:00"


@pytest.fixture
def db(sqlite_team: Team) -> Path:
    now = sqlite_team.clock()
    with sqlite_team.store.transaction() as s:
        add_lead(s, now=now, owner=sqlite_team.ids["rep1"], sla_in=timedelta(minutes=18))
        add_lead(
            s,
            now=now,
            owner=sqlite_team.ids["rep1"],
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(minutes=5),
        )
    return Path(sqlite_team.location)


def test_queue_json_lists_rows_with_reasons(db: Path, run_cli: RunCli) -> None:
    result = run_cli("queue", "--as", "rep1", "--at", AT, "--json", db=db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["band"] for row in rows] == ["callback", "new"]
    assert rows[1]["reason"] == "new web inquiry, 18 min left to call"
    assert rows[1]["sla_due"] == "2026-11-18T15:18:00+00:00"
    assert rows[0]["phone"].startswith("+1") and rows[0]["assigned_to"] == "rep1"


def test_queue_table_for_people(db: Path, run_cli: RunCli) -> None:
    result = run_cli("queue", "--as", "rep1", "--at", AT, "--limit", "1", db=db)
    assert result.returncode == 0, result.stderr
    assert "callback at 10:05 their time" in result.stdout
    assert "new web inquiry" not in result.stdout


def test_next_log_call_and_release_cycle(db: Path, run_cli: RunCli) -> None:
    taken = run_cli("next", "--as", "rep1", "--at", AT, "--json", db=db)
    assert taken.returncode == 0, taken.stderr
    row = json.loads(taken.stdout)
    assert row["band"] == "callback" and row["claimed_until"] == "2026-11-18T15:15:00+00:00"
    lead_id = str(row["lead_id"])

    other = run_cli("log-call", lead_id, "--as", "rep2", "--outcome", "busy", "--at", AT, db=db)
    assert other.returncode == 4 and "being called by" in other.stderr

    released = run_cli("release", lead_id, "--as", "rep1", "--at", AT, db=db)
    assert released.returncode == 0 and "back in the queue" in released.stdout

    logged = run_cli(
        *("log-call", lead_id, "--as", "rep1", "--outcome", "callback"),
        *("--callback", "2026-11-19T10:30:00-05:00", "--note", "after lunch"),
        *("--at", AT, "--json"),
        db=db,
    )
    assert logged.returncode == 0, logged.stderr
    result = json.loads(logged.stdout)
    assert result["callback_at"] == "2026-11-19T15:30:00+00:00"
    assert result["message"] == "Callback booked for Thu 10:30 their time."


def test_next_says_until_when_the_lead_is_yours_on_the_reps_own_clock(
    db: Path, run_cli: RunCli
) -> None:
    tokyo = {"TZ": "Asia/Tokyo"}  # UTC+9 all year
    result = run_cli("next", "--as", "rep1", "--at", AT, db=db, env=tokyo)
    assert result.returncode == 0, result.stderr
    # Claimed at 15:00 UTC for 15 minutes: 00:15 the next day in Tokyo.
    assert "yours until 00:15 your time" in result.stdout


def test_next_prints_null_when_nothing_is_callable(db: Path, run_cli: RunCli) -> None:
    night = "2026-11-19T04:00:00+00:00"  # 23:00 in New York
    for args in (["--json"], []):
        result = run_cli("next", "--as", "rep1", "--at", night, *args, db=db)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "null"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["log-call", "1", "--as", "rep1", "--outcome", "hung_up"], 2, "not a call outcome"),
        (["log-call", "1", "--as", "rep1", "--outcome", "callback"], 2, "agreed time"),
        (
            ["log-call", "1", "--as", "rep1", "--outcome", "callback", "--callback", "tomorrow"],
            2,
            "not an ISO date-time",
        ),
        (["log-call", "999", "--as", "rep1", "--outcome", "busy"], 2, "No lead 999"),
        (["queue", "--as", "sales1"], 3, "cannot work the call queue"),
        (["next", "--as", "admin"], 3, "cannot work the call queue"),
        (["queue", "--as", "rep1", "--band", "hot"], 2, "not a queue band"),
        (["queue", "--as", "rep1", "--limit", "0"], 2, "--limit"),
        (["queue", "--as", "rep1", "--at", "2026-11-18T15:00"], 2, "give a time zone"),
    ],
)
def test_mistakes_are_one_line_with_their_exit_code(
    db: Path, args: list[str], code: int, says: str, run_cli: RunCli
) -> None:
    result = run_cli(*args, db=db)
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_old_store_gets_zone_keys_when_upgraded(tmp_path: Path, run_cli: RunCli) -> None:
    old = Path(__file__).parents[1] / "data" / "store-r1.sqlite3"
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(old, path)
    result = run_cli("users", "list", "--json", db=path)
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT zone_key FROM people").fetchall() == [("Europe/Berlin",)]
        assert raw.execute("SELECT hold_reason FROM leads").fetchall() == [(None,)]


def test_a_call_logged_by_mistake_is_undone_once(db: Path, run_cli: RunCli) -> None:
    lead_id = json.loads(run_cli("next", "--as", "rep1", "--at", AT, "--json", db=db).stdout)[
        "lead_id"
    ]
    logged = run_cli(
        "log-call", str(lead_id), "--as", "rep1", "--outcome", "busy", "--at", AT, db=db
    )
    assert logged.returncode == 0, logged.stderr
    hint = logged.stdout.splitlines()[-1]
    assert hint.startswith("Wrong outcome? leaddesk undo-call ")
    call_id = hint.split()[4]
    later = "2026-11-18T15:02:00+00:00"
    colleague = run_cli("undo-call", call_id, "--as", "rep2", "--at", later, db=db)
    assert colleague.returncode == 3 and "logged by a colleague" in colleague.stderr
    undone = run_cli("undo-call", call_id, "--as", "rep1", "--at", later, "--json", db=db)
    assert undone.returncode == 0, undone.stderr
    result = json.loads(undone.stdout)
    assert result["lead_id"] == lead_id and result["outcome"] == "busy"
    again = run_cli("undo-call", call_id, "--as", "rep1", "--at", later, db=db)
    assert again.returncode == 2 and f"No call {call_id}" in again.stderr


def test_contact_details_are_corrected_from_the_command_line(db: Path, run_cli: RunCli) -> None:
    bad = run_cli("contact", "1", "--as", "rep1", "--email", "ada@", "--phone", "+1 415 555", db=db)
    assert bad.returncode == 2 and bad.stderr.startswith("leaddesk: --email: 'ada@'")
    assert bad.stdout == ""
    good = run_cli(
        "contact",
        "1",
        "--as",
        "rep1",
        "--phone",
        "(415) 555-2671",
        "--title",
        "CTO",
        "--json",
        db=db,
    )
    assert good.returncode == 0, good.stderr
    result = json.loads(good.stdout)
    assert result["changed"] == ["title", "phone"] and result["phone"] == "+14155552671"
    other = run_cli("contact", "1", "--as", "rep2", "--title", "CEO", db=db)
    assert other.returncode == 3 and "belongs to rep1" in other.stderr


def test_search_finds_open_then_closed_leads(db: Path, sqlite_team: Team, run_cli: RunCli) -> None:
    now = sqlite_team.clock()
    with sqlite_team.store.transaction() as s:
        closed = add_lead(s, now=now, owner=sqlite_team.ids["rep1"], stage=Stage.DISQUALIFIED)
        closed_id, email = closed.id, str(closed.person.email)
    found = run_cli("search", email, "--as", "rep1", "--at", AT, "--json", db=db)
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert [row["lead_id"] for row in rows] == [closed_id]
    assert rows[0]["reason"] == "closed: disqualified"
    only_open = run_cli("search", email, "--as", "rep1", "--at", AT, "--open-only", db=db)
    assert only_open.returncode == 0 and "No lead you may see matches" in only_open.stdout
    assert only_open.stdout.strip() == f"No lead you may see matches {email!r}."
    bad = run_cli("search", email, "--as", "rep1", "--limit", "0", db=db)
    assert bad.returncode == 2 and "--limit" in bad.stderr
    for short in ("", " a "):
        too_short = run_cli("search", short, "--as", "rep1", db=db)
        assert (too_short.returncode, too_short.stdout) == (2, "")
        assert too_short.stderr.strip() == (
            f"leaddesk: give at least 2 characters to search for, not {short!r}"
        )

"""``users add --role sales``, ``qualify --to`` and ``handoff pending``/``chase`` as a script
sees them: the salesperson named at the verdict, their follow-up due time, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qualification_scenarios import add_lead, sales_worthy, set_up_team

from leaddesk.clock import FixedClock
from tests.cli_in_process import RunCli


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def test_a_salespersons_territories_capacity_and_zone_are_taken_and_checked(
    team: str, run_cli: RunCli
) -> None:
    added = run_cli(
        *("users", "add", "ana", "--role", "sales", "--territory", "DE,AT"),
        *("--capacity", "3", "--timezone", "Europe/Berlin", "--as", "admin1", "--json"),
        db=team,
    )
    assert added.returncode == 0, added.stderr
    shown = json.loads(added.stdout)
    assert (shown["territories"], shown["capacity"], shown["timezone"]) == (
        ["AT", "DE"],
        3,
        "Europe/Berlin",
    )
    wrong = run_cli(
        *("users", "add", "bo", "--role", "sales", "--timezone", "Berlin", "--as", "admin1"),
        db=team,
    )
    assert wrong.returncode == 2
    assert "'Berlin' is not a time zone; use a name like Europe/Berlin" in wrong.stderr


def test_the_rep_sees_who_gets_the_hand_off_picks_another_and_pending_names_them(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    assert (
        run_cli("users", "add", "ana", "--role", "sales", "--as", "admin1", db=team).returncode == 0
    )
    lead_id = add_lead(team, clock)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sales_worthy("bant")), encoding="utf-8")
    shown = run_cli("qualify", str(lead_id), "--as", "rep1", "--answers", str(answers), db=team)
    assert shown.returncode == 0, shown.stderr
    assert "A hand-off goes to ana (ana: next in turn with room); --to SALES_USER" in shown.stdout
    refused = run_cli(
        *("qualify", str(lead_id), "--as", "rep1", "--verdict", "hand_off", "--to", "lead1"),
        db=team,
    )
    assert refused.returncode == 2
    assert "'lead1' is not an active salesperson; pick one of: ana, sales1." in refused.stderr
    given = run_cli(
        *("qualify", str(lead_id), "--as", "rep1", "--verdict", "hand_off", "--to", "sales1"),
        db=team,
    )
    assert given.returncode == 0, given.stderr
    assert "Handed to sales1 (sales1: picked by the rep), follow-up due " in given.stdout
    pending = run_cli("handoff", "pending", "--all", "--as", "lead1", db=team)
    assert pending.returncode == 0, pending.stderr
    row = next(line for line in pending.stdout.splitlines() if line.startswith(str(lead_id)))
    assert "not exported yet" in row and "sales1" in row and "UTC" in row
    listed = json.loads(
        run_cli("handoff", "pending", "--all", "--as", "sales1", "--json", db=team).stdout
    )
    assert [(p["lead_id"], p["salesperson"]) for p in listed["leads"]] == [(lead_id, "sales1")]
    chased = run_cli("handoff", "chase", "--as", "lead1", db=team)
    assert (chased.returncode, chased.stdout.splitlines()[0]) == (
        0,
        "Flagged 0 late hand-offs to lead1.",
    )
    assert run_cli("handoff", "chase", "--as", "rep1", db=team).returncode == 3


def test_a_salespersons_zone_is_changed_and_put_back_on_the_policys(
    team: str, run_cli: RunCli
) -> None:
    moved = run_cli(
        "users", "set", "sales1", "--timezone", "Europe/Vienna", "--as", "lead1", db=team
    )
    assert (moved.returncode, moved.stdout.strip()) == (
        0,
        "sales1: time zone the policy's → Europe/Vienna.",
    )
    back = run_cli(
        "users", "set", "sales1", "--timezone", "none", "--as", "lead1", "--json", db=team
    )
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["timezone"] is None

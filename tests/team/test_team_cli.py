"""The team lead's commands as a script runs them: exit codes, JSON, CSV, one-line errors
(run in this process; tests/end2end starts the real command)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import Role
from leaddesk.files.resources import resource_path
from leaddesk.people.users import find_user
from tests.cli_in_process import RunCli
from tests.factories import Team


@pytest.fixture
def team_now(sqlite_store_path: Path) -> Team:
    # The commands run on the real clock, so the store is built around it too.
    built = Team(str(sqlite_store_path), FixedClock(datetime.now(UTC)))
    built.user("lead1", Role.TEAM_LEAD)
    built.user("rep1")
    built.user("rep2")
    return built


def test_a_claimed_lead_needs_force_and_the_refusal_names_the_rep(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    lead_id = team_now.lead("rep1")
    team_now.claim(lead_id, "rep1", minutes=30)
    team_now.store.close()
    args = ["reassign", "--lead", str(lead_id), "--to", "rep2", "--as", "lead1"]
    refused = run_cli(*args, db=sqlite_store_path)
    assert refused.returncode == 4
    assert "on a call with rep1" in refused.stderr
    assert "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    forced = run_cli(*args, "--force", "--reason", "rep1 left", "--json", db=sqlite_store_path)
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["forced"] == [lead_id]
    assert team_now.owner_of(lead_id) == "rep2"


def test_rebalance_preview_is_what_gets_applied_and_lands_in_the_queues(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    pooled = [team_now.lead(None, hours_ago=h) for h in (5, 4, 3)]
    team_now.store.close()
    dry = run_cli("rebalance", "--dry-run", "--json", "--as", "lead1", db=sqlite_store_path)
    assert dry.returncode == 0, dry.stderr
    preview = {m["lead_id"]: m["to"] for m in json.loads(dry.stdout)["moves"]}
    assert preview == {pooled[0]: "rep1", pooled[1]: "rep2", pooled[2]: "rep1"}
    assert [team_now.owner_of(i) for i in pooled] == [None, None, None]
    done = run_cli("rebalance", "--json", "--as", "lead1", db=sqlite_store_path)
    assert {m["lead_id"]: m["to"] for m in json.loads(done.stdout)["moves"]} == preview
    with team_now.desk("rep1") as desk:
        assert {lead.lead_id for lead in desk.queue.my_open_leads()} == {pooled[0], pooled[2]}
    text = run_cli("rebalance", "--dry-run", "--as", "lead1", db=sqlite_store_path)
    assert "Nothing to move." in text.stdout


def test_absent_rep_to_the_pool_then_user_admin(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    leads = [team_now.lead("rep1"), team_now.lead("rep1")]
    team_now.store.close()
    moved = run_cli(
        "reassign", "--from", "rep1", "--count", "1", "--as", "lead1", db=sqlite_store_path
    )
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[0] == "Moved 1 lead to the open pool."
    changed = run_cli(
        "users", "set", "rep2", "--territory", "de", "AT", "--capacity", "9",
        "--json", "--as", "lead1", db=sqlite_store_path,
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert (json.loads(changed.stdout)["territories"], json.loads(changed.stdout)["capacity"]) == (
        ["AT", "DE"],
        9,
    )
    renamed = run_cli(
        "users", "set", "rep2", "--display-name", "Rory Rep", "--as", "lead1", db=sqlite_store_path
    )
    assert renamed.returncode == 0, renamed.stderr
    assert renamed.stdout.strip() == "rep2: name rep2 → Rory Rep."
    gone = run_cli("users", "deactivate", "rep1", "--as", "lead1", db=sqlite_store_path)
    assert gone.stdout.splitlines() == [
        "rep1 is deactivated.",
        "1 lead went back to the open pool.",
    ]
    assert [team_now.owner_of(i) for i in leads] == [None, None]
    listed = run_cli("users", "list", "--json", db=sqlite_store_path)
    assert {u["name"]: u["active"] for u in json.loads(listed.stdout)}["rep1"] is False


def test_team_sweep_and_report_outputs(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    stale = team_now.lead("rep1", hours_ago=24 * 7)  # a week: past 24 business hours any day
    team_now.store.close()
    view = run_cli("team", "--json", "--as", "lead1", db=sqlite_store_path)
    assert view.returncode == 0, view.stderr
    reps = {r["rep"]: r for r in json.loads(view.stdout)["reps"]}
    assert (reps["rep1"]["open"], reps["rep1"]["untouched"]) == (1, 1)
    swept = run_cli("sweep", "--json", "--as", "lead1", db=sqlite_store_path)
    assert json.loads(swept.stdout)["flagged"] == [stale]
    csv_out = run_cli("report", "funnel", "--csv", "--as", "lead1", db=sqlite_store_path)
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines()[0] == "step,leads,% of arrived"
    bad = run_cli("report", "funnel", "--since", "soon", "--as", "lead1", db=sqlite_store_path)
    assert (bad.returncode, bad.stderr.strip()) == (
        2,
        "leaddesk: --since: 'soon' is not a date like 2026-11-01",
    )


def test_sweep_dry_run_changes_nothing_and_sums_up_what_it_leaves(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    text = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
    with team_now.store.transaction() as session:
        definition_versions.publish(
            session,
            text.replace("enabled = false", "enabled = true\nmax_per_run = 1", 1),
            source="auto.toml",
            at=team_now.clock(),
            actor_id=team_now.ids["lead1"],
        )
        find_user(session, "rep2").territories = ["US"]
    week = 24 * 14  # two weeks: past 48 business hours on any day
    moving = [team_now.lead("rep1", hours_ago=week + n) for n in range(3)]
    french = [team_now.lead("rep1", hours_ago=week + 10 + n, country="FR") for n in range(4)]
    team_now.store.close()
    preview = run_cli("sweep", "--dry-run", "--as", "lead1", db=sqlite_store_path)
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert lines[0] == (
        "Dry run, nothing changed. Would flag 7 leads as untouched; would clear 0 flags; "
        "would move 1 lead to reps with room."
    )
    assert lines[1:] == [
        "4 leads stay: no other rep with room for FR.",
        "2 leads wait for the next sweep (auto_reassign.max_per_run in the lead definition's "
        "policy).",
    ]
    view = run_cli("team", "--json", "--as", "lead1", db=sqlite_store_path)
    reps = {r["rep"]: r for r in json.loads(view.stdout)["reps"]}
    assert reps["rep1"]["open"] == len(moving) + len(french)  # nothing moved
    done = run_cli("sweep", "--as", "lead1", db=sqlite_store_path)
    assert done.stdout.startswith("Flagged 7 leads as untouched; cleared 0 flags; moved 1 lead")


def test_rebalance_says_why_a_lead_cannot_move(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    with team_now.store.transaction() as session:
        from leaddesk.people.users import find_user

        for name in ("rep1", "rep2"):
            find_user(session, name).territories = ["US"]
    lonely = team_now.lead(None, country="JP")
    team_now.store.close()
    dry = run_cli("rebalance", "--dry-run", "--as", "lead1", db=sqlite_store_path)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-3:] == [
        "Nothing can move.",
        "1 lead stays where it is:",
        f"  lead {lonely}: no rep covers JP",
    ]
    view = run_cli("team", "--as", "lead1", db=sqlite_store_path)
    assert "Open pool: 1 lead, " in view.stdout


def test_reopen_from_the_command_line(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    from leaddesk.domain import Stage

    closed = team_now.lead("rep1", stage=Stage.NURTURE)
    team_now.store.close()
    bare = run_cli("reopen", str(closed), "--as", "lead1", db=sqlite_store_path)
    assert bare.returncode == 2 and "--reason" in bare.stderr
    rep = run_cli("reopen", str(closed), "--as", "rep1", "--reason", "mine", db=sqlite_store_path)
    assert rep.returncode == 3
    done = run_cli(
        *("reopen", str(closed), "--as", "lead1", "--reason", "they wrote back", "--to", "pool"),
        "--json",
        db=sqlite_store_path,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["stage"], result["owner"]) == ("working", None)
    assert team_now.owner_of(closed) is None


def test_lead_shows_a_closed_leads_file_and_sales_see_only_what_they_were_handed(
    team_now: Team, sqlite_store_path: Path, run_cli: RunCli
) -> None:
    from leaddesk.domain import Stage

    team_now.user("sales1", Role.SALES)
    closed = team_now.lead("rep1", stage=Stage.NURTURE)
    team_now.store.close()
    shown = run_cli("lead", str(closed), "--as", "lead1", db=sqlite_store_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(f"Lead {closed}: Pat Lead")
    assert "Stage: Nurture · with rep1" in shown.stdout
    assert any(line.startswith("Timeline (") for line in lines)
    as_json = run_cli("lead", str(closed), "--as", "rep1", "--json", db=sqlite_store_path)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert (data["lead_id"], data["stage"]) == (closed, "nurture")
    sales = run_cli("lead", str(closed), "--as", "sales1", db=sqlite_store_path)
    assert sales.returncode == 3 and "has not been handed to sales" in sales.stderr
    missing = run_cli("lead", "99999", "--as", "lead1", db=sqlite_store_path)
    assert missing.returncode == 2 and "No lead with id 99999." in missing.stderr

"""Every team-lead action is refused to qualifiers (and sales), in the core and on the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.team.reassign import LeadPick
from tests.cli_in_process import RunCli
from tests.factories import Team

ACTIONS: dict[str, Callable[[Desk], object]] = {
    "team view": lambda d: d.team.view(),
    "preview reassign": lambda d: d.team.preview_reassign(
        LeadPick(from_user="rep2"), to_user="rep1"
    ),
    "reassign": lambda d: d.team.reassign(LeadPick(from_user="rep2"), to_user="rep1"),
    "plan rebalance": lambda d: d.team.plan_rebalance(),
    "rebalance": lambda d: d.team.rebalance(),
    "spread": lambda d: d.team.plan_spread("rep2"),
    "sweep": lambda d: d.team.sweep(),
    "deactivate": lambda d: d.people.deactivate("rep2"),
    "reactivate": lambda d: d.people.reactivate("rep2"),
    "change user": lambda d: d.people.change("rep2", capacity=5),
    **{
        f"report {name}": (lambda n: lambda d: d.team.report(n))(name)
        for name in ("funnel", "throughput", "sla", "sources", "agreement", "workload")
    },
}


@pytest.mark.parametrize("who", ["rep1", "sales1"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_qualifiers_and_sales_are_refused_every_team_action(
    sqlite_store_path: Path, clock: FixedClock, who: str, action: str
) -> None:
    team = Team(str(sqlite_store_path), clock)
    try:
        for name, role in (("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER)):
            team.user(name, role)
        team.user("rep2")
        team.user("sales1", Role.SALES)
        moved = team.lead("rep2")
        with team.desk(who) as desk, pytest.raises(NotPermitted, match=f"{who} is a"):
            ACTIONS[action](desk)
        assert team.owner_of(moved) == "rep2"
    finally:
        team.store.close()


def test_the_team_lead_may_do_every_team_action(team: Team) -> None:
    team.lead("rep2")
    with team.desk("lead1") as desk:
        for action in ACTIONS.values():
            assert action(desk) is not None


CLI = [
    ["team"],
    ["reassign", "--from", "rep2", "--to", "rep1"],
    ["rebalance", "--dry-run"],
    ["sweep"],
    ["report", "funnel"],
    ["users", "set", "rep2", "--capacity", "5"],
    ["users", "deactivate", "rep2"],
]


@pytest.mark.parametrize("args", CLI, ids=lambda a: " ".join(a[:2]))
def test_the_cli_refuses_a_qualifier_with_exit_3(
    sqlite_store_path: Path, clock: FixedClock, args: list[str], run_cli: RunCli
) -> None:
    team = Team(str(sqlite_store_path), clock)
    team.user("rep1")
    team.user("rep2")
    team.store.close()
    result = run_cli(*args, "--as", "rep1", db=sqlite_store_path)
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip() == f"leaddesk: rep1 is a qualifier and cannot {_words(args)}."


def _words(args: list[str]) -> str:
    if args[0] == "team":
        return "see the team view"
    if args[0] == "report":
        return "see the reports"
    if args[0] == "users":
        return "manage users"
    return "reassign leads"

"""A hand-off the verdict routed to nobody (no salesperson was active) is not shown as going
to "sales": the page and `handoff pending` say it is unassigned, or name the fallback a
named routing policy lists for any source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from handoff_helpers import Team

from leaddesk.definition.policy import Policy, RouteBy, SalesRouting
from leaddesk.handoff.pending import unrouted_words


def test_a_hand_off_routed_to_nobody_is_listed_as_unassigned(
    team: Team, out_dir: Path, run_cli: Callable[..., Any]
) -> None:
    lead_id = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
        report = desk.handoff.pending(everything=True)
    [pending] = report.leads
    assert (pending.lead_id, pending.salesperson) == (lead_id, None)
    assert report.unrouted == "unassigned — pick one"
    assert report.as_json()["unrouted"] == "unassigned — pick one"
    code, out, _err = run_cli("handoff", "pending", "--all", "--as", "rep1", db=team.location)
    assert code == 0 and "unassigned — pick one" in out, out


def test_a_named_routing_policy_names_its_fallback() -> None:
    named = SalesRouting(route_by=RouteBy.NAMED, owners=(("*", ("ben", "cara")),))
    assert unrouted_words(Policy(sales_routing=named)) == "ben, cara (the policy's fallback)"
    turns = SalesRouting(route_by=RouteBy.ROUND_ROBIN, owners=(("*", ("ben",)),))
    assert unrouted_words(Policy(sales_routing=turns)) == "unassigned — pick one"

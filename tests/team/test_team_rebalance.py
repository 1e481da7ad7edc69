"""Rebalancing by spare capacity and territory, with a preview that is the plan applied."""

from __future__ import annotations

from datetime import timedelta

from leaddesk.domain import Role
from tests.factories import Team


def _small_team(team: Team) -> dict[str, int]:
    """rep1 is overloaded; rep2 covers anywhere; rep3 covers DE only; two leads in the pool."""
    team.user("rep3", capacity=4, territories=["DE"])
    with team.store.transaction() as session:
        from leaddesk.people.users import find_user

        for name in ("rep1", "rep2"):
            find_user(session, name).capacity = 4
    leads = {
        "pool_de": team.lead(None, hours_ago=50, country="DE"),
        "pool_fr": team.lead(None, hours_ago=40, country="FR"),
        "fresh_1": team.lead("rep1", hours_ago=30),
        "fresh_2": team.lead("rep1", hours_ago=20),
        "fresh_3": team.lead("rep1", hours_ago=10),
        "fresh_4": team.lead("rep1", hours_ago=5),
    }
    reached = team.at(hours=-60)
    leads["spoken_1"] = team.lead("rep1", hours_ago=70, first_contact_at=reached)
    leads["spoken_2"] = team.lead("rep1", hours_ago=60, first_contact_at=reached)
    return leads


def test_preview_spreads_pool_then_excess_by_spare_capacity_and_territory(team: Team) -> None:
    leads = _small_team(team)
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
        assert desk.team.plan_rebalance() == plan  # same store, same plan
    moved = {m.lead_id: m.to_user for m in plan.moves}
    # rep1 holds 6 of 4; the team's share is 8 leads over 12 places, so 3 each at most when
    # levelling. DE goes to the DE specialist; reached leads stay with whoever spoke to them.
    assert moved == {
        leads["pool_de"]: "rep3",
        leads["pool_fr"]: "rep2",
        leads["fresh_1"]: "rep2",
        leads["fresh_2"]: "rep2",
    }
    assert [(r.name, r.before, r.after, r.fair_share) for r in plan.reps] == [
        ("rep1", 6, 4, 3),
        ("rep2", 0, 3, 3),
        ("rep3", 0, 1, 3),
    ]
    assert plan.unplaced == ()
    assert team.owner_of(leads["fresh_1"]) == "rep1"  # a preview changes nothing


def test_applying_the_plan_fills_the_receivers_queues_and_a_second_run_moves_nothing(
    team: Team,
) -> None:
    leads = _small_team(team)
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
        desk.team.apply_rebalance(plan)
        assert desk.team.plan_rebalance().moves == ()
    with team.desk("rep2") as desk:
        assert {lead.lead_id for lead in desk.queue.my_open_leads()} == {
            leads["pool_fr"],
            leads["fresh_1"],
            leads["fresh_2"],
        }
    assert team.owner_of(leads["spoken_1"]) == "rep1"


def test_leads_nobody_covers_stay_in_the_pool_and_say_why(team: Team) -> None:
    team.user("rep3", territories=["DE"])
    with team.store.transaction() as session:
        from leaddesk.people.users import find_user

        for name in ("rep1", "rep2"):
            find_user(session, name).territories = ["US"]
    lonely = team.lead(None, country="JP")
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
    assert plan.moves == ()
    assert [(u.lead_id, u.why) for u in plan.unplaced] == [(lonely, "no rep covers JP")]


def test_a_lead_whose_reps_are_full_stays_in_the_pool_saying_so(team: Team) -> None:
    with team.store.transaction() as session:
        from leaddesk.people.users import find_user

        for name in ("rep1", "rep2"):
            find_user(session, name).capacity = 1
    team.lead("rep1")
    team.lead("rep2")
    waiting = team.lead(None, country="US")
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
    assert plan.moves == ()
    assert [(u.lead_id, u.why) for u in plan.unplaced] == [(waiting, "no rep with room for US")]


def test_an_absent_reps_leads_are_spread_over_the_others_except_the_one_on_a_call(
    team: Team,
) -> None:
    team.user("rep3", capacity=1)
    first, second, third = (team.lead("rep1", hours_ago=h) for h in (3, 2, 1))
    team.claim(third, "rep1")
    with team.desk("lead1") as desk:
        plan = desk.team.plan_spread("rep1")
        desk.team.apply_rebalance(plan)
    assert {m.lead_id: m.to_user for m in plan.moves} == {first: "rep2", second: "rep3"}
    assert [(u.lead_id, u.why) for u in plan.unplaced] == [(third, "on a call with rep1 right now")]
    assert plan.reason == "Spread while rep1 is away"


def test_a_lead_claimed_after_the_preview_stops_the_whole_plan(team: Team) -> None:
    import pytest

    from leaddesk.errors import Conflict

    pooled = [team.lead(None, hours_ago=h) for h in (3, 2)]
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
        team.claim(pooled[1], "rep1")
        with pytest.raises(Conflict, match=f"Lead {pooled[1]} changed"):
            desk.team.apply_rebalance(plan)
    assert [team.owner_of(i) for i in pooled] == [None, None]


def test_team_leads_and_inactive_reps_receive_nothing(team: Team) -> None:
    team.user("gone", active=False)
    team.user("lead2", Role.TEAM_LEAD)
    team.lead(None, hours_ago=1)
    with team.desk("lead1") as desk:
        plan = desk.team.plan_rebalance()
    assert {m.to_user for m in plan.moves} == {"rep1"}
    assert timedelta(0) <= team.clock() - plan.at

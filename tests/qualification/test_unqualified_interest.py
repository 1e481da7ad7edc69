"""A good fit that has shown no interest yet (issue #19 item 7): the shipped BANT sends it to
sales to be sold, as the seeds say; a team whose definition says "marketing" nurtures it."""

from __future__ import annotations

import pytest
from qualification_scenarios import (
    add_lead,
    bant_nurturing_unqualified_interest,
    sales_worthy,
    set_up_team,
)

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import LeadType, Stage, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Lead

# Fits and would talk, but has no budget and no plan for one: BANT's "unqualified interest".
NO_BUDGET = {**sales_worthy("bant"), "budget_status": "none"}


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _stage(location: str, lead_id: int) -> Stage:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return lead.stage
    finally:
        store.close()


def test_shipped_bant_hands_a_good_fit_without_interest_to_sales(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, NO_BUDGET)
        suggestion = state.suggestion
        assert (suggestion.verdict, suggestion.lead_type) == (
            Verdict.HAND_OFF,
            LeadType.UNQUALIFIED_INTEREST,
        )
        assert suggestion.recycle_days is None
        assert suggestion.because.endswith("(unqualified interest goes to sales)")
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert not given.overridden
    assert given.route is not None and given.route.name == "sales1"
    assert _stage(team, lead_id) is Stage.QUALIFIED


def test_a_poor_fit_without_interest_stays_with_marketing(team: str, clock: FixedClock) -> None:
    # Eight people in a field we do not sell to: fit below BANT's good_fit of 50.
    lead_id = add_lead(team, clock, employees=8, industry="Retail", country="BR")
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, NO_BUDGET)
    assert state.evaluation.scores.fit < 50
    assert state.suggestion.verdict is not Verdict.HAND_OFF


def test_a_definition_saying_marketing_nurtures_the_good_fit(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(bant_nurturing_unqualified_interest(), "team.toml")
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, NO_BUDGET)
    assert (state.suggestion.verdict, state.suggestion.lead_type) == (
        Verdict.NURTURE,
        LeadType.UNQUALIFIED_INTEREST,
    )
    assert (state.suggestion.reason, state.suggestion.recycle_days) == ("No budget this year", 180)

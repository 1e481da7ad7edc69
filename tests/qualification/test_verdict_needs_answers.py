"""A suggestion is confirmed only on its required answers; before them a verdict needs a reason."""

from __future__ import annotations

import pytest
from qualification_scenarios import OPENING, add_lead, sales_worthy, set_up_team

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.store import open_store
from leaddesk.store.models import Lead, VerdictRecord


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _stage_and_verdicts(location: str, lead_id: int) -> tuple[Stage, list[VerdictRecord]]:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            rows = session.query(VerdictRecord).filter(VerdictRecord.lead_id == lead_id).all()
            return lead.stage, rows
    finally:
        store.close()


def test_confirming_the_suggestion_at_no_answers_is_refused_naming_the_questions(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    clock.advance(hours=2)  # the rep gets to the lead later that morning
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.evaluate(lead_id)
        assert state.completeness == 0 and state.evaluation.required_left
        with pytest.raises(InputError) as refused:
            desk.qualifying.give_verdict(lead_id, state.suggestion.verdict)
    message = refused.value.message
    assert f"Lead {lead_id}: 7 required questions unanswered" in message
    assert "override with a reason" in message
    stage, verdicts = _stage_and_verdicts(team, lead_id)
    assert verdicts == [] and stage is not Stage.NURTURE


def test_half_answered_the_suggestion_is_still_refused(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, OPENING)
        assert 0 < state.completeness < 1
        with pytest.raises(InputError, match="5 required questions unanswered"):
            desk.qualifying.give_verdict(lead_id, state.suggestion.verdict)
    assert _stage_and_verdicts(team, lead_id)[1] == []


def test_an_unfinished_questionnaire_takes_a_verdict_as_an_override_with_its_reason(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, OPENING)
        given = desk.qualifying.give_verdict(
            lead_id, state.suggestion.verdict, "Had to hang up; they asked for material only"
        )
    assert given.overridden and given.verdict is state.suggestion.verdict
    assert given.override_reason == "Had to hang up; they asked for material only"
    stage, verdicts = _stage_and_verdicts(team, lead_id)
    assert [row.overridden for row in verdicts] == [True]
    assert stage is given.stage


def test_every_required_answer_given_the_suggestion_is_confirmed_without_a_reason(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, sales_worthy("bant"))
        assert state.evaluation.required_left == ()
        given = desk.qualifying.give_verdict(lead_id, state.suggestion.verdict)
    assert given.verdict is Verdict.HAND_OFF and not given.overridden


def test_a_knock_out_answer_is_confirmed_without_the_other_questions(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, {"contact_check": "invalid"})
        assert state.suggestion.knockout == "contact_check" and state.evaluation.required_left
        given = desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY)
    assert not given.overridden and given.reason == "Contact details are wrong or made up"
    assert _stage_and_verdicts(team, lead_id)[0] is Stage.DISQUALIFIED

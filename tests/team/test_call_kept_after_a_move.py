"""The call a team lead's forced move cut across: the rep who was on it logs it, and it is kept
on the lead (the call and its audit event), with nothing more done to a colleague's lead."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import NotPermitted
from leaddesk.store.models import AuditEvent, CallAttempt, Person
from leaddesk.team.reassign import LeadPick
from tests.factories import Team


def _moved_during_the_call(team: Team, *, to_user: str | None = "rep2") -> int:
    lead_id = team.lead("rep1")
    team.claim(lead_id, "rep1")
    with team.desk("lead1") as desk:
        desk.team.reassign(LeadPick(lead_ids=(lead_id,)), to_user=to_user, force=True)
    return lead_id


def _calls(team: Team, lead_id: int) -> list[CallAttempt]:
    with team.store.reading() as session:
        return list(session.scalars(select(CallAttempt).where(CallAttempt.lead_id == lead_id)))


def test_the_rep_whose_call_was_moved_logs_it_and_it_is_kept_on_the_lead(team: Team) -> None:
    lead_id = _moved_during_the_call(team)
    before = team.get(lead_id)
    assert before.taken_from_call_id == team.ids["rep1"]
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, CallOutcome.NO_ANSWER, note="rang out twice")
    assert result.kept and not result.undoable
    assert result.message == (
        f"Lead {lead_id} was moved to rep2 during your call; your call (no answer) was kept on it."
    )
    [call] = _calls(team, lead_id)
    assert (call.user_id, call.outcome, call.note) == (
        team.ids["rep1"],
        CallOutcome.NO_ANSWER,
        "rang out twice",
    )
    after = team.get(lead_id)
    # The colleague's lead is as the move left it: their cadence, stage and claim untouched.
    assert (team.owner_of(lead_id), after.stage, after.attempts) == ("rep2", Stage.NEW, 0)
    assert (after.next_attempt_at, after.claimed_by_id, after.taken_from_call_id) == (
        None,
        None,
        None,
    )
    with team.store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "call_logged", AuditEvent.lead_id == lead_id
            )
        ).one()
    assert event.actor_id == team.ids["rep1"]
    assert event.details == {
        "call_id": call.id,
        "outcome": "no_answer",
        "kept_after_move_to": "rep2",
    }


def test_only_that_one_call_is_kept_and_no_verdict_or_second_call(team: Team) -> None:
    lead_id = _moved_during_the_call(team)
    with team.desk("rep1") as desk:
        kept = desk.calls.log(lead_id, CallOutcome.CONNECTED)
        assert kept.kept and kept.stage is Stage.NEW and kept.claim_expires_at is None
        with pytest.raises(NotPermitted, match="belongs to rep2"):
            desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        with pytest.raises(NotPermitted):
            desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "no budget this year")
    [call] = _calls(team, lead_id)
    assert call.ended_at == call.at  # a connected call on a lead no longer theirs is over
    assert team.get(lead_id).stage is Stage.NEW


def test_a_move_that_took_no_call_lets_the_old_owner_log_nothing(team: Team) -> None:
    lead_id = team.lead("rep1")
    with team.desk("lead1") as desk:
        desk.team.reassign(LeadPick(lead_ids=(lead_id,)), to_user="rep2")
    with team.desk("rep1") as desk, pytest.raises(NotPermitted, match="belongs to rep2"):
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert _calls(team, lead_id) == []


def test_a_later_move_takes_the_kept_call_back_from_the_rep(team: Team) -> None:
    lead_id = _moved_during_the_call(team)
    with team.desk("lead1") as desk:
        desk.team.reassign(LeadPick(lead_ids=(lead_id,)), to_user="lead1")
    assert team.get(lead_id).taken_from_call_id is None
    with team.desk("rep1") as desk, pytest.raises(NotPermitted):
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)


def test_a_call_moved_to_the_pool_is_kept_without_taking_the_lead_back(team: Team) -> None:
    lead_id = _moved_during_the_call(team, to_user=None)
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, CallOutcome.BUSY)
    assert result.kept and "moved to the open pool" in result.message
    assert team.owner_of(lead_id) is None


def test_a_do_not_call_on_the_kept_call_is_honoured(team: Team) -> None:
    lead_id = _moved_during_the_call(team)
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, CallOutcome.DO_NOT_CALL)
    assert result.kept and "on the do-not-call list now" in result.message
    lead = team.get(lead_id)
    assert (lead.hold_reason, team.owner_of(lead_id)) == ("do_not_call", "rep2")
    with team.store.reading() as session:
        person = session.get(Person, lead.person_id)
        assert person is not None and person.do_not_call

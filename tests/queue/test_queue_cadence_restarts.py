"""A cadence counts from the last contact: a connect or a booked callback starts a new one, the
stored reason says what really happened, and the call that ended it can be taken back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import Team, add_lead
from sqlalchemy import func, select

from leaddesk.calling.call_log import CallResult
from leaddesk.domain import CallOutcome, Stage
from leaddesk.errors import Conflict
from leaddesk.store.models import AuditEvent, CallAttempt, Lead, VerdictRecord


def _verdicts(team: Team, lead_id: int) -> list[VerdictRecord]:
    with team.store.reading() as s:
        query = select(VerdictRecord).where(VerdictRecord.lead_id == lead_id)
        return list(s.scalars(query))


def _no_answers_until_nurtured(team: Team, lead_id: int) -> list[CallResult]:
    results: list[CallResult] = []
    with team.desk("rep1") as desk:
        for _ in range(10):
            result = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
            results.append(result)
            if result.nurtured:
                break
            assert result.next_attempt_at is not None
            team.clock.now = result.next_attempt_at
    return results


def test_a_booked_callback_starts_a_new_cadence(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        for _ in range(3):
            tried = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
            assert tried.next_attempt_at is not None
            team.clock.now = tried.next_attempt_at
        agreed = team.clock() + timedelta(days=1)
        desk.calls.log(lead_id, CallOutcome.CALLBACK, callback_at=agreed)
        team.clock.now = agreed
        after = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    # The first no-answer after the callback is the first of a new cadence, not the fourth.
    assert not after.nurtured and after.next_attempt_at is not None
    assert after.message.endswith("(retry 2 of 6).")
    results = _no_answers_until_nurtured(team, lead_id)
    assert len(results) == 5  # five more: six unanswered since the callback
    (verdict,) = _verdicts(team, lead_id)
    assert verdict.reason is not None
    assert verdict.reason.startswith("Unreachable: no contact in 6 attempts")
    assert "from the callback booked on Thu 19 Nov" in verdict.reason
    assert "10 business days" not in verdict.reason


def test_a_connected_call_starts_a_new_cadence_and_the_window_counts_from_it(
    team: Team,
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        team.clock.advance(days=7)  # five business days
        desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=60)
        team.clock.advance(days=7)
        # Fourteen days after the first try, seven after the talk: still within the window.
        after = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        assert not after.nurtured and after.message.endswith("(retry 2 of 6).")
        team.clock.advance(days=16)  # past 10 business days after the new cadence began
        last = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert last.nurtured and last.stage is Stage.NURTURE
    (verdict,) = _verdicts(team, lead_id)
    assert verdict.reason is not None
    assert verdict.reason.startswith("Unreachable: no contact in 2 attempts; the next try")
    assert "from the connected call on Wed 25 Nov" in verdict.reason
    assert last.message == (
        "Moved to nurture: unreachable, no contact in 2 tries since the connected call on "
        "Wed 25 Nov; its 10 business days are over."
    )


def test_the_call_that_used_up_the_cadence_is_undone_with_its_nurture_verdict(
    team: Team,
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    results = _no_answers_until_nurtured(team, lead_id)
    last = results[-1]
    assert last.nurtured and len(results) == 6
    team.clock.advance(minutes=2)
    with team.desk("rep1") as desk:
        undone = desk.calls.undo(last.call_id)
    assert undone.stage is Stage.WORKING and undone.attempts == 5
    assert "out of nurture" in undone.message
    assert _verdicts(team, lead_id) == []
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        assert lead.closed_at is None and lead.stage is Stage.WORKING
        assert lead.next_attempt_at == results[-2].next_attempt_at
        assert lead.claimed_by_id == team.ids["rep1"]
        calls = s.scalar(select(func.count()).where(CallAttempt.lead_id == lead_id))
        undo_event = s.scalars(
            select(AuditEvent).where(AuditEvent.lead_id == lead_id).order_by(AuditEvent.id.desc())
        ).first()
    assert calls == 5
    assert undo_event is not None and undo_event.action == "call_undone"
    assert undo_event.from_state == "nurture" and undo_event.to_state == "working"


def test_a_nurtured_lead_given_another_verdict_since_is_not_undone_and_says_why(
    team: Team,
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    results = _no_answers_until_nurtured(team, lead_id)
    with team.store.transaction() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        lead.stage = Stage.DISQUALIFIED  # a team lead closed it otherwise since
    with team.desk("rep1") as desk, pytest.raises(Conflict, match="closed now"):
        desk.calls.undo(results[-1].call_id)

"""Undoing a call's outcome logged by mistake: the lead exactly as before, the rep holding it,
both steps in the audit trail; refused for a colleague's call, after the window, after
anything else happened to the lead and for a do-not-call (a call that used up the cadence is
undone with its nurture verdict: tests/queue/test_queue_cadence_restarts.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import Team, add_lead
from sqlalchemy import func, select

from leaddesk.domain import CallOutcome, LeadType, Stage
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.leads.undo_rules import UNDO_WITHIN
from leaddesk.queue import Band
from leaddesk.store.models import AuditEvent, CallAttempt, Lead
from leaddesk.team.reassign import LeadPick


def _facts(team: Team, lead_id: int) -> tuple[object, ...]:
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        return (
            lead.stage,
            lead.stage_changed_at,
            lead.lead_type,
            lead.hold_reason,
            lead.attempts,
            lead.last_attempt_at,
            lead.first_contact_at,
            lead.callback_at,
            lead.next_attempt_at,
        )


def _calls(team: Team, lead_id: int) -> int:
    with team.store.reading() as s:
        query = select(func.count()).where(CallAttempt.lead_id == lead_id)
        return int(s.scalar(query) or 0)


@pytest.mark.parametrize(
    "outcome",
    [
        CallOutcome.NO_ANSWER,
        CallOutcome.CONNECTED,
        CallOutcome.WRONG_NUMBER,
        CallOutcome.NOT_INTERESTED,
        CallOutcome.CALLBACK,
    ],
)
def test_an_outcome_undone_leaves_the_lead_as_before_and_in_the_reps_hands(
    team: Team, outcome: CallOutcome
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    before = _facts(team, lead_id)
    callback = now + timedelta(days=1) if outcome is CallOutcome.CALLBACK else None
    with team.desk("rep1") as desk:
        assert desk.queue.next() is not None
        logged = desk.calls.log(lead_id, outcome, callback_at=callback)
        assert _facts(team, lead_id) != before
        team.clock.advance(minutes=2)
        undone = desk.calls.undo(logged.call_id)
        assert undone.lead_id == lead_id and undone.outcome is outcome
        assert undone.message.startswith("Undone: the ")
        assert _facts(team, lead_id) == before
        assert _calls(team, lead_id) == 0
        with team.store.reading() as s:
            lead = s.get(Lead, lead_id)
            assert lead is not None
            assert lead.claimed_by_id == team.ids["rep1"]
            assert lead.claim_expires_at is not None and lead.claim_expires_at > team.clock()
            events = list(
                s.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.lead_id == lead_id)
                    .order_by(AuditEvent.id)
                )
            )
        assert events[-2:] == ["call_logged", "call_undone"]
        # The right outcome now goes in as if the first had never been pressed.
        right = desk.calls.log(lead_id, CallOutcome.VOICEMAIL)
        assert right.attempts == 1 and right.stage is Stage.WORKING


def test_a_fresh_inquiry_gets_its_place_back_in_the_new_band(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        logged = desk.calls.log(lead_id, CallOutcome.BAD_NUMBER)
        assert [row.lead_id for row in desk.queue.page()] == []  # held as a bad number
        desk.calls.undo(logged.call_id)
        desk.queue.release(lead_id)
        (row,) = desk.queue.page()
    assert row.lead_id == lead_id and row.band is Band.NEW and row.attempts == 0
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.lead_type is not LeadType.DUBIOUS


def test_only_the_rep_who_logged_it_may_undo_it_and_only_for_a_while(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        logged = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    with team.desk("lead1") as lead, pytest.raises(NotPermitted, match="logged by a colleague"):
        lead.calls.undo(logged.call_id)
    with team.desk("sales1") as sales, pytest.raises(NotPermitted):
        sales.calls.undo(logged.call_id)
    team.clock.advance(seconds=UNDO_WITHIN.total_seconds() + 1)
    with team.desk("rep1") as desk, pytest.raises(Conflict, match="can no longer be undone"):
        desk.calls.undo(logged.call_id)
    assert _calls(team, lead_id) == 1


def test_a_later_call_or_a_change_since_keeps_the_outcome(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
        other_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
        twice_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        first = desk.calls.log(lead_id, CallOutcome.BUSY)
        team.clock.advance(minutes=3)  # they rang straight back
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        with pytest.raises(Conflict, match="A later call"):
            desk.calls.undo(first.call_id)
        # 2 pressed twice: the second taken back, the first is refused still, without
        # claiming that a later call is logged.
        again = desk.calls.log(twice_id, CallOutcome.NO_ANSWER)
        desk.calls.undo(desk.calls.log(twice_id, CallOutcome.NO_ANSWER).call_id)
        with pytest.raises(Conflict, match="can be taken back") as refused:
            desk.calls.undo(again.call_id)
        assert "was logged;" not in str(refused.value) and _calls(team, twice_id) == 1
        moved = desk.calls.log(other_id, CallOutcome.NO_ANSWER)
    with team.desk("lead1") as lead:
        lead.team.reassign(LeadPick(lead_ids=(other_id,)), to_user="rep2", reason="rebalance")
    with team.desk("rep1") as desk, pytest.raises(Conflict, match="changed after the call"):
        desk.calls.undo(moved.call_id)
    assert _calls(team, other_id) == 1


def test_a_do_not_call_is_not_undone_and_says_why(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        dnc_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        dnc = desk.calls.log(dnc_id, CallOutcome.DO_NOT_CALL)
        with pytest.raises(Conflict, match="do-not-call cannot be undone"):
            desk.calls.undo(dnc.call_id)
    assert _calls(team, dnc_id) == 1

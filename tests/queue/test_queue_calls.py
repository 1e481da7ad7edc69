"""Logging calls: cadence, holds, claims and the audit trail, each in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from queue_helpers import Team, add_lead
from sqlalchemy import select

from leaddesk.domain import CallOutcome, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.queue import Band
from leaddesk.store.models import Assignment, AuditEvent, CallAttempt, Lead, Person, VerdictRecord
from tests.one_store import sqlite_only


def _lead(team: Team, lead_id: int) -> Lead:
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        return lead


def _actions(team: Team, lead_id: int) -> list[str]:
    with team.store.reading() as s:
        query = select(AuditEvent.action).where(AuditEvent.lead_id == lead_id)
        return list(s.scalars(query.order_by(AuditEvent.id)))


def test_next_claims_the_top_lead_and_no_answer_schedules_a_retry(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        row = desk.queue.next()
        assert row is not None and row.lead_id == lead_id
        assert row.claimed_until == now + timedelta(minutes=15)
        result = desk.calls.log(lead_id, CallOutcome.NO_ANSWER, note="rang out")
    assert result.next_attempt_at == now + timedelta(hours=3)
    assert result.stage is Stage.WORKING and result.attempts == 1
    assert result.message == "No answer. Next try after 13:00 New York time (retry 2 of 6)."
    lead = _lead(team, lead_id)
    assert lead.claimed_by_id is None and lead.claim_expires_at is None
    assert _actions(team, lead_id) == ["claim_taken", "call_logged"]
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []  # not due yet
        team.clock.advance(hours=3)
        (again,) = desk.queue.page()
    assert again.band is Band.RETRY and again.reason == "retry 2 of 6"


def test_busy_retries_sooner_but_never_before_the_minimum_spacing(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, CallOutcome.BUSY)
    # busy waits 30 min by policy, the spacing is 60 min: the spacing wins.
    assert result.next_attempt_at == now + timedelta(minutes=60)


def test_third_call_of_the_day_moves_the_next_try_to_the_next_business_day(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        for _ in range(3):
            result = desk.calls.log(lead_id, CallOutcome.BUSY)
            team.clock.advance(hours=1)
    # Wednesday 2026-11-18; Thursday opens 09:00 New York = 14:00 UTC.
    assert result.next_attempt_at == datetime(2026, 11, 19, 14, 0, tzinfo=UTC)
    assert result.message.startswith("Busy. Next try after Thu 09:00 New York time")


def test_cadence_used_up_sends_the_lead_to_nurture_as_unreachable(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        for _ in range(6):
            result = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
            assert result.next_attempt_at is not None or result.nurtured
            team.clock.now = result.next_attempt_at or team.clock.now
    assert result.nurtured and result.stage is Stage.NURTURE
    assert result.message.startswith("Moved to nurture: unreachable")
    with team.store.reading() as s:
        verdict = s.scalars(select(VerdictRecord).where(VerdictRecord.lead_id == lead_id)).one()
        calls = s.scalars(select(CallAttempt).where(CallAttempt.lead_id == lead_id)).all()
    assert verdict.verdict is Verdict.NURTURE and verdict.reason is not None
    assert verdict.reason.startswith("Unreachable")
    assert len(calls) == 6
    assert "nurtured_unreachable" in _actions(team, lead_id)


def test_cadence_window_of_business_days_ends_the_retries(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        team.clock.advance(days=16)  # past 10 business days (Thanksgiving included)
        result = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert result.nurtured and result.attempts == 2


def test_connected_keeps_the_claim_and_puts_the_lead_in_qualification(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=None).id
    with team.desk("rep1") as desk:
        assert desk.queue.next() is not None
        team.clock.advance(minutes=10)
        result = desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=420)
    assert result.stage is Stage.IN_QUALIFICATION
    assert result.claim_expires_at == team.clock() + timedelta(minutes=15)
    lead = _lead(team, lead_id)
    # A pool lead belongs to whoever called it.
    assert lead.assigned_to_id == team.ids["rep1"] and lead.first_contact_at == team.clock()
    with team.store.reading() as s:
        assert s.scalars(select(Assignment.to_user_id)).all() == [team.ids["rep1"]]
    with team.desk("rep2") as desk:
        assert desk.queue.page() == []


def test_callback_comes_back_first_within_the_window_before_its_time(team: Team) -> None:
    now = team.clock()
    agreed = now + timedelta(hours=2)
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
        add_lead(s, now=now, owner=team.ids["rep1"], sla_in=timedelta(minutes=-30))
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, CallOutcome.CALLBACK, callback_at=agreed)
        assert result.message == "Callback booked for 12:00 their time."
        assert lead_id not in [r.lead_id for r in desk.queue.page()]
        team.clock.now = agreed - timedelta(minutes=15)  # the policy's callback window
        first = desk.queue.page()[0]
    assert first.lead_id == lead_id and first.reason == "callback at 12:00 their time"


@pytest.mark.parametrize("outcome", [CallOutcome.WRONG_NUMBER, CallOutcome.BAD_NUMBER])
def test_wrong_or_bad_number_marks_the_lead_dubious_and_holds_it(
    team: Team, outcome: CallOutcome
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        result = desk.calls.log(lead_id, outcome)
        assert desk.queue.page() == []
    lead = _lead(team, lead_id)
    assert lead.lead_type is LeadType.DUBIOUS and result.hold_reason == outcome.value


def test_do_not_call_takes_the_person_out_of_every_queue_at_once(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        first = add_lead(s, now=now, owner=team.ids["rep1"])
        person = s.get(Person, first.person_id)
        second = add_lead(s, now=now, owner=team.ids["rep2"], person=person)
        closed = add_lead(s, now=now, owner=team.ids["rep2"], person=person, stage=Stage.NURTURE)
        ids = (first.id, second.id, closed.id)
    with team.desk("rep1") as desk:
        result = desk.calls.log(ids[0], CallOutcome.DO_NOT_CALL)
    assert result.message == "Do not call: this person is out of every queue."
    with team.desk("rep2") as desk:
        assert desk.queue.page() == []
    with team.store.reading() as s:
        person = s.get(Person, first.person_id)
        holds = {lead.id: lead.hold_reason for lead in s.scalars(select(Lead))}
    assert person is not None and person.do_not_call and person.do_not_call_at == now
    assert holds == {ids[0]: "do_not_call", ids[1]: "do_not_call", ids[2]: None}


def test_colleagues_claim_blocks_logging_and_releasing(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=None).id
    with team.desk("rep2") as desk:
        assert desk.queue.next() is not None
    with team.desk("rep1") as desk:
        with pytest.raises(Conflict, match=r"being called by .+ \(until \d\d:\d\d .+ time\)"):
            desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        with pytest.raises(Conflict):
            desk.queue.release(lead_id)
        with pytest.raises(Conflict):
            desk.queue.renew_claim(lead_id)
        assert desk.queue.next() is None
    with team.desk("rep2") as desk:
        assert desk.queue.release(lead_id) is True
        assert desk.queue.release(lead_id) is False
    with team.desk("rep1") as desk:
        row = desk.queue.next()
        assert row is not None and row.lead_id == lead_id


def test_renewing_keeps_the_lease_alive(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        assert desk.queue.next() is not None
        team.clock.advance(minutes=14)
        assert desk.queue.renew_claim(lead_id) == team.clock() + timedelta(minutes=15)
        team.clock.advance(minutes=14)
    with team.desk("lead1") as desk:
        # A team lead sees no own queue here: the lead belongs to rep1 and is still held.
        assert desk.queue.page() == []


def test_asking_next_again_gives_a_different_lead(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        a = add_lead(s, now=now, owner=team.ids["rep1"], sla_in=timedelta(minutes=5)).id
        b = add_lead(s, now=now, owner=team.ids["rep1"], sla_in=timedelta(minutes=50)).id
    with team.desk("rep1") as desk:
        first, second, third = desk.queue.next(), desk.queue.next(), desk.queue.next()
    assert first is not None and second is not None
    assert (first.lead_id, second.lead_id, third) == (a, b, None)


def test_qualifier_cannot_log_on_another_reps_lead_but_a_team_lead_can(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep2"]).id
    with team.desk("rep1") as desk, pytest.raises(NotPermitted, match="belongs to"):
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    with team.desk("lead1") as desk:
        assert desk.calls.log(lead_id, CallOutcome.NO_ANSWER).attempts == 1
    with team.desk("sales1") as desk, pytest.raises(NotPermitted):
        desk.calls.log(lead_id, CallOutcome.CONNECTED)


# Checked in the core before any write: one store is enough.
@sqlite_only
@pytest.mark.parametrize(
    ("outcome", "callback", "says"),
    [
        (CallOutcome.CALLBACK, None, "needs the agreed time"),
        (CallOutcome.CALLBACK, datetime(2026, 11, 18, 14, 0, tzinfo=UTC), "already passed"),
        (CallOutcome.NO_ANSWER, datetime(2026, 11, 19, 14, 0, tzinfo=UTC), "only a 'callback'"),
        (CallOutcome.CALLBACK, datetime(2026, 11, 19, 14, 0), "with its zone"),
    ],
)
def test_bad_call_input_is_refused_and_nothing_is_stored(
    team: Team, outcome: CallOutcome, callback: datetime | None, says: str
) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk, pytest.raises(InputError, match=says):
        desk.calls.log(lead_id, outcome, callback_at=callback)
    with team.store.reading() as s:
        assert s.scalars(select(CallAttempt)).all() == []


def test_calls_on_closed_or_missing_leads_are_refused(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep1"], stage=Stage.QUALIFIED).id
    with team.desk("rep1") as desk:
        with pytest.raises(Conflict, match="closed"):
            desk.calls.log(lead_id, CallOutcome.CONNECTED)
        with pytest.raises(InputError, match="No lead"):
            desk.calls.log(lead_id + 999, CallOutcome.CONNECTED)


def test_dialling_is_refused_once_their_calling_hours_are_over_or_they_asked_not_to_be_called(
    team: Team,
) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        new_york = add_lead(s, now=now, owner=rep).id
        tokyo = add_lead(s, now=now, owner=rep, zone="Asia/Tokyo").id
        listed = add_lead(s, now=now, owner=rep, do_not_call=True).id
    with team.desk("rep1") as desk:
        assert desk.calls.why_not_dial(new_york) is None  # 10:00 in New York
        assert desk.calls.why_not_dial(tokyo) == (
            "It is 00:00 for them (Tokyo): outside their calling hours (08:00–21:00 their time)."
            " Book a callback (B) or put the lead back (Esc)."
        )
        refused = desk.calls.why_not_dial(listed)
        assert refused is not None and refused.startswith("They are on the do-not-call list")
    with team.desk("sales1") as desk, pytest.raises(NotPermitted):
        desk.calls.why_not_dial(new_york)

"""The queue counts a lead's tries from the last contact: a lead reached and given a callback
reads "retry 2 of 6" and Tries 1/6 after one more no-answer, not its every call ever."""

from __future__ import annotations

from datetime import timedelta

from queue_helpers import Team, add_lead

from leaddesk.domain import CallOutcome
from leaddesk.queue import Band, QueueRow
from leaddesk.store.models import Lead


def _row(team: Team, lead_id: int) -> QueueRow:
    with team.desk("rep1") as desk:
        rows = [row for row in desk.queue.page(limit=50) if row.lead_id == lead_id]
    assert rows, "the lead is not in rep1's queue"
    return rows[0]


def _reached_then_one_no_answer(team: Team) -> int:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        for _ in range(2):
            tried = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
            assert tried.next_attempt_at is not None
            team.clock.now = tried.next_attempt_at
        desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=120)
        team.clock.advance(minutes=10)
        agreed = team.clock() + timedelta(days=1)
        desk.calls.log(lead_id, CallOutcome.CALLBACK, callback_at=agreed)
        team.clock.now = agreed
        after = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert after.next_attempt_at is not None and after.attempts == 5
    team.clock.now = after.next_attempt_at + timedelta(minutes=1)
    return lead_id


def test_a_retry_after_a_callback_reads_retry_2_of_6_not_the_sixth(team: Team) -> None:
    lead_id = _reached_then_one_no_answer(team)
    row = _row(team, lead_id)
    assert row.band is Band.RETRY
    assert row.reason_at(team.clock()).startswith("retry 2 of 6")
    assert (row.attempts, row.max_attempts) == (1, 6)
    assert row.as_json()["facts"]["attempt"] == 2
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.attempts == 5  # every call is still counted there


def test_undoing_the_retry_puts_the_cadence_count_back(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        first = desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        assert first.next_attempt_at is not None
        team.clock.now = first.next_attempt_at
        second = desk.calls.log(lead_id, CallOutcome.BUSY)
        team.clock.advance(minutes=1)
        desk.calls.undo(second.call_id)
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and (lead.attempts, lead.cadence_attempts) == (1, 1)


def test_a_connected_call_sets_the_count_back_to_none(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        first = desk.calls.log(lead_id, CallOutcome.VOICEMAIL)
        assert first.next_attempt_at is not None
        team.clock.now = first.next_attempt_at
        desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=60)
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and (lead.attempts, lead.cadence_attempts) == (2, 0)

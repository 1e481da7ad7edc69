"""The rep's day kept up to date call by call: the status bar's figures after a sequence of
calls and verdicts are the ones counted from the rows, without counting them again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from leaddesk.calling.day_kept import RECOUNT_AFTER
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Verdict
from leaddesk.queue.claims import try_claim
from leaddesk.queue.sla import overdue_first_call
from leaddesk.store import open_store
from leaddesk.store.models import CallAttempt, Lead
from tests.factories import HAND_OFF_ANSWERS


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(200, 2, 11)


def _work_a_few_calls(desk: Desk, clock: FixedClock) -> None:
    """No answer, a callback, a connected call ended, a connected call with a verdict."""
    outcomes = [CallOutcome.NO_ANSWER, CallOutcome.VOICEMAIL, CallOutcome.BUSY]
    for outcome in outcomes:
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, outcome, duration_seconds=25)
        clock.advance(seconds=40)
    row = desk.queue.next()
    assert row is not None
    desk.calls.log(row.lead_id, CallOutcome.CALLBACK, callback_at=clock() + timedelta(days=1))
    clock.advance(seconds=30)
    row = desk.queue.next()
    assert row is not None
    connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=15)
    clock.advance(minutes=3)
    desk.calls.end(connected.call_id, 15 + 180)
    row = desk.queue.next()
    assert row is not None
    desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=10)
    desk.qualifying.answer(row.lead_id, HAND_OFF_ANSWERS)
    clock.advance(minutes=4)
    desk.qualifying.give_verdict(
        row.lead_id, Verdict.HAND_OFF, "budget approved on the call", call_seconds=250
    )


def test_the_kept_day_after_calls_and_verdicts_matches_the_day_counted_from_the_rows(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        before = desk.calls.my_day_kept()
        _work_a_few_calls(desk, clock)
        kept = desk.calls.my_day_kept()
        counted = desk.calls.my_day()

    assert kept.calls == before.calls + 6
    assert kept.connects == before.connects + 2
    assert kept.callbacks_booked == before.callbacks_booked + 1
    assert kept.verdicts.get("hand_off", 0) == before.verdicts.get("hand_off", 0) + 1
    assert (kept.calls, kept.connects, kept.talk_seconds, kept.talk_minutes) == (
        counted.calls,
        counted.connects,
        counted.talk_seconds,
        counted.talk_minutes,
    )
    assert kept.verdicts == counted.verdicts
    assert (kept.callbacks_booked, kept.sla_breaches) == (
        counted.callbacks_booked,
        counted.sla_breaches,
    )


def test_calling_an_overdue_lead_takes_it_off_the_kept_sla_breaches(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        before = desk.calls.my_day_kept()
        assert before.sla_breaches > 0  # the demo leaves some first calls overdue
        with desk.store.transaction() as session:
            overdue = session.scalar(
                select(Lead.id)
                .where(Lead.assigned_to_id == desk.actor.id, overdue_first_call(clock()))
                .limit(1)
            )
            assert overdue is not None
            assert try_claim(session, overdue, user_id=desk.actor.id, at=clock()) is not None
        desk.calls.log(overdue, CallOutcome.NO_ANSWER, duration_seconds=30)
        kept = desk.calls.my_day_kept()
        counted = desk.calls.my_day()
    assert kept.sla_breaches == before.sla_breaches - 1 == counted.sla_breaches


def test_a_logged_call_updates_the_kept_day_without_counting_the_days_rows(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.calls.my_day_kept()
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER, duration_seconds=20)
        statements: list[str] = []
        engine = desk.store.engine

        def seen(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
            statements.append(sql)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            kept = desk.calls.my_day_kept()
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert statements == []  # read from what the call's own write kept
    assert kept.calls >= 1


def test_the_kept_day_is_counted_again_once_it_is_old_or_the_day_turns(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        first = desk.calls.my_day_kept()
        # A colleague's desk logs a call for rep1 elsewhere: this desk does not see it...
        with open_desk(demo_location, "rep1", clock=clock) as other:
            row = other.queue.next()
            assert row is not None
            other.calls.log(row.lead_id, CallOutcome.NO_ANSWER, duration_seconds=20)
        assert desk.calls.my_day_kept().calls == first.calls
        # ...until the kept figures are old enough to be counted again.
        clock.advance(seconds=RECOUNT_AFTER.total_seconds())
        assert desk.calls.my_day_kept().calls == first.calls + 1
        clock.advance(days=1)
        assert desk.calls.my_day_kept().day_start > first.day_start


def test_interrupted_calls_are_found_by_the_index_of_open_calls(
    demo_location: str, clock: FixedClock
) -> None:
    store = open_store(demo_location)
    try:
        with store.reading() as session:
            query = select(CallAttempt.id).where(
                CallAttempt.user_id == 1,
                CallAttempt.at >= clock() - timedelta(days=2),
                CallAttempt.at <= clock(),
                CallAttempt.outcome == CallOutcome.CONNECTED,
                CallAttempt.ended_at.is_(None),
            )
            compiled = query.compile(session.bind, compile_kwargs={"literal_binds": True})
            if store.engine.dialect.name == "sqlite":
                plan = " ".join(
                    str(row[-1])
                    for row in session.connection().exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {compiled}"
                    )
                )
            else:
                session.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
                plan = " ".join(
                    str(row[0])
                    for row in session.connection().exec_driver_sql(f"EXPLAIN {compiled}")
                )
    finally:
        store.close()
    assert "ix_call_attempts_open" in plan

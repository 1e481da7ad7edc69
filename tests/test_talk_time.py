"""Talk time: a connected call is logged when the person picks up and ended when the rep hangs
up, so "My day" counts the conversation, not the ringing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, CallAttempt
from tests.cli_in_process import RunCli


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(200, 2, 11)


def _call(location: str, lead_id: int) -> CallAttempt:
    store = open_store(location)
    try:
        with store.reading() as session:
            return session.scalars(
                select(CallAttempt).where(CallAttempt.lead_id == lead_id).order_by(CallAttempt.id)
            ).all()[-1]
    finally:
        store.close()


def test_a_connected_call_counts_its_whole_length_once_it_ends(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        talk_before = desk.calls.my_day().talk_minutes
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=20)
        assert _call(demo_location, row.lead_id).ended_at is None  # still on the line

        clock.advance(minutes=12)
        ended = desk.calls.end(connected.call_id, 20 + 12 * 60)

        assert ended.message == "Call ended after 12:20."
        # 12:20 more on the line: 12 whole minutes more, or 13 when the day's seconds carry.
        assert desk.calls.my_day().talk_minutes - talk_before in (12, 13)
        calls = [e.text for e in desk.queue.lead_file(row.lead_id).timeline if e.kind == "call"]
        assert calls[0] == "Call: connected, 12:20 on the line"
    stored = _call(demo_location, row.lead_id)
    assert (stored.duration_seconds, stored.ended_at) == (740, clock())
    store = open_store(demo_location)
    with store.reading() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "call_ended")).one()
    store.close()
    assert event.details == {"call_id": connected.call_id, "duration_seconds": 740}


def test_calls_that_are_over_when_logged_end_then(demo_location: str, clock: FixedClock) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        result = desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER, duration_seconds=25)
        with pytest.raises(Conflict, match="logged as 'no_answer', so it ended then"):
            desk.calls.end(result.call_id, 60)
    stored = _call(demo_location, row.lead_id)
    assert (stored.duration_seconds, stored.ended_at) == (25, clock())


def test_ending_a_call_is_refused_when_it_cannot_be_true(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        call_id = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=30).call_id
        clock.advance(minutes=5)
        with pytest.raises(InputError, match="already lasted 30 s"):
            desk.calls.end(call_id, 10)
        with pytest.raises(InputError, match="would end it in the future"):
            desk.calls.end(call_id, 30 + 3600)
        with pytest.raises(InputError, match="0 to 86400"):
            desk.calls.end(call_id, -1)
        with pytest.raises(InputError, match="No call 999999"):
            desk.calls.end(999_999, 60)
    with (
        open_desk(demo_location, "rep2", clock=clock) as other,
        pytest.raises(NotPermitted, match="only they can end it"),
    ):
        other.calls.end(call_id, 300)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        desk.calls.end(call_id, 330)
        with pytest.raises(Conflict, match=r"already ended, after 5:30"):
            desk.calls.end(call_id, 330)
    assert _call(demo_location, row.lead_id).duration_seconds == 330


def test_end_call_from_the_command_line(
    sqlite_store_path: Path, clock: FixedClock, run_cli: RunCli
) -> None:
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=100, reps=2, seed=3, now=clock())
    store.close()
    with open_desk(sqlite_store_path, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
    at = clock().isoformat()
    ended_at = (clock() + timedelta(minutes=4)).isoformat()

    logged = run_cli(
        "log-call", str(row.lead_id), "--outcome", "connected", "--duration", "15",
        "--as", "rep1", "--at", at, db=sqlite_store_path,
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    hint = logged.stdout.splitlines()[-1]
    assert hint.startswith("When you hang up: leaddesk end-call ")
    call_id = hint.split()[6]

    refused = run_cli(
        "end-call",
        call_id,
        "--duration",
        "15",
        "--as",
        "rep2",
        "--at",
        ended_at,
        db=sqlite_store_path,
    )
    assert refused.returncode == 3 and "only they can end it" in refused.stderr
    # The hint runs as printed, once the length is filled in.
    hinted = hint.split(": ", 1)[1].replace("SECONDS", "255").split()[1:]
    assert hinted == ["end-call", call_id, "--as", "rep1", "--duration", "255"]
    ended = run_cli(*hinted, "--at", ended_at, db=sqlite_store_path)
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.strip() == f"Lead {row.lead_id}: Call ended after 4:15."
    again = run_cli(
        "end-call",
        call_id,
        "--duration",
        "255",
        "--as",
        "rep1",
        "--at",
        ended_at,
        db=sqlite_store_path,
    )
    assert again.returncode == 4 and "already ended" in again.stderr
    assert _call(str(sqlite_store_path), row.lead_id).duration_seconds == 255


def test_a_call_left_open_by_a_closed_window_ends_when_the_window_last_saw_it(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        assert desk.calls.end_interrupted() == []  # the demo's calls all ended
        talk_before = desk.calls.my_day().talk_minutes
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=30)
        clock.advance(minutes=4)
        desk.queue.renew_claim(row.lead_id)  # the window, four minutes into the call
        clock.advance(minutes=3)
        # The window is killed here. While its claim runs, another window may be on the call.
        clock.advance(minutes=5)
        assert desk.calls.end_interrupted() == []
        clock.advance(minutes=10)  # the claim renewed at 4 min has run out
        ended = desk.calls.end_interrupted()
        assert [e.call_id for e in ended] == [connected.call_id]
        assert ended[0].duration_seconds == 30 + 4 * 60
        assert ended[0].message.startswith("Your call with ")
        assert "still open when LeadDesk closed: 4:30 counted" in ended[0].message
        assert desk.calls.end_interrupted() == []  # once
        # 4:30 more, in whole minutes
        assert desk.calls.my_day().talk_minutes - talk_before in (4, 5)
    stored = _call(demo_location, row.lead_id)
    assert stored.ended_at == clock() - timedelta(minutes=22) + timedelta(minutes=4)


def test_a_call_whose_lead_went_to_a_colleague_keeps_its_ringing_length(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        connected = desk.calls.log(row.lead_id, CallOutcome.CONNECTED, duration_seconds=25)
        desk.queue.release(row.lead_id)
        clock.advance(minutes=30)
        ended = desk.calls.end_interrupted()
    assert [(e.call_id, e.duration_seconds) for e in ended] == [(connected.call_id, 25)]
    with open_desk(demo_location, "rep2", clock=clock) as other:
        assert other.calls.end_interrupted() == []

"""A verdict ends the connected call it was given on, from the window, the desk and the CLI
alike; which call outcomes a rep may take back is the core's to say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qualification_scenarios import add_lead, sales_worthy, set_up_team
from sqlalchemy import select

from leaddesk.audit import AuditAction
from leaddesk.calling.undo import can_undo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import Conflict
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, CallAttempt
from tests.cli_in_process import RunCli


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _call(location: str, call_id: int) -> CallAttempt:
    store = open_store(location)
    try:
        with store.reading() as session:
            call = session.get(CallAttempt, call_id)
            assert call is not None
            session.expunge(call)
            return call
    finally:
        store.close()


def test_a_verdict_from_the_command_line_ends_the_connected_call(
    team: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = add_lead(team, clock)
    logged = run_cli(
        "log-call", str(lead_id), "--as", "rep1", "--outcome", "connected", "--json", db=team
    )
    assert logged.returncode == 0, logged.stderr
    call_id = json.loads(logged.stdout)["call_id"]
    assert _call(team, call_id).ended_at is None  # still on the line while the rep qualifies
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sales_worthy("bant")), encoding="utf-8")

    given = run_cli(
        "qualify",
        str(lead_id),
        "--as",
        "rep1",
        "--answers",
        str(answers),
        "--verdict",
        "hand_off",
        "--json",
        db=team,
    )

    assert given.returncode == 0, given.stderr
    verdict = json.loads(given.stdout)["verdict"]
    call = _call(team, call_id)
    assert call.ended_at is not None
    assert verdict["call_seconds"] == call.duration_seconds
    ended = run_cli("end-call", str(call_id), "--as", "rep1", "--duration", "600", db=team)
    assert ended.returncode == 4, ended.stderr  # a conflict: the verdict ended it already
    assert "already ended" in ended.stderr and "Traceback" not in ended.stderr


def test_a_verdict_at_the_desk_counts_the_whole_call_as_talk_time(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.queue.renew_claim(lead_id)
        logged = desk.calls.log(lead_id, CallOutcome.CONNECTED, duration_seconds=20)
        clock.advance(minutes=5)
        desk.queue.renew_claim(lead_id)  # the window keeps the lead while the rep talks
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        verdict = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
        with pytest.raises(Conflict, match="already ended"):
            desk.calls.end(logged.call_id, 900)
        with desk.store.reading() as session:
            ended = session.scalars(
                select(AuditEvent).where(
                    AuditEvent.lead_id == lead_id, AuditEvent.action == AuditAction.CALL_ENDED
                )
            ).all()
    call = _call(team, logged.call_id)
    assert (call.ended_at, call.duration_seconds) == (clock(), 20 + 300)
    assert verdict.call_seconds == 320 and verdict.stage is Stage.QUALIFIED
    assert [e.reason for e in ended] == ["the verdict ended the call"]


def test_a_verdict_without_a_call_on_the_line_ends_nothing(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.calls.log(lead_id, CallOutcome.NO_ANSWER)
        clock.advance(hours=3)
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        verdict = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert verdict.call_seconds is None


def test_every_outcome_but_do_not_call_may_be_taken_back(team: str, clock: FixedClock) -> None:
    assert [o for o in CallOutcome if not can_undo(o)] == [CallOutcome.DO_NOT_CALL]
    lead_id = add_lead(team, clock)
    other = add_lead(team, clock, email="sam.lee@acme.example")
    with open_desk(team, "rep1", clock=clock) as desk:
        assert desk.calls.log(other, CallOutcome.VOICEMAIL).undoable is True
        held = desk.calls.log(lead_id, CallOutcome.DO_NOT_CALL)
        assert held.undoable is False
        with pytest.raises(Conflict, match="do-not-call cannot be undone"):
            desk.calls.undo(held.call_id)

"""Undoing a verdict given by mistake: the verdict record gone (no report counts it), the lead
as before with its answers, the rep holding it for the right verdict; refused for a
colleague's verdict, after the window, once the lead is in a hand-off, or after a later one."""

from __future__ import annotations

from pathlib import Path

import pytest
from qualification_scenarios import OPENING, add_lead, sales_worthy, set_up_team
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Stage, Verdict
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.leads.undo_rules import UNDO_WITHIN
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, Lead, VerdictRecord


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _facts(location: str, lead_id: int) -> tuple[object, ...]:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            verdicts = session.scalar(select(func.count()).where(VerdictRecord.lead_id == lead_id))
            return (
                lead.stage,
                lead.stage_changed_at,
                lead.closed_at,
                lead.lead_type,
                lead.fit_score,
                lead.interest_score,
                lead.framework_score,
                lead.existing_account,
                verdicts,
            )
    finally:
        store.close()


@pytest.mark.parametrize(
    "verdict", [Verdict.HAND_OFF, Verdict.DISQUALIFY, Verdict.EXISTING_ACCOUNT]
)
def test_a_verdict_undone_leaves_the_lead_as_before_with_its_answers(
    team: str, clock: FixedClock, verdict: Verdict
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        before = _facts(team, lead_id)
        answered = desk.qualifying.evaluate(lead_id)
        suggested = answered.suggestion.verdict
        reason = None if verdict is suggested else "pressed the wrong key"
        given = desk.qualifying.give_verdict(lead_id, verdict, reason)
        assert _facts(team, lead_id) != before
        clock.advance(minutes=3)
        undone = desk.qualifying.undo_verdict(given.id)
        assert undone.lead_id == lead_id and undone.stage is Stage.IN_QUALIFICATION
        assert _facts(team, lead_id) == before
        state = desk.qualifying.evaluate(lead_id)
        assert state.evaluation.answers == answered.evaluation.answers  # the answers stayed
        assert state.completeness == 1.0
        with desk.store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None and lead.claimed_by_id == desk.actor.id
            actions = list(
                session.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.lead_id == lead_id)
                    .order_by(AuditEvent.id)
                )
            )
        assert actions[-1] == "verdict_undone"
        right = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
        assert right.stage is Stage.QUALIFIED
    assert _facts(team, lead_id)[-1] == 1  # one verdict counts, the right one


def test_only_the_rep_who_gave_it_and_only_for_a_while(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {**OPENING, "contact_check": "invalid"})
        given = desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY)
    with open_desk(team, "lead1", clock=clock) as lead, pytest.raises(NotPermitted):
        lead.qualifying.undo_verdict(given.id)
    with open_desk(team, "sales1", clock=clock) as sales, pytest.raises(NotPermitted):
        sales.qualifying.undo_verdict(given.id)
    clock.advance(seconds=UNDO_WITHIN.total_seconds() + 1)
    with (
        open_desk(team, "rep1", clock=clock) as desk,
        pytest.raises(Conflict, match="can no longer be undone"),
    ):
        desk.qualifying.undo_verdict(given.id)


def test_a_lead_already_in_a_hand_off_keeps_its_verdict(
    team: str, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
        batch = desk.handoff.export(tmp_path / "out").new_batch
        assert batch is not None and lead_id in batch.lead_ids
        with pytest.raises(Conflict, match="already in a hand-off"):
            desk.qualifying.undo_verdict(given.id)
    assert _facts(team, lead_id)[0] is Stage.HANDED_OFF

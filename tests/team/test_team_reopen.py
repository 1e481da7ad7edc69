"""A team lead reopens a closed lead: the verdict withdrawn (no report counts it, the timeline
and the audit trail keep it), the lead open and due now for the rep it goes to; refused for
reps, for leads with sales, for people who may not be called, without a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.store.models import Assignment, AuditEvent, VerdictRecord
from tests.factories import Team


def _disqualified(team: Team, owner: str = "rep1") -> int:
    lead_id = team.lead(owner)
    with team.desk(owner) as rep:
        rep.calls.log(lead_id, CallOutcome.CONNECTED)
        rep.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY, "says they never asked")
    return lead_id


def _verdicts(team: Team, lead_id: int) -> int:
    with team.store.reading() as session:
        query = select(func.count()).where(VerdictRecord.lead_id == lead_id)
        return int(session.scalar(query) or 0)


def test_a_lead_disqualified_in_error_goes_back_to_a_rep_due_now(team: Team) -> None:
    lead_id = _disqualified(team)
    assert team.get(lead_id).stage is Stage.DISQUALIFIED and _verdicts(team, lead_id) == 1
    team.clock.advance(days=2)
    with team.desk("lead1") as lead:
        reopened = lead.team.reopen(
            lead_id, "their colleague confirmed the project", to_user="rep2"
        )
        assert reopened.stage is Stage.WORKING and reopened.owner == "rep2"
        assert reopened.message.startswith(f"Lead {lead_id} reopened, in rep2's queue")
        assert "the disqualify verdict (rep1," in reopened.message
        (entry,) = [
            e for e in lead.queue.lead_file(lead_id).timeline if e.text.startswith("Reopened")
        ]
    assert "says they never asked) withdrawn — their colleague confirmed the project" in (
        entry.text
    )
    stored = team.get(lead_id)
    assert stored.closed_at is None and stored.next_attempt_at == team.clock()
    assert team.owner_of(lead_id) == "rep2"
    assert _verdicts(team, lead_id) == 0  # no report counts the withdrawn verdict
    with team.store.reading() as session:
        moved = session.scalars(select(Assignment).where(Assignment.lead_id == lead_id)).all()
        assert moved[-1].reason == "reopened: their colleague confirmed the project"
        assert (
            session.scalar(
                select(AuditEvent.action)
                .where(AuditEvent.lead_id == lead_id)
                .order_by(AuditEvent.id.desc())
                .limit(1)
            )
            == "lead_reopened"
        )
    with team.desk("rep2") as rep:
        assert lead_id in [row.lead_id for row in rep.queue.page(limit=50)]


def test_reps_cannot_reopen_and_a_reason_is_needed(team: Team) -> None:
    lead_id = _disqualified(team)
    with team.desk("rep1") as rep, pytest.raises(NotPermitted):
        rep.team.reopen(lead_id, "I changed my mind")
    with team.desk("lead1") as lead, pytest.raises(InputError, match="say why"):
        lead.team.reopen(lead_id, "   ")
    assert team.get(lead_id).stage is Stage.DISQUALIFIED


def test_open_leads_leads_with_sales_and_do_not_call_people_stay_as_they_are(
    team: Team,
) -> None:
    open_id = team.lead("rep1")
    with_sales = team.lead("rep1", stage=Stage.HANDED_OFF)
    dnc_id = _disqualified(team)
    with team.store.transaction() as session:
        lead = session.get(type(team.get(dnc_id)), dnc_id)
        assert lead is not None
        lead.person.do_not_call = True
    with team.desk("lead1") as lead:
        with pytest.raises(Conflict, match="open already"):
            lead.team.reopen(open_id, "why not")
        with pytest.raises(Conflict, match="with sales"):
            lead.team.reopen(with_sales, "why not")
        with pytest.raises(Conflict, match="do-not-call"):
            lead.team.reopen(dnc_id, "why not")
    assert team.get(with_sales).stage is Stage.HANDED_OFF

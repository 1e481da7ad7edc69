"""Undo a verdict given by mistake: Ctrl+Enter pressed one question too early, the wrong
override picked.

For a few minutes after giving it, and while nothing has followed from it (no handoff batch
holds the lead, sales has not answered, it was not recycled, no one changed it), the rep who
gave a verdict may take it back. The verdict record goes, so no report counts it; the lead gets
back what the verdict changed (its stage, type, scores and definition version, kept in the
verdict's audit event), and the rep holds it again with the answers as they were, to give the
right one. The undo is an audit event of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import VERDICT_STAGE, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError
from leaddesk.leads.undo_rules import (
    check_own_and_recent,
    flush_or_refuse,
    hold_again,
    last_event,
)
from leaddesk.store.models import Lead, SalesFeedback, VerdictRecord
from leaddesk.store.sales_answers import answer_of

GIVEN = (AuditAction.VERDICT_GIVEN, AuditAction.VERDICT_OVERRIDDEN)
UNDONE = AuditAction.VERDICT_UNDONE
_NUMBERS = ("fit_score", "interest_score", "framework_score", "definition_version_id")


def before_verdict(lead: Lead) -> dict[str, Any]:
    """What giving a verdict changes on the lead besides its stage, as it was: kept in the
    verdict's undo snapshot (the lifecycle adds the stage, its timestamps and the claim)."""
    state: dict[str, Any] = {
        "lead_type": lead.lead_type.value if lead.lead_type is not None else None,
        "existing_account": lead.existing_account,
        # A lead sales sent back is in its first hand-off's batch until it is handed off again.
        "handoff_batch_id": lead.handoff_batch_id,
    }
    for name in _NUMBERS:
        state[name] = getattr(lead, name)
    return state


@dataclass(frozen=True)
class UndoneVerdict:
    verdict_id: int
    lead_id: int
    verdict: Verdict
    stage: Stage
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "verdict_id": self.verdict_id,
            "lead_id": self.lead_id,
            "verdict": self.verdict.value,
            "stage": self.stage.value,
            "message": self.message,
        }


def undo_verdict(session: Session, verdict_id: int, *, user_id: int, at: datetime) -> UndoneVerdict:
    """Take back verdict ``verdict_id``, given by ``user_id`` within UNDO_WITHIN."""
    record = session.get(VerdictRecord, verdict_id)
    if record is None:
        raise InputError(f"No verdict {verdict_id}.")
    said = record.verdict.label
    check_own_and_recent(
        record=f"Verdict {verdict_id}",
        done=f"the {said} verdict was given",
        by=record.decided_by_id,
        when=record.decided_at,
        user_id=user_id,
        at=at,
        instead="Ask your team lead if it was wrong.",
    )
    lead = session.get(Lead, record.lead_id, with_for_update=True)
    assert lead is not None
    latest = session.scalar(
        select(VerdictRecord.id)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.id.desc())
        .limit(1)
    )
    given = last_event(session, lead.id, GIVEN)
    snapshot = lifecycle.snapshot_of(given)
    given_id = (given.details or {}).get("verdict_id") if given is not None else None
    if latest != record.id or given_id != record.id:
        raise Conflict(f"Lead {lead.id} has a later verdict; this one cannot be undone.")
    if snapshot is None:
        raise Conflict(f"Verdict {verdict_id} was not given at the desk; it cannot be undone here.")
    answered = session.scalar(select(SalesFeedback.id).where(answer_of(lead)))
    if lead.handoff_batch_id is not None or answered is not None:
        raise Conflict(
            f"Lead {lead.id} is already in a hand-off to sales; the verdict can no longer be "
            "undone here."
        )
    if lead.stage is not VERDICT_STAGE[record.verdict] or lead.recycled_at is not None:
        raise Conflict(
            f"Lead {lead.id} changed after the verdict (reassigned, recycled, erased); "
            "it can no longer be undone."
        )
    lifecycle.restore(
        session,
        lead,
        snapshot,
        at=at,
        action=UNDONE,
        actor_id=user_id,
        reason=record.verdict.value,
        details={
            "verdict_id": record.id,
            "verdict": record.verdict.value,
            "decided_at": record.decided_at.isoformat(),
            "overridden": record.overridden,
        },
    )
    before = snapshot.kept
    lead.lead_type = LeadType(before["lead_type"]) if before["lead_type"] else None
    lead.existing_account = bool(before["existing_account"])
    for name in _NUMBERS:
        setattr(lead, name, before[name])
    lead.handoff_batch_id = before.get("handoff_batch_id", lead.handoff_batch_id)
    # Taken back before sales answered: the salesperson's clock stops with it.
    lead.sales_owner_id = lead.sales_clock_at = lead.sales_due_at = lead.sales_flagged_at = None
    hold_again(session, lead, user_id, at)  # the answers as they were, for the right verdict
    session.delete(record)
    flush_or_refuse(session, lead.id, "the verdict")
    return UndoneVerdict(
        verdict_id=record.id,
        lead_id=lead.id,
        verdict=record.verdict,
        stage=lead.stage,
        message=f"Undone: the {said} verdict is withdrawn; give the right one.",
    )

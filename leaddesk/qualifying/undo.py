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

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import VERDICT_STAGE, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError
from leaddesk.leads.undo_rules import (
    before_of,
    check_own_and_recent,
    flush_or_refuse,
    hold_again,
    last_event,
)
from leaddesk.store.models import Lead, SalesFeedback, VerdictRecord

GIVEN = (AuditAction.VERDICT_GIVEN, AuditAction.VERDICT_OVERRIDDEN)
UNDONE = AuditAction.VERDICT_UNDONE
_NUMBERS = ("fit_score", "interest_score", "framework_score", "definition_version_id")


def before_verdict(lead: Lead) -> dict[str, Any]:
    """What giving a verdict changes on the lead, as it was: kept in the verdict's audit event."""
    state: dict[str, Any] = {
        "stage": lead.stage.value,
        "stage_changed_at": lead.stage_changed_at.isoformat(),
        "closed_at": lead.closed_at.isoformat() if lead.closed_at else None,
        "lead_type": lead.lead_type.value if lead.lead_type is not None else None,
        "existing_account": lead.existing_account,
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
    details, before = before_of(last_event(session, lead.id, GIVEN))
    if latest != record.id or details.get("verdict_id") != record.id:
        raise Conflict(f"Lead {lead.id} has a later verdict; this one cannot be undone.")
    if before is None:
        raise Conflict(f"Verdict {verdict_id} was not given at the desk; it cannot be undone here.")
    answered = session.scalar(select(SalesFeedback.id).where(SalesFeedback.lead_id == lead.id))
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
    from_stage = lifecycle.restore(
        lead,
        Stage(before["stage"]),
        stage_changed_at=datetime.fromisoformat(before["stage_changed_at"]),
        closed_at=datetime.fromisoformat(before["closed_at"]) if before["closed_at"] else None,
    )
    lead.lead_type = LeadType(before["lead_type"]) if before["lead_type"] else None
    lead.existing_account = bool(before["existing_account"])
    for name in _NUMBERS:
        setattr(lead, name, before[name])
    hold_again(session, lead, user_id, at)  # the answers as they were, for the right verdict
    session.delete(record)
    audit.record(
        session,
        at=at,
        actor_id=user_id,
        action=UNDONE,
        lead_id=lead.id,
        from_state=from_stage.value,
        to_state=lead.stage.value,
        reason=record.verdict.value,
        details={
            "verdict_id": record.id,
            "verdict": record.verdict.value,
            "decided_at": record.decided_at.isoformat(),
            "overridden": record.overridden,
        },
    )
    flush_or_refuse(session, lead.id, "the verdict")
    return UndoneVerdict(
        verdict_id=record.id,
        lead_id=lead.id,
        verdict=record.verdict,
        stage=lead.stage,
        message=f"Undone: the {said} verdict is withdrawn; give the right one.",
    )

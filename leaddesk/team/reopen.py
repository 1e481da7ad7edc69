"""A team lead reopens a closed lead: disqualified in error, nurtured too soon, pulled back
before its hand-off.

The verdict that closed it is withdrawn: its record goes, so no report counts a verdict the
team no longer stands by, and the audit trail keeps all of it (who gave it, when, why), shown
on the lead's timeline. The lead is open again, due now, with its answers, for the rep it
goes to. Leads sales has (handed off, accepted, rejected) stay with sales; a person who asked
not to be called, or was erased, stays out of every queue; a nurtured lead whose person came
back as a new lead is worked as that new lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.store.models import Answer, Assignment, Lead, Person, User, VerdictRecord
from leaddesk.team.moves import target_user

REOPENED = AuditAction.LEAD_REOPENED
REOPENABLE = frozenset({Stage.QUALIFIED, Stage.NURTURE, Stage.DISQUALIFIED, Stage.EXISTING_ACCOUNT})
MAX_REASON = 500
KEEP = "keep"  # ``to_user``: the rep who had it keeps it


@dataclass(frozen=True)
class Reopened:
    lead_id: int
    person: str
    withdrawn: str  # "disqualify verdict (Rep 2, 12 Nov)"
    stage: Stage
    owner: str | None  # display name; None: the open pool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "person": self.person,
            "withdrawn": self.withdrawn,
            "stage": self.stage.value,
            "owner": self.owner,
            "message": self.message,
        }


def reopen_lead(
    session: Session,
    lead_id: int,
    *,
    actor_id: int,
    at: datetime,
    reason: str,
    to_user: str | None = KEEP,
) -> Reopened:
    """Reopen ``lead_id`` (see the module); ``to_user`` a rep's name, "pool", or KEEP."""
    why = " ".join((reason or "").split())
    if not why:
        raise InputError(
            "say why it is reopened (the rep and the audit trail read it)", field="reason"
        )
    if len(why) > MAX_REASON:
        raise InputError(f"keep the reason under {MAX_REASON} characters", field="reason")
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    if lead.stage in OPEN_STAGES:
        raise Conflict(f"Lead {lead_id} is open already; nothing to reopen.")
    stage_words = lead.stage.label
    if lead.stage not in REOPENABLE or lead.handoff_batch_id is not None:
        raise Conflict(
            f"Lead {lead_id} is with sales ({stage_words}); their answer closes the loop, "
            "not a reopening."
        )
    person = session.get(Person, lead.person_id)
    assert person is not None
    if person.erased_at is not None or person.do_not_call:
        kind = "was erased" if person.erased_at is not None else "is on the do-not-call list"
        raise Conflict(f"The person of lead {lead_id} {kind}; the lead stays closed.")
    if lead.recycled_at is not None:
        later = session.scalar(
            select(Lead.id)
            .where(Lead.person_id == lead.person_id, Lead.id != lead.id)
            .order_by(Lead.arrived_at.desc())
            .limit(1)
        )
        raise Conflict(
            f"Lead {lead_id} came back as lead #{later}; work that one instead."
            if later is not None
            else f"Lead {lead_id} was recycled; it stays closed."
        )
    new_owner: User | None = session.get(User, lead.assigned_to_id) if lead.assigned_to_id else None
    if to_user != KEEP:
        new_owner = target_user(session, to_user)
    verdict = session.scalar(
        select(VerdictRecord)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.id.desc())
        .limit(1)
    )
    names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
    withdrawn = stage_words
    details: dict[str, Any] = {"closed_as": lead.stage.value}
    if verdict is not None:
        by = names.get(verdict.decided_by_id, "?")
        said = verdict.verdict.label
        withdrawn = f"{said} verdict ({by}, {verdict.decided_at:%d %b})"
        details["verdict"] = {
            "id": verdict.id,
            "verdict": verdict.verdict.value,
            "lead_type": verdict.lead_type.value if verdict.lead_type else None,
            "reason": verdict.reason,
            "by": verdict.decided_by_id,
            "at": verdict.decided_at.isoformat(),
            "overridden": verdict.overridden,
        }
        session.delete(verdict)
    answered = session.scalar(select(Answer.id).where(Answer.lead_id == lead.id).limit(1))
    back_to = Stage.IN_QUALIFICATION if answered is not None else Stage.WORKING
    step = lifecycle.Step(lead, action=REOPENED, actor_id=actor_id)
    step.move(back_to, at=at)
    lead.hold_reason = None  # a team lead wants it worked: not interested or not, it is due
    lead.callback_at = None
    lead.next_attempt_at = at
    lead.claimed_by_id = lead.claim_expires_at = None
    owner_id = new_owner.id if new_owner is not None else None
    if owner_id != lead.assigned_to_id:
        session.add(
            Assignment(
                lead_id=lead.id,
                from_user_id=lead.assigned_to_id,
                to_user_id=owner_id,
                by_user_id=actor_id,
                at=at,
                reason=f"reopened: {why}",
            )
        )
        lead.assigned_to_id = owner_id
    details["to"] = owner_id
    step.record(session, at=at, reason=why, details=details)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Lead {lead_id} was changed by someone else just now; it was not reopened."
        ) from None
    owner = new_owner.display_name if new_owner is not None else None
    where = f"in {owner}'s queue" if owner else "in the open pool"
    was = f"the {withdrawn} is withdrawn" if verdict else f"it was {stage_words}"
    return Reopened(
        lead_id=lead.id,
        person=person.full_name or person.email or f"Lead {lead.id}",
        withdrawn=withdrawn,
        stage=lead.stage,
        owner=owner,
        message=f"Lead {lead.id} reopened, {where} and due now; {was}.",
    )

"""Recycling: a nurtured lead's recycle date passes, and the person is called again.

A nurture verdict takes its recycle date from the lead definition ("fits, but no budget this
year: look again in 180 days"); so does a lead sales rejects for a reason the definition routes
back to nurture ("bad timing"). When that date passes the sweep brings the person back as a
**new lead** (source ``recycled``), linked to the nurtured one, which stays as it was: a lead is
interest at a point in time, and its history is visible beside the new one. The new lead goes to
the rep who nurtured it if they still work a queue, else to the open pool; it has no
speed-to-lead deadline (nobody is waiting on a reply), and it is scored as a fresh lead is;
when the definition adds a marketing-qualified stage and its rule holds for the scored lead,
the lead steps there (new → marketing-qualified, with its own audit event).

Nobody is brought back who is on the do-not-call list or erased, or who has an open lead
already (new interest came in meanwhile: that lead is the one to call). Either way the
nurtured lead is marked, so each is looked at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import evaluate
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import OPEN_STAGES, Role, Stage
from leaddesk.qualifying.facts import lead_facts
from leaddesk.store.models import Assignment, Lead, Person, SalesFeedback, User, VerdictRecord
from leaddesk.store.sales_answers import answers_its_handoff

SOURCE = "recycled"
# At most this many a sweep: the rest come back at the next one, minutes later.
BATCH = 500


@dataclass(frozen=True)
class Recycled:
    nurtured_lead_id: int
    new_lead_id: int | None  # None: not brought back (see ``skipped``)
    skipped: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "nurtured_lead_id": self.nurtured_lead_id,
            "new_lead_id": self.new_lead_id,
            "skipped": self.skipped,
        }


def recycle_due(
    session: Session, *, actor_id: int | None, at: datetime, limit: int = BATCH
) -> list[Recycled]:
    """Bring back the nurtured leads whose recycle date has passed (oldest date first)."""
    latest = (
        select(func.max(VerdictRecord.id))
        .where(VerdictRecord.lead_id == Lead.id)
        .correlate(Lead)
        .scalar_subquery()
    )
    due = session.execute(
        select(Lead, VerdictRecord)
        .join(VerdictRecord, VerdictRecord.lead_id == Lead.id)
        .where(
            Lead.stage == Stage.NURTURE,
            Lead.recycled_at.is_(None),
            VerdictRecord.id == latest,
            VerdictRecord.recycle_at.is_not(None),
            VerdictRecord.recycle_at <= at,
        )
        .order_by(VerdictRecord.recycle_at, Lead.id)
        .limit(limit)
    ).all()
    # Leads sales sent back to nurture (a reject reason the definition routes there).
    from_sales = session.execute(
        select(Lead, SalesFeedback, VerdictRecord.decided_by_id)
        .join(SalesFeedback, answers_its_handoff())
        .outerjoin(VerdictRecord, VerdictRecord.id == latest)
        .where(
            Lead.stage == Stage.NURTURE,
            Lead.recycled_at.is_(None),
            SalesFeedback.recycle_at.is_not(None),
            SalesFeedback.recycle_at <= at,
        )
        .order_by(SalesFeedback.recycle_at, Lead.id)
        .limit(limit)
    ).all()
    if not due and not from_sales:
        return []
    definition = None
    version_id = definition_versions.current_id(session)
    if version_id is not None:
        definition = definition_versions.definition_for_version(session, version_id)
    results = []
    for lead, verdict in due:
        why = f"Back from nurture: {verdict.reason}" if verdict.reason else "Back from nurture"
        back = Return(why, verdict.decided_by_id, verdict.recycle_at)
        results.append(_bring_back(session, lead, back, definition, actor_id=actor_id, at=at))
    for lead, feedback, qualifier in from_sales[: max(limit - len(due), 0)]:
        said = (feedback.reason or "").replace("_", " ")
        why = f"Back from nurture: sales said {said}" if said else "Back from nurture"
        back = Return(why, qualifier, feedback.recycle_at)
        results.append(_bring_back(session, lead, back, definition, actor_id=actor_id, at=at))
    session.flush()
    return results


@dataclass(frozen=True)
class Return:
    """Why a nurtured lead comes back, to whom, and the date it was due."""

    why: str
    rep_id: int | None  # the rep who nurtured or qualified it
    recycle_at: datetime | None


def _bring_back(
    session: Session,
    lead: Lead,
    back: Return,
    definition: Any,
    *,
    actor_id: int | None,
    at: datetime,
) -> Recycled:
    lead.recycled_at = at
    person: Person = lead.person
    skipped = _why_not(session, person)
    if skipped is not None:
        audit.record(
            session,
            at=at,
            actor_id=actor_id,
            action=AuditAction.RECYCLE_SKIPPED,
            lead_id=lead.id,
            reason=skipped,
            details={"automatic": True},
        )
        return Recycled(lead.id, None, skipped)
    rep = _rep_for(session, back.rep_id)
    why = back.why
    new = Lead(
        person_id=person.id,
        account_id=lead.account_id,
        source=SOURCE,
        campaign=lead.campaign,
        inquiry=why,
        arrived_at=at,
        **lifecycle.started(at),
        existing_account=bool(lead.account is not None and lead.account.is_customer),
        assigned_to_id=rep,
        extra={"recycled_from": lead.id, "first_source": lead.source},
        created_at=at,
    )
    session.add(new)
    session.flush()
    if definition is not None:
        facts = lead_facts(session, new, at)
        scores = evaluate(definition, {}, facts).scores
        new.fit_score, new.interest_score = scores.fit, scores.interest
        if definition.starts_marketing_qualified(facts, fit=scores.fit, interest=scores.interest):
            label = definition.stage_label(Stage.MARKETING_QUALIFIED)
            lifecycle.move(
                session,
                new,
                Stage.MARKETING_QUALIFIED,
                at=at,
                action=AuditAction.MARKETING_QUALIFIED,
                actor_id=actor_id,
                reason=f"Back from nurture and meets the definition's rule for {label}",
                details={"automatic": True, "recycled_from": lead.id},
            )
    if rep is not None:
        session.add(
            Assignment(
                lead_id=new.id,
                from_user_id=None,
                to_user_id=rep,
                by_user_id=actor_id,
                at=at,
                reason="back from nurture to the rep who nurtured it",
            )
        )
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.LEAD_RECYCLED,
        lead_id=lead.id,
        reason=why,
        details={"automatic": True, "new_lead": new.id, "recycle_at": _iso(back.recycle_at)},
    )
    return Recycled(lead.id, new.id)


def _why_not(session: Session, person: Person) -> str | None:
    if person.erased_at is not None:
        return "the person was erased"
    if person.do_not_call:
        return "the person is on the do-not-call list"
    other = aliased(Lead)
    open_lead = session.scalar(
        select(other.id).where(other.person_id == person.id, other.stage.in_(OPEN_STAGES)).limit(1)
    )
    if open_lead is not None:
        return f"the person has an open lead already (lead {open_lead})"
    return None


def _rep_for(session: Session, user_id: int | None) -> int | None:
    """The rep who nurtured it, if they still work a queue; else None (the open pool)."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.role is not Role.QUALIFIER:
        return None
    return user.id


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None

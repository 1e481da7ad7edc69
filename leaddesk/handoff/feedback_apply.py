"""Applying sales' answers (docs/architecture.md §6): each matched to its lead, which must be
handed off (or qualified and routed to the salesperson answering, who may answer it before any
export: it is handed off in a batch of one first, ``at_once``) and not answered already;
accepted leads get their opportunity reference, and the lead moves on, with its audit:
accepted, or where the definition routes the reject reason (back to nurture with a recycle
date, back to the rep who qualified it, out to marketing).

Only a salesperson applies them: the role is checked here, below the desk, as well as at the
desk. The same answer again changes nothing; a different one is a conflict, not applied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.definition.labels import Labels, current_labels
from leaddesk.definition.reject_reasons import (
    DEFAULT_RECYCLE_DAYS,
    RejectReason,
    RejectRoute,
    reason_for,
)
from leaddesk.domain import SalesDecision, Stage, Verdict
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.handoff.access import Acting, acting_user
from leaddesk.handoff.at_once import hand_off_to_answer
from leaddesk.handoff.crm_ids import match_by_crm_id
from leaddesk.handoff.feedback import Decision, FeedbackReport, Problem
from leaddesk.handoff.feedback_file import read_feedback
from leaddesk.people.permissions import Action, require
from leaddesk.store import Store
from leaddesk.store.models import Lead, OpportunityRef, SalesFeedback, User, VerdictRecord
from leaddesk.store.sales_answers import answer_of


def sales_user(session: Session, actor_id: int | None) -> Acting:
    """Only someone who carries a bag records feedback and the opportunities behind it."""
    acting = acting_user(session, actor_id, Action.RECORD_SALES_FEEDBACK)
    require(acting.role, Action.RECORD_OPPORTUNITY, acting.name)
    return acting


def import_feedback(
    session: Session,
    *,
    actor_id: int | None,
    decisions: Sequence[Decision],
    problems: Sequence[Problem] = (),
    file: str = "",
    digest: str = "",
    rows: int = 0,
    at: datetime,
    crm: str = "CRM",
) -> FeedbackReport:
    """Apply a file's decisions in one transaction; returns what was done and what was not.
    An answer keyed by the CRM's id (``Decision.crm_id``) is matched to its lead first."""
    acting = sales_user(session, actor_id)
    decisions, unmatched = match_by_crm_id(session, decisions, crm=crm)
    report = FeedbackReport(file=file, sha256=digest, rows=rows, problems=[*problems, *unmatched])
    labels = current_labels(session)
    by_lead: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        unknown = _unknown_reason(labels, decision)
        if unknown is not None:  # a row of its own, like a bad date: not one of the lead's
            report.problems.append(unknown)
            continue
        by_lead[decision.lead_id].append(decision)
    for lead_id in sorted(by_lead):
        group = by_lead[lead_id]
        if any(not group[0].same_as(other) for other in group[1:]):
            rows_text = ", ".join(str(d.row) for d in group)
            report.problems.append(
                Problem(
                    group[0].row,
                    "decision",
                    f"lead {lead_id} has different decisions in rows {rows_text}; none applied",
                    lead_id,
                    "conflict",
                )
            )
            continue
        outcome = _apply(session, acting, group[0], labels, at=at, digest=digest)
        if isinstance(outcome, Problem):
            report.problems.append(outcome)
        elif outcome == "unchanged":
            report.unchanged.append(lead_id)
        elif group[0].decision is SalesDecision.ACCEPTED:
            report.accepted.append(lead_id)
        else:
            report.rejected.append(lead_id)
    report.problems.sort(key=lambda p: (p.row or 0, p.field))
    if report.applied:
        audit.record(
            session,
            at=at,
            actor_id=acting.id,
            action=AuditAction.SALES_FEEDBACK_IMPORTED,
            subject=Path(file).name[:128] if file else None,
            details={
                "sha256": digest,
                "accepted": len(report.accepted),
                "rejected": len(report.rejected),
                "unchanged": len(report.unchanged),
                "not_applied": len(report.problems),
            },
        )
    return report


def record_decision(
    session: Session, *, actor_id: int | None, decision: Decision, at: datetime
) -> bool:
    """One lead's answer from sales (the window's path). True if it changed anything."""
    acting = sales_user(session, actor_id)
    outcome = _apply(session, acting, decision, current_labels(session), at=at, digest=None)
    if isinstance(outcome, Problem):
        said = outcome.message[0].upper() + outcome.message[1:]
        if outcome.kind == "conflict":
            raise Conflict(said)
        if outcome.kind == "not_permitted":
            raise NotPermitted(said)
        raise InputError(said, field=outcome.field)
    return outcome == "applied"


# Where each route sends a rejected lead; an acceptance goes to accepted.
ROUTE_STAGE = {
    RejectRoute.NURTURE: Stage.NURTURE,
    RejectRoute.REP: Stage.WORKING,
    RejectRoute.MARKETING: Stage.REJECTED,
}


def _apply(
    session: Session,
    acting: Acting,
    decision: Decision,
    labels: Labels,
    *,
    at: datetime,
    digest: str | None,
) -> str | Problem:
    lead = session.get(Lead, decision.lead_id)
    row, lead_id = decision.row, decision.lead_id
    if lead is None:
        return Problem(row, "lead_id", f"no lead {lead_id} in this store", lead_id, "unknown_lead")
    existing = session.scalar(select(SalesFeedback).where(answer_of(lead)))
    if existing is None and digest and _answered_from(session, lead_id, digest):
        # The same file again, after the lead came back and went to sales a second time: its
        # row answered the first hand-off, not this one.
        return "unchanged"
    if existing is not None:
        recorded = _recorded(session, existing)
        if recorded.same_as(decision):
            return "unchanged"
        what = existing.decision.value
        if recorded.opportunity_id and existing.decision is decision.decision:
            what += f" with opportunity {recorded.opportunity_id}"
        return Problem(
            row,
            "decision",
            f"lead {lead_id} was already {what} on {existing.recorded_at.date().isoformat()}; "
            "not changed",
            lead_id,
            "conflict",
        )
    routed_here = _routed_before_export(session, lead)
    if routed_here and lead.sales_owner_id != acting.id:
        owner = session.get(User, lead.sales_owner_id)
        return Problem(
            row,
            "lead_id",
            f"lead {lead_id} is routed to {owner.name if owner else 'another salesperson'}; "
            "only they answer it before it is exported",
            lead_id,
            "not_permitted",
        )
    if not routed_here and (lead.stage is not Stage.HANDED_OFF or lead.handoff_batch_id is None):
        return Problem(
            row,
            "lead_id",
            f"lead {lead_id} has not been handed to sales (it is {labels.stage(lead.stage)})",
            lead_id,
            "not_handed_off",
        )
    if decision.on is not None and decision.on > (at + timedelta(days=1)).date():
        return Problem(row, "date", f"{decision.on.isoformat()} is in the future", lead_id)
    unknown = _unknown_reason(labels, decision)
    if unknown is not None:
        return unknown
    reason = _reason(labels, decision.reason)
    recycle_at = None
    if reason is not None and reason.route is RejectRoute.NURTURE:
        recycle_at = at + timedelta(days=reason.recycle_days or DEFAULT_RECYCLE_DAYS)
    if routed_here:
        # Answered before any export: handed off in a batch of one, with the answer.
        hand_off_to_answer(session, lead, actor_id=acting.id, at=at)
    opportunity: OpportunityRef | None = None
    if decision.decision is SalesDecision.ACCEPTED:
        assert decision.opportunity_id is not None
        opportunity = OpportunityRef(
            lead_id=lead_id,
            external_id=decision.opportunity_id,
            owner=decision.owner or acting.name,
            created_on=decision.on or at.date(),
            amount_cents=decision.amount_cents,
            recorded_by_id=acting.id,
            recorded_at=at,
        )
        session.add(opportunity)
        session.flush()
    session.add(
        SalesFeedback(
            lead_id=lead_id,
            batch_id=lead.handoff_batch_id,
            decision=decision.decision,
            reason=reason.key if reason else None,
            detail=decision.comment,
            opportunity_id=opportunity.id if opportunity else None,
            recorded_by_id=acting.id,
            recorded_at=at,
            source_digest=digest,
            route=reason.route.value if reason else None,
            recycle_at=recycle_at,
        )
    )
    lifecycle.move(
        session,
        lead,
        ROUTE_STAGE[reason.route] if reason else Stage.ACCEPTED,
        at=at,
        action=AuditAction.SALES_FEEDBACK,
        actor_id=acting.id,
        reason=reason.key if reason else None,
        details={
            "opportunity_id": decision.opportunity_id,
            "owner": opportunity.owner if opportunity else None,
            "comment": decision.comment,
            "file_sha256": digest,
            "route": reason.route.value if reason else None,
            "recycle_at": recycle_at.isoformat() if recycle_at else None,
        },
    )
    session.flush()
    return "applied"


def _routed_before_export(session: Session, lead: Lead) -> bool:
    """Qualified, routed to a salesperson at its hand-off verdict, and in no batch yet."""
    if lead.stage is not Stage.QUALIFIED or lead.handoff_batch_id is not None:
        return False
    if lead.sales_owner_id is None:
        return False
    latest = session.scalar(
        select(VerdictRecord.verdict)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())
        .limit(1)
    )
    return latest is Verdict.HAND_OFF


def _answered_from(session: Session, lead_id: int, digest: str) -> bool:
    found = select(SalesFeedback.id).where(
        SalesFeedback.lead_id == lead_id, SalesFeedback.source_digest == digest
    )
    return session.scalar(found.limit(1)) is not None


def _recorded(session: Session, feedback: SalesFeedback) -> Decision:
    external = None
    if feedback.opportunity_id is not None:
        ref = session.get(OpportunityRef, feedback.opportunity_id)
        external = ref.external_id if ref else None
    return Decision(feedback.lead_id, feedback.decision, external)


def import_feedback_file(
    store: Store, *, actor_id: int | None, path: Path, at: datetime
) -> FeedbackReport:
    """Read ``path`` and apply it in one transaction (the CLI's and the window's path)."""
    with store.reading() as session:
        sales_user(session, actor_id)  # refuse before reading anything a non-sales user sent
    decisions, problems, digest, rows = read_feedback(path)
    try:
        with store.transaction() as session:
            return import_feedback(
                session,
                actor_id=actor_id,
                decisions=decisions,
                problems=problems,
                file=str(path),
                digest=digest,
                rows=rows,
                at=at,
            )
    except (IntegrityError, StaleDataError) as exc:
        raise Conflict(
            "Someone recorded feedback on the same leads at the same moment; "
            "nothing from this file was applied. Import it again."
        ) from exc


def _reason(labels: Labels, given: str | None) -> RejectReason | None:
    """The definition's reason sales named (by key or label); None if it has no such one."""
    return reason_for(labels.reject_reasons, given) if given else None


def _unknown_reason(labels: Labels, decision: Decision) -> Problem | None:
    """A rejection whose reason the published definition does not list."""
    if decision.decision is not SalesDecision.REJECTED or _reason(labels, decision.reason):
        return None
    keys = ", ".join(known.key for known in labels.reject_reasons)
    return Problem(
        decision.row,
        "reason",
        f"'{decision.reason}' is not one of the definition's reasons: {keys}",
        decision.lead_id,
    )

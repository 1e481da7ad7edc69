"""The huddle pack's two lists besides sales' answers (issue #19 item 4): the hand-offs sales
has not answered, and for how long; and the verdicts reps overrode, suggested beside chosen,
with the rep's reason and what sales said since.

A hand-off waits when the lead's latest verdict handed it to sales, given before the period
ended, and sales has not answered; it has waited from that verdict until the pack is made.
An override counts when the verdict was given in the period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from leaddesk.definition.labels import Labels
from leaddesk.domain import LeadType, SalesDecision, Stage, Verdict
from leaddesk.store.models import (
    Account,
    HandoffBatch,
    Lead,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.store.sales_answers import answers_its_handoff
from leaddesk.team.reports.huddle_answers import UNKNOWN, Line, person_name, version_names
from leaddesk.team.reports.period import Period, Report

NOT_EXPORTED = "not in a batch yet"


def latest_verdict_id() -> Any:
    """The id of a lead's latest verdict (correlated to ``Lead``)."""
    return (
        select(VerdictRecord.id)
        .where(VerdictRecord.lead_id == Lead.id)
        .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())
        .limit(1)
        .correlate(Lead)
        .scalar_subquery()
    )


def waiting_days(since: datetime, at: datetime) -> float:
    return round(max((at - since).total_seconds(), 0.0) / 86400, 1)


def unanswered(session: Session, span: Period, at: datetime) -> Report:
    """Hand-offs sales never answered, the longest waiting first."""
    rep = aliased(User)
    salesperson = aliased(User)
    rows = session.execute(
        select(
            Lead.id,
            Person.first_name,
            Person.last_name,
            Person.email,
            Account.name,
            Lead.source,
            rep.display_name,
            salesperson.display_name,
            VerdictRecord.decided_at,
            HandoffBatch.code,
            Lead.sales_due_at,
        )
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .join(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        .outerjoin(rep, rep.id == VerdictRecord.decided_by_id)
        .outerjoin(salesperson, salesperson.id == Lead.sales_owner_id)
        .outerjoin(HandoffBatch, HandoffBatch.id == Lead.handoff_batch_id)
        .outerjoin(SalesFeedback, answers_its_handoff())
        .where(
            Lead.stage.in_((Stage.QUALIFIED, Stage.HANDED_OFF)),
            VerdictRecord.verdict == Verdict.HAND_OFF,
            VerdictRecord.decided_at < span.end,
            SalesFeedback.id.is_(None),
        )
        .order_by(VerdictRecord.decided_at, Lead.id)
    ).tuples()
    items = tuple(
        Line(
            (
                lead_id,
                person_name(first, last, email, lead_id),
                company or "",
                source,
                rep_name or UNKNOWN,
                sales_name or "",
                handed.isoformat(timespec="minutes"),
                batch or NOT_EXPORTED,
                waiting_days(handed, at),
                due.isoformat(timespec="minutes") if due else "",
                "yes" if due is not None and due < at else "",
            )
        )
        for (
            lead_id,
            first,
            last,
            email,
            company,
            source,
            rep_name,
            sales_name,
            handed,
            batch,
            due,
        ) in rows
    )
    headers = (
        "lead",
        "person",
        "company",
        "source",
        "rep",
        "salesperson",
        "handed off at (UTC)",
        "batch",
        "days waiting",
        "sales due at (UTC)",
        "late",
    )
    return Report("unanswered", "Hand-offs sales never answered", span, headers, items)


def overrides(session: Session, span: Period, labels: Labels) -> Report:
    """Verdicts given in the period against the definition's suggestion, oldest first."""
    rows = session.execute(
        select(
            VerdictRecord.lead_id,
            User.display_name,
            VerdictRecord.definition_version_id,
            VerdictRecord.suggested_verdict,
            VerdictRecord.suggested_lead_type,
            VerdictRecord.verdict,
            VerdictRecord.lead_type,
            VerdictRecord.override_reason,
            VerdictRecord.decided_at,
            SalesFeedback.decision,
            SalesFeedback.reason,
        )
        .outerjoin(User, User.id == VerdictRecord.decided_by_id)
        .outerjoin(Lead, Lead.id == VerdictRecord.lead_id)
        .outerjoin(SalesFeedback, answers_its_handoff())
        .where(
            VerdictRecord.overridden.is_(True),
            VerdictRecord.decided_at >= span.start,
            VerdictRecord.decided_at < span.end,
        )
        .order_by(VerdictRecord.decided_at, VerdictRecord.id)
    ).tuples()
    versions = version_names(session)

    def said(verdict: Verdict | None, lead_type: LeadType | None) -> str:
        if verdict is None:
            return ""
        words = labels.verdict(Verdict(verdict))
        return f"{words} ({labels.lead_type(LeadType(lead_type))})" if lead_type else words

    def sales_said(decision: SalesDecision | None, reason: str | None) -> str:
        if decision is None:
            return ""
        if SalesDecision(decision) is SalesDecision.ACCEPTED:
            return "accepted"
        return f"rejected: {labels.reject_reason(reason) or 'no reason given'}"

    items = tuple(
        Line(
            (
                lead_id,
                rep or UNKNOWN,
                versions.get(version, UNKNOWN) if version is not None else UNKNOWN,
                said(s_verdict, s_type),
                said(verdict, lead_type),
                reason or "",
                decided.isoformat(timespec="minutes"),
                sales_said(decision, sales_reason),
            )
        )
        for (
            lead_id,
            rep,
            version,
            s_verdict,
            s_type,
            verdict,
            lead_type,
            reason,
            decided,
            decision,
            sales_reason,
        ) in rows
    )
    headers = (
        "lead",
        "rep",
        "definition version",
        "suggested",
        "chosen",
        "rep's reason",
        "decided at (UTC)",
        "sales' answer",
    )
    return Report("overrides", "Verdicts reps overrode", span, headers, items)

"""The lead's activity timeline, newest first: its arrival, calls, notes, verdicts, moves,
contact corrections, meetings, every answer sales gave and where the hand-off stands with
sales' CRM. Read with the lead's file (``leaddesk/leads/lead_file.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, defer

from leaddesk.audit.actions import AuditAction
from leaddesk.definition.labels import Labels
from leaddesk.definition.reject_reasons import RejectRoute
from leaddesk.domain import CallOutcome, SalesDecision, Stage, talk_time
from leaddesk.leads.contact_corrections import CHANGED, WORDS
from leaddesk.queue import zones
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import (
    Assignment,
    AuditEvent,
    CallAttempt,
    Lead,
    Note,
    OpportunityRef,
    SalesFeedback,
    SyncOutboxRow,
    User,
    VerdictRecord,
)
from leaddesk.store.sales_answers import answer_of


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # call, note, verdict, assignment, feedback, arrived, meeting
    who: str | None
    text: str


def current_answer(session: Session, lead: Lead, labels: Labels) -> str | None:
    """Sales' answer to the hand-off the lead is in now (a lead handed off again waits for a
    new one; the first stays on the timeline)."""
    feedback = session.scalar(select(SalesFeedback).where(answer_of(lead)))
    return _sales_answer(session, feedback, labels) if feedback is not None else None


def _reopened(event: AuditEvent, names: dict[int, str]) -> str:
    """ "Reopened: the disqualify verdict (Rep 2, 12 Nov: no budget) withdrawn — <why>"."""
    verdict = (event.details or {}).get("verdict")
    text = "Reopened"
    if isinstance(verdict, dict):
        by = names.get(verdict.get("by") or 0, "?")
        at = str(verdict.get("at") or "")[:10]
        said = f": {verdict['reason']}" if verdict.get("reason") else ""
        text += f": the {str(verdict.get('verdict', '')).replace('_', ' ')} verdict ({by}, {at}"
        text += f"{said}) withdrawn"
    return text + (f" — {event.reason}" if event.reason else "")


def _corrected(event: AuditEvent) -> str:
    """ "Contact details corrected: phone +12125550100 → +12125550199" (values blank once the
    person was erased)."""
    changed = (event.details or {}).get("changed") or {}
    parts = []
    for name in sorted(changed, key=lambda name: list(WORDS).index(name) if name in WORDS else 99):
        values = changed[name]
        old, new = [*values, None, None][:2] if isinstance(values, list) else (None, None)
        word = WORDS.get(name, name)
        parts.append(f"{word} {old or '(none)'} → {new or '(none)'}" if old or new else word)
    return "Contact details corrected: " + "; ".join(parts)


# The meeting booked on the call, moved or cancelled (leaddesk/meetings/): each says what.
MEETING_EVENTS = (
    AuditAction.MEETING_BOOKED,
    AuditAction.MEETING_MOVED,
    AuditAction.MEETING_CANCELLED,
)


def timeline_of(
    session: Session, lead: Lead, names: dict[int, str], labels: Labels, free_text: bool
) -> tuple[TimelineEntry, ...]:
    entries = [
        TimelineEntry(
            lead.arrived_at,
            "arrived",
            None,
            f"Arrived from {lead.source.replace('_', ' ')}: {lead.inquiry or 'no message'}",
        )
    ]
    if lead.marketing_qualified_at is not None:
        # The definition's own stage, in its words: "Basic Qualified Lead (met the rule on
        # arrival)".
        entries.append(
            TimelineEntry(
                lead.marketing_qualified_at,
                "stage",
                None,
                f"{labels.stage(Stage.MARKETING_QUALIFIED)}: met the lead definition's rule",
            )
        )
    policy = current_policy(session)
    zone_key = lead.person.zone_key
    calls = select(CallAttempt).where(CallAttempt.lead_id == lead.id)
    verdicts = select(VerdictRecord).where(VerdictRecord.lead_id == lead.id)
    if not free_text:  # never read, so a marketing login's SELECT rights suffice
        calls = calls.options(defer(CallAttempt.note, raiseload=True))
        verdicts = verdicts.options(
            *(
                defer(column, raiseload=True)
                for column in (
                    VerdictRecord.reason,
                    VerdictRecord.override_reason,
                    VerdictRecord.answers,
                )
            )
        )
    for call in session.scalars(calls):
        text = f"Call: {call.outcome.label}"
        if call.outcome is CallOutcome.CONNECTED and call.ended_at is not None:
            text += f", {talk_time(call.duration_seconds)} on the line"
        if call.callback_at:
            their = zones.local_time(zone_key, call.callback_at, policy)
            text += f", callback agreed for {their:%a %d %b %H:%M} their time"
        if free_text and call.note:
            text += f" — {call.note}"
        entries.append(TimelineEntry(call.at, "call", names.get(call.user_id), text))
    notes = select(Note).where(Note.lead_id == lead.id) if free_text else None
    for note in session.scalars(notes) if notes is not None else ():
        if note.text.strip():
            entries.append(
                TimelineEntry(note.updated_at, "note", names.get(note.user_id), note.text)
            )
    for verdict in session.scalars(verdicts):
        text = f"Verdict: {labels.verdict(verdict.verdict)}"
        if free_text and verdict.reason:
            text += f" — {verdict.reason}"
        if free_text and verdict.overridden:
            text += f" (overrode the suggestion: {verdict.override_reason})"
        entries.append(
            TimelineEntry(verdict.decided_at, "verdict", names.get(verdict.decided_by_id), text)
        )
    target = aliased(User)
    for move, to_name in session.execute(
        select(Assignment, target.display_name)
        .outerjoin(target, Assignment.to_user_id == target.id)
        .where(Assignment.lead_id == lead.id)
    ).tuples():
        # A lead's first owner (intake, or a rep calling it from the pool) is not a reassignment.
        verb = "Assigned" if move.from_user_id is None else "Reassigned"
        text = f"{verb} to {to_name or 'the open pool'}"
        if move.reason:
            text += f" — {move.reason}"
        who = names.get(move.by_user_id) if move.by_user_id else None
        entries.append(TimelineEntry(move.at, "assignment", who, text))
    events = select(AuditEvent).where(
        AuditEvent.lead_id == lead.id,
        AuditEvent.action.in_((CHANGED, AuditAction.LEAD_REOPENED, *MEETING_EVENTS)),
    )
    for event in session.scalars(events) if free_text else ():
        who = names.get(event.actor_id or 0)
        if event.action in MEETING_EVENTS:
            entries.append(TimelineEntry(event.at, "meeting", who, event.reason or "Meeting"))
        elif event.action == CHANGED:
            entries.append(TimelineEntry(event.at, "contact", who, _corrected(event)))
        else:
            entries.append(TimelineEntry(event.at, "verdict", who, _reopened(event, names)))
    # Every answer sales gave: a lead they sent back and got again has one per hand-off.
    for feedback in session.scalars(
        select(SalesFeedback).where(SalesFeedback.lead_id == lead.id).order_by(SalesFeedback.id)
    ):
        entries.append(
            TimelineEntry(
                feedback.recorded_at,
                "feedback",
                names.get(feedback.recorded_by_id),
                _sales_answer(session, feedback, labels),
            )
        )
    entries.extend(_sync_entries(session, lead))
    # Newest first; the arrival stays the oldest entry even when the lead reached its rep at
    # the same moment.
    entries.sort(key=lambda e: (e.at, e.kind != "arrived"), reverse=True)
    return tuple(entries)


def _sync_entries(session: Session, lead: Lead) -> list[TimelineEntry]:
    """Where the hand-off stands with sales' CRM (leaddesk/sync/): sent, held, or waiting."""
    row = session.scalar(select(SyncOutboxRow).where(SyncOutboxRow.lead_id == lead.id))
    if row is None:
        return []
    crm = {"salesforce": "Salesforce", "hubspot": "HubSpot", "files": "a hand-off batch"}.get(
        row.connector or "", ""
    )
    if row.status == "sent" and row.sent_at is not None:
        kinds = {"salesforce": "Lead ", "hubspot": "record "}
        what = f"{kinds.get(row.connector or '', '')}{row.crm_id}"
        return [TimelineEntry(row.sent_at, "sync", None, f"Synced to {crm} ({what})")]
    if row.status == "held":
        return [TimelineEntry(row.queued_at, "sync", None, f"Not synced to {crm}: {row.error}")]
    why = f": {row.error}" if row.error else ""
    if row.crm_id is not None and row.sent_at is not None:
        # In the CRM already, queued again because its meeting changed: both are said.
        kinds = {"salesforce": "Lead ", "hubspot": "record "}
        what = f"{kinds.get(row.connector or '', '')}{row.crm_id}"
        return [
            TimelineEntry(row.sent_at, "sync", None, f"Synced to {crm} ({what})"),
            TimelineEntry(row.queued_at, "sync", None, f"Meeting change waiting to sync{why}"),
        ]
    return [TimelineEntry(row.queued_at, "sync", None, f"Waiting to sync to sales' CRM{why}")]


def _sales_answer(session: Session, feedback: SalesFeedback, labels: Labels) -> str:
    """Sales' answer as the rep reads it: "Sales rejected: Bad timing (back to nurture, comes
    back 05 Mar 2027) — call again after their budget round"."""
    if feedback.decision is SalesDecision.ACCEPTED:
        ref = session.get(OpportunityRef, feedback.opportunity_id or 0)
        text = "Sales accepted" + (f": opportunity {ref.external_id}" if ref else "")
        if ref is not None and ref.owner:
            text += f" (owner {ref.owner})"
    else:
        text = f"Sales rejected: {labels.reject_reason(feedback.reason) or 'no reason given'}"
        went = [RejectRoute(feedback.route).said] if feedback.route else []
        if feedback.recycle_at is not None:
            went.append(f"comes back {feedback.recycle_at:%d %b %Y}")
        if went:
            text += f" ({', '.join(went)})"
    return text + (f" — {feedback.detail}" if feedback.detail else "")

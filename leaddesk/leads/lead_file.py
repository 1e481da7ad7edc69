"""Everything a rep sees about one lead: who, which company, this interest, what came before,
and the activity timeline. One read, shaped for the lead pane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, defer

from leaddesk.audit.actions import AuditAction
from leaddesk.definition.labels import Labels, current_labels
from leaddesk.definition.reject_reasons import RejectRoute
from leaddesk.domain import OPEN_STAGES, CallOutcome, SalesDecision, Stage, talk_time
from leaddesk.errors import InputError
from leaddesk.leads.contact_corrections import CHANGED, WORDS
from leaddesk.leads.from_the_file import country_assumed, from_the_file
from leaddesk.queue import zones
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import (
    Account,
    Assignment,
    AuditEvent,
    CallAttempt,
    Lead,
    Note,
    OpportunityRef,
    Person,
    SalesFeedback,
    SyncOutboxRow,
    User,
    VerdictRecord,
)


@dataclass(frozen=True)
class EarlierLead:
    lead_id: int
    arrived_at: datetime
    source: str
    inquiry: str | None
    stage: Stage
    outcome: str  # "nurture: no budget before next year"


@dataclass(frozen=True)
class Colleague:
    """Someone else at the same company, with their latest lead: who at Acme the team already
    talked to, and how that ended."""

    person_id: int
    name: str
    title: str | None
    lead_id: int
    arrived_at: datetime
    stage: Stage
    outcome: str  # as for an earlier lead: "handed off", "nurture: no budget"
    owner: str | None  # who works (or worked) the lead; None: the open pool
    stage_label: str = ""  # the stage in the published definition's words

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # call, note, verdict, assignment, feedback, arrived
    who: str | None
    text: str


@dataclass(frozen=True)
class LeadFile:
    lead_id: int
    version: int
    person_id: int
    first_name: str
    last_name: str
    title: str | None
    email: str | None
    phone: str | None
    phone_raw: str | None
    country: str | None
    city: str | None
    timezone: str | None
    do_not_call: bool
    company: str | None
    industry: str | None
    employees: int | None
    existing_customer: bool
    account_owner: str | None
    source: str
    campaign: str | None
    inquiry: str | None
    arrived_at: datetime
    stage: Stage
    assigned_to: str | None
    fit_score: int
    interest_score: int
    attempts: int
    sla_due_at: datetime | None
    callback_at: datetime | None
    earlier: tuple[EarlierLead, ...]
    timeline: tuple[TimelineEntry, ...]
    # Others at the same company, latest lead first (at most COLLEAGUES of them).
    colleagues: tuple[Colleague, ...] = ()
    # A number the import could not read, kept as the file had it, while none is on file.
    phone_as_typed: str | None = None
    # The person's other numbers, kept in the lead's extra details (E.164).
    mobile: str | None = None
    direct_line: str | None = None
    # Everything the import kept beyond the lead's fields, as (what, value): the card's "From
    # the file" section. The country, when only assumed from the policy's region.
    from_the_file: tuple[tuple[str, str], ...] = ()
    country_assumed: str | None = None

    @property
    def also_worked_by(self) -> tuple[Colleague, ...]:
        """Open leads at the same company that another rep works. Without the policy's
        one_rep_per_company a new lead there may go to someone else: both reps see the other
        on the card, so they agree who calls instead of two calling the same customer."""
        return tuple(
            other
            for other in self.colleagues
            if other.is_open and other.owner is not None and other.owner != self.assigned_to
        )

    # The stage in the published definition's words ("Sales-qualified (SQL)").
    stage_label: str = ""
    # Sales' answer, for the card: "Rejected: Bad timing (back to nurture) — call in Q3".
    sales_answer: str | None = None
    # The salesperson who passed the lead on (a sales referral), as the team knows them.
    referred_by: str | None = None

    @property
    def numbers(self) -> tuple[tuple[str, str], ...]:
        """(what it is, number) for each number on file, the phone first; a number given twice
        is listed once."""
        found: list[tuple[str, str]] = []
        for words, number in (
            ("phone", self.phone),
            ("mobile", self.mobile),
            ("direct line", self.direct_line),
        ):
            if number and all(number != seen for _, seen in found):
                found.append((words, number))
        return tuple(found)

    @property
    def person(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email or f"Lead {self.lead_id}"


def _outcome(
    labels: Labels, stage: Stage, verdict_reason: str | None, feedback: SalesFeedback | None
) -> str:
    label = labels.stage(stage)
    if feedback is not None and feedback.reason:
        return f"{label}: {labels.reject_reason(feedback.reason)}"
    if verdict_reason:
        return f"{label}: {verdict_reason}"
    return label


def read_lead_file(session: Session, lead_id: int, *, free_text: bool = True) -> LeadFile:
    """The lead's file. ``free_text`` False (marketing): without the reps' own words — call
    notes, notes, verdict reasons, the audit trail's details — and without reading the
    columns that hold them, which a marketing login may not SELECT (leaddesk.store.rights)."""
    row = session.execute(
        select(Lead, Person, Account)
        .join(Person, Lead.person_id == Person.id)
        .outerjoin(Account, Lead.account_id == Account.id)
        .where(Lead.id == lead_id)
    ).first()
    if row is None:
        raise InputError(f"No lead with id {lead_id}.")
    lead, person, account = row
    # People as the team knows them: display names, not logins.
    names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
    labels = current_labels(session)
    earlier = _earlier_leads(session, lead, labels, free_text)
    timeline = _timeline(session, lead, names, labels, free_text)
    return LeadFile(
        lead_id=lead.id,
        version=lead.version,
        person_id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        title=person.title,
        email=person.email,
        phone=person.phone,
        phone_raw=person.phone_raw,
        country=person.country,
        city=person.city,
        timezone=person.timezone,
        do_not_call=person.do_not_call,
        company=account.name if account else None,
        industry=account.industry if account else None,
        employees=account.employees if account else None,
        existing_customer=bool(account and account.is_customer),
        account_owner=account.owner_name if account else None,
        source=lead.source,
        campaign=lead.campaign,
        inquiry=lead.inquiry,
        arrived_at=lead.arrived_at,
        stage=lead.stage,
        assigned_to=names.get(lead.assigned_to_id) if lead.assigned_to_id else None,
        fit_score=lead.fit_score,
        interest_score=lead.interest_score,
        attempts=lead.attempts,
        sla_due_at=lead.sla_due_at,
        callback_at=lead.callback_at,
        earlier=earlier,
        timeline=timeline,
        colleagues=_colleagues(session, lead, names, labels, free_text),
        phone_as_typed=None if person.phone else _as_typed(lead),
        mobile=_extra_number(lead, "mobile"),
        direct_line=_extra_number(lead, "direct_line"),
        from_the_file=from_the_file(lead.extra),
        country_assumed=country_assumed(lead.extra),
        stage_label=labels.stage(lead.stage),
        sales_answer=next((e.text for e in timeline if e.kind == "feedback"), None),
        referred_by=names.get(lead.referred_by_id) if lead.referred_by_id else None,
    )


def _extra_number(lead: Lead, key: str) -> str | None:
    number = (lead.extra or {}).get(key)
    return number if isinstance(number, str) and number.startswith("+") else None


def _as_typed(lead: Lead) -> str | None:
    typed = (lead.extra or {}).get("phone_as_typed")
    return typed if isinstance(typed, str) and typed.strip() else None


def _endings(
    session: Session, ids: list[int], free_text: bool
) -> tuple[dict[int, str | None], dict[int, SalesFeedback]]:
    """The last verdict's reason (as the rep wrote it; none without ``free_text``) and sales'
    answer of each of these leads: how each ended."""
    verdicts: dict[int, str | None] = {}
    if free_text:
        verdicts = dict(
            session.execute(
                select(VerdictRecord.lead_id, VerdictRecord.reason)
                .where(VerdictRecord.lead_id.in_(ids))
                .order_by(VerdictRecord.id)
            )
            .tuples()
            .all()
        )
    feedback = {
        f.lead_id: f
        for f in session.scalars(select(SalesFeedback).where(SalesFeedback.lead_id.in_(ids)))
    }
    return verdicts, feedback


def _earlier_leads(
    session: Session, lead: Lead, labels: Labels, free_text: bool
) -> tuple[EarlierLead, ...]:
    others = session.scalars(
        select(Lead)
        .where(Lead.person_id == lead.person_id, Lead.id != lead.id)
        .order_by(Lead.arrived_at.desc())
        .limit(20)
    ).all()
    if not others:
        return ()
    ids = [o.id for o in others]
    verdicts, feedback = _endings(session, ids, free_text)
    return tuple(
        EarlierLead(
            lead_id=o.id,
            arrived_at=o.arrived_at,
            source=o.source,
            inquiry=o.inquiry,
            stage=o.stage,
            outcome=_outcome(labels, o.stage, verdicts.get(o.id), feedback.get(o.id)),
        )
        for o in others
    )


COLLEAGUES = 20


def _colleagues(
    session: Session, lead: Lead, names: dict[int, str], labels: Labels, free_text: bool
) -> tuple[Colleague, ...]:
    if lead.account_id is None:
        return ()
    latest = func.max(Lead.arrived_at).label("latest")
    people = session.execute(
        select(Lead.person_id, latest)
        .join(Person, Person.id == Lead.person_id)
        .where(
            Lead.account_id == lead.account_id,
            Lead.person_id != lead.person_id,
            Person.erased_at.is_(None),
        )
        .group_by(Lead.person_id)
        .order_by(latest.desc(), Lead.person_id)
        .limit(COLLEAGUES)
    ).all()
    if not people:
        return ()
    order = [person_id for person_id, _latest in people]
    newest: dict[int, Lead] = {}
    for candidate in session.scalars(
        select(Lead)
        .where(Lead.person_id.in_(order), Lead.account_id == lead.account_id)
        .order_by(Lead.arrived_at.desc(), Lead.id.desc())
    ):
        newest.setdefault(candidate.person_id, candidate)
    ids = [newest_lead.id for newest_lead in newest.values()]
    verdicts, feedback = _endings(session, ids, free_text)
    persons = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(order)))}
    found = []
    for person_id in order:
        other, person = newest.get(person_id), persons.get(person_id)
        if other is None or person is None:
            continue
        found.append(
            Colleague(
                person_id=person_id,
                name=person.full_name or person.email or f"Lead {other.id}",
                title=person.title,
                lead_id=other.id,
                arrived_at=other.arrived_at,
                stage=other.stage,
                outcome=_outcome(
                    labels, other.stage, verdicts.get(other.id), feedback.get(other.id)
                ),
                owner=names.get(other.assigned_to_id) if other.assigned_to_id else None,
                stage_label=labels.stage(other.stage),
            )
        )
    return tuple(found)


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


def _timeline(
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
        AuditEvent.action.in_((CHANGED, AuditAction.LEAD_REOPENED)),
    )
    for event in session.scalars(events) if free_text else ():
        who = names.get(event.actor_id or 0)
        if event.action == CHANGED:
            entries.append(TimelineEntry(event.at, "contact", who, _corrected(event)))
        else:
            entries.append(TimelineEntry(event.at, "verdict", who, _reopened(event, names)))
    feedback = session.scalar(select(SalesFeedback).where(SalesFeedback.lead_id == lead.id))
    if feedback is not None:
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
    crm = {"salesforce": "Salesforce", "files": "a hand-off batch"}.get(row.connector or "", "")
    if row.status == "sent" and row.sent_at is not None:
        what = f"Lead {row.crm_id}" if row.connector == "salesforce" else row.crm_id
        return [TimelineEntry(row.sent_at, "sync", None, f"Synced to {crm} ({what})")]
    if row.status == "held":
        return [TimelineEntry(row.queued_at, "sync", None, f"Not synced to {crm}: {row.error}")]
    why = f": {row.error}" if row.error else ""
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

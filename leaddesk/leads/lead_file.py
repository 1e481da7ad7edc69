"""Everything a rep sees about one lead: who, which company, this interest, what came before,
and the activity timeline. One read, shaped for the lead pane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.definition.labels import Labels, current_labels
from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.errors import InputError
from leaddesk.leads.from_the_file import country_assumed, from_the_file
from leaddesk.leads.timeline import TimelineEntry as TimelineEntry
from leaddesk.leads.timeline import current_answer, timeline_of
from leaddesk.store.models import (
    Account,
    Lead,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.store.sales_answers import answers_its_handoff


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
    timeline = timeline_of(session, lead, names, labels, free_text)
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
        sales_answer=current_answer(session, lead, labels),
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
        for f in session.scalars(
            select(SalesFeedback)
            .join(Lead, answers_its_handoff())
            .where(SalesFeedback.lead_id.in_(ids))
        )
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

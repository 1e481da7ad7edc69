"""One handed-off lead as sales receives it, read from the store as of the batch's time.

Everything comes from the database and the batch row (never from the clock), in lead-id
order, so writing a batch again gives the same bytes: rows dated after the batch (later
calls, notes, answers) are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.definition import Definition, Question, QuestionType, parse_definition
from leaddesk.definition.policy import Policy
from leaddesk.definition.temperature import Temperature
from leaddesk.domain import LeadType, Stage, Verdict
from leaddesk.meetings.booking import MeetingInfo
from leaddesk.meetings.diary import meetings_of
from leaddesk.store.models import (
    Account,
    Answer,
    CallAttempt,
    DefinitionVersion,
    HandoffBatch,
    Lead,
    Note,
    Person,
    User,
    VerdictRecord,
)

CHUNK = 500


@dataclass(frozen=True)
class AxisAnswer:
    label: str  # "Budget"
    text: str  # "Yes, approved (USD 50000)"


@dataclass(frozen=True)
class HandoffRecord:
    lead_id: int
    first_name: str
    last_name: str
    title: str | None
    email: str | None
    phone: str | None
    country: str | None
    city: str | None
    timezone: str | None
    company: str | None
    domain: str | None
    industry: str | None
    employees: int | None
    existing_customer: bool
    source: str
    campaign: str | None
    inquiry: str | None
    arrived_at: datetime
    qualified_by: str
    qualified_by_name: str
    qualified_at: datetime
    definition_version: int | None
    lead_type: LeadType | None
    verdict_reason: str | None
    overridden: bool
    override_reason: str | None
    fired_rules: tuple[str, ...]
    fit_score: int
    interest_score: int
    framework_score: int | None
    answers: dict[str, Any]
    answer_labels: tuple[tuple[str, str, str], ...]  # (question id, question, answer text)
    axes: tuple[AxisAnswer, ...]
    notes: tuple[dict[str, Any], ...]
    calls: tuple[dict[str, Any], ...]
    summary: str = field(default="")
    # The stage the hand-off gives the lead and its lead type, in the words of the definition
    # the verdict was made under ("Sales-qualified (SQL)", "Sales-worthy").
    stage_label: str = ""
    lead_type_label: str | None = None
    # Hot / warm / cold by the temperature levels of that definition (its policy's words).
    rating: str = ""
    # The meeting the rep booked with the salesperson on the call, if one is on.
    meeting: MeetingInfo | None = None


@cache
def _parsed(text: str, source: str) -> Definition:
    return parse_definition(text, source)


def definition_for(session: Session, version_id: int | None) -> Definition | None:
    """The published definition a verdict was made under (parsed once per process)."""
    row = (
        session.get(DefinitionVersion, version_id)
        if version_id is not None
        else session.scalar(select(DefinitionVersion).order_by(DefinitionVersion.version.desc()))
    )
    if row is None:
        return None
    return _parsed(row.source_text, f"definition version {row.version}")


def current_policy(session: Session) -> Policy:
    definition = definition_for(session, None)
    return definition.policy if definition is not None else Policy()


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def batch_lead_ids(session: Session, batch_id: int) -> list[int]:
    return list(
        session.scalars(select(Lead.id).where(Lead.handoff_batch_id == batch_id).order_by(Lead.id))
    )


def read_records(
    session: Session, batch: HandoffBatch, *, only: Sequence[int] | None = None
) -> list[HandoffRecord]:
    """Every lead in ``batch`` (or those of ``only`` in it) as sales will see it, lowest lead
    id first."""
    ids = batch_lead_ids(session, batch.id)
    if only is not None:
        wanted = set(only)
        ids = [lead_id for lead_id in ids if lead_id in wanted]
    return records_as_of(session, ids, batch.created_at)


def records_as_of(session: Session, ids: Sequence[int], cutoff: datetime) -> list[HandoffRecord]:
    """The leads ``ids`` as sales will see them, as of ``cutoff`` (a batch's time, or the
    moment a sync sends them to sales' CRM), lowest lead id first."""
    ids = sorted(ids)
    records: list[HandoffRecord] = []
    users = {u.id: u for u in session.scalars(select(User))}
    # Every published definition, parsed once per call (a session.get per lead was a query per
    # lead: the session does not keep rows nobody holds).
    definitions = _definitions(session)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Lead, Person, Account)
            .join(Person, Person.id == Lead.person_id)
            .outerjoin(Account, Account.id == Lead.account_id)
            .where(Lead.id.in_(chunk))
            .order_by(Lead.id)
        ).all()
        verdicts = _latest_hand_off(session, chunk, cutoff)
        calls = _group(
            session.scalars(
                select(CallAttempt)
                .where(CallAttempt.lead_id.in_(chunk), CallAttempt.at <= cutoff)
                .order_by(CallAttempt.at, CallAttempt.id)
            )
        )
        notes = _group(
            session.scalars(
                select(Note)
                .where(Note.lead_id.in_(chunk), Note.created_at <= cutoff)
                .order_by(Note.created_at, Note.id)
            )
        )
        answers = _group(
            session.scalars(
                select(Answer)
                .where(Answer.lead_id.in_(chunk), Answer.answered_at <= cutoff)
                .order_by(Answer.id)
            )
        )
        meetings = meetings_of(session, list(chunk))
        for lead, person, account in rows:
            verdict = verdicts.get(lead.id)
            record = replace(
                _record(
                    lead,
                    person,
                    account,
                    verdict,
                    users,
                    definitions,
                    calls.get(lead.id, []),
                    notes.get(lead.id, []),
                    answers.get(lead.id, []),
                ),
                meeting=meetings.get(lead.id),
            )
            records.append(record)
    return records


def read_record(session: Session, lead_id: int) -> HandoffRecord | None:
    """A handed-off lead as its batch gave it to sales; None if it was never handed off."""
    batch = session.scalar(
        select(HandoffBatch)
        .join(Lead, Lead.handoff_batch_id == HandoffBatch.id)
        .where(Lead.id == lead_id)
    )
    if batch is not None:
        found = read_records(session, batch, only=[lead_id])
        return found[0] if found else None
    # Routed to a salesperson at the verdict: theirs to read before any export collects it.
    lead = session.get(Lead, lead_id)
    if lead is None or lead.sales_owner_id is None or lead.sales_clock_at is None:
        return None
    if lead.stage not in (Stage.QUALIFIED, Stage.EXISTING_ACCOUNT):
        return None
    found = records_as_of(session, [lead_id], lead.sales_clock_at)
    return found[0] if found else None


def _group(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.lead_id].append(row)
    return grouped


def _latest_hand_off(
    session: Session, ids: Sequence[int], cutoff: datetime
) -> dict[int, VerdictRecord]:
    latest: dict[int, VerdictRecord] = {}
    for verdict in session.scalars(
        select(VerdictRecord)
        .where(
            VerdictRecord.lead_id.in_(ids),
            VerdictRecord.verdict == Verdict.HAND_OFF,
            VerdictRecord.decided_at <= cutoff,
        )
        .order_by(VerdictRecord.decided_at, VerdictRecord.id)
    ):
        latest[verdict.lead_id] = verdict
    return latest


def _definitions(session: Session) -> dict[int, tuple[int, Definition]]:
    """Each definition version's id: (its number, the definition)."""
    return {
        row.id: (row.version, _parsed(row.source_text, f"definition version {row.version}"))
        for row in session.execute(
            select(DefinitionVersion.id, DefinitionVersion.version, DefinitionVersion.source_text)
        )
    }


def _record(
    lead: Lead,
    person: Person,
    account: Account | None,
    verdict: VerdictRecord | None,
    users: dict[int, User],
    definitions: dict[int, tuple[int, Definition]],
    calls: list[CallAttempt],
    notes: list[Note],
    answer_rows: list[Answer],
) -> HandoffRecord:
    version_id = verdict.definition_version_id if verdict else lead.definition_version_id
    version, definition = (
        definitions.get(version_id, (None, None)) if version_id is not None else (None, None)
    )
    if verdict is not None and verdict.answers:
        answers = dict(verdict.answers)
    else:
        answers = {row.question_id: row.value for row in answer_rows}
    qualifier_id = verdict.decided_by_id if verdict else lead.assigned_to_id
    qualifier = users.get(qualifier_id) if qualifier_id is not None else None
    labelled = _labelled(definition, answers)
    record = HandoffRecord(
        lead_id=lead.id,
        first_name=person.first_name or "",
        last_name=person.last_name or "",
        title=person.title,
        email=person.email,
        phone=person.phone or person.phone_raw,
        country=person.country or (account.country if account else None),
        city=person.city,
        timezone=person.timezone,
        company=account.name if account else None,
        domain=account.domain if account else None,
        industry=account.industry if account else None,
        employees=account.employees if account else None,
        existing_customer=bool(account.is_customer) if account else False,
        source=lead.source,
        campaign=lead.campaign,
        inquiry=lead.inquiry,
        arrived_at=lead.arrived_at,
        qualified_by=qualifier.name if qualifier else "",
        qualified_by_name=qualifier.display_name if qualifier else "",
        qualified_at=verdict.decided_at if verdict else lead.stage_changed_at,
        definition_version=version,
        lead_type=verdict.lead_type if verdict else lead.lead_type,
        verdict_reason=verdict.reason if verdict else None,
        overridden=bool(verdict.overridden) if verdict else False,
        override_reason=verdict.override_reason if verdict else None,
        fired_rules=tuple(verdict.fired_rules or ()) if verdict else (),
        fit_score=_pick(verdict.fit_score if verdict else None, lead.fit_score),
        interest_score=_pick(verdict.interest_score if verdict else None, lead.interest_score),
        framework_score=(verdict.framework_score if verdict else None) or lead.framework_score,
        answers=answers,
        answer_labels=labelled,
        axes=_axes(definition, answers),
        notes=tuple(
            {
                "at": note.created_at.isoformat(),
                "by": users[note.user_id].name if note.user_id in users else "",
                "text": note.text,
            }
            for note in notes
            if note.text.strip()
        ),
        calls=tuple(
            {
                "at": call.at.isoformat(),
                "by": users[call.user_id].name if call.user_id in users else "",
                "outcome": call.outcome.value,
                "duration_seconds": call.duration_seconds,
                "note": call.note,
            }
            for call in calls
        ),
    )
    return _with_summary(record, definition)


def _pick(first: int | None, fallback: int) -> int:
    return first if first is not None else fallback


def answer_text(question: Question, value: Any, currency: str) -> str:
    """An answer as a person reads it: option labels, Yes/No, amounts with their currency."""
    if value is None or value == "" or value == []:
        return ""
    labels = {option.value: option.label for option in question.options}
    if question.type is QuestionType.SINGLE_CHOICE:
        return labels.get(str(value), str(value))
    if question.type is QuestionType.MULTIPLE_CHOICE:
        picked = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in picked)
    if question.type is QuestionType.YES_NO:
        return "Yes" if value is True or str(value).lower() in ("true", "yes") else "No"
    if question.type is QuestionType.MONEY and isinstance(value, dict):
        return f"{value.get('currency', currency)} {value.get('amount', '')}".strip()
    return str(value)


def _labelled(
    definition: Definition | None, answers: dict[str, Any]
) -> tuple[tuple[str, str, str], ...]:
    if definition is None:
        return tuple((key, key, str(answers[key])) for key in sorted(answers))
    known = [
        (q.id, q.text, answer_text(q, answers[q.id], definition.currency))
        for q in definition.questions
        if q.id in answers
    ]
    unknown = [
        (key, key, str(answers[key])) for key in sorted(answers) if definition.question(key) is None
    ]
    return tuple(item for item in known + unknown if item[2])


def _axes(definition: Definition | None, answers: dict[str, Any]) -> tuple[AxisAnswer, ...]:
    if definition is None:
        return ()
    result = []
    for axis in definition.scoring.axes:
        texts = [
            answer_text(q, answers.get(q.id), definition.currency)
            for q in definition.questions
            if q.framework == axis.id
        ]
        result.append(AxisAnswer(axis.label, "; ".join(t for t in texts if t)))
    return tuple(result)


def _with_summary(record: HandoffRecord, definition: Definition | None) -> HandoffRecord:
    """One paragraph a salesperson can read before dialling."""
    kind = (
        definition.lead_type_label(record.lead_type)
        if definition and record.lead_type
        else (record.lead_type.label if record.lead_type else "qualified")
    )
    who = record.qualified_by_name or record.qualified_by or "A qualifier"
    parts = [f"{who} qualified this lead on {record.qualified_at.date().isoformat()} as {kind}"]
    parts[0] += f": {record.verdict_reason}." if record.verdict_reason else "."
    if record.overridden and record.override_reason:
        parts.append(f"Overrode the suggestion because: {record.override_reason}.")
    axes = [f"{axis.label}: {axis.text}" for axis in record.axes if axis.text]
    if axes:
        parts.append("; ".join(axes) + ".")
    parts.append(f"Fit {record.fit_score}/100, interest {record.interest_score}/100.")
    if record.calls:
        last = record.calls[-1]
        connected = sum(1 for call in record.calls if call["outcome"] == "connected")
        parts.append(
            f"{len(record.calls)} call(s), {connected} connected; last on "
            f"{last['at'][:10]} ({last['outcome'].replace('_', ' ')})."
        )
    asked = record.inquiry or "an inquiry"
    parts.append(f"Came in via {record.source.replace('_', ' ')}: {asked}.")
    return replace(
        record,
        summary=" ".join(" ".join(parts).split()),
        stage_label=(
            definition.stage_label(Stage.QUALIFIED) if definition else Stage.QUALIFIED.label
        ),
        lead_type_label=kind if record.lead_type else None,
        rating=(definition.policy.temperature if definition else Temperature()).rating(
            record.fit_score, record.interest_score
        ),
    )

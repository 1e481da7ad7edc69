"""One handed-off lead as sales receives it, read from the store as of the batch's time.

Everything comes from the database and the batch row (never from the clock), in lead-id
order, so writing a batch again gives the same bytes: rows dated after the batch (later
calls, notes, answers) are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.definition import Definition, Question, QuestionType, parse_definition
from leaddesk.definition.policy import Policy
from leaddesk.definition.temperature import Temperature
from leaddesk.domain import LeadType, Stage
from leaddesk.handoff.one_line import is_one_line
from leaddesk.handoff.record_rows import (
    ChunkRows,
    LeadRow,
    VerdictRow,
    read_chunk,
    user_names,
    with_meetings,
)
from leaddesk.meetings.booking import MeetingInfo
from leaddesk.meetings.diary import meetings_of
from leaddesk.meetings.history import latest_of
from leaddesk.store.models import DefinitionVersion, HandoffBatch, Lead

CHUNK = 500


@dataclass(frozen=True)
class AxisAnswer:
    label: str  # "Budget"
    text: str  # "Yes, approved (USD 50000)"


@dataclass(slots=True)
class HandoffRecord:
    """Not frozen: a frozen dataclass of 40 fields took 5 µs a lead to build (issue #24);
    nothing changes a record once read."""

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
    # Marketing vouched for it on arrival: the definition's name for the stage ("Basic
    # Qualified Lead") and when; None for a lead that arrived new.
    marketing_qualified: tuple[str, datetime] | None = None


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


def chunks_of(ids: Sequence[int]) -> list[Sequence[int]]:
    """``ids`` in the chunks each read takes (an IN list of at most CHUNK)."""
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


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
    users = user_names(session)
    # Every published definition parsed and its questions' labels worked out once per call,
    # not once per lead.
    readings = readings_of(session)
    decoded: dict[str, Any] = {}  # each verdict's answers as stored, decoded once per text
    for chunk in chunks_of(ids):
        rows = read_chunk(session, chunk, cutoff, users, decoded)
        booked = with_meetings(session, chunk, cutoff)
        meetings = meetings_of(session, booked, cutoff) if booked else {}
        for lead in rows.leads:
            records.append(
                make_record(lead, rows, users, readings, meetings.get(lead.id)),
            )
    return records


def read_record(session: Session, lead_id: int) -> HandoffRecord | None:
    """A handed-off lead as its batch gave it to sales, with its meeting as it is now (moved
    or cancelled since: the salesperson must not go to the old time); None if it was never
    handed off."""
    found = _as_given(session, lead_id)
    if found is None:
        return None
    return replace(found, meeting=latest_of(session, [lead_id]).get(lead_id))


def _as_given(session: Session, lead_id: int) -> HandoffRecord | None:
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


class Reading:
    """One definition version as records read it: each question's option labels and each
    axis's questions worked out once, not once per lead."""

    def __init__(self, version: int, definition: Definition) -> None:
        self.version = version
        self.definition = definition
        self.questions = [
            (question, {option.value: option.label for option in question.options})
            for question in definition.questions
        ]
        self.axes = [
            (axis.label, [q.id for q in definition.questions if q.framework == axis.id])
            for axis in definition.scoring.axes
        ]
        # Each question's id and text in the definition's order: what ``labelled`` walks.
        self.ordered = [(question.id, question.text) for question, _labels in self.questions]
        self.known = frozenset(question.id for question, _labels in self.questions)
        self._by_id = {question.id: (question, labels) for question, labels in self.questions}
        self.stage_label = definition.stage_label(Stage.QUALIFIED)
        self._seen: dict[tuple[str, type, Any], str] = {}
        self._axis_seen: dict[tuple[str, str], AxisAnswer] = {}
        self._kinds: dict[LeadType, str] = {}
        self._answered: dict[str, _Answered] = {}

    def answered(self, answers: dict[str, Any], stored: str | None) -> _Answered:
        """The answers as read, in order and by axis. ``stored`` is their JSON text as the
        verdict keeps it (None when they were not read from one): leads answered alike, as
        most are where answers are choices, are worked out once."""
        if stored is not None:
            found = self._answered.get(stored)
            if found is not None:
                return found
        texts = self.texts(answers)
        axes = self.axis_answers(texts)
        found = _Answered(self.labelled(answers, texts), axes, _axes_sentence(axes))
        if stored is not None:
            self._answered[stored] = found
        return found

    def kind(self, lead_type: LeadType) -> str:
        """The lead type in the definition's words, looked up once per type."""
        found = self._kinds.get(lead_type)
        if found is None:
            found = self._kinds[lead_type] = self.definition.lead_type_label(lead_type)
        return found

    def texts(self, answers: dict[str, Any]) -> dict[str, str]:
        """Each answered question's answer as a person reads it, by question id. The same
        choice on many leads is read once: texts are kept by question, value and the value's
        type (True and 1 read differently)."""
        texts: dict[str, str] = {}
        seen = self._seen
        for question_id, value in answers.items():
            found = self._by_id.get(question_id)
            if found is None:
                continue
            if value is None or isinstance(value, _PLAIN):
                key = (question_id, type(value), value)
                text = seen.get(key)
                if text is None:
                    text = seen[key] = self._text(found, value)
            else:
                text = self._text(found, value)
            texts[question_id] = text
        return texts

    def _text(self, found: tuple[Question, dict[str, str]], value: Any) -> str:
        return _answer_text(found[0], found[1], value, self.definition.currency)

    def labelled(
        self, answers: dict[str, Any], texts: dict[str, str]
    ) -> tuple[tuple[str, str, str], ...]:
        """Answers in the definition's order of questions, then any it does not know (by
        id); those with no text left out."""
        # ``texts`` holds every known question answered, and only those.
        labelled = [
            (qid, question, text) for qid, question in self.ordered if (text := texts.get(qid))
        ]
        if not self.known.issuperset(answers):
            unknown = ((key, key, str(answers[key])) for key in sorted(answers))
            labelled += [item for item in unknown if item[0] not in self.known and item[2]]
        return tuple(labelled)

    def axis_answers(self, texts: dict[str, str]) -> tuple[AxisAnswer, ...]:
        """Each axis's answers joined; the same axis answer on many leads made once."""
        seen = self._axis_seen
        found: list[AxisAnswer] = []
        for label, qids in self.axes:
            key = (label, "; ".join([text for qid in qids if (text := texts.get(qid))]))
            axis = seen.get(key)
            if axis is None:
                axis = seen[key] = AxisAnswer(*key)
            found.append(axis)
        return tuple(found)


_PLAIN = (str, int, float, bool)


class _Answered(NamedTuple):
    """One set of answers as a record reads them."""

    labelled: tuple[tuple[str, str, str], ...]
    axes: tuple[AxisAnswer, ...]
    axes_sentence: str  # "Budget: …; Need: …." for the summary, "" with no axis answered


def _axes_sentence(axes: tuple[AxisAnswer, ...]) -> str:
    texts = [f"{axis.label}: {axis.text}" for axis in axes if axis.text]
    return "; ".join(texts) + "." if texts else ""


def readings_of(session: Session) -> dict[int, Reading]:
    """Each definition version's id: the version read once."""
    return {
        row.id: Reading(row.version, _parsed(row.source_text, f"definition version {row.version}"))
        for row in session.execute(
            select(DefinitionVersion.id, DefinitionVersion.version, DefinitionVersion.source_text)
        )
    }


def make_record(
    lead: LeadRow,
    rows: ChunkRows,
    users: dict[int, tuple[str, str]],
    readings: dict[int, Reading],
    meeting: MeetingInfo | None,
) -> HandoffRecord:
    """One lead's record from its chunk's rows."""
    verdict = rows.verdicts.get(lead.id)
    version_id = verdict.definition_version_id if verdict else lead.definition_version_id
    reading = readings.get(version_id) if version_id is not None else None
    if verdict is not None and verdict.answers:
        answers = verdict.answers  # decoded for this lead alone
    else:
        answers = rows.answers.get(lead.id, {})
    if reading is not None:
        stored = verdict.answers_json if verdict is not None and verdict.answers else None
        labelled, axes, axes_sentence = reading.answered(answers, stored)
    else:
        labelled = tuple((key, key, str(answers[key])) for key in sorted(answers))
        axes, axes_sentence = (), ""
    qualifier_id = verdict.decided_by_id if verdict else lead.assigned_to_id
    qualifier = users.get(qualifier_id) if qualifier_id is not None else None
    has_account = lead.account_id is not None
    calls = tuple(rows.calls.get(lead.id, ()))
    lead_type = verdict.lead_type if verdict else lead.lead_type
    fit_score = _pick(verdict.fit_score if verdict else None, lead.fit_score)
    interest_score = _pick(verdict.interest_score if verdict else None, lead.interest_score)
    qualified_at = verdict.decided_at if verdict else lead.stage_changed_at
    definition = reading.definition if reading is not None else None
    kind = (
        reading.kind(lead_type)
        if reading is not None and lead_type
        else (lead_type.label if lead_type else "qualified")
    )
    return HandoffRecord(
        lead_id=lead.id,
        first_name=lead.first_name or "",
        last_name=lead.last_name or "",
        title=lead.title,
        email=lead.email,
        phone=lead.phone or lead.phone_raw,
        country=lead.country or (lead.account_country if has_account else None),
        city=lead.city,
        timezone=lead.timezone,
        company=lead.company if has_account else None,
        domain=lead.domain if has_account else None,
        industry=lead.industry if has_account else None,
        employees=lead.employees if has_account else None,
        existing_customer=bool(lead.is_customer) if has_account else False,
        source=lead.source,
        campaign=lead.campaign,
        inquiry=lead.inquiry,
        arrived_at=lead.arrived_at,
        qualified_by=qualifier[0] if qualifier else "",
        qualified_by_name=qualifier[1] if qualifier else "",
        qualified_at=qualified_at,
        definition_version=reading.version if reading is not None else None,
        lead_type=lead_type,
        verdict_reason=verdict.reason if verdict else None,
        overridden=bool(verdict.overridden) if verdict else False,
        override_reason=verdict.override_reason if verdict else None,
        fired_rules=tuple(verdict.fired_rules or ()) if verdict else (),
        fit_score=fit_score,
        interest_score=interest_score,
        framework_score=(verdict.framework_score if verdict else None) or lead.framework_score,
        answers=answers,
        answer_labels=labelled,
        axes=axes,
        notes=tuple(rows.notes.get(lead.id, ())),
        calls=calls,
        summary=_summary(
            who=(qualifier[1] or qualifier[0]) if qualifier else "",
            on=qualified_at,
            kind=kind,
            verdict=verdict,
            axes_sentence=axes_sentence,
            fit_score=fit_score,
            interest_score=interest_score,
            calls=calls,
            source=lead.source,
            inquiry=lead.inquiry,
        ),
        stage_label=reading.stage_label if reading is not None else Stage.QUALIFIED.label,
        lead_type_label=kind if lead_type else None,
        rating=(definition.policy.temperature if definition else Temperature()).rating(
            fit_score, interest_score
        ),
        meeting=meeting,
        marketing_qualified=_marketing_qualified(lead, definition),
    )


def _marketing_qualified(
    lead: LeadRow, definition: Definition | None
) -> tuple[str, datetime] | None:
    """The added stage in the words of the verdict's definition (LeadDesk's own when that
    version has no such stage), and when the lead met its rule."""
    if lead.marketing_qualified_at is None:
        return None
    stage = Stage.MARKETING_QUALIFIED
    label = definition.stage_label(stage) if definition else stage.label.capitalize()
    return (label, lead.marketing_qualified_at)


def _pick(first: int | None, fallback: int) -> int:
    return first if first is not None else fallback


def answer_text(question: Question, value: Any, currency: str) -> str:
    """An answer as a person reads it: option labels, Yes/No, amounts with their currency."""
    labels = {option.value: option.label for option in question.options}
    return _answer_text(question, labels, value, currency)


def _answer_text(question: Question, labels: dict[str, str], value: Any, currency: str) -> str:
    if value is None or value == "" or value == []:
        return ""
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


def _summary(
    *,
    who: str,
    on: datetime,
    kind: str,
    verdict: VerdictRow | None,
    axes_sentence: str,
    fit_score: int,
    interest_score: int,
    calls: tuple[dict[str, Any], ...],
    source: str,
    inquiry: str | None,
) -> str:
    """One paragraph a salesperson can read before dialling."""
    parts = [f"{who or 'A qualifier'} qualified this lead on {on.date().isoformat()} as {kind}"]
    reason = verdict.reason if verdict else None
    parts[0] += f": {reason}." if reason else "."
    if verdict and verdict.overridden and verdict.override_reason:
        parts.append(f"Overrode the suggestion because: {verdict.override_reason}.")
    if axes_sentence:
        parts.append(axes_sentence)
    parts.append(f"Fit {fit_score}/100, interest {interest_score}/100.")
    if calls:
        last = calls[-1]
        connected = [call["outcome"] for call in calls].count("connected")
        parts.append(
            f"{len(calls)} call(s), {connected} connected; last on "
            f"{last['at'][:10]} ({last['outcome'].replace('_', ' ')})."
        )
    parts.append(f"Came in via {source.replace('_', ' ')}: {inquiry or 'an inquiry'}.")
    text = " ".join(parts)
    return text if is_one_line(text) else " ".join(text.split())

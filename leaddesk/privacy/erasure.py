"""Erasure: a person asked to be forgotten (GDPR article 17).

Their personal data is blanked wherever the store holds it (the person's names, email,
phones, title and whereabouts; what their leads kept of the file they came from and what
they asked; notes and call notes on their leads; free-text questionnaire answers, verdict
reasons and sales' comments, in the records and in the audit trail), their leads still open
are closed, and their email and phone stay on the do-not-call list as one-way digests only,
so a later import recognises them without holding their data. Leads, calls and verdicts
stay as rows without personal data, so every count in the reports still adds up. Handoff
batches already written are files outside the store and are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Definition
from leaddesk.definition import versions as definition_versions
from leaddesk.definition.model import QuestionType
from leaddesk.domain import OPEN_STAGES, Stage, is_record_number
from leaddesk.errors import InputError
from leaddesk.privacy.do_not_call import EMAIL, PHONE, Value, email_key, read_value
from leaddesk.store import erasure_functions, guards
from leaddesk.store.models import (
    Answer,
    AuditEvent,
    CallAttempt,
    DefinitionVersion,
    DoNotCallEntry,
    FileValue,
    Lead,
    Note,
    Person,
    SalesFeedback,
    VerdictRecord,
)
from leaddesk.store.types import JSONText

ERASED = "erased"  # Lead.hold_reason of a lead closed by an erasure
# What a lead's extra details may keep: where it came from (run, file name, row) and the
# digests that recognise the same row imported again. Everything else came from the person.
_KEPT_EXTRA = ("intake", "import_keys")
MAX_REASON = 500
_LISTED_REASON = "erased at the person's request"


@dataclass(frozen=True)
class Erased:
    person_id: int
    leads: tuple[int, ...]  # every lead of theirs (kept, without personal data)
    closed: tuple[int, ...]  # of those, the ones taken out of the queue and the handoff now
    notes: int
    answers: int
    listed: int  # digests on the do-not-call list (new or made from plain entries)

    def message(self) -> str:
        closed = f", {len(self.closed):,} closed" if self.closed else ""
        return (
            f"Person #{self.person_id} erased: {len(self.leads):,} lead(s) kept without personal "
            f"data{closed}; {self.notes:,} note(s) and {self.answers:,} free-text answer(s) "
            f"blanked; their email and phone stay on the do-not-call list as digests only, so "
            "an import cannot bring them back. Handoff files already written are outside "
            "LeadDesk: ask sales to delete them there."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "leads": list(self.leads),
            "closed": list(self.closed),
            "notes": self.notes,
            "answers": self.answers,
            "listed": self.listed,
        }


def find_person(session: Session, who: str, region: str | None) -> Person:
    """The person a team lead names: a lead id (``1234`` or ``#1234``), an email, or a phone
    number written as a phone number (with + or separators; plain digits are a lead id)."""
    text = who.strip()
    number = text.removeprefix("#")
    if number.isascii() and number.isdigit():
        lead = session.get(Lead, int(number)) if is_record_number(int(number)) else None
        if lead is None:
            raise InputError(
                f"there is no lead {number}; to name a phone number write it with its "
                "+country code, e.g. +12125550101"
            )
        person = session.get(Person, lead.person_id)
        assert person is not None
        return person
    value = read_value(text, region)
    column = func.lower(Person.email) if value.kind == EMAIL else Person.phone
    people = list(
        session.scalars(
            select(Person)
            .where(column == value.value, Person.erased_at.is_(None))
            .order_by(Person.id)
        )
    )
    if not people:
        raise InputError(f"nobody in the store has {value.value}")
    if len(people) > 1:
        leads = [
            session.scalar(select(func.min(Lead.id)).where(Lead.person_id == p.id)) for p in people
        ]
        named = ", ".join(f"#{lead}" for lead in leads if lead is not None)
        raise InputError(
            f"{len(people)} people have {value.value} (a shared line?); name the one to erase "
            f"by one of their leads: {named}"
        )
    return people[0]


def erase_person(
    session: Session,
    person: Person,
    *,
    reason: str,
    actor_id: int | None,
    at: datetime,
) -> Erased:
    """Erase ``person`` in the caller's transaction, with an audit event per closed lead and
    one for the erasure. The reason is kept in the audit trail: say why, not who."""
    why = " ".join(reason.split())
    if not why:
        raise InputError("say why (e.g. 'erasure request by email of 2026-11-18')", field="reason")
    if len(why) > MAX_REASON:
        raise InputError(f"at most {MAX_REASON} characters", field="reason")
    if person.erased_at is not None:
        raise InputError(f"person #{person.id} was already erased on {person.erased_at:%Y-%m-%d}")

    leads = list(session.scalars(select(Lead).where(Lead.person_id == person.id).order_by(Lead.id)))
    values = _values_of(person, leads)
    # Marked first: a team database blanks an erased person's words only.
    person.erased_at = at
    session.flush()
    closed = _close(session, leads, actor_id=actor_id, at=at, reason=why)
    for lead in leads:
        kept = {k: v for k, v in (lead.extra or {}).items() if k in _KEPT_EXTRA}
        lead.extra = kept or None
        lead.inquiry = None
    lead_ids = [lead.id for lead in leads]
    if lead_ids:
        # The kept values were the person's own: their numbers, their CRM id, their columns.
        session.execute(delete(FileValue).where(FileValue.lead_id.in_(lead_ids)))
    notes = 0
    answers = 0
    if lead_ids:
        notes = int(
            session.execute(update(Note).where(Note.lead_id.in_(lead_ids)).values(text="")).rowcount  # type: ignore[attr-defined]
        )
        session.execute(
            update(CallAttempt)
            .where(CallAttempt.lead_id.in_(lead_ids), CallAttempt.note.is_not(None))
            .values(note=None)
        )
        answers = _blank_free_text(session, lead_ids)
        # What reps and sales wrote about them in their own words (the verdicts' reasons: done
        # with their answers by the owner's function, for a login that may not change them).
        if not erasure_functions.through_owner(session.connection()):
            session.execute(
                update(VerdictRecord)
                .where(VerdictRecord.lead_id.in_(lead_ids))
                .values(
                    reason=case((VerdictRecord.reason.is_(None), None), else_=""),
                    override_reason=case((VerdictRecord.override_reason.is_(None), None), else_=""),
                )
            )
        session.execute(
            update(SalesFeedback)
            .where(SalesFeedback.lead_id.in_(lead_ids), SalesFeedback.detail.is_not(None))
            .values(detail="")
        )

    for name in ("first_name", "last_name"):
        setattr(person, name, "")
    for name in ("email", "phone", "phone_raw", "title", "seniority", "region", "city"):
        setattr(person, name, None)
    person.timezone = None
    person.zone_key = None
    if not person.do_not_call:
        person.do_not_call = True
        person.do_not_call_at = at
    listed = _list_digests(session, values, actor_id=actor_id, at=at)
    session.flush()
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.PERSON_ERASED,
        subject=f"person {person.id}",
        reason=why,
        details={"leads": lead_ids, "closed": closed, "notes": notes, "answers": answers},
    )
    return Erased(person.id, tuple(lead_ids), tuple(closed), notes, answers, listed)


def _values_of(person: Person, leads: list[Lead]) -> list[Value]:
    values = []
    if person.email:
        values.append(Value(EMAIL, email_key(person.email)))
    if person.phone:
        values.append(Value(PHONE, person.phone))
    for lead in leads:
        for key in ("mobile", "direct_line"):
            number = (lead.extra or {}).get(key)
            if isinstance(number, str) and number.startswith("+"):
                values.append(Value(PHONE, number))
    return values


def _close(
    session: Session, leads: list[Lead], *, actor_id: int | None, at: datetime, reason: str
) -> list[int]:
    """Open leads, and qualified ones not yet handed off, leave every queue and the next
    handoff: closed as disqualified, each with its audit event."""
    closed = []
    for lead in leads:
        waiting = lead.stage is Stage.QUALIFIED and lead.handoff_batch_id is None
        if lead.stage not in OPEN_STAGES and not waiting:
            continue
        lifecycle.move(
            session,
            lead,
            Stage.DISQUALIFIED,
            at=at,
            action=AuditAction.LEAD_CLOSED_ERASED,
            actor_id=actor_id,
            reason="the person was erased at their request",
        )
        lead.hold_reason = ERASED
        lead.claimed_by_id = None
        lead.claim_expires_at = None
        lead.callback_at = None
        lead.next_attempt_at = None
        closed.append(lead.id)
    return closed


class _FreeText:
    """Whether an answer is free text: the question is a text question in the version it was
    answered under (or unknown there, to be safe)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.definitions: dict[int | None, Definition | None] = {}

    def __call__(self, version_id: int | None, question_id: str) -> bool:
        if version_id not in self.definitions:
            self.definitions[version_id] = (
                definition_versions.definition_for_version(self.session, version_id)
                if version_id is not None
                else None
            )
        definition = self.definitions[version_id]
        question = definition.question(question_id) if definition is not None else None
        return question is None or question.type is QuestionType.TEXT

    def blank(self, answers: dict[str, Any], version_id: int | None) -> dict[str, Any] | None:
        """``answers`` with free text blanked, or None when nothing needed blanking."""
        changed = False
        saved = dict(answers)
        for question_id, value in saved.items():
            if isinstance(value, str) and value and self(version_id, question_id):
                saved[question_id] = ""
                changed = True
        return saved if changed else None


def _blank_free_text(session: Session, lead_ids: list[int]) -> int:
    """Free-text answers (and unknown questions' answers, to be safe) are the person's words:
    blanked in the answers, in each verdict's copy of them, and in the audit trail."""
    free_text = _FreeText(session)
    connection = session.connection()
    owner = erasure_functions.through_owner(connection)
    blanked = 0
    for answer in session.scalars(select(Answer).where(Answer.lead_id.in_(lead_ids))):
        if (
            isinstance(answer.value, str)
            and answer.value
            and free_text(answer.definition_version_id, answer.question_id)
        ):
            if owner:
                erasure_functions.erase_answer(connection, answer.id)
                session.expire(answer)
            else:
                answer.value = ""
            blanked += 1
    for verdict in session.scalars(
        select(VerdictRecord).where(VerdictRecord.lead_id.in_(lead_ids))
    ):
        saved = free_text.blank(verdict.answers or {}, verdict.definition_version_id)
        if owner:  # its reasons too
            text = JSONText().process_bind_param(saved, connection.dialect)
            erasure_functions.erase_verdict(connection, verdict.id, text)
            session.expire(verdict)
        elif saved is not None:
            verdict.answers = saved
    _scrub_audit(session, lead_ids, free_text)
    return blanked


# Audit events of a lead whose reason is a code, not someone's words.
_CODED_REASONS = frozenset(
    {
        AuditAction.CALL_LOGGED,
        AuditAction.CALL_UNDONE,
        AuditAction.VERDICT_UNDONE,
        AuditAction.LEAD_CLOSED_ERASED,
    }
)


def _scrub_audit(session: Session, lead_ids: list[int], free_text: _FreeText) -> None:
    """The audit trail of their leads keeps who did what and when; the words written about
    the person (reasons, comments, free-text answers) are blanked. The one change ever made
    to an audit event."""
    versions = {
        number: version_id
        for number, version_id in session.execute(
            select(DefinitionVersion.version, DefinitionVersion.id)
        ).tuples()
    }
    for event in session.scalars(select(AuditEvent).where(AuditEvent.lead_id.in_(lead_ids))):
        reason = event.reason
        if reason and event.action not in _CODED_REASONS:
            reason = ""
        details = dict(event.details or {})
        changed = False
        answers = details.get("answers")
        if isinstance(answers, dict):
            number = details.get("definition_version")
            version_id = versions.get(number) if isinstance(number, int) else None
            blanked = free_text.blank(answers, version_id)
            if blanked is not None:
                details["answers"] = blanked
                changed = True
        for key in ("comment", "note", "text"):
            if isinstance(details.get(key), str) and details[key]:
                details[key] = ""
                changed = True
        withdrawn = details.get("verdict")  # a reopened lead's withdrawn verdict: its words go
        if isinstance(withdrawn, dict) and withdrawn.get("reason"):
            details["verdict"] = {**withdrawn, "reason": ""}
            changed = True
        corrected = details.get("changed")  # a contact correction: which fields stay, not values
        if isinstance(corrected, dict) and corrected:
            details["changed"] = {name: ["", ""] for name in corrected}
            changed = True
        if changed or reason != event.reason:
            _blank_event(session, event, reason, details if changed else event.details)


def _blank_event(
    session: Session, event: AuditEvent, reason: str | None, details: dict[str, Any] | None
) -> None:
    """A team database lets an audit event change only through its erasure function."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        event.reason = reason
        event.details = details
        return
    text = JSONText().process_bind_param(details, connection.dialect)
    guards.scrub_audit_event(connection, event.id, reason, text)
    session.expire(event)


def _list_digests(
    session: Session, values: list[Value], *, actor_id: int | None, at: datetime
) -> int:
    """Each value on the do-not-call list as its digest alone: a plain entry loses its value,
    a missing one is added without it."""
    listed = 0
    for value in {v.digest: v for v in values}.values():
        entry = session.scalar(select(DoNotCallEntry).where(DoNotCallEntry.digest == value.digest))
        if entry is None:
            session.add(
                DoNotCallEntry(
                    kind=value.kind,
                    value=None,
                    digest=value.digest,
                    reason=_LISTED_REASON,
                    added_by_id=actor_id,
                    added_at=at,
                )
            )
        else:
            entry.value = None
            entry.reason = _LISTED_REASON
        listed += 1
    return listed

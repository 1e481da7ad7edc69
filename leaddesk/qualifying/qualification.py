"""Qualifying a lead on the phone: saving answers as they are given, and recording the verdict.

Each answer (or batch of answers) is its own transaction, so a crash mid-call loses nothing
and a qualification can run across several calls. A lead's qualification runs under the
definition version that was current when its first answer was saved; its verdict records
that version, so the verdict keeps showing the questions it was made with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import audit
from leaddesk.definition import (
    Definition,
    Evaluation,
    Question,
    QuestionType,
    Scores,
    Suggestion,
    check_answers,
    evaluate,
    load_definition,
)
from leaddesk.definition import default_definition_path as _default_path
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import (
    OPEN_STAGES,
    VERDICT_STAGE,
    DisqualifyReason,
    LeadType,
    Stage,
    Verdict,
)
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.qualifying.undo import before_verdict
from leaddesk.queue.claims import claimed_by_other, holder_message, release_claim
from leaddesk.store.models import (
    Account,
    Answer,
    AuditEvent,
    DefinitionVersion,
    Lead,
    Person,
    User,
    VerdictRecord,
)

# When a rep overrides the suggested verdict without naming a lead type, the type that
# verdict normally goes with. Existing account is routing, not a judgement: it keeps the
# suggested type.
_OVERRIDE_LEAD_TYPE = {
    Verdict.HAND_OFF: LeadType.SALES_WORTHY,
    Verdict.NURTURE: LeadType.UNQUALIFIED_SUITABILITY,
    Verdict.DISQUALIFY: LeadType.UNWORTHY,
}
_DISQUALIFY_FOR_TYPE = {
    LeadType.UNWORTHY: DisqualifyReason.UNWORTHY,
    LeadType.DUBIOUS: DisqualifyReason.DUBIOUS,
}
MAX_REASON = 2_000


# -- what the desk hands back -------------------------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    """Where a lead's questionnaire stands: saved answers, the live evaluation, the lead's version.

    ``lead_version`` is what to pass back as ``expected_version`` with the verdict, so a
    team lead's change made meanwhile is noticed instead of overwritten.
    """

    lead_id: int
    lead_version: int
    person: str
    company: str | None
    stage: Stage
    definition_version: int | None
    definition: Definition
    answers: Mapping[str, object]  # every saved answer, including ones a branch now hides
    evaluation: Evaluation

    @property
    def suggestion(self) -> Suggestion:
        return self.evaluation.suggestion

    @property
    def fired(self) -> tuple[str, ...]:
        return self.evaluation.fired

    @property
    def scores(self) -> Scores:
        return self.evaluation.scores

    @property
    def completeness(self) -> float:
        return self.evaluation.completeness

    def as_json(self) -> dict[str, Any]:
        evaluation = self.evaluation
        definition = self.definition
        suggestion = evaluation.suggestion
        return {
            "lead_id": self.lead_id,
            "lead_version": self.lead_version,
            "person": self.person,
            "company": self.company,
            "stage": self.stage.value,
            "definition_version": self.definition_version,
            "definition": definition.name,
            "answers": dict(self.answers),
            "completeness": round(evaluation.completeness, 4),
            "scores": {
                "fit": evaluation.scores.fit,
                "interest": evaluation.scores.interest,
                "framework": evaluation.scores.framework,
                "axes": {axis.axis.letter: axis.score for axis in evaluation.scores.axes},
                "fit_reasons": list(evaluation.scores.fit_reasons),
                "interest_reasons": list(evaluation.scores.interest_reasons),
            },
            "suggestion": {
                "verdict": suggestion.verdict.value,
                "lead_type": suggestion.lead_type.value,
                "lead_type_label": definition.lead_type_label(suggestion.lead_type),
                "reason": suggestion.reason,
                "because": suggestion.because,
                "disqualify_reason": suggestion.disqualify_reason.value
                if suggestion.disqualify_reason
                else None,
                "recycle_days": suggestion.recycle_days,
                "knockout": suggestion.knockout,
            },
            "fired": list(evaluation.fired),
            "next_questions": [_question_json(q) for q in evaluation.next_questions],
        }


@dataclass(frozen=True)
class VerdictInfo:
    id: int
    lead_id: int
    verdict: Verdict
    lead_type: LeadType | None
    reason: str | None
    disqualify_reason: DisqualifyReason | None
    recycle_at: datetime | None
    suggested_verdict: Verdict | None
    suggested_lead_type: LeadType | None
    overridden: bool
    override_reason: str | None
    definition_version: int | None
    fit_score: int | None
    interest_score: int | None
    framework_score: int | None
    answers: Mapping[str, object]
    fired_rules: tuple[str, ...]
    decided_by: str | None
    decided_at: datetime
    stage: Stage  # where the verdict moved the lead

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lead_id": self.lead_id,
            "verdict": self.verdict.value,
            "lead_type": self.lead_type.value if self.lead_type else None,
            "reason": self.reason,
            "disqualify_reason": self.disqualify_reason.value if self.disqualify_reason else None,
            "recycle_at": self.recycle_at.isoformat() if self.recycle_at else None,
            "suggested_verdict": self.suggested_verdict.value if self.suggested_verdict else None,
            "suggested_lead_type": self.suggested_lead_type.value
            if self.suggested_lead_type
            else None,
            "overridden": self.overridden,
            "override_reason": self.override_reason,
            "definition_version": self.definition_version,
            "scores": {
                "fit": self.fit_score,
                "interest": self.interest_score,
                "framework": self.framework_score,
            },
            "answers": dict(self.answers),
            "fired": list(self.fired_rules),
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
            "stage": self.stage.value,
        }


@dataclass(frozen=True)
class AnsweredQuestion:
    """A question as the version of a verdict worded it, with the answer given then."""

    id: str
    section: str
    text: str
    answer: object | None
    answer_text: str

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class PastVerdict:
    verdict: VerdictInfo
    definition_name: str | None
    questions: tuple[AnsweredQuestion, ...]  # every question of that version, in asking order

    def as_json(self) -> dict[str, Any]:
        return {
            **self.verdict.as_json(),
            "definition": self.definition_name,
            "questions": [
                {
                    "id": q.id,
                    "section": q.section,
                    "text": q.text,
                    "answer": q.answer,
                    "answer_text": q.answer_text,
                }
                for q in self.questions
            ],
        }


# -- facts about the lead the definition may test ----------------------------------------------


def _key(text: str | None) -> str | None:
    """'Financial services' → 'financial_services', the form definitions write values in."""
    if text is None:
        return None
    words = text.strip().casefold().replace("-", " ").replace("/", " ").split()
    return "_".join(words) or None


def lead_facts(session: Session, lead: Lead, at: datetime) -> dict[str, object]:
    """The facts named in leaddesk.definition.FACTS, read from the lead, person and account."""
    person: Person = lead.person
    account: Account | None = lead.account or person.account
    extra = lead.extra or {}
    earlier = session.scalar(
        select(func.count())
        .select_from(Lead)
        .where(
            Lead.person_id == lead.person_id,
            Lead.id != lead.id,
            Lead.arrived_at <= lead.arrived_at,
        )
    )
    email_domain = None
    if person.email and "@" in person.email:
        email_domain = person.email.rsplit("@", 1)[1].lower()
    facts: dict[str, object] = {
        "employees": account.employees if account else None,
        "annual_revenue": extra.get("annual_revenue"),
        "industry": _key(account.industry) if account else None,
        "title": person.title,
        "seniority": _key(person.seniority),
        "department": extra.get("department"),
        "country": person.country or (account.country if account else None),
        "region": person.region,
        "state": extra.get("state") or person.region,
        "city": person.city,
        "email_domain": email_domain,
        "source": lead.source,
        "campaign": lead.campaign,
        "inquiry": lead.inquiry,
        "existing_customer": bool(lead.existing_account or (account and account.is_customer)),
        "earlier_leads": earlier or 0,
        "hours_since_arrival": max(0.0, (at - lead.arrived_at).total_seconds() / 3600),
        "call_attempts": lead.attempts,
    }
    return {name: value for name, value in facts.items() if value is not None}


# -- reading where a qualification stands -------------------------------------------------------


def qualification(session: Session, lead_id: int, *, at: datetime) -> Qualification:
    lead = _lead(session, lead_id)
    version_id, definition = _definition_for(session, lead)
    return _state(session, lead, version_id, definition, _saved_answers(session, lead.id), at)


def _state(
    session: Session,
    lead: Lead,
    version_id: int | None,
    definition: Definition,
    saved: Mapping[str, object],
    at: datetime,
) -> Qualification:
    person = lead.person
    account = lead.account or person.account
    return Qualification(
        lead_id=lead.id,
        lead_version=lead.version,
        person=person.full_name or person.email or person.phone or f"Lead {lead.id}",
        company=account.name if account else None,
        stage=lead.stage,
        definition_version=definition_versions.version_number(session, version_id),
        definition=definition,
        answers=dict(saved),
        evaluation=evaluate(definition, saved, lead_facts(session, lead, at)),
    )


def _lead(session: Session, lead_id: int, *, lock: bool = False) -> Lead:
    query = select(Lead).where(Lead.id == lead_id)
    if lock:
        # Answers and verdicts on one lead queue up behind each other on PostgreSQL; SQLite's
        # write transactions are serial already.
        query = query.with_for_update()
    lead = session.scalar(query)
    if lead is None:
        raise InputError(f"No lead with id {lead_id}.")
    return lead


def _definition_for(session: Session, lead: Lead) -> tuple[int | None, Definition]:
    """The version this lead is qualified under: its own once started, else the current one."""
    version_id = lead.definition_version_id or definition_versions.current_id(session)
    if version_id is None:
        # A store nobody initialised yet: show the shipped default until one is published.
        return None, load_definition(_default_path())
    return version_id, definition_versions.definition_for_version(session, version_id)


def _saved_answers(session: Session, lead_id: int) -> dict[str, object]:
    rows = session.execute(
        select(Answer.question_id, Answer.value)
        .where(Answer.lead_id == lead_id)
        .order_by(Answer.id)
    ).tuples()
    return {question_id: value for question_id, value in rows}


def _user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == user_id))


def _check_workable(session: Session, lead: Lead, actor_id: int, at: datetime, doing: str) -> None:
    """A rep works only open leads that are theirs or in the pool and not on someone's call."""
    if lead.stage not in OPEN_STAGES:
        label = lead.stage.value.replace("_", " ")
        raise Conflict(f"Lead {lead.id} is already closed ({label}); you cannot {doing} any more.")
    if lead.assigned_to_id is not None and lead.assigned_to_id != actor_id:
        owner = _user_name(session, lead.assigned_to_id)
        raise NotPermitted(
            f"Lead {lead.id} is assigned to {owner}; only they can {doing} "
            "(a team lead can reassign it)."
        )
    if claimed_by_other(lead, actor_id, at):
        raise Conflict(holder_message(session, lead))


# -- saving answers ------------------------------------------------------------------------------


def answer(
    session: Session,
    *,
    lead_id: int,
    answers: Mapping[str, object],
    actor_id: int,
    at: datetime,
) -> Qualification:
    """Save ``answers`` (question id → value; None or empty clears one) and re-evaluate.

    The first answer fixes the definition version the lead is qualified under and moves
    a new or working lead to "in qualification".
    """
    lead = _lead(session, lead_id, lock=True)
    version_id, definition = _definition_for(session, lead)
    saved = _saved_answers(session, lead.id)
    if not answers:
        return _state(session, lead, version_id, definition, saved, at)
    _check_workable(session, lead, actor_id, at, "change its answers")
    normalised = check_answers(definition, answers)  # names each wrong question id
    if version_id is None:
        version_id = definition_versions.ensure_default(session, at=at).id
    cleared = [str(qid) for qid in answers if str(qid) not in normalised and str(qid) in saved]
    changed = {qid: value for qid, value in normalised.items() if saved.get(qid) != value}
    if not changed and not cleared:
        return _state(session, lead, version_id, definition, saved, at)

    rows = {
        row.question_id: row
        for row in session.scalars(
            select(Answer).where(
                Answer.lead_id == lead.id, Answer.question_id.in_(list(changed) + cleared)
            )
        )
    }
    for qid, value in changed.items():
        row = rows.get(qid)
        if row is None:
            session.add(
                Answer(
                    lead_id=lead.id,
                    question_id=qid,
                    value=value,
                    definition_version_id=version_id,
                    answered_by_id=actor_id,
                    answered_at=at,
                )
            )
        else:
            row.value = value
            row.definition_version_id = version_id
            row.answered_by_id = actor_id
            row.answered_at = at
    for qid in cleared:
        if qid in rows:
            session.delete(rows[qid])

    from_stage = lead.stage
    if lead.definition_version_id is None:
        lead.definition_version_id = version_id
    if lead.stage in (Stage.NEW, Stage.WORKING):
        lead.stage = Stage.IN_QUALIFICATION
        lead.stage_changed_at = at
    _flush(session, lead.id)
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action="answers_saved",
        lead_id=lead.id,
        from_state=from_stage.value if lead.stage != from_stage else None,
        to_state=lead.stage.value if lead.stage != from_stage else None,
        details={
            "answers": changed,
            "cleared": cleared,
            "definition_version": definition_versions.version_number(session, version_id),
        },
    )
    saved.update(changed)
    for qid in cleared:
        saved.pop(qid, None)
    return _state(session, lead, version_id, definition, saved, at)


def _flush(session: Session, lead_id: int) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Lead {lead_id} was changed by someone else at the same moment; "
            "reload it and try again."
        ) from None
    except IntegrityError:
        raise Conflict(
            f"Someone else saved answers on lead {lead_id} at the same moment; "
            "reload it and try again."
        ) from None


# -- the verdict ---------------------------------------------------------------------------------


def give_verdict(
    session: Session,
    *,
    lead_id: int,
    verdict: Verdict,
    actor_id: int,
    at: datetime,
    reason: str | None = None,
    lead_type: LeadType | None = None,
    disqualify_reason: DisqualifyReason | None = None,
    recycle_at: datetime | None = None,
    expected_version: int | None = None,
) -> VerdictInfo:
    """Confirm the suggested verdict or override it (an override needs ``reason``).

    Moves the lead to the verdict's stage, ends the rep's claim on it and records the
    verdict with the definition version, the scores, the answers and the rules that fired.
    """
    lead = _lead(session, lead_id, lock=True)
    if expected_version is not None and lead.version != expected_version:
        raise Conflict(_changed_meanwhile(session, lead, actor_id))
    _check_workable(session, lead, actor_id, at, "give it a verdict")
    version_id, definition = _definition_for(session, lead)
    if version_id is None:
        version_id = definition_versions.ensure_default(session, at=at).id
    saved = _saved_answers(session, lead.id)
    evaluation = evaluate(definition, saved, lead_facts(session, lead, at))
    suggestion = evaluation.suggestion

    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise InputError(f"keep the reason under {MAX_REASON} characters", field="reason")
    chosen_type = lead_type or (
        suggestion.lead_type
        if verdict is suggestion.verdict
        else _OVERRIDE_LEAD_TYPE.get(verdict, suggestion.lead_type)
    )
    overridden = verdict is not suggestion.verdict or chosen_type is not suggestion.lead_type
    if overridden and reason is None:
        raise InputError(
            f"The suggestion is {_words(suggestion.verdict)} "
            f"({definition.lead_type_label(suggestion.lead_type)}); to record "
            f"{_words(verdict)} ({definition.lead_type_label(chosen_type)}) instead, "
            "give a reason."
        )
    # A suggestion stands on the required answers (or on a knock-out answer); before they are
    # given, even the suggested verdict is the rep's own call: an override with a reason.
    unanswered = () if suggestion.knockout else evaluation.required_left
    if unanswered and reason is None:
        raise InputError(_questions_first(lead.id, unanswered))
    overridden = overridden or bool(unanswered)
    if disqualify_reason is not None and verdict is not Verdict.DISQUALIFY:
        raise InputError("A disqualify reason only goes with the disqualify verdict.")
    if recycle_at is not None and verdict is not Verdict.NURTURE:
        raise InputError("A recycle date only goes with the nurture verdict.")
    if recycle_at is not None and recycle_at <= at:
        raise InputError("The recycle date must be in the future.")

    if verdict is Verdict.DISQUALIFY and disqualify_reason is None:
        if suggestion.verdict is Verdict.DISQUALIFY and chosen_type is suggestion.lead_type:
            disqualify_reason = suggestion.disqualify_reason
        disqualify_reason = disqualify_reason or _DISQUALIFY_FOR_TYPE.get(
            chosen_type, DisqualifyReason.OTHER
        )
    if (
        verdict is Verdict.NURTURE
        and recycle_at is None
        and suggestion.verdict is Verdict.NURTURE
        and suggestion.recycle_days
    ):
        recycle_at = at + timedelta(days=suggestion.recycle_days)

    scores = evaluation.scores
    before = before_verdict(lead)  # what an undo of this verdict gives the lead back
    from_stage = lead.stage
    to_stage = VERDICT_STAGE[verdict]
    lead.stage = to_stage
    lead.stage_changed_at = at
    lead.lead_type = chosen_type
    lead.fit_score = scores.fit
    lead.interest_score = scores.interest
    lead.framework_score = scores.framework
    lead.definition_version_id = version_id
    if verdict is Verdict.EXISTING_ACCOUNT:
        lead.existing_account = True
    if to_stage is not Stage.QUALIFIED:  # qualified still waits for its handoff batch
        lead.closed_at = at
    release_claim(session, lead)
    record = VerdictRecord(
        lead_id=lead.id,
        verdict=verdict,
        lead_type=chosen_type,
        reason=reason if reason is not None else suggestion.reason,
        disqualify_reason=disqualify_reason,
        recycle_at=recycle_at,
        suggested_verdict=suggestion.verdict,
        suggested_lead_type=suggestion.lead_type,
        overridden=overridden,
        override_reason=reason if overridden else None,
        definition_version_id=version_id,
        fit_score=scores.fit,
        interest_score=scores.interest,
        framework_score=scores.framework,
        answers=dict(evaluation.answers),
        fired_rules=list(evaluation.fired),
        decided_by_id=actor_id,
        decided_at=at,
    )
    session.add(record)
    _flush(session, lead.id)
    version = definition_versions.version_number(session, version_id)
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action="verdict_overridden" if overridden else "verdict_given",
        lead_id=lead.id,
        from_state=from_stage.value,
        to_state=to_stage.value,
        reason=record.reason,
        details={
            "verdict_id": record.id,
            "verdict": verdict.value,
            "lead_type": chosen_type.value,
            "suggested_verdict": suggestion.verdict.value,
            "suggested_lead_type": suggestion.lead_type.value,
            "suggested_because": suggestion.because,
            "overridden": overridden,
            "definition_version": version,
            "before": before,
        },
    )
    return _verdict_info(record, version, _user_name(session, actor_id), to_stage)


def _questions_first(lead_id: int, unanswered: tuple[Question, ...]) -> str:
    named = ", ".join(f'"{question.text}"' for question in unanswered[:3])
    more = f" and {len(unanswered) - 3} more" if len(unanswered) > 3 else ""
    count = len(unanswered)
    return (
        f"Lead {lead_id}: {count} required question{'s' if count != 1 else ''} "
        f"unanswered ({named}{more}); answer them to confirm the suggestion, "
        "or override with a reason."
    )


def _words(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def _changed_meanwhile(session: Session, lead: Lead, actor_id: int) -> str:
    last = session.execute(
        select(AuditEvent.action, User.name)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .where(AuditEvent.lead_id == lead.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    who = ""
    if last is not None and last.name:
        who = f" ({last.name}: {last.action.replace('_', ' ')})"
    return (
        f"Lead {lead.id} was changed since you opened it{who}; "
        "reload it and give the verdict again."
    )


def _verdict_info(
    record: VerdictRecord, version: int | None, decided_by: str | None, stage: Stage
) -> VerdictInfo:
    return VerdictInfo(
        id=record.id,
        lead_id=record.lead_id,
        verdict=record.verdict,
        lead_type=record.lead_type,
        reason=record.reason,
        disqualify_reason=record.disqualify_reason,
        recycle_at=record.recycle_at,
        suggested_verdict=record.suggested_verdict,
        suggested_lead_type=record.suggested_lead_type,
        overridden=record.overridden,
        override_reason=record.override_reason,
        definition_version=version,
        fit_score=record.fit_score,
        interest_score=record.interest_score,
        framework_score=record.framework_score,
        answers=dict(record.answers or {}),
        fired_rules=tuple(record.fired_rules or ()),
        decided_by=decided_by,
        decided_at=record.decided_at,
        stage=stage,
    )


# -- verdicts as they were made ------------------------------------------------------------------


def verdict_history(session: Session, lead_id: int) -> list[PastVerdict]:
    """Every verdict on the lead, oldest first, each with its own version's questions."""
    lead = _lead(session, lead_id)
    rows = session.execute(
        select(VerdictRecord, DefinitionVersion.version, User.name)
        .outerjoin(DefinitionVersion, VerdictRecord.definition_version_id == DefinitionVersion.id)
        .outerjoin(User, VerdictRecord.decided_by_id == User.id)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.decided_at, VerdictRecord.id)
    ).tuples()
    history: list[PastVerdict] = []
    for record, version, decided_by in rows:
        info = _verdict_info(record, version, decided_by, VERDICT_STAGE[record.verdict])
        if record.definition_version_id is None:
            history.append(PastVerdict(info, None, ()))
            continue
        definition = definition_versions.definition_for_version(
            session, record.definition_version_id
        )
        answers = record.answers or {}
        questions = tuple(
            AnsweredQuestion(
                id=question.id,
                section=question.section,
                text=question.text,
                answer=answers.get(question.id),
                answer_text=answer_text(question, answers.get(question.id)),
            )
            for question in definition.questions
        )
        history.append(PastVerdict(info, definition.name, questions))
    return history


def answer_text(question: Question, value: object) -> str:
    """An answer as a rep reads it, in the wording of the question's own version."""
    if value is None:
        return ""
    if question.type is QuestionType.SINGLE_CHOICE and isinstance(value, str):
        option = question.option(value)
        return option.label if option else value
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        labels = [question.option(str(item)) for item in value]
        return ", ".join(o.label if o else str(v) for o, v in zip(labels, value, strict=True))
    if question.type is QuestionType.YES_NO:
        return "Yes" if value is True else "No"
    if question.type is QuestionType.MONEY and isinstance(value, dict):
        amount = value.get("amount")
        shown = f"{amount:,}" if isinstance(amount, int | float) else str(amount)
        return f"{shown} {value.get('currency', '')}".strip()
    return str(value)


def _question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "type": question.type.value,
        "required": question.required,
        "options": [option.value for option in question.options],
    }

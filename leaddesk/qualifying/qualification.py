"""Qualifying a lead on the phone: saving answers as they are given, and where a qualification
stands.

Each answer (or batch of answers) is its own transaction, so a crash mid-call loses nothing
and a qualification can run across several calls. A lead's qualification runs under the
definition version that was current when its first answer was saved; its verdict
(leaddesk.qualifying.verdicts) records that version, so the verdict keeps showing the questions
it was made with (leaddesk.qualifying.history).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import (
    Definition,
    Evaluation,
    Question,
    Scores,
    Suggestion,
    check_answers,
    evaluate,
    load_definition,
)
from leaddesk.definition import default_definition_path as _default_path
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.qualifying.facts import lead_facts
from leaddesk.queue.claims import claimed_by_other, holder_message
from leaddesk.store.models import Answer, Lead, User

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


# -- reading where a qualification stands -------------------------------------------------------


def qualification(session: Session, lead_id: int, *, at: datetime) -> Qualification:
    lead = load_lead(session, lead_id)
    version_id, definition = definition_for(session, lead)
    return _state(session, lead, version_id, definition, saved_answers(session, lead.id), at)


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


def load_lead(session: Session, lead_id: int, *, lock: bool = False) -> Lead:
    query = select(Lead).where(Lead.id == lead_id)
    if lock:
        # Answers and verdicts on one lead queue up behind each other on PostgreSQL; SQLite's
        # write transactions are serial already.
        query = query.with_for_update()
    lead = session.scalar(query)
    if lead is None:
        raise InputError(f"No lead with id {lead_id}.")
    return lead


def definition_for(session: Session, lead: Lead) -> tuple[int | None, Definition]:
    """The version this lead is qualified under: its own once started, else the current one."""
    version_id = lead.definition_version_id or definition_versions.current_id(session)
    if version_id is None:
        # A store nobody initialised yet: show the shipped default until one is published.
        return None, load_definition(_default_path())
    return version_id, definition_versions.definition_for_version(session, version_id)


def saved_answers(session: Session, lead_id: int) -> dict[str, object]:
    rows = session.execute(
        select(Answer.question_id, Answer.value)
        .where(Answer.lead_id == lead_id)
        .order_by(Answer.id)
    ).tuples()
    return {question_id: value for question_id, value in rows}


def user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(select(User.name).where(User.id == user_id))


def check_workable(session: Session, lead: Lead, actor_id: int, at: datetime, doing: str) -> None:
    """A rep works only open leads that are theirs or in the pool and not on someone's call."""
    if lead.stage not in OPEN_STAGES:
        label = lead.stage.label
        raise Conflict(f"Lead {lead.id} is already closed ({label}); you cannot {doing} any more.")
    if lead.assigned_to_id is not None and lead.assigned_to_id != actor_id:
        owner = user_name(session, lead.assigned_to_id)
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
    lead = load_lead(session, lead_id, lock=True)
    version_id, definition = definition_for(session, lead)
    saved = saved_answers(session, lead.id)
    if not answers:
        return _state(session, lead, version_id, definition, saved, at)
    check_workable(session, lead, actor_id, at, "change its answers")
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

    step = lifecycle.Step(lead, action=AuditAction.ANSWERS_SAVED, actor_id=actor_id)
    if lead.definition_version_id is None:
        lead.definition_version_id = version_id
    if lead.stage in (Stage.NEW, Stage.MARKETING_QUALIFIED, Stage.WORKING):
        step.move(Stage.IN_QUALIFICATION, at=at)
    flush_or_conflict(session, lead.id)
    step.record(
        session,
        at=at,
        stage_if_unchanged=False,
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


def flush_or_conflict(session: Session, lead_id: int) -> None:
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


def _question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "type": question.type.value,
        "required": question.required,
        "options": [option.value for option in question.options],
    }

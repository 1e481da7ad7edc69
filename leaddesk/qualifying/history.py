"""Verdicts as they were made: each with the questions of its own definition version and the
answers given then."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.definition import Question, QuestionType
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import VERDICT_STAGE
from leaddesk.qualifying.qualification import load_lead
from leaddesk.qualifying.verdicts import VerdictInfo, verdict_info
from leaddesk.store.models import DefinitionVersion, User, VerdictRecord


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


# -- verdicts as they were made ------------------------------------------------------------------


def verdict_history(session: Session, lead_id: int) -> list[PastVerdict]:
    """Every verdict on the lead, oldest first, each with its own version's questions."""
    lead = load_lead(session, lead_id)
    rows = session.execute(
        select(VerdictRecord, DefinitionVersion.version, User.name)
        .outerjoin(DefinitionVersion, VerdictRecord.definition_version_id == DefinitionVersion.id)
        .outerjoin(User, VerdictRecord.decided_by_id == User.id)
        .where(VerdictRecord.lead_id == lead.id)
        .order_by(VerdictRecord.decided_at, VerdictRecord.id)
    ).tuples()
    history: list[PastVerdict] = []
    for record, version, decided_by in rows:
        info = verdict_info(record, version, decided_by, VERDICT_STAGE[record.verdict])
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

"""A lead definition once read and checked: immutable, so a verdict can point at its version."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from leaddesk.definition.conditions import ALWAYS, Condition, Context, holds
from leaddesk.definition.policy import Policy
from leaddesk.definition.reject_reasons import DEFAULT_REJECT_REASONS, RejectReason, reason_for
from leaddesk.domain import OPTIONAL_STAGES, DisqualifyReason, LeadType, Stage, Verdict


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    TEXT = "text"

    @property
    def has_options(self) -> bool:
        return self in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    points: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """What a rule or a knock-out suggests for the lead."""

    lead_type: LeadType
    verdict: Verdict
    reason: str
    disqualify_reason: DisqualifyReason | None = None
    recycle_days: int | None = None


@dataclass(frozen=True)
class Knockout:
    when: Condition
    outcome: Outcome


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: QuestionType
    section: str
    options: tuple[Option, ...] = ()
    required: bool = False
    help: str = ""
    show_when: Condition = ALWAYS
    knockout: Knockout | None = None
    framework: str | None = None
    points: float = 0.0

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)

    @property
    def max_points(self) -> float:
        """The most this question can add to its framework axis."""
        if self.type is QuestionType.SINGLE_CHOICE:
            return max((max(option.points, 0.0) for option in self.options), default=0.0)
        if self.type is QuestionType.MULTIPLE_CHOICE:
            return sum(max(option.points, 0.0) for option in self.options)
        return max(self.points, 0.0)


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ScoreRule:
    """Points added to fit or interest when a condition holds, with words for the rep."""

    label: str
    when: Condition
    points: float


@dataclass(frozen=True)
class Axis:
    """One letter of the framework, e.g. B = budget."""

    id: str
    letter: str
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Scoring:
    axes: tuple[Axis, ...]
    fit_rules: tuple[ScoreRule, ...]
    fit_max_points: float
    interest_rules: tuple[ScoreRule, ...]
    interest_max_points: float
    thresholds: tuple[tuple[str, float], ...] = ()

    def axis(self, axis_id: str) -> Axis | None:
        return next((axis for axis in self.axes if axis.id == axis_id), None)


@dataclass(frozen=True)
class Rule:
    description: str
    when: Condition
    outcome: Outcome


@dataclass(frozen=True)
class StageText:
    stage: Stage
    label: str
    definition: str
    # A stage the team adds (marketing-qualified): which new leads start in it, on the facts
    # and the fit and interest scores known on arrival. None for the lifecycle's own stages.
    when: Condition | None = None


@dataclass(frozen=True)
class GlossaryEntry:
    lead_type: LeadType
    label: str
    definition: str


@dataclass(frozen=True)
class Definition:
    name: str
    framework: str
    description: str
    currency: str
    profile_description: str
    stages: tuple[StageText, ...]
    glossary: tuple[GlossaryEntry, ...]
    sections: tuple[Section, ...]
    scoring: Scoring
    rules: tuple[Rule, ...]
    policy: Policy
    source: str
    digest: str
    # Why sales may reject a lead, and where each reason sends it (the defaults if unwritten).
    reject_reasons: tuple[RejectReason, ...] = DEFAULT_REJECT_REASONS

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question in the order a rep asks them."""
        return tuple(question for section in self.sections for question in section.questions)

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def stage_label(self, stage: Stage) -> str:
        fallback = stage.label.capitalize() if stage in OPTIONAL_STAGES else stage.value
        return next((text.label for text in self.stages if text.stage is stage), fallback)

    def has_stage(self, stage: Stage) -> bool:
        """Whether this definition names ``stage``: always for the lifecycle's own stages, for
        an added one (marketing-qualified) only when the team wrote it in."""
        return any(text.stage is stage for text in self.stages)

    @cached_property
    def funnel(self) -> tuple[Stage, ...]:
        """The stages this definition has, in the lifecycle's order (reports list them so)."""
        named = {text.stage for text in self.stages}
        return tuple(stage for stage in Stage if stage in named or stage not in OPTIONAL_STAGES)

    def starts_marketing_qualified(
        self, facts: Mapping[str, object], *, fit: float, interest: float
    ) -> bool:
        """Whether a new lead with these facts and scores starts marketing-qualified: the
        definition has the stage and its rule holds (no answers exist yet on arrival)."""
        text = next((t for t in self.stages if t.stage is Stage.MARKETING_QUALIFIED), None)
        if text is None or text.when is None:
            return False
        return holds(text.when, Context({}, facts, {"fit": fit, "interest": interest}))

    def reject_reason(self, key: str) -> RejectReason | None:
        """The reject reason with this key or label; None if sales has no such reason."""
        return reason_for(self.reject_reasons, key)

    def lead_type_label(self, lead_type: LeadType) -> str:
        return next(
            (entry.label for entry in self.glossary if entry.lead_type is lead_type),
            lead_type.label,
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able summary, as ``definition show --json`` prints it."""
        from leaddesk.definition.summary import definition_summary

        return definition_summary(self)

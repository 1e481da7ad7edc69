"""The questionnaire engine: from answers and lead facts to what to ask next and what to decide.

Pure and total: for any answers (checked or not) and any facts it returns exactly one
suggestion, so the rep always sees one live verdict while the call goes on. Answers to
questions hidden by a branch are ignored, so changing an earlier answer cleanly drops the
branch it opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from leaddesk.definition.answers import usable_answers
from leaddesk.definition.conditions import Context, holds, is_answered
from leaddesk.definition.model import (
    Axis,
    Definition,
    Outcome,
    Question,
    QuestionType,
    ScoreRule,
)
from leaddesk.definition.policy import UnqualifiedInterestGoesTo
from leaddesk.domain import DisqualifyReason, LeadType, Verdict


@dataclass(frozen=True)
class QuestionState:
    question: Question
    answer: object | None

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass(frozen=True)
class AxisScore:
    """One framework letter: points proven so far out of what the visible questions allow."""

    axis: Axis
    earned: float
    possible: float
    score: int


@dataclass(frozen=True)
class Scores:
    fit: int
    interest: int
    framework: int
    axes: tuple[AxisScore, ...]
    fit_reasons: tuple[str, ...]
    interest_reasons: tuple[str, ...]


@dataclass(frozen=True)
class KnockoutHit:
    question_id: str
    outcome: Outcome


@dataclass(frozen=True)
class Suggestion:
    lead_type: LeadType
    verdict: Verdict
    reason: str
    disqualify_reason: DisqualifyReason | None
    recycle_days: int | None
    because: str
    knockout: str | None = None  # the question id when a knock-out decided
    rule_index: int | None = None


@dataclass(frozen=True)
class Evaluation:
    questions: tuple[QuestionState, ...]
    next_questions: tuple[Question, ...]
    completeness: float
    scores: Scores
    knockouts: tuple[KnockoutHit, ...]
    suggestion: Suggestion
    fired: tuple[str, ...]

    @property
    def answers(self) -> dict[str, object]:
        """The answers that count: valid and on visible questions."""
        return {state.question.id: state.answer for state in self.questions if state.answered}

    @property
    def required_left(self) -> tuple[Question, ...]:
        """Visible questions a suggestion rests on that have no answer yet: the required ones,
        or every question when the definition marks none required (as completeness counts)."""
        counted = [state for state in self.questions if state.question.required]
        return tuple(state.question for state in counted or self.questions if not state.answered)


def evaluate(
    definition: Definition, answers: Mapping[str, object], facts: Mapping[str, object]
) -> Evaluation:
    usable = usable_answers(definition, answers)
    states = _visible(definition, usable, facts)
    counted = {state.question.id: state.answer for state in states if state.answered}
    completeness = _completeness(states)
    scores = _scores(definition, states, counted, facts)
    context = Context(
        counted,
        facts,
        {
            "fit": float(scores.fit),
            "interest": float(scores.interest),
            "framework": float(scores.framework),
            "completeness": round(completeness * 100, 6),
        },
    )
    knockouts = tuple(
        KnockoutHit(state.question.id, state.question.knockout.outcome)
        for state in states
        if state.answered
        and state.question.knockout is not None
        and holds(state.question.knockout.when, context)
    )
    suggestion = _suggest(definition, knockouts, context)
    fired = tuple(
        f"Knock-out: {hit.outcome.reason} → {definition.lead_type_label(hit.outcome.lead_type)}"
        for hit in knockouts
    )
    if suggestion.knockout is None:
        fired += (f"{suggestion.because} → {definition.lead_type_label(suggestion.lead_type)}",)
    unanswered = [state.question for state in states if not state.answered]
    next_questions = tuple(
        [question for question in unanswered if question.required]
        + [question for question in unanswered if not question.required]
    )
    return Evaluation(
        questions=states,
        next_questions=next_questions,
        completeness=completeness,
        scores=scores,
        knockouts=knockouts,
        suggestion=suggestion,
        fired=fired,
    )


def _visible(
    definition: Definition, answers: Mapping[str, object], facts: Mapping[str, object]
) -> tuple[QuestionState, ...]:
    # Branches only look back, so one pass in order settles every question.
    shown: dict[str, object] = {}
    states: list[QuestionState] = []
    for question in definition.questions:
        if not holds(question.show_when, Context(shown, facts)):
            continue
        answer = answers.get(question.id)
        states.append(QuestionState(question, answer))
        if is_answered(answer):
            shown[question.id] = answer
    return tuple(states)


def _completeness(states: tuple[QuestionState, ...]) -> float:
    required = [state for state in states if state.question.required] or list(states)
    if not required:
        return 1.0
    return sum(1 for state in required if state.answered) / len(required)


def _earned(question: Question, answer: object) -> float:
    if question.type is QuestionType.SINGLE_CHOICE and isinstance(answer, str):
        option = question.option(answer)
        return option.points if option else 0.0
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(answer, list):
        return sum(option.points for option in question.options if option.value in answer)
    if question.type is QuestionType.YES_NO:
        return question.points if answer is True else 0.0
    return question.points


def _percent(earned: float, possible: float) -> int:
    if possible <= 0:
        return 0
    return max(0, min(100, round(100 * earned / possible)))


def _scores(
    definition: Definition,
    states: tuple[QuestionState, ...],
    answers: Mapping[str, object],
    facts: Mapping[str, object],
) -> Scores:
    scoring = definition.scoring
    context = Context(answers, facts)
    fit, fit_reasons = _rule_points(scoring.fit_rules, context)
    interest, interest_reasons = _rule_points(scoring.interest_rules, context)
    axes: list[AxisScore] = []
    weighted = 0.0
    weights = 0.0
    for axis in scoring.axes:
        on_axis = [state for state in states if state.question.framework == axis.id]
        possible = sum(state.question.max_points for state in on_axis)
        earned = sum(_earned(state.question, state.answer) for state in on_axis if state.answered)
        score = _percent(earned, possible)
        axes.append(AxisScore(axis, earned, possible, score))
        if possible > 0:
            weighted += axis.weight * score
            weights += axis.weight
    return Scores(
        fit=_percent(fit, scoring.fit_max_points),
        interest=_percent(interest, scoring.interest_max_points),
        framework=round(weighted / weights) if weights > 0 else 0,
        axes=tuple(axes),
        fit_reasons=fit_reasons,
        interest_reasons=interest_reasons,
    )


def _rule_points(rules: tuple[ScoreRule, ...], context: Context) -> tuple[float, tuple[str, ...]]:
    matched = [rule for rule in rules if holds(rule.when, context)]
    reasons = tuple(f"{rule.label} ({rule.points:+g})" for rule in matched)
    return sum(rule.points for rule in matched), reasons


def _suggest(
    definition: Definition, knockouts: tuple[KnockoutHit, ...], context: Context
) -> Suggestion:
    if knockouts:
        hit = knockouts[0]
        return _suggestion(hit.outcome, hit.outcome.reason, knockout=hit.question_id)
    for index, rule in enumerate(definition.rules):
        if holds(rule.when, context):
            outcome = _to_sales_if_good_fit(definition, rule.outcome, context)
            because = rule.description
            if outcome is not rule.outcome:
                because += " (unqualified interest goes to sales)"
            return _suggestion(outcome, because, rule_index=index)
    # Validation requires a fallback rule; this only guards a definition built by hand.
    fallback = Outcome(LeadType.UNQUALIFIED_SUITABILITY, Verdict.NURTURE, "Keep qualifying")
    return _suggestion(fallback, "No rule matched")


def _to_sales_if_good_fit(definition: Definition, outcome: Outcome, context: Context) -> Outcome:
    """A good fit that has shown no interest yet is sales' to sell when the policy says so:
    the rule's nurture becomes a hand-off. Fit must reach the definition's ``good_fit``
    threshold (when it has one), so a lead whose fit is unknown is not sent."""
    if (
        definition.policy.unqualified_interest_goes_to is not UnqualifiedInterestGoesTo.SALES
        or outcome.lead_type is not LeadType.UNQUALIFIED_INTEREST
        or outcome.verdict is not Verdict.NURTURE
    ):
        return outcome
    good_fit = dict(definition.scoring.thresholds).get("good_fit")
    if good_fit is not None and context.scores.get("fit", 0.0) < good_fit:
        return outcome
    reason = f"{outcome.reason}; a good fit, so sales works up the interest"
    return Outcome(LeadType.UNQUALIFIED_INTEREST, Verdict.HAND_OFF, reason)


def _suggestion(
    outcome: Outcome, because: str, knockout: str | None = None, rule_index: int | None = None
) -> Suggestion:
    return Suggestion(
        lead_type=outcome.lead_type,
        verdict=outcome.verdict,
        reason=outcome.reason,
        disqualify_reason=outcome.disqualify_reason,
        recycle_days=outcome.recycle_days,
        because=because,
        knockout=knockout,
        rule_index=rule_index,
    )

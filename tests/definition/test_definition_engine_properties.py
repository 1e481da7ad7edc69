"""Whatever a rep answers, the engine gives exactly one suggestion and never crashes."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.definition import (
    TEMPLATES,
    Definition,
    Question,
    QuestionType,
    check_answers,
    default_definition_path,
    evaluate,
    load_definition,
)
from leaddesk.definition.policy import UnqualifiedInterestGoesTo
from leaddesk.domain import LeadType, Verdict

DEFINITIONS = {name: load_definition(default_definition_path(name)) for name in TEMPLATES}


def answer_values(question: Question) -> st.SearchStrategy[object]:
    values = [option.value for option in question.options]
    numbers = st.integers(-1_000_000, 10_000_000) | st.floats(-1e9, 1e9, allow_nan=False)
    by_type: dict[QuestionType, st.SearchStrategy[object]] = {
        QuestionType.SINGLE_CHOICE: st.sampled_from(values) if values else st.nothing(),
        QuestionType.MULTIPLE_CHOICE: st.lists(st.sampled_from(values), unique=True)
        if values
        else st.nothing(),
        QuestionType.YES_NO: st.booleans(),
        QuestionType.NUMBER: numbers,
        QuestionType.MONEY: numbers
        | st.fixed_dictionaries({"amount": numbers, "currency": st.sampled_from(["EUR", "USD"])}),
        QuestionType.DATE: st.dates(date(1990, 1, 1), date(2100, 1, 1)).map(date.isoformat),
        # A NUL is refused when an answer is checked (tests/fuzz/test_hostile_text.py).
        QuestionType.TEXT: st.text(st.characters(exclude_characters="\x00"), max_size=40),
    }
    return by_type[question.type] | st.none()


@st.composite
def answer_sets(draw: st.DrawFn, definition: Definition) -> dict[str, object]:
    chosen = draw(st.lists(st.sampled_from(definition.questions), unique_by=lambda q: q.id))
    return {question.id: draw(answer_values(question)) for question in chosen}


facts = st.fixed_dictionaries(
    {},
    optional={
        "employees": st.integers(0, 500_000) | st.text(max_size=5) | st.none(),
        "industry": st.sampled_from(["software", "retail", "Healthcare", ""]) | st.integers(),
        "seniority": st.sampled_from(["vp", "manager", "intern"]),
        "title": st.text(max_size=30),
        "country": st.sampled_from(["US", "DE", "BR", "gb"]),
        "source": st.sampled_from(["web_form", "purchased_list", "webinar", "carrier pigeon"]),
        "existing_customer": st.booleans() | st.none(),
        "earlier_leads": st.integers(0, 5),
        "hours_since_arrival": st.floats(allow_nan=True, allow_infinity=True),
        "inquiry": st.text(max_size=60),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), facts=facts)
def test_any_answer_set_gives_exactly_one_suggestion(
    data: st.DataObject, facts: dict[str, object]
) -> None:
    name = data.draw(st.sampled_from(TEMPLATES))
    definition = DEFINITIONS[name]
    answers = check_answers(definition, data.draw(answer_sets(definition)))
    result = evaluate(definition, answers, facts)
    suggestion = result.suggestion
    assert isinstance(suggestion.lead_type, LeadType)
    assert isinstance(suggestion.verdict, Verdict)
    assert (suggestion.knockout is None) != (suggestion.rule_index is None)
    assert 0.0 <= result.completeness <= 1.0
    for score in (result.scores.fit, result.scores.interest, result.scores.framework):
        assert 0 <= score <= 100
    assert all(0 <= axis.score <= 100 for axis in result.scores.axes)
    assert len(result.fired) == len(result.knockouts) + (0 if result.knockouts else 1)
    visible = {state.question.id for state in result.questions}
    assert {q.id for q in result.next_questions} <= visible
    if suggestion.verdict is Verdict.HAND_OFF:
        # Sales-worthy, or a good fit without interest yet where the policy sends it to sales.
        goes_to = definition.policy.unqualified_interest_goes_to
        assert suggestion.lead_type is LeadType.SALES_WORTHY or (
            suggestion.lead_type is LeadType.UNQUALIFIED_INTEREST
            and goes_to is UnqualifiedInterestGoesTo.SALES
            and result.scores.fit >= dict(definition.scoring.thresholds)["good_fit"]
        )


@settings(max_examples=40, deadline=None)
@given(raw=st.dictionaries(st.text(max_size=10), st.none() | st.integers() | st.text(max_size=5)))
def test_unchecked_junk_is_ignored_rather_than_crashing(raw: dict[str, object]) -> None:
    result = evaluate(DEFINITIONS["bant"], raw, {"employees": "many"})
    assert result.suggestion.verdict in set(Verdict)

"""The shipped templates validate and qualify real calls the way a rep would expect."""

from __future__ import annotations

import json
from typing import Any

import pytest

from leaddesk.definition import (
    TEMPLATES,
    Definition,
    check_answers,
    default_definition_path,
    definition_digest,
    evaluate,
    load_definition,
    validate_definition,
)
from leaddesk.domain import OPTIONAL_STAGES, DisqualifyReason, LeadType, Stage, Verdict

GOOD_FIT = {
    "employees": 320,
    "industry": "software",
    "seniority": "director",
    "title": "Director of Operations",
    "country": "US",
    "source": "web_form",
    "existing_customer": False,
    "earlier_leads": 0,
    "hours_since_arrival": 0.5,
    "inquiry": "Could we get pricing for 40 seats?",
}

OPENING = {"contact_check": "yes", "inquiry_reason": "project", "next_step_agreed": True}

# Strong answers per template: what a clear sales-worthy call sounds like.
STRONG: dict[str, dict[str, object]] = {
    "bant": {
        "pain_level": "major",
        "pain_example": "Missed two shipments last month",
        "decision_role": "decision_maker",
        "budget_status": "approved",
        "budget_amount": {"amount": 60000, "currency": "USD"},
        "timeline": "3_months",
        "deadline": "2030-03-31",
    },
    "champ": {
        "main_challenge": "Onboarding takes ten days",
        "challenge_impact": "severe",
        "challenge_cost": 40,
        "decision_role": "decision_maker",
        "budget_status": "approved",
        "budget_amount": 45000,
        "priority": "top",
    },
    "anum": {
        "decision_role": "decision_maker",
        "pain_level": "major",
        "pain_example": "Audit findings last quarter",
        "urgency": "deadline",
        "urgency_driver": "Contract with the old vendor ends in March",
        "budget_status": "planned",
        "budget_amount": 30000,
    },
    "meddic": {
        "pain_level": "major",
        "pain_example": "Churn up 4 points",
        "success_metric": "quantified",
        "metric_target": "Churn back under 2%",
        "economic_buyer": "self",
        "decision_criteria": ["integrations", "security", "ease"],
        "decision_process": "defined",
        "champion": "yes",
    },
}

# A branch per template: the follow-up question and the answer that opens it / keeps it shut.
BRANCHES: dict[str, tuple[str, dict[str, object], dict[str, object]]] = {
    "bant": ("budget_amount", {"budget_status": "approved"}, {"budget_status": "none"}),
    "champ": ("challenge_cost", {"challenge_impact": "severe"}, {"challenge_impact": "minor"}),
    "anum": ("urgency_driver", {"urgency": "deadline"}, {"urgency": "none"}),
    "meddic": ("economic_buyer_name", {"economic_buyer": "known"}, {"economic_buyer": "self"}),
}


@pytest.fixture(scope="module", params=TEMPLATES)
def template(request: pytest.FixtureRequest) -> tuple[str, Definition]:
    name: str = request.param
    return name, load_definition(default_definition_path(name))


def test_every_template_validates_clean() -> None:
    for name in TEMPLATES:
        path = default_definition_path(name)
        assert validate_definition(path.read_text(encoding="utf-8"), str(path)) == []


def test_template_names_every_stage_and_lead_type(template: tuple[str, Definition]) -> None:
    _, definition = template
    # The lifecycle's own stages; a stage the team adds (marketing-qualified) is theirs to write.
    assert {text.stage for text in definition.stages} == set(Stage) - OPTIONAL_STAGES
    assert {entry.lead_type for entry in definition.glossary} == set(LeadType)
    assert definition.stage_label(Stage.QUALIFIED) == "Sales-qualified (SQL)"


def test_template_can_reach_every_lead_type_and_verdict(template: tuple[str, Definition]) -> None:
    _, definition = template
    outcomes = [rule.outcome for rule in definition.rules] + [
        q.knockout.outcome for q in definition.questions if q.knockout
    ]
    assert {outcome.lead_type for outcome in outcomes} == set(LeadType)
    assert {outcome.verdict for outcome in outcomes} == set(Verdict)
    assert any(q.knockout for q in definition.questions)
    assert any(not q.show_when.always for q in definition.questions)


def test_every_question_tells_the_rep_why_we_ask(template: tuple[str, Definition]) -> None:
    _, definition = template
    for question in definition.questions:
        assert question.help, question.id
        assert question.text.endswith("?"), question.id


def test_clear_sales_worthy_lead_is_handed_off(template: tuple[str, Definition]) -> None:
    name, definition = template
    answers = check_answers(definition, {**OPENING, **STRONG[name]})
    result = evaluate(definition, answers, GOOD_FIT)
    assert result.suggestion.verdict is Verdict.HAND_OFF
    assert result.suggestion.lead_type is LeadType.SALES_WORTHY
    assert result.completeness == 1.0
    assert result.scores.fit >= 50 and result.scores.interest >= 40
    assert result.scores.framework >= 60
    assert len(result.scores.axes) == len(definition.scoring.axes)
    assert result.fired[-1].endswith("→ Sales-worthy")
    assert not [q for q in result.next_questions if q.required]


def test_made_up_contact_details_knock_the_lead_out(template: tuple[str, Definition]) -> None:
    name, definition = template
    answers = check_answers(definition, {**OPENING, **STRONG[name], "contact_check": "invalid"})
    result = evaluate(definition, answers, GOOD_FIT)
    assert result.suggestion.verdict is Verdict.DISQUALIFY
    assert result.suggestion.lead_type is LeadType.DUBIOUS
    assert result.suggestion.disqualify_reason is DisqualifyReason.DUBIOUS
    assert result.suggestion.knockout == "contact_check"
    assert result.fired == ("Knock-out: Contact details are wrong or made up → Dubious",)


def test_personal_use_is_unworthy(template: tuple[str, Definition]) -> None:
    _, definition = template
    result = evaluate(definition, {"inquiry_reason": "personal"}, {})
    assert result.suggestion.lead_type is LeadType.UNWORTHY
    assert result.suggestion.disqualify_reason is DisqualifyReason.UNWORTHY


def test_branch_question_shows_only_after_its_answer(template: tuple[str, Definition]) -> None:
    name, definition = template
    follow_up, opens, shuts = BRANCHES[name]
    visible = [s.question.id for s in evaluate(definition, opens, GOOD_FIT).questions]
    assert follow_up in visible
    hidden = evaluate(definition, {**shuts, follow_up: _any_answer(definition, follow_up)}, {})
    assert follow_up not in [s.question.id for s in hidden.questions]
    # The stale answer from the closed branch no longer counts.
    assert follow_up not in hidden.answers


def test_existing_customer_goes_to_the_account_owner(template: tuple[str, Definition]) -> None:
    name, definition = template
    answers = check_answers(definition, {**OPENING, **STRONG[name]})
    result = evaluate(definition, answers, {**GOOD_FIT, "existing_customer": True})
    assert result.suggestion.verdict is Verdict.EXISTING_ACCOUNT


def test_competitor_is_disqualified_as_competitor(template: tuple[str, Definition]) -> None:
    _, definition = template
    result = evaluate(definition, {"inquiry_reason": "vendor"}, GOOD_FIT)
    assert result.suggestion.disqualify_reason is DisqualifyReason.COMPETITOR


def test_tiny_company_is_outside_the_profile(template: tuple[str, Definition]) -> None:
    _, definition = template
    facts = {"employees": 4, "industry": "retail", "country": "BR", "source": "web_form"}
    result = evaluate(definition, {"contact_check": "yes"}, facts)
    assert result.scores.fit == 0
    assert result.suggestion.lead_type is LeadType.UNWORTHY
    assert result.suggestion.verdict is Verdict.DISQUALIFY


def test_fresh_bought_list_contact_is_dubious(template: tuple[str, Definition]) -> None:
    _, definition = template
    result = evaluate(definition, {}, {"source": "purchased_list"})
    assert result.suggestion.lead_type is LeadType.DUBIOUS
    assert result.suggestion.verdict is Verdict.NURTURE


def test_untouched_lead_asks_required_questions_first(template: tuple[str, Definition]) -> None:
    _, definition = template
    result = evaluate(definition, {}, {})
    assert result.completeness == 0.0
    flags = [question.required for question in result.next_questions]
    assert flags == sorted(flags, reverse=True)
    assert result.next_questions[0].id == "contact_check"
    assert result.suggestion.lead_type is LeadType.UNQUALIFIED_SUITABILITY


def test_summary_is_json_and_names_the_version(template: tuple[str, Definition]) -> None:
    _, definition = template
    summary: dict[str, Any] = json.loads(json.dumps(definition.to_dict()))
    assert summary["digest"] == definition_digest(
        default_definition_path(template[0]).read_text(encoding="utf-8")
    )
    assert summary["policy"]["speed_to_lead_hours"] == 2.0
    assert summary["policy"]["business_hours"]["weekdays"] == ["mon", "tue", "wed", "thu", "fri"]
    assert summary["rules"][-1]["when"] == {}


def _any_answer(definition: Definition, question_id: str) -> object:
    question = definition.question(question_id)
    assert question is not None
    return {"number": 5, "money": 100, "text": "something", "date": "2030-01-01"}.get(
        question.type.value, question.options[0].value if question.options else True
    )


def test_the_command_each_template_names_in_its_header_works(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The templates' first lines say `leaddesk definition check FILE`; that command runs."""
    from leaddesk.cli import main

    for name in TEMPLATES:
        path = default_definition_path(name)
        header = path.read_text(encoding="utf-8").split("\n[", 1)[0]
        assert "`leaddesk definition check FILE`" in header
        assert main(["definition", "check", str(path)]) == 0
        assert ": valid" in capsys.readouterr().out


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_rule_says_when_it_needs_a_good_fit_and_never_claims_one_it_does_not_test(
    name: str,
) -> None:
    # The rep reads the rule's description as the reason for the suggestion (and for why a
    # strong call was not suggested as a hand-off): what it tests about fit must be in it.
    import tomllib

    with default_definition_path(name).open("rb") as handle:
        rules = tomllib.load(handle)["rules"]
    for rule in rules:
        fit = rule.get("when", {}).get("fit", {})
        needs_good_fit = isinstance(fit, dict) and fit.get("gte") == "good_fit"
        says_good_fit = rule["description"].startswith("Good fit")
        assert needs_good_fit == says_good_fit, (name, rule["description"])

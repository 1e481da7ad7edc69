"""A definition may add a stage of its own before qualification (marketing-qualified): its label
and a rule on what is known when a lead arrives, checked like every other rule."""

from __future__ import annotations

from leaddesk.definition import diff_definitions, parse_definition, validate_definition
from leaddesk.domain import Stage
from leaddesk.files.resources import resource_path

BANT = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")


def _with_stage(when: str) -> str:
    return (
        BANT
        + f"""
[stages.marketing_qualified]
label = "Basic Qualified Lead"
definition = "A good fit that came to us."
{when}
"""
    )


def test_the_added_stage_sits_after_new_and_holds_on_facts_and_arrival_scores() -> None:
    definition = parse_definition(
        _with_stage('when = { fit = { gte = "good_fit" }, source = "web_form" }'), "team.toml"
    )
    assert definition.funnel[:3] == (Stage.NEW, Stage.MARKETING_QUALIFIED, Stage.WORKING)
    assert definition.stage_label(Stage.MARKETING_QUALIFIED) == "Basic Qualified Lead"
    assert definition.starts_marketing_qualified({"source": "web_form"}, fit=50, interest=0)
    assert not definition.starts_marketing_qualified({"source": "web_form"}, fit=49, interest=90)
    assert not definition.starts_marketing_qualified({"source": "webinar"}, fit=90, interest=90)
    shown = definition.to_dict()["stages"]["marketing_qualified"]
    assert shown["when"] == {"fit": {"gte": "good_fit"}, "source": "web_form"}


def test_a_definition_without_it_has_no_such_stage_and_sends_no_lead_there() -> None:
    definition = parse_definition(BANT, "bant.toml")
    assert Stage.MARKETING_QUALIFIED not in definition.funnel
    assert not definition.has_stage(Stage.MARKETING_QUALIFIED)
    assert not definition.starts_marketing_qualified({"source": "web_form"}, fit=99, interest=99)
    assert "marketing_qualified" not in definition.to_dict()["stages"]


def test_the_rule_may_not_ask_for_answers_a_new_lead_cannot_have() -> None:
    problems = validate_definition(_with_stage('when = { budget_status = "approved" }'), "t.toml")
    assert [(p.path, p.message) for p in problems] == [
        (
            "stages.marketing_qualified.when.budget_status",
            "no lead fact or arrival score called 'budget_status'",
        )
    ]
    framework = validate_definition(_with_stage("when = { framework = { gte = 50 } }"), "t.toml")
    assert [p.path for p in framework] == ["stages.marketing_qualified.when.framework"]


def test_an_empty_rule_is_refused_and_no_rule_keeps_the_words_only() -> None:
    empty = validate_definition(_with_stage("when = {}"), "t.toml")
    assert [p.path for p in empty] == ["stages.marketing_qualified.when"]
    words_only = parse_definition(_with_stage(""), "team.toml")
    assert words_only.has_stage(Stage.MARKETING_QUALIFIED)
    assert not words_only.starts_marketing_qualified({}, fit=100, interest=100)


def test_publishing_it_or_taking_it_out_says_so_in_the_diff() -> None:
    plain = parse_definition(BANT, "bant.toml")
    added = parse_definition(_with_stage('when = { source = "web_form" }'), "team.toml")
    assert "Stage added: 'marketing_qualified' — \"Basic Qualified Lead\"" in diff_definitions(
        plain, added
    )
    assert any(
        line.startswith("Stage removed: 'marketing_qualified'")
        for line in diff_definitions(added, plain)
    )

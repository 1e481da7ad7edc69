"""A broken definition gets one precise message per problem: file, line, key path, what."""

from __future__ import annotations

import pytest

from leaddesk.definition import DefinitionError, Problem, parse_definition, validate_definition
from leaddesk.definition.key_lines import key_lines, line_for
from leaddesk.domain import LeadType, Stage
from leaddesk.errors import InputError

STAGES = "".join(f'[stages.{s.value}]\nlabel = "{s.value.title()}"\n' for s in Stage)
GLOSSARY = "".join(
    f'[glossary.{t.value}]\nlabel = "{t.value}"\ndefinition = "What {t.value} means."\n'
    for t in LeadType
)

HEAD = f"""[definition]
name = "Tiny"
framework = "BANT"

{STAGES}
{GLOSSARY}
[scoring.thresholds]
good_fit = 60

[[scoring.axes]]
id = "budget"
letter = "B"
label = "Budget"
"""

QUESTIONS = """
[[sections]]
title = "Budget"

[[sections.questions]]
id = "budget"
text = "Is there budget?"
type = "single_choice"
required = true
framework = "budget"
options = [
  { value = "yes", label = "Yes", points = 10 },
  { value = "no", label = "No" },
]

[[sections.questions]]
id = "amount"
text = "How much?"
type = "money"
show_when = { budget = "yes" }
"""

RULES = """
[[rules]]
description = "Budget and good fit"
when = { budget = "yes", fit = { gte = "good_fit" } }
lead_type = "sales_worthy"
verdict = "hand_off"

[[rules]]
description = "Anything else"
lead_type = "unqualified_suitability"
verdict = "nurture"
reason = "Keep qualifying"
"""

VALID = HEAD + QUESTIONS + RULES


def problems_of(text: str) -> list[Problem]:
    return validate_definition(text, "team.toml")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_minimal_definition_is_valid() -> None:
    assert problems_of(VALID) == []
    definition = parse_definition(VALID, "team.toml")
    assert [q.id for q in definition.questions] == ["budget", "amount"]


def test_toml_syntax_error_points_at_its_line() -> None:
    text = VALID.replace('text = "How much?"', "text = How much?")
    problem = only_problem(text)
    assert problem.line == line_of(text, "text = How much?")
    assert problem.message.startswith("not valid TOML")


def test_a_file_nested_absurdly_deep_is_a_problem_not_a_crash() -> None:
    problem = only_problem("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert problem.message == "nested too deeply to be a lead definition"


def test_parse_error_lists_every_problem_as_file_line_path_message() -> None:
    text = VALID.replace("required = true", 'required = "yes"').replace(
        'verdict = "hand_off"', 'verdict = "handoff"'
    )
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, "team.toml")
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2
    lines = str(caught.value).splitlines()
    verdict_line = line_of(text, 'verdict = "handoff"')
    assert lines == [
        f"team.toml:{line_of(text, 'required =')}: sections[0].questions[0].required:"
        ' must be true or false, not "yes"',
        f"team.toml:{verdict_line}: rules[0].verdict:"
        " unknown verdict 'handoff'; use one of: hand_off, nurture, disqualify, existing_account",
    ]


def test_unknown_question_in_a_rule_suggests_the_near_miss() -> None:
    text = VALID.replace('when = { budget = "yes", fit', 'when = { budjet = "yes", fit')
    problem = only_problem(text)
    assert problem.path == "rules[0].when.budjet"
    assert problem.line == line_of(text, "budjet")
    assert "no question, score or fact called 'budjet'; did you mean 'budget'?" in problem.message


def test_unknown_question_in_a_branch() -> None:
    text = VALID.replace('show_when = { budget = "yes" }', 'show_when = { budgt = "yes" }')
    problem = only_problem(text)
    assert problem.path == "sections[0].questions[1].show_when.budgt"
    assert problem.line == line_of(text, "show_when")


def test_unknown_question_in_a_knockout() -> None:
    text = VALID.replace(
        'show_when = { budget = "yes" }',
        'show_when = { budget = "yes" }\n'
        "[sections.questions.knockout]\n"
        "when = { amout = { lt = 100 } }\n"
        'lead_type = "unworthy"\nverdict = "disqualify"\ndisqualify_reason = "unworthy"\n'
        'reason = "Too small"',
    )
    problem = only_problem(text)
    assert problem.path == "sections[0].questions[1].knockout.when.amout"
    assert problem.line == line_of(text, "amout")


def test_condition_on_a_missing_option_never_fires() -> None:
    text = VALID.replace('when = { budget = "yes", fit', 'when = { budget = "maybe", fit')
    problem = only_problem(text)
    assert problem.path == "rules[0].when.budget"
    assert problem.message == (
        "never matches: question 'budget' has no option 'maybe' (options: yes, no)"
    )


def test_contradictory_bounds_never_fire() -> None:
    text = VALID.replace('fit = { gte = "good_fit" }', "fit = { gte = 70, lt = 40 }")
    problem = only_problem(text)
    assert problem.path == "rules[0].when.fit"
    assert problem.message == "never matches: 'fit' cannot be both above 70 and below 40"


def test_score_above_100_never_fires() -> None:
    text = VALID.replace('fit = { gte = "good_fit" }', "fit = { gt = 100 }")
    assert "never above 100" in only_problem(text).message


def test_rule_after_an_unconditional_rule_never_fires() -> None:
    text = VALID + RULES.replace("Anything else", "Another fallback").replace(
        "Budget and good fit", "Budget again"
    )
    messages = [(p.path, p.message) for p in problems_of(text)]
    assert ("rules[2]", "never fires: rules[1] above always fires first") in messages
    line = next(p.line for p in problems_of(text) if p.path == "rules[2]")
    assert line == line_of(text, "[[rules]]", 3)


def test_rule_repeating_an_earlier_condition_never_fires() -> None:
    duplicate = RULES.split("[[rules]]")[1]
    text = HEAD + QUESTIONS + "[[rules]]" + duplicate + RULES
    assert ("rules[1]", "never fires: rules[0] above has the same condition") in [
        (p.path, p.message) for p in problems_of(text)
    ]


def test_missing_fallback_rule() -> None:
    text = HEAD + QUESTIONS + RULES.split('[[rules]]\ndescription = "Anything else"')[0]
    problem = only_problem(text)
    assert problem.path == "rules[0]"
    assert problem.message.startswith("missing fallback rule")


def test_forward_branch_is_refused() -> None:
    text = VALID.replace(
        'framework = "budget"\n', 'framework = "budget"\nshow_when = { amount = 5 }\n'
    )
    text = text.replace('show_when = { budget = "yes" }', "")
    problem = only_problem(text)
    assert problem.path == "sections[0].questions[0].show_when"
    assert "refers to 'amount', which is asked later" in problem.message


def test_branch_cycle_is_named() -> None:
    text = VALID.replace(
        'framework = "budget"\n', 'framework = "budget"\nshow_when = { amount = { gte = 5 } }\n'
    )
    problem = only_problem(text)
    assert problem.message == "cycle in branching: budget → amount → budget"
    assert problem.line == line_of(text, "show_when = { amount")


def test_question_depending_on_itself_is_a_cycle() -> None:
    text = VALID.replace('show_when = { budget = "yes" }', "show_when = { amount = 5 }")
    assert "depends on its own answer" in only_problem(text).message


def test_missing_stage_label() -> None:
    text = VALID.replace('[stages.qualified]\nlabel = "Qualified"\n', "[stages.qualified]\n")
    problem = only_problem(text)
    assert problem.path == "stages.qualified.label"
    assert problem.line == line_of(text, "[stages.qualified]")
    assert problem.message == "missing; it is required here"


def test_missing_stage_table() -> None:
    text = VALID.replace('[stages.nurture]\nlabel = "Nurture"\n', "")
    problem = only_problem(text)
    assert problem.path == "stages.nurture"
    assert "add [stages.nurture]" in problem.message


def test_unknown_question_type() -> None:
    text = VALID.replace('type = "money"', 'type = "slider"')
    problem = only_problem(text)
    assert problem.path == "sections[0].questions[1].type"
    assert problem.message.startswith("unknown question type 'slider'; use one of: single_choice")


def test_duplicate_question_id() -> None:
    text = VALID.replace('id = "amount"', 'id = "budget"')
    problems = problems_of(text)
    assert any(
        p.path == "sections[0].questions[1].id"
        and p.message == "duplicate question id 'budget' (first at sections[0].questions[0])"
        and p.line == line_of(text, 'id = "budget"', 3)
        for p in problems
    )


def test_duplicate_option_value_points_at_the_option() -> None:
    text = VALID.replace('{ value = "no", label = "No" }', '{ value = "yes", label = "No" }')
    problem = only_problem(text)
    assert problem.path == "sections[0].questions[0].options[1].value"
    assert problem.line == line_of(text, 'label = "No"')


@pytest.mark.parametrize(
    ("old", "new", "path", "message", "needle"),
    [
        (
            'lead_type = "sales_worthy"',
            'lead_type = "hot"',
            "rules[0].lead_type",
            "unknown lead type 'hot'",
            '"hot"',
        ),
        (
            'verdict = "nurture"',
            'verdict = "disqualify"\ndisqualify_reason = "rude"',
            "rules[1].disqualify_reason",
            "unknown disqualify reason 'rude'",
            '"rude"',
        ),
        (
            'verdict = "nurture"',
            'verdict = "disqualify"',
            "rules[1].disqualify_reason",
            "missing: say why it is disqualified",
            'description = "Anything else"',
        ),
        (
            'lead_type = "unqualified_suitability"\nverdict = "nurture"',
            'lead_type = "unworthy"\nverdict = "hand_off"',
            "rules[1].verdict",
            "only a sales_worthy lead can be handed off",
            ['lead_type = "unworthy"', 'verdict = "hand_off"'][1],
        ),
    ],
)
def test_invalid_outcomes(old: str, new: str, path: str, message: str, needle: str) -> None:
    text = VALID.replace(old, new)
    problem = only_problem(text)
    assert problem.path == path
    assert problem.message.startswith(message)
    # A missing key points at the start of its table.
    occurrence = 2 if needle.startswith("verdict") else 1
    assert problem.line == line_of(text, needle, occurrence) - (1 if "Anything" in needle else 0)


@pytest.mark.parametrize(
    ("policy", "path", "message"),
    [
        ('timezone = "Mars/Olympus"', "policy.timezone", "unknown time zone 'Mars/Olympus'"),
        ('holidays = { country = "XX" }', "policy.holidays.country", "no holiday calendar"),
        (
            'holidays = { country = "US", subdivision = "ZZ" }',
            "policy.holidays.subdivision",
            "no holiday calendar for 'US' / 'ZZ'",
        ),
        ('speed_to_lead_hours = "two"', "policy.speed_to_lead_hours", "must be a number"),
        ('assignment = "random"', "policy.assignment", "unknown assignment 'random'"),
        ("untouched_flag_hourz = 24", "policy.untouched_flag_hourz", "unknown key"),
        (
            'business_hours = { start = "18:00", end = "09:00" }',
            "policy.business_hours.end",
            "must be after start",
        ),
        (
            "cadence = { retry_after_minutes = { ringing = 5 } }",
            "policy.cadence.retry_after_minutes.ringing",
            "unknown call outcome",
        ),
        ("temperature = { hot = 50, warm = 60 }", "policy.temperature.warm", "must be below hot"),
        (
            "sales_routing = { due_hours_by_lead_type = { hot_lead = 4 } }",
            "policy.sales_routing.due_hours_by_lead_type.hot_lead",
            "unknown lead type",
        ),
        (
            'unqualified_interest_goes_to = "nowhere"',
            "policy.unqualified_interest_goes_to",
            "unknown 'nowhere'; use sales, marketing",
        ),
        ("temperature = { hot = 120 }", "policy.temperature.hot", "must be 1 to 100"),
        (
            'temperature = { warm_label = "Hot" }',
            "policy.temperature.cold_label",
            "hot, warm and cold need three different labels",
        ),
    ],
)
def test_bad_policy_values(policy: str, path: str, message: str) -> None:
    text = VALID + "\n[policy]\n" + policy + "\n"
    problem = only_problem(text)
    assert problem.path == path
    assert problem.message.startswith(message)
    assert problem.line == len(text.splitlines())


def test_policy_defaults_are_the_reference_process() -> None:
    policy = parse_definition(VALID, "team.toml").policy
    assert policy.speed_to_lead_hours == 2
    assert policy.untouched_flag_hours == 24
    assert policy.auto_reassign_after_hours == 48
    assert policy.cadence.max_attempts == 6
    assert policy.cadence.within_business_days == 10
    assert (policy.calling_hours.start.hour, policy.calling_hours.end.hour) == (8, 21)
    assert (policy.temperature.hot, policy.temperature.warm) == (70, 40)
    assert policy.temperature.rating(70, 90) == "Hot"
    assert policy.temperature.rating(69, 90) == "Warm"
    assert policy.temperature.rating(39, 90) == "Cold"


def test_wrong_types_and_unknown_operators_in_conditions() -> None:
    text = VALID.replace(
        'when = { budget = "yes", fit = { gte = "good_fit" } }',
        'when = { budget = "yes", fit = { atleast = 5 }, existing_customer = "yes",'
        ' interest = { gte = "warm" } }',
    )
    got = {p.path: p.message for p in problems_of(text)}
    assert got["rules[0].when.fit.atleast"].startswith("unknown test 'atleast'")
    assert got["rules[0].when.existing_customer"] == (
        "'existing_customer' is yes/no: write true or false"
    )
    assert got["rules[0].when.interest.gte"] == "no threshold called 'warm' (thresholds: good_fit)"


def test_question_id_may_not_shadow_a_fact_or_score() -> None:
    text = VALID.replace('id = "amount"', 'id = "fit"').replace('{ budget = "yes" }\n', "{}\n")
    assert any("is a fact, score or keyword" in p.message for p in problems_of(text))


def test_key_lines_follow_arrays_of_tables_and_inline_tables() -> None:
    lines = key_lines(VALID)
    assert lines["rules[1]"] == line_of(VALID, "[[rules]]", 2)
    assert lines["sections[0].questions[0].options[1].value"] == line_of(VALID, '"no"')
    assert line_for("rules[0].when.nothing_here", lines) == line_of(
        VALID, 'when = { budget = "yes", fit'
    )
    assert line_for("nowhere", lines) is None


def test_problem_without_a_line_still_names_the_file() -> None:
    assert str(Problem("t.toml", None, "rules", "missing")) == "t.toml: rules: missing"
    assert str(Problem("t.toml", 3, "", "bad")) == "t.toml:3: bad"

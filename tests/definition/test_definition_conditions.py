"""The condition language reads naturally in TOML and never evaluates anything as code."""

from __future__ import annotations

import tomllib

import pytest

from leaddesk.definition.conditions import (
    FACTS,
    Condition,
    Context,
    Kind,
    Subject,
    ValueType,
    Vocabulary,
    holds,
    read_condition,
)

SUBJECTS = {
    **{name: Subject(name, Kind.FACT, kind) for name, kind in FACTS.items()},
    "budget": Subject("budget", Kind.QUESTION, ValueType.CHOICE, ("yes", "no")),
    "tools": Subject("tools", Kind.QUESTION, ValueType.CHOICES, ("crm", "erp", "bi")),
    "agreed": Subject("agreed", Kind.QUESTION, ValueType.BOOL),
    "amount": Subject("amount", Kind.QUESTION, ValueType.MONEY),
    "go_live": Subject("go_live", Kind.QUESTION, ValueType.DATE),
    "fit": Subject("fit", Kind.SCORE, ValueType.SCORE),
}
VOCAB = Vocabulary(SUBJECTS, {"good_fit": 60.0})


def when(toml: str) -> Condition:
    problems: list[tuple[str, str]] = []
    condition = read_condition(
        tomllib.loads(f"when = {toml}")["when"],
        "when",
        VOCAB,
        lambda path, message: problems.append((path, message)),
    )
    assert problems == []
    return condition


def check(toml: str, answers: dict[str, object], facts: dict[str, object] | None = None) -> bool:
    return holds(when(toml), Context(answers, facts or {}, {"fit": 70.0}))


@pytest.mark.parametrize(
    ("toml", "answers", "expected"),
    [
        ('{ budget = "yes" }', {"budget": "yes"}, True),
        ('{ budget = ["yes", "no"] }', {"budget": "no"}, True),
        ('{ budget = { not = "yes" } }', {}, False),  # missing answers match nothing
        ("{ budget = { answered = false } }", {}, True),
        ('{ tools = "erp" }', {"tools": ["crm", "erp"]}, True),
        ('{ tools = { not_in = ["erp", "bi"] } }', {"tools": ["crm"]}, True),
        ("{ agreed = true }", {"agreed": 1}, False),  # a number is not a yes
        ("{ amount = { gte = 1000 } }", {"amount": {"amount": 1500, "currency": "EUR"}}, True),
        ("{ go_live = { lt = 2030-01-01 } }", {"go_live": "2029-12-31"}, True),
        ('{ fit = { gte = "good_fit" } }', {}, True),
        ('{ any = [{ budget = "no" }, { agreed = true }] }', {"agreed": True}, True),
        ('{ none = [{ budget = "no" }] }', {"budget": "no"}, False),
        ('{ all = [{ budget = "yes" }, { agreed = true }] }', {"budget": "yes"}, False),
    ],
)
def test_condition_semantics(toml: str, answers: dict[str, object], expected: bool) -> None:
    assert check(toml, answers) is expected


def test_text_facts_match_case_insensitively_and_by_word() -> None:
    toml = '{ title = { contains = ["director", "head"] }, country = ["US", "CA"] }'
    assert check(toml, {}, {"title": "Head of IT", "country": "us"})
    assert not check(toml, {}, {"title": "Intern", "country": "US"})


def test_facts_of_the_wrong_type_simply_do_not_match() -> None:
    assert not check("{ employees = { gte = 50 } }", {}, {"employees": "fifty"})
    assert not check("{ existing_customer = true }", {}, {"existing_customer": "yes"})
    assert check("{ employees = { answered = true } }", {}, {"employees": 0})


def test_empty_condition_always_holds() -> None:
    assert when("{}").always
    assert holds(when("{}"), Context({}, {}))

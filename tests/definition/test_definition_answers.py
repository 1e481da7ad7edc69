"""Answers from the UI, the CLI or a JSON file are normalised, or refused naming the question."""

from __future__ import annotations

from datetime import date

import pytest

from leaddesk.definition import Definition, check_answers, default_definition_path, load_definition
from leaddesk.errors import InputError


@pytest.fixture(scope="module")
def bant() -> Definition:
    return load_definition(default_definition_path("bant"))


def test_answers_are_normalised_to_json_values(bant: Definition) -> None:
    answers = check_answers(
        bant,
        {
            "budget_status": "approved",
            "budget_amount": 25000.0,
            "deadline": date(2030, 5, 1),
            "next_step_agreed": "yes",
            "others_involved": ["legal", "it"],
            "current_process": "  Spreadsheets  ",
            "pain_example": "",
        },
    )
    assert answers == {
        "budget_status": "approved",
        "budget_amount": {"amount": 25000, "currency": "USD"},
        "deadline": "2030-05-01",
        "next_step_agreed": True,
        "others_involved": ["it", "legal"],  # in questionnaire order
        "current_process": "Spreadsheets",
    }


def test_money_keeps_its_own_currency(bant: Definition) -> None:
    answers = check_answers(bant, {"budget_amount": {"amount": "12,500", "currency": "eur"}})
    assert answers == {"budget_amount": {"amount": 12500, "currency": "EUR"}}


def test_normalised_answers_pass_again_unchanged(bant: Definition) -> None:
    once = check_answers(bant, {"budget_amount": 10, "deadline": "2030-01-02", "timeline": "none"})
    assert check_answers(bant, once) == once


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"budjet": "approved"}, "budjet: no such question in 'BANT (default)'"),
        ({"budget_status": "lots"}, "budget_status: pick one of: approved, planned, to_find, none"),
        ({"others_involved": ["it", "cfo"]}, "others_involved: no option 'cfo'"),
        ({"next_step_agreed": "perhaps"}, "next_step_agreed: answer yes or no"),
        ({"budget_amount": True}, "budget_amount: must be a number"),
        ({"budget_amount": {"amount": 5, "currency": "euros"}}, "unknown currency 'euros'"),
        ({"deadline": "next tuesday"}, "deadline: must be a date like 2025-01-31"),
        ({"current_process": 42}, "current_process: must be text"),
    ],
)
def test_wrong_answers_name_the_question(
    bant: Definition, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError) as caught:
        check_answers(bant, answers)
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


def test_every_wrong_answer_is_reported_at_once(bant: Definition) -> None:
    with pytest.raises(InputError) as caught:
        check_answers(bant, {"timeline": "soon", "nope": 1})
    assert len(str(caught.value).splitlines()) == 2

"""Check and normalise questionnaire answers as they come from the UI, the CLI or JSON.

Normal forms (JSON-able, what the store keeps): single choice → option value; multiple
choice → list of option values in questionnaire order; yes/no → bool; number → int or float;
money → {"amount": n, "currency": "EUR"}; date → "2025-01-31"; text → stripped text.
None or an empty value clears the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime

from leaddesk.definition.model import Definition, Question, QuestionType
from leaddesk.errors import InputError

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class _Invalid(Exception):
    """An answer that does not fit its question; the message is shown to the rep."""


def check_answers(definition: Definition, answers: Mapping[str, object]) -> dict[str, object]:
    """Normalised answers; raises InputError naming each question whose answer is wrong."""
    normalised: dict[str, object] = {}
    problems: list[str] = []
    for question_id, value in answers.items():
        question = definition.question(str(question_id))
        if question is None:
            problems.append(f"{question_id}: no such question in '{definition.name}'")
            continue
        try:
            answer = normalise_answer(question, value, definition.currency)
        except _Invalid as error:
            problems.append(f"{question_id}: {error}")
            continue
        if answer is not None:
            normalised[question.id] = answer
    if problems:
        raise InputError("\n".join(problems))
    return normalised


def usable_answers(definition: Definition, answers: Mapping[str, object]) -> dict[str, object]:
    """The answers that fit their questions, silently dropping the rest (for live scoring)."""
    usable: dict[str, object] = {}
    for question_id, value in answers.items():
        question = definition.question(str(question_id))
        if question is None:
            continue
        try:
            answer = normalise_answer(question, value, definition.currency)
        except _Invalid:
            continue
        if answer is not None:
            usable[question.id] = answer
    return usable


def normalise_answer(question: Question, value: object, currency: str) -> object | None:
    if value is None or (isinstance(value, str | list | tuple | dict) and not value):
        return None
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        if not isinstance(value, str) or question.option(value) is None:
            raise _Invalid(f"pick one of: {_choices(question)}")
        return value
    if kind is QuestionType.MULTIPLE_CHOICE:
        picked = [value] if isinstance(value, str) else value
        if not isinstance(picked, list | tuple | set | frozenset):
            raise _Invalid(f"pick any of: {_choices(question)}")
        unknown = [
            item for item in picked if not isinstance(item, str) or not question.option(item)
        ]
        if unknown:
            raise _Invalid(f"no option {unknown[0]!r}; pick any of: {_choices(question)}")
        return [option.value for option in question.options if option.value in picked]
    if kind is QuestionType.YES_NO:
        return _yes_no(value)
    if kind is QuestionType.NUMBER:
        return _number(value)
    if kind is QuestionType.MONEY:
        return _money(value, currency)
    if kind is QuestionType.DATE:
        return _date(value)
    if not isinstance(value, str):
        raise _Invalid("must be text")
    if "\x00" in value:
        # PostgreSQL text cannot hold it; refused on every store alike (see store.nul_guard).
        raise _Invalid("contains a NUL character (\\0); remove it and try again")
    return value.strip() or None


def _choices(question: Question) -> str:
    return ", ".join(option.value for option in question.options)


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    raise _Invalid("answer yes or no")


def _number(value: object) -> int | float:
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ""))
        except ValueError:
            raise _Invalid(f"must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid("must be a number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _money(value: object, currency: str) -> dict[str, object]:
    if isinstance(value, dict):
        unknown = set(value) - {"amount", "currency"}
        if unknown or "amount" not in value:
            raise _Invalid('write an amount, e.g. {"amount": 5000, "currency": "EUR"}')
        code = value.get("currency") or currency
        if not isinstance(code, str) or not _CURRENCY.match(code.upper()):
            raise _Invalid(f"unknown currency {code!r}; use a code like EUR")
        return {"amount": _number(value["amount"]), "currency": code.upper()}
    return {"amount": _number(value), "currency": currency}


def _date(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _Invalid("must be a date like 2025-01-31")

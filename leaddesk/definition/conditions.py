"""The small condition language used by branches, knock-outs, scoring and verdict rules.

A condition is a TOML table read as "all of these hold"::

    when = { budget_confirmed = true, fit = { gte = "good_fit" }, any = [
        { authority = "decision_maker" }, { authority = "influencer" } ] }

Each key names a question, a lead fact or a score. A plain value means ``equals``, a list
means ``in``, a table holds operators: equals, not, in, not_in, gt, gte, lt, lte, contains,
answered. ``any`` / ``all`` / ``none`` hold lists of nested conditions. Nothing is ever
evaluated as code. A comparison with a missing answer or fact is false; only
``answered = false`` matches a missing one.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

COMBINATORS = ("any", "all", "none")
OPERATORS = ("equals", "not", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "answered")
_ORDERING = frozenset({"gt", "gte", "lt", "lte"})
_LISTS = frozenset({"in", "not_in"})


class Kind(StrEnum):
    """What a name in a condition refers to."""

    QUESTION = "question"
    FACT = "fact"
    SCORE = "score"


class ValueType(StrEnum):
    """What kind of value a question, fact or score holds, which decides the allowed tests."""

    BOOL = "bool"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    TEXT = "text"
    CHOICE = "choice"
    CHOICES = "choices"
    SCORE = "score"


# The lead facts a definition may test; a closed list so a typo is caught, not ignored.
FACTS: Mapping[str, ValueType] = {
    "employees": ValueType.NUMBER,
    "annual_revenue": ValueType.NUMBER,
    "industry": ValueType.TEXT,
    "title": ValueType.TEXT,
    "seniority": ValueType.TEXT,
    "department": ValueType.TEXT,
    "country": ValueType.TEXT,
    "region": ValueType.TEXT,
    "state": ValueType.TEXT,
    "city": ValueType.TEXT,
    "email_domain": ValueType.TEXT,
    "source": ValueType.TEXT,
    "campaign": ValueType.TEXT,
    "inquiry": ValueType.TEXT,
    "existing_customer": ValueType.BOOL,
    "earlier_leads": ValueType.NUMBER,
    "hours_since_arrival": ValueType.NUMBER,
    "call_attempts": ValueType.NUMBER,
}

# Scores rules may test, on a 0-100 scale (completeness too, as a percentage).
SCORES = ("fit", "interest", "framework", "completeness")


@dataclass(frozen=True)
class Subject:
    """A name a condition may test and what it holds."""

    name: str
    kind: Kind
    type: ValueType
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Test:
    """One comparison on one subject, e.g. ``fit gte 60``."""

    subject: str
    kind: Kind
    op: str
    value: object


@dataclass(frozen=True)
class Condition:
    """All ``tests`` hold, at least one of ``any_of`` (if given), every ``all_of``, no ``none_of``.

    ``source`` keeps the TOML as canonical JSON, for showing and comparing definitions.
    """

    tests: tuple[Test, ...] = ()
    any_of: tuple[Condition, ...] | None = None
    all_of: tuple[Condition, ...] = ()
    none_of: tuple[Condition, ...] = ()
    source: str = "{}"

    @property
    def always(self) -> bool:
        return not self.tests and self.any_of is None and not self.all_of and not self.none_of

    def subjects(self) -> set[str]:
        names = {test.subject for test in self.tests}
        for nested in (*(self.any_of or ()), *self.all_of, *self.none_of):
            names |= nested.subjects()
        return names

    def to_data(self) -> object:
        return json.loads(self.source)


ALWAYS = Condition()

Report = Callable[[str, str], None]


@dataclass
class Vocabulary:
    """The names a condition in one place may use, and the named score thresholds."""

    subjects: Mapping[str, Subject]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    unknown_hint: str = "question, score or fact"


# -- reading --------------------------------------------------------------------------------


def _canonical(raw: object) -> str:
    return json.dumps(raw, sort_keys=True, default=str)


def read_condition(raw: object, path: str, vocab: Vocabulary, report: Report) -> Condition:
    """Read a ``when`` table, reporting every problem as (key path, message)."""
    if raw is None:
        return ALWAYS
    if not isinstance(raw, dict):
        report(path, "must be a table like { question_id = value }")
        return ALWAYS
    tests: list[Test] = []
    any_of: tuple[Condition, ...] | None = None
    all_of: tuple[Condition, ...] = ()
    none_of: tuple[Condition, ...] = ()
    for key, value in raw.items():
        key_path = f"{path}.{key}"
        if key in COMBINATORS:
            nested = _read_nested(value, key_path, vocab, report)
            if key == "any":
                any_of = nested
                if not nested:
                    report(key_path, "never matches: an empty 'any' list has nothing to match")
            elif key == "all":
                all_of = nested
            else:
                none_of = nested
            continue
        subject = vocab.subjects.get(key)
        if subject is None:
            report(key_path, _unknown(key, vocab))
            continue
        tests.extend(_read_tests(subject, value, key_path, vocab, report))
    return Condition(tuple(tests), any_of, all_of, none_of, _canonical(raw))


def _read_nested(
    raw: object, path: str, vocab: Vocabulary, report: Report
) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        report(path, "must be a list of tables, e.g. [{ a = 1 }, { b = 2 }]")
        return ()
    return tuple(read_condition(item, f"{path}[{i}]", vocab, report) for i, item in enumerate(raw))


def _unknown(name: str, vocab: Vocabulary) -> str:
    message = f"no {vocab.unknown_hint} called '{name}'"
    close = difflib.get_close_matches(name, list(vocab.subjects), n=1)
    return f"{message}; did you mean '{close[0]}'?" if close else message


def _read_tests(
    subject: Subject, raw: object, path: str, vocab: Vocabulary, report: Report
) -> list[Test]:
    if isinstance(raw, dict):
        ops = dict(raw)
    elif isinstance(raw, list):
        ops = {"in": raw}
    else:
        ops = {"equals": raw}
    tests: list[Test] = []
    for op, value in ops.items():
        op_path = f"{path}.{op}" if isinstance(raw, dict) else path
        if op not in OPERATORS:
            report(op_path, f"unknown test '{op}'; use one of: {', '.join(OPERATORS)}")
            continue
        checked = _check_value(subject, op, value, op_path, vocab, report)
        if checked is not _BAD:
            tests.append(Test(subject.name, subject.kind, op, checked))
    if len(tests) == len(ops):
        contradiction = _contradiction(subject, tests)
        if contradiction:
            report(path, f"never matches: {contradiction}")
    return tests


_BAD = object()


def _check_value(
    subject: Subject, op: str, value: object, path: str, vocab: Vocabulary, report: Report
) -> object:
    """The value in the form evaluation expects, or ``_BAD`` after reporting why not."""
    if op == "answered":
        if not isinstance(value, bool):
            report(path, "must be true or false")
            return _BAD
        return value
    kind = subject.type
    if op in _ORDERING and kind not in (
        ValueType.NUMBER,
        ValueType.MONEY,
        ValueType.SCORE,
        ValueType.DATE,
    ):
        report(path, f"'{op}' compares numbers or dates; '{subject.name}' holds {_words(kind)}")
        return _BAD
    if op == "contains" and kind not in (ValueType.TEXT, ValueType.CHOICES):
        report(path, f"'contains' works on text or multiple choice; '{subject.name}' is not")
        return _BAD
    if op in _LISTS or (op == "contains" and isinstance(value, list)):
        if not isinstance(value, list):
            report(path, f'\'{op}\' needs a list, e.g. ["a", "b"]')
            return _BAD
        items = [
            _check_scalar(subject, item, f"{path}[{i}]", vocab, report)
            for i, item in enumerate(value)
        ]
        return _BAD if any(item is _BAD for item in items) else tuple(items)
    return _check_scalar(subject, value, path, vocab, report)


def _words(kind: ValueType) -> str:
    return {
        ValueType.BOOL: "yes/no",
        ValueType.NUMBER: "a number",
        ValueType.MONEY: "an amount",
        ValueType.DATE: "a date",
        ValueType.TEXT: "text",
        ValueType.CHOICE: "one option",
        ValueType.CHOICES: "options",
        ValueType.SCORE: "a score 0-100",
    }[kind]


def _check_scalar(
    subject: Subject, value: object, path: str, vocab: Vocabulary, report: Report
) -> object:
    kind = subject.type
    if kind is ValueType.BOOL:
        if isinstance(value, bool):
            return value
        report(path, f"'{subject.name}' is yes/no: write true or false")
        return _BAD
    if kind is ValueType.SCORE and isinstance(value, str):
        if value in vocab.thresholds:
            return float(vocab.thresholds[value])
        names = ", ".join(vocab.thresholds) or "none defined"
        report(path, f"no threshold called '{value}' (thresholds: {names})")
        return _BAD
    if kind in (ValueType.NUMBER, ValueType.MONEY, ValueType.SCORE):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        report(path, f"'{subject.name}' holds {_words(kind)}: write a number")
        return _BAD
    if kind is ValueType.DATE:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        report(path, f"'{subject.name}' holds a date: write it as 2025-01-31")
        return _BAD
    if not isinstance(value, str):
        report(path, f"'{subject.name}' holds {_words(kind)}: write it in quotes")
        return _BAD
    if kind in (ValueType.CHOICE, ValueType.CHOICES) and value not in subject.options:
        report(
            path,
            f"never matches: question '{subject.name}' has no option '{value}'"
            f" (options: {', '.join(subject.options)})",
        )
        return _BAD
    return value


def _contradiction(subject: Subject, tests: Sequence[Test]) -> str | None:
    """Why the tests on one subject can never all hold together, if they cannot."""
    ops = {test.op: test.value for test in tests}
    if ops.get("answered") is False and len(ops) > 1:
        return "'answered = false' with another test on the same answer"
    if ops.get("in") == () or ops.get("contains") == ():
        return "an empty list matches nothing"
    low, low_strict, high, high_strict = _bounds(subject, ops)
    if (
        low is not None
        and high is not None
        and (low > high or (low == high and (low_strict or high_strict)))
    ):
        above, below = _bound(ops, "gt", "gte"), _bound(ops, "lt", "lte")
        return f"'{subject.name}' cannot be both above {above} and below {below}"
    if subject.type is ValueType.SCORE:
        if low is not None and (low > 100 or (low == 100 and low_strict)):
            return f"'{subject.name}' is never above 100"
        if high is not None and (high < 0 or (high == 0 and high_strict)):
            return f"'{subject.name}' is never below 0"
    if "equals" in ops and subject.type is not ValueType.CHOICES:
        expected = ops["equals"]
        if "not" in ops and ops["not"] == expected:
            return f"'{subject.name}' cannot equal and not equal {expected}"
        if "in" in ops and isinstance(ops["in"], tuple) and expected not in ops["in"]:
            return f"{expected} is not in the 'in' list"
        if isinstance(expected, float) and not _within(expected, ops):
            return f"{expected} is outside the bounds given"
    return None


def _bounds(
    subject: Subject, ops: Mapping[str, object]
) -> tuple[float | None, bool, float | None, bool]:
    """The tightest lower and upper bound (and whether each is strict), dates as day numbers."""

    def as_number(value: object) -> float | None:
        if isinstance(value, float):
            return value
        if subject.type is ValueType.DATE and isinstance(value, str):
            return float(date.fromisoformat(value).toordinal())
        return None

    low: float | None = None
    high: float | None = None
    low_strict = high_strict = False
    for op in ("gte", "gt"):
        bound = as_number(ops.get(op))
        if bound is not None and (low is None or bound >= low):
            low, low_strict = bound, op == "gt"
    for op in ("lte", "lt"):
        bound = as_number(ops.get(op))
        if bound is not None and (high is None or bound <= high):
            high, high_strict = bound, op == "lt"
    return low, low_strict, high, high_strict


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def _bound(ops: Mapping[str, object], strict: str, loose: str) -> str:
    value = ops.get(strict, ops.get(loose))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _within(value: float, ops: Mapping[str, object]) -> bool:
    checks: dict[str, Callable[[float], bool]] = {
        "gt": lambda bound: value > bound,
        "gte": lambda bound: value >= bound,
        "lt": lambda bound: value < bound,
        "lte": lambda bound: value <= bound,
    }
    return all(check(_num(ops[op])) for op, check in checks.items() if op in ops)


# -- evaluating -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a condition is evaluated against: visible answers, lead facts, current scores."""

    answers: Mapping[str, object]
    facts: Mapping[str, object]
    scores: Mapping[str, float] = field(default_factory=dict)

    def value_of(self, test: Test) -> object:
        if test.kind is Kind.QUESTION:
            return self.answers.get(test.subject)
        if test.kind is Kind.SCORE:
            return self.scores.get(test.subject)
        return self.facts.get(test.subject)


def holds(condition: Condition, context: Context) -> bool:
    """Whether the condition holds; never raises, whatever the facts hold."""
    if not all(_test_holds(test, context) for test in condition.tests):
        return False
    if condition.any_of is not None and not any(holds(c, context) for c in condition.any_of):
        return False
    if not all(holds(c, context) for c in condition.all_of):
        return False
    return not any(holds(c, context) for c in condition.none_of)


def is_answered(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple | set | frozenset | dict):
        return len(value) > 0
    return not (isinstance(value, float) and math.isnan(value))


def _test_holds(test: Test, context: Context) -> bool:
    actual = context.value_of(test)
    if test.op == "answered":
        return is_answered(actual) == test.value
    if not is_answered(actual):
        return False
    try:
        return _compare(test.op, actual, test.value)
    except (TypeError, ValueError):  # a fact of an unexpected type simply does not match
        return False


def _norm(value: object) -> object:
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip().casefold()
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _same(a: object, b: object) -> bool:
    # True == 1.0 in Python; a yes/no answer must never equal a number.
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def _as_tuple(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,)


def _compare(op: str, actual: object, expected: object) -> bool:
    wanted = [_norm(item) for item in _as_tuple(expected)]
    if isinstance(actual, list | tuple | set | frozenset):
        selected = [_norm(item) for item in actual]
        hit = any(_same(w, s) for w in wanted for s in selected)
        if op in ("equals", "contains", "in"):
            return hit
        if op in ("not", "not_in"):
            return not hit
        return False
    value = _norm(actual)
    if op in ("equals", "in"):
        return any(_same(value, w) for w in wanted)
    if op in ("not", "not_in"):
        return not any(_same(value, w) for w in wanted)
    if op == "contains":
        return isinstance(value, str) and any(isinstance(w, str) and w in value for w in wanted)
    bound = wanted[0]
    if isinstance(value, bool) or isinstance(bound, bool):
        return False
    if not (
        (isinstance(value, float) and isinstance(bound, float))
        or (isinstance(value, str) and isinstance(bound, str))
    ):
        return False
    if op == "gt":
        return value > bound  # type: ignore[operator]
    if op == "gte":
        return value >= bound  # type: ignore[operator]
    if op == "lt":
        return value < bound  # type: ignore[operator]
    return value <= bound  # type: ignore[operator]

"""Fit and interest of a fresh lead, from the published definition's scoring rules and its facts.

The full questionnaire engine costs about 300 µs a lead; an import of 100,000 rows cannot
spend that. On intake there are no answers yet, so only the fit and interest rules matter, and
each rule only looks at one or two facts whose values repeat across an export (titles,
sources, countries). Each rule's verdict is therefore remembered per value of the facts it
reads: the same answer as ``evaluate``, at a few dict lookups a row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from leaddesk.definition import Condition, Definition, ScoreRule
from leaddesk.definition.conditions import Context, Kind, Test, holds

# Remembered rule verdicts per rule; cleared when full (free-text facts rarely repeat).
_MEMORY_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class IntakeScores:
    fit: int
    interest: int


class Scorer:
    """Scores leads under one definition; ``None`` scores everything 0 (nothing published)."""

    def __init__(self, definition: Definition | None) -> None:
        self._fit: list[_Rule] = []
        self._interest: list[_Rule] = []
        self._fit_max = 0.0
        self._interest_max = 0.0
        if definition is None:
            return
        scoring = definition.scoring
        self._fit = [_Rule(rule) for rule in scoring.fit_rules]
        self._interest = [_Rule(rule) for rule in scoring.interest_rules]
        self._fit_max = scoring.fit_max_points
        self._interest_max = scoring.interest_max_points

    def score(self, facts: Mapping[str, object]) -> IntakeScores:
        fit = sum(rule.points for rule in self._fit if rule.holds(facts))
        interest = sum(rule.points for rule in self._interest if rule.holds(facts))
        return IntakeScores(_percent(fit, self._fit_max), _percent(interest, self._interest_max))


class _Rule:
    __slots__ = ("memory", "points", "rule", "subjects")

    def __init__(self, rule: ScoreRule) -> None:
        self.rule = rule
        self.points = rule.points
        # Answers and scores are empty on intake, so only facts vary between leads.
        self.subjects = tuple(sorted({test.subject for test in _fact_tests(rule.when)}))
        self.memory: dict[tuple[object, ...], bool] = {}

    def holds(self, facts: Mapping[str, object]) -> bool:
        key = tuple([facts.get(subject) for subject in self.subjects])
        try:
            return self.memory[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable fact value: just evaluate
            return holds(self.rule.when, Context({}, facts))
        verdict = holds(self.rule.when, Context({}, facts))
        if len(self.memory) >= _MEMORY_LIMIT:
            self.memory.clear()
        self.memory[key] = verdict
        return verdict


def _fact_tests(condition: Condition) -> Iterator[Test]:
    for test in condition.tests:
        if test.kind is Kind.FACT:
            yield test
    for group in (condition.all_of, condition.none_of, condition.any_of or ()):
        for inner in group:
            yield from _fact_tests(inner)


def _percent(earned: float, possible: float) -> int:
    # The engine's rounding (leaddesk.definition.engine), so a lead shows the same score later.
    if possible <= 0:
        return 0
    return max(0, min(100, round(100 * earned / possible)))

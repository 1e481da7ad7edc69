"""Fit and interest of a fresh lead, from the published definition's scoring rules and its facts.

The full questionnaire engine costs about 300 µs a lead; an import of 100,000 rows cannot
spend that. On intake there are no answers yet, so only the fit and interest rules matter, and
each rule only looks at one or two facts whose values repeat across an export (titles,
sources, countries). Each rule's verdict is therefore remembered per value of the facts it
reads: the same answer as ``evaluate``, at a few dict lookups a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from leaddesk.definition import Condition, Definition, ScoreRule
from leaddesk.definition.conditions import Context, Kind, Test, holds
from leaddesk.domain import Stage

# Remembered rule verdicts per rule; cleared when full (free-text facts rarely repeat).
_MEMORY_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class IntakeScores:
    fit: int
    interest: int


class Scorer:
    """Scores leads under one definition; ``None`` scores everything 0 (nothing published).

    Rules reading the same facts are grouped, and each group's points are remembered per
    value of those facts: a lead costs one dict lookup per group (a handful), not one
    evaluation per rule.
    """

    def __init__(self, definition: Definition | None) -> None:
        self._fit: list[_Group] = []
        self._interest: list[_Group] = []
        self._fit_max = 0.0
        self._interest_max = 0.0
        # Only a definition with the added stage asks anything more of a row.
        self._added_stage = (
            definition
            if definition is not None and definition.has_stage(Stage.MARKETING_QUALIFIED)
            else None
        )
        if definition is None:
            return
        scoring = definition.scoring
        self._fit = _groups(scoring.fit_rules)
        self._interest = _groups(scoring.interest_rules)
        self._fit_max = scoring.fit_max_points
        self._interest_max = scoring.interest_max_points

    def score(self, facts: Mapping[str, object]) -> IntakeScores:
        """``facts`` may hold None for an unknown fact, as if it were missing."""
        fit = sum([group.points(facts) for group in self._fit])
        interest = sum([group.points(facts) for group in self._interest])
        return IntakeScores(_percent(fit, self._fit_max), _percent(interest, self._interest_max))

    def marketing_qualified(self, facts: Mapping[str, object], scores: IntakeScores) -> bool:
        """Whether a new lead with ``facts`` and ``scores`` starts marketing-qualified: the
        definition has that stage and its rule holds for them."""
        definition = self._added_stage
        if definition is None:
            return False
        return definition.starts_marketing_qualified(
            facts, fit=scores.fit, interest=scores.interest
        )


class _Group:
    __slots__ = ("memory", "rules", "single", "subjects")

    def __init__(self, subjects: tuple[str, ...], rules: list[ScoreRule]) -> None:
        self.subjects = subjects
        self.single = subjects[0] if len(subjects) == 1 else None
        self.rules = rules
        self.memory: dict[object, float] = {}

    def points(self, facts: Mapping[str, object]) -> float:
        # Answers and scores are empty on intake, so only these facts vary between leads.
        single = self.single
        key: object
        if single is not None:
            key = facts.get(single)
        else:
            key = tuple([facts.get(subject) for subject in self.subjects])
        try:
            return self.memory[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable fact value: just evaluate
            return self._evaluate(facts)
        points = self._evaluate(facts)
        if len(self.memory) >= _MEMORY_LIMIT:
            self.memory.clear()
        self.memory[key] = points
        return points

    def _evaluate(self, facts: Mapping[str, object]) -> float:
        context = Context({}, facts)
        return sum(rule.points for rule in self.rules if holds(rule.when, context))


def _groups(rules: Iterable[ScoreRule]) -> list[_Group]:
    by_subjects: dict[tuple[str, ...], list[ScoreRule]] = {}
    for rule in rules:
        subjects = tuple(sorted({test.subject for test in _fact_tests(rule.when)}))
        by_subjects.setdefault(subjects, []).append(rule)
    return [_Group(subjects, grouped) for subjects, grouped in by_subjects.items()]


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

"""A JSON-able picture of a definition, for ``definition show --json`` and for diffs."""

from __future__ import annotations

import dataclasses
from datetime import time
from enum import Enum
from typing import Any

from leaddesk.definition.model import Definition, Outcome, Question, ScoreRule
from leaddesk.definition.policy import WEEKDAYS, Policy


def definition_summary(definition: Definition) -> dict[str, Any]:
    return {
        "name": definition.name,
        "framework": definition.framework,
        "description": definition.description,
        "currency": definition.currency,
        "source": definition.source,
        "digest": definition.digest,
        "stages": {
            text.stage.value: {
                "label": text.label,
                "definition": text.definition,
                **({"when": text.when.to_data()} if text.when is not None else {}),
            }
            for text in definition.stages
        },
        "glossary": {
            entry.lead_type.value: {"label": entry.label, "definition": entry.definition}
            for entry in definition.glossary
        },
        "profile": {
            "description": definition.profile_description,
            "max_points": definition.scoring.fit_max_points,
            "rules": [_score_rule(rule) for rule in definition.scoring.fit_rules],
        },
        "sections": [
            {
                "title": section.title,
                "intro": section.intro,
                "questions": [_question(question) for question in section.questions],
            }
            for section in definition.sections
        ],
        "scoring": {
            "axes": [dataclasses.asdict(axis) for axis in definition.scoring.axes],
            "interest_max_points": definition.scoring.interest_max_points,
            "interest": [_score_rule(rule) for rule in definition.scoring.interest_rules],
            "thresholds": dict(definition.scoring.thresholds),
        },
        "rules": [
            {
                "description": rule.description,
                "when": rule.when.to_data(),
                **outcome_data(rule.outcome),
            }
            for rule in definition.rules
        ],
        "policy": policy_data(definition.policy),
        "reject_reasons": {
            reason.key: {
                "label": reason.label,
                "route": reason.route.value,
                "recycle_days": reason.recycle_days,
            }
            for reason in definition.reject_reasons
        },
    }


def outcome_data(outcome: Outcome) -> dict[str, Any]:
    return {
        "lead_type": outcome.lead_type.value,
        "verdict": outcome.verdict.value,
        "reason": outcome.reason,
        "disqualify_reason": outcome.disqualify_reason.value if outcome.disqualify_reason else None,
        "recycle_days": outcome.recycle_days,
    }


def _question(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "type": question.type.value,
        "required": question.required,
        "help": question.help,
        "options": [dataclasses.asdict(option) for option in question.options],
        "show_when": None if question.show_when.always else question.show_when.to_data(),
        "knockout": None
        if question.knockout is None
        else {"when": question.knockout.when.to_data(), **outcome_data(question.knockout.outcome)},
        "framework": question.framework,
        "points": question.points,
    }


def _score_rule(rule: ScoreRule) -> dict[str, Any]:
    return {"label": rule.label, "when": rule.when.to_data(), "points": rule.points}


def _plain(value: object) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset):
        return [WEEKDAYS[day] for day in sorted(value)]
    if isinstance(value, tuple):
        return (
            {_plain(key): _plain(item) for key, item in value}
            if all(isinstance(item, tuple) and len(item) == 2 for item in value)
            else [_plain(item) for item in value]
        )
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    return value


def policy_data(policy: Policy) -> dict[str, Any]:
    data = _plain(policy)
    assert isinstance(data, dict)
    return data

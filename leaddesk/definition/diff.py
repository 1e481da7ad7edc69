"""What changes for reps if a team lead publishes a new definition, in plain words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from leaddesk.definition.model import Definition, Question, Rule, ScoreRule
from leaddesk.definition.summary import definition_summary, outcome_data, policy_data

T = TypeVar("T")


def diff_definitions(old: Definition, new: Definition) -> list[str]:
    """One line per difference; empty when nothing a rep would notice changed."""
    changes: list[str] = []
    for key in ("name", "framework", "description", "currency"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            changes.append(f"{key.capitalize()}: {_short(before)} → {_short(after)}")
    old_data, new_data = definition_summary(old), definition_summary(new)
    for part, words in (("stages", "Stage"), ("glossary", "Lead type")):
        for key, entry in new_data[part].items():
            before = old_data[part].get(key, {})
            if part == "stages" and not before:
                changes.append(f"Stage added: '{key}' — {_short(entry['label'])}")
                continue
            for field in ("label", "definition", "when"):
                if before.get(field) != entry.get(field):
                    was, now = _short(before.get(field)), _short(entry.get(field))
                    changes.append(f"{words} '{key}' {field}: {was} → {now}")
        for key, entry in old_data[part].items():
            if key not in new_data[part]:
                changes.append(
                    f"{words} removed: '{key}' — {_short(entry['label'])} (new leads no longer "
                    "start there; leads in it move on as usual)"
                )
    changes += _diff_questions(old, new)
    changes += _diff_named(
        "Fit rule", old.scoring.fit_rules, new.scoring.fit_rules, _label, _score_rule_data
    )
    changes += _diff_named(
        "Interest rule",
        old.scoring.interest_rules,
        new.scoring.interest_rules,
        _label,
        _score_rule_data,
    )
    changes += _diff_flat("Scoring", _flatten(old_data["scoring"]), _flatten(new_data["scoring"]))
    changes += _diff_named("Rule", old.rules, new.rules, _description, _rule_data)
    common = [rule.description for rule in old.rules if rule.description in _descriptions(new)]
    if common != [rule.description for rule in new.rules if rule.description in common]:
        changes.append("Rule order changed (the first matching rule decides)")
    changes += _diff_flat(
        "Policy", _flatten(policy_data(old.policy)), _flatten(policy_data(new.policy))
    )
    return changes


def _diff_questions(old: Definition, new: Definition) -> list[str]:
    changes: list[str] = []
    old_ids = [question.id for question in old.questions]
    new_ids = [question.id for question in new.questions]
    for question in new.questions:
        before = old.question(question.id)
        if before is None:
            changes.append(f"Question added: {question.id} — {_short(question.text)}")
            continue
        changes += _question_changes(before, question)
    for question in old.questions:
        if new.question(question.id) is None:
            changes.append(f"Question removed: {question.id} — {_short(question.text)}")
    kept = [qid for qid in old_ids if qid in new_ids]
    if kept != [qid for qid in new_ids if qid in old_ids]:
        changes.append("Question order changed")
    return changes


def _question_changes(old: Question, new: Question) -> list[str]:
    changes: list[str] = []
    where = f"Question {new.id}"
    if old.text != new.text:
        changes.append(f"{where} reworded: {_short(old.text)} → {_short(new.text)}")
    if old.type != new.type:
        changes.append(f"{where} type: {old.type.value} → {new.type.value}")
    if old.required != new.required:
        changes.append(f"{where} is now {'required' if new.required else 'optional'}")
    if old.help != new.help:
        changes.append(f"{where} help text changed")
    old_options = {option.value: option for option in old.options}
    new_options = {option.value: option for option in new.options}
    for value, option in new_options.items():
        before = old_options.get(value)
        if before is None:
            changes.append(f"{where} option added: {value} ({_short(option.label)})")
        elif before != option:
            changes.append(f"{where} option {value} changed: {_option(before)} → {_option(option)}")
    for value in old_options.keys() - new_options.keys():
        changes.append(f"{where} option removed: {value}")
    if old.show_when.source != new.show_when.source:
        changes.append(f"{where} branch changed: shown when {_when(new.show_when.source)}")
    old_knockout = old.knockout and (old.knockout.when.source, old.knockout.outcome)
    new_knockout = new.knockout and (new.knockout.when.source, new.knockout.outcome)
    if old_knockout != new_knockout:
        if new.knockout is None:
            changes.append(f"{where} knock-out removed")
        else:
            verb = "added" if old.knockout is None else "changed"
            changes.append(f"{where} knock-out {verb}: {_short(new.knockout.outcome.reason)}")
    if (old.framework, old.points) != (new.framework, new.points):
        changes.append(
            f"{where} scoring: {old.framework or '-'} {old.points:g} pts"
            f" → {new.framework or '-'} {new.points:g} pts"
        )
    return changes


def _diff_named(
    words: str,
    old: Sequence[T],
    new: Sequence[T],
    name: Callable[[T], str],
    data: Callable[[T], Any],
) -> list[str]:
    changes: list[str] = []
    old_by = {name(item): item for item in old}
    new_by = {name(item): item for item in new}
    for key, item in new_by.items():
        if key not in old_by:
            changes.append(f"{words} added: {_short(key)}")
        elif data(old_by[key]) != data(item):
            changes.append(f"{words} changed: {_short(key)}")
    for key in old_by.keys() - new_by.keys():
        changes.append(f"{words} removed: {_short(key)}")
    return changes


def _diff_flat(words: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [
        f"{words} {key}: {_short(old.get(key))} → {_short(new.get(key))}"
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key) and key.split(".")[0] not in ("interest",)
    ]


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _label(rule: ScoreRule) -> str:
    return rule.label


def _score_rule_data(rule: ScoreRule) -> tuple[str, float]:
    return rule.when.source, rule.points


def _description(rule: Rule) -> str:
    return rule.description


def _descriptions(definition: Definition) -> set[str]:
    return {rule.description for rule in definition.rules}


def _rule_data(rule: Rule) -> tuple[str, dict[str, Any]]:
    return rule.when.source, outcome_data(rule.outcome)


def _option(option: Any) -> str:
    return f"{_short(option.label)} {option.points:g} pts"


def _when(source: str) -> str:
    return "always" if source == "{}" else source


def _short(value: object, limit: int = 60) -> str:
    if value is None or value == "":
        return "(none)"
    text = str(value)
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{shown}"' if isinstance(value, str) else shown

"""Reading a lead definition's outcomes and ``[[rules]]`` (docs/architecture.md §1): what a
rule or a knock-out decides, and the rules that suggest a verdict, each checked to be reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TypeVar

from leaddesk.definition.conditions import (
    SCORES,
    Kind,
    Subject,
    ValueType,
    Vocabulary,
    read_condition,
)
from leaddesk.definition.fields import TableReader
from leaddesk.definition.model import Outcome, Rule
from leaddesk.domain import DisqualifyReason, LeadType, Verdict

Report = Callable[[str, str], None]  # where, what
E = TypeVar("E", bound=StrEnum)


def read_enum(table: TableReader, key: str, enum: type[E], what: str, report: Report) -> E | None:
    """``table[key]`` as one of ``enum``'s values, or None (reported) if it is not one."""
    value = table.text(key, required=True)
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(item.value for item in enum)
        report(table.at(key), f"unknown {what} '{value}'; use one of: {choices}")
        return None


def read_outcome(
    table: TableReader, report: Report, *, reason_required: bool, default: str = ""
) -> Outcome:
    """What a rule or a knock-out decides: lead type, verdict, reason and their details."""
    lead_type = read_enum(table, "lead_type", LeadType, "lead type", report)
    verdict = read_enum(table, "verdict", Verdict, "verdict", report)
    reason = table.text("reason", required=reason_required) or default
    disqualify_reason = None
    if table.has("disqualify_reason"):
        disqualify_reason = read_enum(
            table, "disqualify_reason", DisqualifyReason, "disqualify reason", report
        )
        if verdict is not Verdict.DISQUALIFY:
            report(table.at("disqualify_reason"), "only a disqualify verdict takes this")
    elif verdict is Verdict.DISQUALIFY:
        report(table.at("disqualify_reason"), "missing: say why it is disqualified")
    recycle_days = None
    if table.has("recycle_days"):
        recycle_days = table.whole("recycle_days", 90, 1)
        if verdict is not Verdict.NURTURE:
            report(table.at("recycle_days"), "only a nurture verdict takes this")
    if verdict is Verdict.HAND_OFF and lead_type not in (None, LeadType.SALES_WORTHY):
        report(table.at("verdict"), "only a sales_worthy lead can be handed off")
    return Outcome(
        lead_type=lead_type or LeadType.UNQUALIFIED_SUITABILITY,
        verdict=verdict or Verdict.NURTURE,
        reason=reason,
        disqualify_reason=disqualify_reason,
        recycle_days=recycle_days,
    )


def read_rules(
    top: TableReader, subjects: Mapping[str, Subject], thresholds: dict[str, float], report: Report
) -> tuple[Rule, ...]:
    """The ``[[rules]]`` that suggest a verdict, first match wins, ending with a fallback."""
    known = dict(subjects)  # questions and facts, and here the scores too
    for score in SCORES:
        known[score] = Subject(score, Kind.SCORE, ValueType.SCORE)
    vocab = Vocabulary(known, thresholds)
    raw_rules = top.tables("rules")
    if not raw_rules:
        report("rules", "missing: add [[rules]], ending with a fallback rule without 'when'")
    rules: list[Rule] = []
    for index, raw in enumerate(raw_rules):
        table = TableReader(raw, f"rules[{index}]", report)
        description = table.text("description", required=True)
        when = read_condition(table.value("when"), table.at("when"), vocab, report)
        if table.has("when") and not table.raw["when"]:
            report(table.at("when"), "empty; leave 'when' out for the fallback rule")
        outcome = read_outcome(table, report, reason_required=False, default=description)
        rules.append(Rule(description, when, outcome))
        table.finish()
        _check_reachable(rules, table, report)
    if rules and not rules[-1].when.always:
        report(
            f"rules[{len(rules) - 1}]",
            "missing fallback rule: the last rule must have no 'when'"
            " so every lead gets a suggestion",
        )
    return tuple(rules)


def _check_reachable(rules: list[Rule], table: TableReader, report: Report) -> None:
    rule = rules[-1]
    for index, earlier in enumerate(rules[:-1]):
        if earlier.when.always:
            report(table.path, f"never fires: rules[{index}] above always fires first")
            return
    for index, earlier in enumerate(rules[:-1]):
        if earlier.when.source == rule.when.source:
            report(table.path, f"never fires: rules[{index}] above has the same condition")
            return

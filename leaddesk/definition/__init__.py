"""The universal lead definition: a versioned TOML file that says what a qualified lead is.

It holds stage names, the qualification questionnaire, scoring, knock-outs, verdict rules and
the queue policy. This package reads and checks it and runs the questionnaire; no database.
"""

from __future__ import annotations

from pathlib import Path

from leaddesk.definition.answers import check_answers
from leaddesk.definition.business_time import (
    business_hours_between,
    is_business_time,
    next_opening,
    sla_deadline,
    within_calling_hours,
)
from leaddesk.definition.conditions import FACTS, Condition
from leaddesk.definition.diff import diff_definitions
from leaddesk.definition.engine import (
    AxisScore,
    Evaluation,
    KnockoutHit,
    QuestionState,
    Scores,
    Suggestion,
    evaluate,
)
from leaddesk.definition.model import (
    Axis,
    Definition,
    GlossaryEntry,
    Knockout,
    Option,
    Outcome,
    Question,
    QuestionType,
    Rule,
    ScoreRule,
    Scoring,
    Section,
    StageText,
)
from leaddesk.definition.policy import (
    Assignment,
    BusinessHours,
    Cadence,
    CallingHours,
    Policy,
    QueueOrder,
)
from leaddesk.definition.problems import DefinitionError, Problem
from leaddesk.definition.reader import (
    definition_digest,
    load_definition,
    parse_definition,
    validate_definition,
)
from leaddesk.definition.reject_reasons import (
    DEFAULT_REJECT_REASONS,
    RejectReason,
    RejectRoute,
)
from leaddesk.files.resources import resource_path

TEMPLATES = ("bant", "champ", "anum", "meddic")


def default_definition_path(name: str = "bant") -> Path:
    """The shipped template ``name`` (bant, champ, anum, meddic)."""
    return resource_path("definitions", f"{name}.toml")


__all__ = [
    "DEFAULT_REJECT_REASONS",
    "FACTS",
    "TEMPLATES",
    "Assignment",
    "Axis",
    "AxisScore",
    "BusinessHours",
    "Cadence",
    "CallingHours",
    "Condition",
    "Definition",
    "DefinitionError",
    "Evaluation",
    "GlossaryEntry",
    "Knockout",
    "KnockoutHit",
    "Option",
    "Outcome",
    "Policy",
    "Problem",
    "Question",
    "QuestionState",
    "QuestionType",
    "QueueOrder",
    "RejectReason",
    "RejectRoute",
    "Rule",
    "ScoreRule",
    "Scores",
    "Scoring",
    "Section",
    "StageText",
    "Suggestion",
    "business_hours_between",
    "check_answers",
    "default_definition_path",
    "definition_digest",
    "diff_definitions",
    "evaluate",
    "is_business_time",
    "load_definition",
    "next_opening",
    "parse_definition",
    "sla_deadline",
    "validate_definition",
    "within_calling_hours",
]

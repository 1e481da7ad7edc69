"""Read and check a lead-definition file, collecting every problem rather than stopping at one.

The outcomes and rules are read by ``rules_reader`` (docs/architecture.md §1).
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from leaddesk.definition.conditions import (
    ALWAYS,
    COMBINATORS,
    FACTS,
    OPERATORS,
    SCORES,
    Condition,
    Kind,
    Subject,
    ValueType,
    Vocabulary,
    read_condition,
)
from leaddesk.definition.fields import TableReader
from leaddesk.definition.key_lines import key_lines, line_for
from leaddesk.definition.model import (
    Axis,
    Definition,
    GlossaryEntry,
    Knockout,
    Option,
    Question,
    QuestionType,
    ScoreRule,
    Scoring,
    Section,
    StageText,
)
from leaddesk.definition.policy import read_policy
from leaddesk.definition.problems import DefinitionError, Problem
from leaddesk.definition.reject_reasons import read_reject_reasons
from leaddesk.definition.rules_reader import read_enum, read_outcome, read_rules
from leaddesk.domain import OPTIONAL_STAGES, LeadType, Stage
from leaddesk.files.reading import read_text_file

# The scores a new lead has on arrival, before anyone answers a question.
_ARRIVAL_SCORES = ("fit", "interest")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")
_RESERVED = frozenset(FACTS) | frozenset(SCORES) | frozenset(COMBINATORS) | frozenset(OPERATORS)
_VALUE_TYPES = {
    QuestionType.SINGLE_CHOICE: ValueType.CHOICE,
    QuestionType.MULTIPLE_CHOICE: ValueType.CHOICES,
    QuestionType.YES_NO: ValueType.BOOL,
    QuestionType.NUMBER: ValueType.NUMBER,
    QuestionType.MONEY: ValueType.MONEY,
    QuestionType.DATE: ValueType.DATE,
    QuestionType.TEXT: ValueType.TEXT,
}


def definition_digest(text: str) -> str:
    """The SHA-256 of the file's text: the version a verdict records."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=16)
def parse_definition(text: str, source: str) -> Definition:
    """Read a definition; raise DefinitionError listing every problem, one per line.

    Kept for the next time the same text is read (a store reads its published version again
    and again; every new store publishes the same default): a Definition is immutable, and a
    text with problems raises again, as errors are not kept."""
    definition, problems = _read(text, source)
    if problems or definition is None:
        raise DefinitionError(problems)
    return definition


def validate_definition(text: str, source: str) -> list[Problem]:
    """Every problem in the definition, in file order; empty when it can be published."""
    return _read(text, source)[1]


_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


def load_definition(path: str | Path) -> Definition:
    path = Path(path)
    return parse_definition(read_text_file(path, "a lead-definition file"), str(path))


def _read(text: str, source: str) -> tuple[Definition | None, list[Problem]]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match and match.group(1) else None
        if match and match.group(1) is None:
            line = text.count("\n") + 1
        what = _TOML_POSITION.sub("", message)
        return None, [Problem(source, line, "", f"not valid TOML: {what}")]
    except RecursionError:
        return None, [Problem(source, None, "", "nested too deeply to be a lead definition")]
    except ValueError:
        # tomllib hands on int()'s refusal of a number over 4,300 digits as a bare ValueError.
        long_number = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else None
        return None, [Problem(source, line, "", "a number far too long to be a setting")]
    problems: list[Problem] = []
    # Where each key is written, for the problems' line numbers: scanned only when there is a
    # problem (the scan costs more than reading a good file; every `leaddesk` start reads one).
    lines: list[dict[str, int]] = []

    def report(path: str, message: str) -> None:
        if not lines:
            lines.append(key_lines(text))
        problems.append(Problem(source, line_for(path, lines[0]), path, message))

    definition = _DefinitionReader(raw, report).read(text, source)
    # File order; problems about something missing altogether have no line and come last.
    problems.sort(key=lambda problem: (problem.line is None, problem.line or 0))
    return (None if problems else definition), problems


class _DefinitionReader:
    def __init__(self, raw: dict[str, Any], report: Callable[[str, str], None]) -> None:
        self.top = TableReader(raw, "", report)
        self.report = report
        self.thresholds: dict[str, float] = {}
        self.axes: tuple[Axis, ...] = ()
        self.subjects: dict[str, Subject] = {
            name: Subject(name, Kind.FACT, kind) for name, kind in FACTS.items()
        }

    def read(self, text: str, source: str) -> Definition:
        head = self.top.table("definition")
        if not self.top.has("definition"):
            self.report("definition", "missing: add [definition] with name and framework")
        name = head.text("name", required=True)
        framework = head.text("framework", required=True)
        description = head.text("description")
        currency = head.text("currency", "USD")
        if not re.fullmatch(r"[A-Z]{3}", currency):
            self.report(head.at("currency"), f"must be a currency code like EUR, not '{currency}'")
        head.finish()
        scoring_table = self.top.table("scoring")
        # Before the stages: an added stage's rule may name a threshold ("good_fit").
        self.read_thresholds(scoring_table.table("thresholds"))
        stages = self.read_stages()
        glossary = self.read_glossary()
        self.axes = self.read_axes(scoring_table)
        raw_questions = self.collect_questions()
        sections = self.read_sections(raw_questions)
        profile = self.top.table("profile")
        profile_description = profile.text("description")
        fit_rules = self.read_score_rules(profile, "rules")
        fit_max = profile.number("max_points", _positive_sum(fit_rules) or 1.0, 1)
        profile.finish()
        interest_rules = self.read_score_rules(scoring_table, "interest")
        interest_max = scoring_table.number(
            "interest_max_points", _positive_sum(interest_rules) or 1.0, 1
        )
        scoring_table.finish()
        scoring = Scoring(
            axes=self.axes,
            fit_rules=fit_rules,
            fit_max_points=fit_max,
            interest_rules=interest_rules,
            interest_max_points=interest_max,
            thresholds=tuple(self.thresholds.items()),
        )
        rules = read_rules(self.top, self.subjects, self.thresholds, self.report)
        policy = read_policy(self.top.value("policy"), "policy", self.report)
        reject_reasons = read_reject_reasons(self.top, self.report)
        self.top.finish()
        return Definition(
            name=name,
            framework=framework,
            description=description,
            currency=currency,
            profile_description=profile_description,
            stages=stages,
            glossary=glossary,
            sections=sections,
            scoring=scoring,
            rules=rules,
            policy=policy,
            source=source,
            digest=definition_digest(text),
            reject_reasons=reject_reasons,
        )

    # -- words -------------------------------------------------------------------------------

    def read_stages(self) -> tuple[StageText, ...]:
        table = self.top.table("stages")
        texts: list[StageText] = []
        required = [stage for stage in Stage if stage not in OPTIONAL_STAGES]
        if not table.raw:
            names = ", ".join(stage.value for stage in required)
            self.report("stages", f"missing: add [stages.<stage>] with a label for: {names}")
            return ()
        for stage in Stage:
            if not table.has(stage.value):
                if stage not in OPTIONAL_STAGES:
                    self.report(
                        table.at(stage.value), f"missing: add [stages.{stage.value}] with label"
                    )
                continue
            entry = table.table(stage.value)
            label = entry.text("label", required=True)
            when = self.read_stage_rule(entry) if stage in OPTIONAL_STAGES else None
            texts.append(StageText(stage, label, entry.text("definition"), when))
            entry.finish()
        for key in table.raw:
            if key not in Stage.__members__.values():
                table.value(key)
                names = ", ".join(stage.value for stage in Stage)
                self.report(table.at(key), f"unknown stage; stages are: {names}")
        return tuple(texts)

    def read_stage_rule(self, entry: TableReader) -> Condition | None:
        """An added stage's ``when``: which new leads start in it. A lead arrives with no
        answers, so it tests the lead's facts and its fit and interest scores only. Without
        one no new lead starts there; the label stays for the leads already in it."""
        if not entry.has("when"):
            return None
        known = {name: Subject(name, Kind.FACT, kind) for name, kind in FACTS.items()}
        for score in _ARRIVAL_SCORES:
            known[score] = Subject(score, Kind.SCORE, ValueType.SCORE)
        vocab = Vocabulary(known, self.thresholds, unknown_hint="lead fact or arrival score")
        raw = entry.value("when")
        if not raw:
            self.report(
                entry.at("when"),
                "empty: say which new leads start in this stage, e.g. "
                "when = { fit = { gte = \"good_fit\" } }, or leave 'when' out",
            )
        return read_condition(raw, entry.at("when"), vocab, self.report)

    def read_glossary(self) -> tuple[GlossaryEntry, ...]:
        table = self.top.table("glossary")
        entries: list[GlossaryEntry] = []
        if not table.raw:
            names = ", ".join(lead_type.value for lead_type in LeadType)
            self.report("glossary", f"missing: add [glossary.<type>] for each of: {names}")
            return ()
        for lead_type in LeadType:
            if not table.has(lead_type.value):
                self.report(table.at(lead_type.value), "missing: every lead type needs a label")
                continue
            entry = table.table(lead_type.value)
            label = entry.text("label", required=True)
            entries.append(GlossaryEntry(lead_type, label, entry.text("definition", required=True)))
            entry.finish()
        for key in table.raw:
            if key not in LeadType.__members__.values():
                table.value(key)
                names = ", ".join(item.value for item in LeadType)
                self.report(table.at(key), f"unknown lead type; use one of: {names}")
        return tuple(entries)

    # -- scoring -----------------------------------------------------------------------------

    def read_thresholds(self, table: TableReader) -> None:
        for key in list(table.raw):
            self.thresholds[key] = table.number(key, 50.0, 0, 100)

    def read_axes(self, scoring: TableReader) -> tuple[Axis, ...]:
        axes: list[Axis] = []
        for index, raw in enumerate(scoring.tables("axes")):
            table = TableReader(raw, f"{scoring.at('axes')}[{index}]", self.report)
            axis_id = self.read_id(table)
            axis = Axis(
                id=axis_id,
                letter=table.text("letter", required=True),
                label=table.text("label", required=True),
                weight=table.number("weight", 1.0, 0),
            )
            if any(other.id == axis_id for other in axes):
                self.report(table.at("id"), f"duplicate axis id '{axis_id}'")
            axes.append(axis)
            table.finish()
        return tuple(axes)

    def read_score_rules(self, parent: TableReader, key: str) -> tuple[ScoreRule, ...]:
        vocab = Vocabulary(self.subjects, unknown_hint="question or fact")
        rules: list[ScoreRule] = []
        for index, raw in enumerate(parent.tables(key)):
            table = TableReader(raw, f"{parent.at(key)}[{index}]", self.report)
            label = table.text("label", required=True)
            when = read_condition(table.value("when"), table.at("when"), vocab, self.report)
            if not table.has("when"):
                self.report(table.at("when"), "missing: say when these points are given")
            rules.append(ScoreRule(label, when, table.number("points", 0.0)))
            table.finish()
        return tuple(rules)

    # -- questions ---------------------------------------------------------------------------

    def read_id(self, table: TableReader) -> str:
        value = table.text("id", required=True)
        if value and not _ID.match(value):
            self.report(table.at("id"), f"'{value}' must be lower_case letters, digits and _")
        return value

    def collect_questions(self) -> list[tuple[int, int, TableReader, str, QuestionType | None]]:
        """First pass: ids, types and options, so any condition may refer to any question."""
        found: list[tuple[int, int, TableReader, str, QuestionType | None]] = []
        first_seen: dict[str, str] = {}
        if not self.top.has("sections"):
            self.report("sections", "missing: add [[sections]] with [[sections.questions]]")
        for s_index, raw_section in enumerate(self.top.tables("sections")):
            section = TableReader(raw_section, f"sections[{s_index}]", self.report)
            for q_index, raw in enumerate(section.tables("questions", required=True)):
                table = TableReader(raw, f"{section.at('questions')}[{q_index}]", self.report)
                question_id = self.read_id(table)
                question_type = read_enum(table, "type", QuestionType, "question type", self.report)
                if question_id in first_seen:
                    self.report(
                        table.at("id"),
                        f"duplicate question id '{question_id}'"
                        f" (first at {first_seen[question_id]})",
                    )
                elif question_id in _RESERVED:
                    self.report(
                        table.at("id"), f"'{question_id}' is a fact, score or keyword; rename it"
                    )
                elif question_id:
                    first_seen[question_id] = table.path
                    options = tuple(
                        item["value"]
                        for item in (table.raw.get("options") or [])
                        if isinstance(item, dict) and isinstance(item.get("value"), str)
                    )
                    kind = _VALUE_TYPES.get(question_type or QuestionType.TEXT, ValueType.TEXT)
                    self.subjects[question_id] = Subject(question_id, Kind.QUESTION, kind, options)
                found.append((s_index, q_index, table, question_id, question_type))
        return found

    def read_sections(
        self, found: list[tuple[int, int, TableReader, str, QuestionType | None]]
    ) -> tuple[Section, ...]:
        order = [question_id for _, _, _, question_id, _ in found]
        show_whens: dict[str, Condition] = {}
        by_section: dict[int, list[Question]] = {}
        raw_sections = self.top.raw.get("sections")
        titles = {
            index: raw.get("title", "")
            for index, raw in enumerate(raw_sections if isinstance(raw_sections, list) else [])
            if isinstance(raw, dict)
        }
        for s_index, _, table, question_id, question_type in found:
            title = titles.get(s_index, "")
            question = self.read_question(
                table, question_id, question_type, title if isinstance(title, str) else ""
            )
            show_whens.setdefault(question_id, question.show_when)
            by_section.setdefault(s_index, []).append(question)
        for _, _, table, question_id, _ in found:
            self.check_branch_order(table, question_id, order, show_whens)
        sections: list[Section] = []
        for s_index, raw_section in enumerate(self.top.tables("sections")):
            section = TableReader(raw_section, f"sections[{s_index}]", self.report)
            section.value("questions")
            sections.append(
                Section(
                    title=section.text("title", required=True),
                    intro=section.text("intro"),
                    questions=tuple(by_section.get(s_index, [])),
                )
            )
            section.finish()
        return tuple(sections)

    def read_question(
        self,
        table: TableReader,
        question_id: str,
        question_type: QuestionType | None,
        section_title: str,
    ) -> Question:
        kind = question_type or QuestionType.TEXT
        options = self.read_options(table, kind)
        framework = table.optional_text("framework")
        if framework is not None and not any(axis.id == framework for axis in self.axes):
            known = ", ".join(axis.id for axis in self.axes) or "none defined in [[scoring.axes]]"
            self.report(table.at("framework"), f"unknown axis '{framework}' (axes: {known})")
        if table.has("points") and kind.has_options:
            self.report(table.at("points"), "give points on each option instead")
        points = table.number("points", 0.0)
        vocab = Vocabulary(self.subjects, unknown_hint="question or fact")
        show_when = read_condition(
            table.value("show_when"), table.at("show_when"), vocab, self.report
        )
        knockout = None
        if table.has("knockout"):
            knockout_table = table.table("knockout")
            when = read_condition(
                knockout_table.value("when"), knockout_table.at("when"), vocab, self.report
            )
            if not knockout_table.raw.get("when"):
                self.report(knockout_table.at("when"), "missing: say which answer knocks out")
            outcome = read_outcome(knockout_table, self.report, reason_required=True)
            knockout = Knockout(when, outcome)
            knockout_table.finish()
        question = Question(
            id=question_id,
            text=table.text("text", required=True),
            type=kind,
            section=section_title,
            options=options,
            required=table.flag("required", False),
            help=table.text("help"),
            show_when=show_when,
            knockout=knockout,
            framework=framework,
            points=points,
        )
        table.finish()
        return question

    def read_options(self, table: TableReader, kind: QuestionType) -> tuple[Option, ...]:
        raw_options = table.tables("options")
        if not kind.has_options:
            if raw_options:
                self.report(table.at("options"), f"a {kind.value} question takes no options")
            return ()
        if not raw_options:
            self.report(table.at("options"), "missing: a choice question needs options")
        options: list[Option] = []
        for index, raw in enumerate(raw_options):
            option = TableReader(raw, f"{table.at('options')}[{index}]", self.report)
            value = option.text("value", required=True)
            if any(other.value == value for other in options):
                self.report(option.at("value"), f"duplicate option '{value}'")
            options.append(
                Option(value, option.text("label", required=True), option.number("points", 0.0))
            )
            option.finish()
        return tuple(options)

    def check_branch_order(
        self,
        table: TableReader,
        question_id: str,
        order: list[str],
        show_whens: Mapping[str, Condition],
    ) -> None:
        """Branches may only look back: a forward or circular show_when could never settle."""
        condition = show_whens.get(question_id, ALWAYS)
        here = order.index(question_id) if question_id in order else -1
        for name in sorted(condition.subjects()):
            subject = self.subjects.get(name)
            if subject is None or subject.kind is not Kind.QUESTION:
                continue
            path = table.at("show_when")
            if name == question_id:
                self.report(path, f"cycle: '{question_id}' depends on its own answer")
            elif order.index(name) > here:
                cycle = _cycle_back(name, question_id, show_whens)
                if cycle:
                    self.report(path, "cycle in branching: " + " → ".join([question_id, *cycle]))
                else:
                    self.report(
                        path,
                        f"refers to '{name}', which is asked later; branch on earlier answers only",
                    )


def _positive_sum(rules: tuple[ScoreRule, ...]) -> float:
    return sum(max(rule.points, 0.0) for rule in rules)


def _cycle_back(start: str, target: str, show_whens: Mapping[str, Condition]) -> list[str]:
    """The chain start → … → target through show_when references, or [] if there is none."""
    stack: list[list[str]] = [[start]]
    seen: set[str] = set()
    while stack:
        chain = stack.pop()
        here = chain[-1]
        if here == target:
            return chain
        if here in seen:
            continue
        seen.add(here)
        for name in sorted(show_whens.get(here, ALWAYS).subjects()):
            if name in show_whens:
                stack.append([*chain, name])
    return []

"""One lifecycle writes a lead's stage, and audit events name their action from one enum."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leaddesk import lifecycle
from leaddesk.audit import AuditAction
from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import Conflict
from leaddesk.store.models import Lead

CORE = Path(__file__).resolve().parents[1] / "leaddesk"
LIFECYCLE = CORE / "lifecycle" / "stages.py"
AT = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)


def _core_modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(CORE.rglob("*.py"))
        if "migrations" not in path.parts  # the schema's own history, written once
    ]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(CORE.parent)}:{getattr(node, 'lineno', '?')}"


def _names_stage_enum(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "Stage" for n in ast.walk(node))


def _receiver(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id
    return ""


def _stage_writes(path: Path, tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "stage":
                found.append(_where(path, node))
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == "stage"
            ):
                found.append(_where(path, node))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            for keyword in node.keywords:
                if keyword.arg != "stage":
                    continue
                # A row (Lead(...), an UPDATE's values, a lead's dict) rather than a dict
                # that only tells the stage (``details.update(stage=lead.stage.value)``).
                row = name in {"Lead", "values", "insert"} or (
                    name == "update"
                    and (_names_stage_enum(keyword.value) or _receiver(func) == "lead")
                )
                if row:
                    found.append(_where(path, node))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "stage"
                    and _names_stage_enum(value)
                ):
                    found.append(_where(path, node))
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(r"\bSET\s+stage\b", node.value, re.IGNORECASE)
        ):
            found.append(_where(path, node))
    return found


def test_no_module_but_the_lifecycle_sets_a_leads_stage() -> None:
    writes = [
        where
        for path, tree in _core_modules()
        if path != LIFECYCLE
        for where in _stage_writes(path, tree)
    ]
    assert writes == [], "set the stage through leaddesk.lifecycle.stages: " + ", ".join(writes)


def test_the_stage_check_finds_a_stage_set_by_hand() -> None:
    written = ast.parse(
        "lead.stage = Stage.NURTURE\n"
        "row['stage'] = 'new'\n"
        "update(Lead).values(stage=Stage.HANDED_OFF)\n"
        "lead.update(stage=stage.value)\n"
        "rows.append({'stage': Stage.NEW.value})\n"
        "text('UPDATE leads SET stage = :s')\n"
    )
    assert len(_stage_writes(CORE / "example.py", written)) == 6


def _free_string_actions(path: Path, tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "record":
                continue
            for keyword in node.keywords:
                if keyword.arg == "action" and isinstance(
                    keyword.value, ast.Constant | ast.JoinedStr
                ):
                    found.append(_where(path, node))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "action"
                    and isinstance(value, ast.Constant | ast.JoinedStr)
                ):
                    found.append(_where(path, node))
        sides = (node.left, *node.comparators) if isinstance(node, ast.Compare) else ()
        if any(isinstance(s, ast.Attribute) and s.attr == "action" for s in sides) and any(
            isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides
        ):
            found.append(_where(path, node))
    return found


def test_audit_events_name_their_action_from_the_enum() -> None:
    free = [where for path, tree in _core_modules() for where in _free_string_actions(path, tree)]
    assert free == [], "use leaddesk.audit.AuditAction, not a string: " + ", ".join(free)


def test_the_action_check_finds_a_spelled_out_action() -> None:
    written = ast.parse(
        "audit.record(session, at=at, actor_id=1, action='call_logged')\n"
        "events.append({'action': f'do_not_call_{kind}'})\n"
        "select(AuditEvent).where(AuditEvent.action == 'backup_taken')\n"
    )
    assert len(_free_string_actions(CORE / "example.py", written)) == 3


def test_audit_actions_keep_the_words_stored_rows_already_hold() -> None:
    assert AuditAction.CALL_LOGGED == "call_logged"
    assert AuditAction("verdict_overridden") is AuditAction.VERDICT_OVERRIDDEN
    assert len({action.value for action in AuditAction}) == len(AuditAction)
    assert all(len(action.value) <= 48 for action in AuditAction)  # audit_events.action


def test_verdicts_and_outcomes_are_said_in_words() -> None:
    assert Verdict.HAND_OFF.label == "hand off"
    assert CallOutcome.NO_ANSWER.label == "no answer"
    assert Stage.IN_QUALIFICATION.label == "in qualification"


def _lead(stage: Stage) -> Lead:
    return Lead(id=7, stage=stage, stage_changed_at=AT - timedelta(days=1), closed_at=None)


def test_a_verdict_closes_the_lead_and_ends_its_claim() -> None:
    lead = _lead(Stage.IN_QUALIFICATION)
    lead.claimed_by_id, lead.claim_expires_at = 3, AT + timedelta(minutes=5)
    left = lifecycle.move(lead, Stage.DISQUALIFIED, at=AT)
    assert left is Stage.IN_QUALIFICATION
    assert (lead.stage, lead.stage_changed_at, lead.closed_at) == (Stage.DISQUALIFIED, AT, AT)
    assert (lead.claimed_by_id, lead.claim_expires_at) == (None, None)


def test_a_qualified_lead_waits_for_sales_without_being_closed() -> None:
    lead = _lead(Stage.WORKING)
    lifecycle.move(lead, Stage.QUALIFIED, at=AT)
    assert (lead.stage, lead.closed_at) == (Stage.QUALIFIED, None)


def test_a_lead_sales_accepted_cannot_go_back_to_work() -> None:
    lead = _lead(Stage.ACCEPTED)
    with pytest.raises(Conflict, match="Lead 7 is accepted; it cannot go to working"):
        lifecycle.move(lead, Stage.WORKING, at=AT)
    assert lead.stage is Stage.ACCEPTED


def test_a_lead_not_handed_off_cannot_get_sales_feedback() -> None:
    with pytest.raises(Conflict):
        lifecycle.move(_lead(Stage.IN_QUALIFICATION), Stage.ACCEPTED, at=AT)
    with pytest.raises(Conflict):
        lifecycle.moved_values(Stage.NEW, Stage.HANDED_OFF, at=AT)


def test_reopening_clears_when_the_lead_ended() -> None:
    lead = _lead(Stage.NURTURE)
    lead.closed_at = AT - timedelta(days=1)
    lifecycle.move(lead, Stage.WORKING, at=AT)
    assert (lead.stage, lead.closed_at) == (Stage.WORKING, None)


def test_an_undo_goes_back_only_along_a_step_the_lifecycle_allows() -> None:
    lead = _lead(Stage.NURTURE)
    before = AT - timedelta(hours=2)
    left = lifecycle.restore(lead, Stage.WORKING, stage_changed_at=before, closed_at=None)
    assert (left, lead.stage, lead.stage_changed_at) == (Stage.NURTURE, Stage.WORKING, before)
    with pytest.raises(Conflict):
        lifecycle.restore(_lead(Stage.NEW), Stage.ACCEPTED, stage_changed_at=None, closed_at=None)

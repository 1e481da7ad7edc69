"""One lifecycle writes a lead's stage, and audit events name their action from one enum."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk import lifecycle
from leaddesk.audit import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.domain import CallOutcome, Stage, Verdict
from leaddesk.errors import Conflict
from leaddesk.lifecycle import stages
from leaddesk.store.models import AuditEvent, Lead
from tests.factories import EVERYONE, Team

CORE = Path(__file__).resolve().parents[1] / "leaddesk"
LIFECYCLE = CORE / "lifecycle" / "stages.py"
AT = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def core_modules() -> list[tuple[Path, ast.Module]]:
    """The core's modules parsed once for this file's three checks (parsing is most of each)."""
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


def test_no_module_but_the_lifecycle_sets_a_leads_stage(
    core_modules: list[tuple[Path, ast.Module]],
) -> None:
    writes = [
        where
        for path, tree in core_modules
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


def test_audit_events_name_their_action_from_the_enum(
    core_modules: list[tuple[Path, ast.Module]],
) -> None:
    free = [where for path, tree in core_modules for where in _free_string_actions(path, tree)]
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
    left = stages.step_to(lead, Stage.DISQUALIFIED, at=AT)
    assert left is Stage.IN_QUALIFICATION
    assert (lead.stage, lead.stage_changed_at, lead.closed_at) == (Stage.DISQUALIFIED, AT, AT)
    assert (lead.claimed_by_id, lead.claim_expires_at) == (None, None)


def test_a_qualified_lead_waits_for_sales_without_being_closed() -> None:
    lead = _lead(Stage.WORKING)
    stages.step_to(lead, Stage.QUALIFIED, at=AT)
    assert (lead.stage, lead.closed_at) == (Stage.QUALIFIED, None)


def test_a_lead_sales_accepted_cannot_go_back_to_work() -> None:
    lead = _lead(Stage.ACCEPTED)
    with pytest.raises(Conflict, match="Lead 7 is accepted; it cannot go to working"):
        stages.step_to(lead, Stage.WORKING, at=AT)
    assert lead.stage is Stage.ACCEPTED


def test_a_lead_not_handed_off_cannot_get_sales_feedback() -> None:
    with pytest.raises(Conflict):
        stages.step_to(_lead(Stage.IN_QUALIFICATION), Stage.ACCEPTED, at=AT)
    with pytest.raises(Conflict):
        stages.moved_values(Stage.NEW, Stage.HANDED_OFF, at=AT)


def test_reopening_clears_when_the_lead_ended() -> None:
    lead = _lead(Stage.NURTURE)
    lead.closed_at = AT - timedelta(days=1)
    stages.step_to(lead, Stage.WORKING, at=AT)
    assert (lead.stage, lead.closed_at) == (Stage.WORKING, None)


def test_an_undo_goes_back_only_along_a_step_the_lifecycle_allows() -> None:
    lead = _lead(Stage.NURTURE)
    before = AT - timedelta(hours=2)
    left = stages.put_back(lead, Stage.WORKING, stage_changed_at=before, closed_at=None)
    assert (left, lead.stage, lead.stage_changed_at) == (Stage.NURTURE, Stage.WORKING, before)
    with pytest.raises(Conflict):
        stages.put_back(_lead(Stage.NEW), Stage.ACCEPTED, stage_changed_at=None, closed_at=None)


# -- the lifecycle writes each stage change's audit event and undo snapshot ----------------------

STAGE_ACTION_NAMES = frozenset(action.name for action in lifecycle.STAGE_ACTIONS)


def _call_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _actions_named(node: ast.AST, aliases: dict[str, set[str]]) -> set[str]:
    """The AuditAction members an expression names, directly or through a module constant."""
    named: set[str] = set()
    for part in ast.walk(node):
        if (
            isinstance(part, ast.Attribute)
            and isinstance(part.value, ast.Name)
            and part.value.id == "AuditAction"
        ):
            named.add(part.attr)
        elif isinstance(part, ast.Name) and part.id in aliases:
            named |= aliases[part.id]
    return named


def _action_aliases(tree: ast.Module) -> dict[str, set[str]]:
    """Module constants naming actions: ``LOGGED = AuditAction.CALL_LOGGED``, ``GIVEN = (...)``."""
    aliases: dict[str, set[str]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            named = _actions_named(node.value, aliases)
            if named:
                aliases[node.targets[0].id] = named
    return aliases


def _stage_events(path: Path, tree: ast.Module) -> list[str]:
    """Audit events written with an action of the lifecycle's: ``audit.record(...)``, an
    ``AuditEvent(...)`` row, or a row dict with an ``"action"`` key; and moves that write none
    (``stages.step_to``, ``stages.put_back``)."""
    aliases = _action_aliases(tree)
    found = []
    for node in ast.walk(tree):
        action: ast.expr | None = None
        if isinstance(node, ast.Call) and _call_name(node.func) in {"record", "AuditEvent"}:
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
        elif isinstance(node, ast.Dict):
            action = next(
                (
                    value
                    for key, value in zip(node.keys, node.values, strict=True)
                    if isinstance(key, ast.Constant) and key.value == "action"
                ),
                None,
            )
        if action is not None and _actions_named(action, aliases) & STAGE_ACTION_NAMES:
            found.append(_where(path, node))
        if isinstance(node, ast.Call) and _call_name(node.func) in {"step_to", "put_back"}:
            found.append(_where(path, node))  # a move with no event
    return found


# Modules that write a stage action's event for a step that leaves the stage alone: a call
# the rep logs on a lead a team lead moved to a colleague during it (the lead stays theirs).
NAMES_NO_STAGE = frozenset({"kept_call.py"})


def test_no_module_but_the_lifecycle_writes_a_stage_changes_audit_event(
    core_modules: list[tuple[Path, ast.Module]],
) -> None:
    written = [
        where
        for path, tree in core_modules
        if "lifecycle" not in path.relative_to(CORE).parts and path.name not in NAMES_NO_STAGE
        for where in _stage_events(path, tree)
    ]
    assert written == [], "move the lead with leaddesk.lifecycle.move/Step: " + ", ".join(written)


def test_the_event_check_finds_a_stage_action_written_by_hand() -> None:
    written = ast.parse(
        "LOGGED = AuditAction.CALL_LOGGED\n"
        "GIVEN = (AuditAction.VERDICT_GIVEN, AuditAction.VERDICT_OVERRIDDEN)\n"
        "audit.record(session, at=at, actor_id=1, action=AuditAction.VERDICT_GIVEN)\n"
        "audit.record(session, at=at, actor_id=1, action=LOGGED, lead_id=2)\n"
        "record(session, at=at, actor_id=1, action=GIVEN[0] if o else AuditAction.NOTE_ADDED)\n"
        "session.add(AuditEvent(action=AuditAction.SALES_FEEDBACK.value, lead_id=3))\n"
        "rows.append({'action': AuditAction.LEAD_REOPENED.value, 'lead_id': 4})\n"
        "audit.record(session, at=at, actor_id=1, action=AuditAction.NOTE_ADDED)\n"
        "audit.record(session, at=at, actor_id=1, action=AuditAction.HANDED_OFF)\n"
        "stages.step_to(lead, Stage.WORKING, at=at)\n"
    )
    assert len(_stage_events(CORE / "example.py", written)) == 6


def test_bulk_paths_actions_are_not_the_lifecycles() -> None:
    assert not lifecycle.STAGE_ACTIONS & lifecycle.BATCH_ACTIONS
    with pytest.raises(ValueError, match="note_added is not an action that changes"):
        lifecycle.Step(_lead(Stage.NEW), action=AuditAction.NOTE_ADDED, actor_id=1)


def test_a_snapshot_reads_back_the_stage_its_times_and_the_claim() -> None:
    lead = _lead(Stage.IN_QUALIFICATION)
    lead.claimed_by_id, lead.claim_expires_at = 3, AT + timedelta(minutes=5)
    step = lifecycle.Step(
        lead, action=AuditAction.VERDICT_GIVEN, actor_id=3, keep={"fit_score": 40}
    )
    step.move(Stage.DISQUALIFIED, at=AT)
    event = AuditEvent(details={"verdict_id": 9, "before": step.before})
    snapshot = lifecycle.snapshot_of(event)
    assert snapshot is not None
    assert (snapshot.stage, snapshot.stage_changed_at, snapshot.closed_at) == (
        Stage.IN_QUALIFICATION,
        AT - timedelta(days=1),
        None,
    )
    assert (snapshot.claimed_by_id, snapshot.claim_expires_at) == (3, AT + timedelta(minutes=5))
    assert snapshot.kept["fit_score"] == 40
    assert lifecycle.snapshot_of(AuditEvent(details={"verdict_id": 9})) is None
    assert lifecycle.snapshot_of(None) is None


class _Trail:
    """The lead's audit events since the last look."""

    def __init__(self, team: Team, lead_id: int) -> None:
        self.team, self.lead_id, self.seen = team, lead_id, 0

    def new_stage_events(self) -> list[AuditEvent]:
        with self.team.store.reading() as session:
            events = list(
                session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.lead_id == self.lead_id, AuditEvent.id > self.seen)
                    .order_by(AuditEvent.id)
                )
            )
        if events:
            self.seen = events[-1].id
        return [e for e in events if e.action in lifecycle.STAGE_ACTIONS]

    def one(self, action: AuditAction, from_stage: Stage, to_stage: Stage) -> lifecycle.Snapshot:
        events = self.new_stage_events()
        assert [e.action for e in events] == [action.value]
        event = events[0]
        assert (event.from_state, event.to_state) == (from_stage.value, to_stage.value)
        snapshot = lifecycle.snapshot_of(event)
        assert snapshot is not None and snapshot.stage is from_stage
        assert self.team.get(self.lead_id).stage is to_stage
        return snapshot


def test_each_change_of_stage_writes_one_event_with_its_snapshot(
    store_location: str, clock: FixedClock
) -> None:
    team = Team(store_location, clock, EVERYONE)
    lead_id = team.lead("rep1")
    arrived = team.get(lead_id).stage_changed_at
    trail = _Trail(team, lead_id)
    with team.desk("rep1") as rep, team.desk("lead1") as lead:
        call = rep.calls.log(lead_id, CallOutcome.NO_ANSWER)
        snapshot = trail.one(AuditAction.CALL_LOGGED, Stage.NEW, Stage.WORKING)
        assert snapshot.stage_changed_at == arrived and snapshot.kept["attempts"] == 0

        clock.advance(minutes=1)
        rep.calls.undo(call.call_id)
        trail.one(AuditAction.CALL_UNDONE, Stage.WORKING, Stage.NEW)
        assert team.get(lead_id).stage_changed_at == arrived

        clock.advance(minutes=1)
        rep.qualifying.answer(lead_id, {"contact_check": "yes"})
        trail.one(AuditAction.ANSWERS_SAVED, Stage.NEW, Stage.IN_QUALIFICATION)

        clock.advance(minutes=1)
        given = rep.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY, "no project at all")
        snapshot = trail.one(
            AuditAction.VERDICT_OVERRIDDEN, Stage.IN_QUALIFICATION, Stage.DISQUALIFIED
        )
        assert snapshot.closed_at is None

        clock.advance(minutes=1)
        rep.qualifying.undo_verdict(given.id)
        snapshot = trail.one(AuditAction.VERDICT_UNDONE, Stage.DISQUALIFIED, Stage.IN_QUALIFICATION)
        assert snapshot.closed_at == clock() - timedelta(minutes=1)
        assert team.get(lead_id).closed_at is None

        rep.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY, "no project at all")
        trail.new_stage_events()
        clock.advance(minutes=1)
        lead.team.reopen(lead_id, "disqualified in error")
        trail.one(AuditAction.LEAD_REOPENED, Stage.DISQUALIFIED, Stage.IN_QUALIFICATION)

        clock.advance(minutes=1)
        lead.privacy.erase_person(lead_id, "asked to be forgotten")
        trail.one(AuditAction.LEAD_CLOSED_ERASED, Stage.IN_QUALIFICATION, Stage.DISQUALIFIED)
    team.store.close()

"""Each change of a lead's stage with its one audit event and its undo snapshot.

A room that changes a lead's stage calls ``move`` (or ``restore``, for an undo) with what the
audit event says: its action (one of ``STAGE_ACTIONS``), who did it, why, and the room's own
details. The lifecycle moves the lead (``stages.step_to``) and writes the event in the same
session, so in the same transaction, with the stage it left and the one it reached.

The undo snapshot has one shape, in ``details["before"]``: the lead's ``stage``, its
``stage_changed_at`` and ``closed_at``, and its claim (``claimed_by_id``,
``claim_expires_at``) as the step found them (times as ISO 8601 text), beside whatever else the
room's step changes and its undo gives back (``keep``: a call's attempts, a verdict's scores).
An undo reads it with ``snapshot_of`` and hands it to ``restore``.

A room whose step moves the lead more than once, or knows its details only at the end (a call
that uses up the cadence), opens a ``Step``, moves it, and records it once.

Bulk paths write their own events: the hand-off export moves a whole batch in one UPDATE
(``stages.moved_values``) and writes one HANDED_OFF event per lead naming the batch, with no
snapshot (no undo takes a lead out of a batch, and reading each lead first would cost the
export a SELECT per chunk); intake inserts new leads (``stages.started``) and the demo makes
up leads with their whole past (``stages.as_stored``): neither moves a lead that was there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.lifecycle import stages
from leaddesk.store.models import AuditEvent, Lead

# The actions whose event only the lifecycle writes: each may change a lead's stage.
STAGE_ACTIONS = frozenset(
    {
        AuditAction.CALL_LOGGED,
        AuditAction.CALL_UNDONE,
        AuditAction.NURTURED_UNREACHABLE,
        AuditAction.ANSWERS_SAVED,
        AuditAction.VERDICT_GIVEN,
        AuditAction.VERDICT_OVERRIDDEN,
        AuditAction.VERDICT_UNDONE,
        AuditAction.LEAD_REOPENED,
        AuditAction.SALES_FEEDBACK,
        AuditAction.HANDED_OFF_AT_ONCE,
        AuditAction.LEAD_CLOSED_ERASED,
        AuditAction.MARKETING_QUALIFIED,
    }
)
# Bulk paths' per-lead events (see the module): written where the batch is.
BATCH_ACTIONS = frozenset({AuditAction.HANDED_OFF, AuditAction.VERDICT})

SNAPSHOT = "before"  # the key of the undo snapshot in an event's details
_MOMENTS = ("stage_changed_at", "closed_at", "claim_expires_at")


@dataclass(frozen=True)
class Snapshot:
    """A lead as a step found it: its stage, timestamps and claim, and what the room kept."""

    stage: Stage
    stage_changed_at: datetime | None
    closed_at: datetime | None
    claimed_by_id: int | None
    claim_expires_at: datetime | None
    kept: Mapping[str, Any] = field(default_factory=dict)


def snapshot_of(event: AuditEvent | None) -> Snapshot | None:
    """The lead as it was before ``event``'s step; None if the event kept no snapshot."""
    details = (event.details or {}) if event is not None else {}
    before = details.get(SNAPSHOT)
    if not isinstance(before, dict) or not isinstance(before.get("stage"), str):
        return None
    claimed = before.get("claimed_by_id")
    return Snapshot(
        stage=Stage(before["stage"]),
        stage_changed_at=_moment(before.get("stage_changed_at")),
        closed_at=_moment(before.get("closed_at")),
        claimed_by_id=claimed if isinstance(claimed, int) else None,
        claim_expires_at=_moment(before.get("claim_expires_at")),
        kept=before,
    )


def _moment(text: object) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


def _taken(lead: Lead, keep: Mapping[str, Any] | None) -> dict[str, Any]:
    state: dict[str, Any] = {
        **(keep or {}),
        "stage": lead.stage.value,
        "claimed_by_id": lead.claimed_by_id,
    }
    for name in _MOMENTS:
        moment = getattr(lead, name)
        state[name] = moment.isoformat() if moment is not None else None
    return state


class Step:
    """One step of a lead's life: its snapshot taken on opening, its one event on ``record``."""

    def __init__(
        self,
        lead: Lead,
        *,
        action: AuditAction,
        actor_id: int | None,
        keep: Mapping[str, Any] | None = None,
    ) -> None:
        if action not in STAGE_ACTIONS:
            raise ValueError(f"{action.value} is not an action that changes a lead's stage")
        self.lead = lead
        self.action = action
        self.actor_id = actor_id
        self.from_stage = lead.stage
        self.before = _taken(lead, keep)

    def move(self, to_stage: Stage, *, at: datetime) -> Stage:
        """Move the lead on (``stages.step_to``); the stage it left."""
        return stages.step_to(self.lead, to_stage, at=at)

    def restore(self, snapshot: Snapshot) -> Stage:
        """Put back the stage and timestamps ``snapshot`` kept; the stage it left. The claim
        is not put back: an undo hands the lead to whoever takes the step back."""
        return stages.put_back(
            self.lead,
            snapshot.stage,
            stage_changed_at=snapshot.stage_changed_at,
            closed_at=snapshot.closed_at,
        )

    def record(
        self,
        session: Session,
        *,
        at: datetime,
        reason: str | None = None,
        subject: str | None = None,
        details: Mapping[str, Any] | None = None,
        stage_if_unchanged: bool = True,
    ) -> None:
        """Write the step's audit event, from the stage it found to the one it left the lead
        in; ``stage_if_unchanged`` False leaves both out when the stage did not change."""
        to_stage = self.lead.stage
        said = stage_if_unchanged or to_stage is not self.from_stage
        audit.record(
            session,
            at=at,
            actor_id=self.actor_id,
            action=self.action,
            lead_id=self.lead.id,
            subject=subject,
            from_state=self.from_stage.value if said else None,
            to_state=to_stage.value if said else None,
            reason=reason,
            details={**(details or {}), SNAPSHOT: self.before},
        )


def move(
    session: Session,
    lead: Lead,
    to_stage: Stage,
    *,
    at: datetime,
    action: AuditAction,
    actor_id: int | None,
    reason: str | None = None,
    subject: str | None = None,
    details: Mapping[str, Any] | None = None,
    keep: Mapping[str, Any] | None = None,
) -> Stage:
    """Move ``lead`` to ``to_stage`` and write the step's audit event; the stage it left.

    A step the lifecycle does not allow raises Conflict and writes nothing.
    """
    step = Step(lead, action=action, actor_id=actor_id, keep=keep)
    left = step.move(to_stage, at=at)
    step.record(session, at=at, reason=reason, subject=subject, details=details)
    return left


def restore(
    session: Session,
    lead: Lead,
    snapshot: Snapshot,
    *,
    at: datetime,
    action: AuditAction,
    actor_id: int | None,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> Stage:
    """An undo puts ``lead`` back as ``snapshot`` found it and writes its event; the stage it
    left. Only the reverse of a step the lifecycle allows can be undone (Conflict)."""
    step = Step(lead, action=action, actor_id=actor_id)
    left = step.restore(snapshot)
    step.record(session, at=at, reason=reason, details=details)
    return left

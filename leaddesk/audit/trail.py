"""The audit trail: one event per change, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.store.models import AuditEvent


def record(
    session: Session,
    *,
    at: datetime,
    actor_id: int | None,
    action: AuditAction,
    lead_id: int | None = None,
    subject: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor_id,
            action=action.value,
            lead_id=lead_id,
            subject=subject,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            details=details,
        )
    )

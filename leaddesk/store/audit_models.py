"""The audit trail's table: who did what to which lead, append-only on a team database
(``leaddesk.store.guards``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leaddesk.store.models import Base


class AuditEvent(Base):
    """Who did what, when, from which state to which, and why. Never updated: an erasure blanks
    its words (``leaddesk.privacy.erasure``), and an event that is not work on a lead (a look:
    a claim, a skip; the sweep's untouched flag: ``leaddesk.audit.actions.NOT_WORK_ACTIONS``)
    loses its lead when an import's undo removes it."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(48), index=True)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str | None] = mapped_column(String(128))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None]
    # The database login that wrote it, stamped by a team database itself (None on SQLite):
    # a change made with raw SQL through a rep's login shows as theirs.
    db_login: Mapped[str | None] = mapped_column(String(64))

"""The sync's tables (leaddesk/sync/): hand-offs waiting for sales' CRM, and the team's
connector settings (docs/sync.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leaddesk.store.models import Base


class SyncOutboxRow(Base):
    """A hand-off waiting to be sent to sales' CRM, written with the verdict (leaddesk/sync/).

    A worker claims it with a lease (``claimed_until``) so two never send it at once; it is
    ``sent`` with the CRM's record id, or ``held`` with the CRM's words until resent."""

    __tablename__ = "sync_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), unique=True)
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), index=True)  # waiting, sent, held
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    connector: Mapped[str | None] = mapped_column(String(32))
    crm_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SyncSetting(Base):
    """The team's connector and its field mapping (never a secret: those are in the keyring)."""

    __tablename__ = "sync_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    connector: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]
    # How far sales' answers were read back from the CRM (``leaddesk sync pull``).
    pulled_until: Mapped[datetime | None]

"""The queue's own table: the reps' "skip for now"s (leaddesk/queue/skips.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leaddesk.store.models import Base
from leaddesk.store.types import JSONText


class QueueSkip(Base):
    """A rep's "skip for now": the lead waits behind the leads that were next when they
    skipped it, for ``leaddesk.queue.skips.SKIP_LASTS``. One per rep and lead (the latest
    skip wins); the audit event of each skip is its history."""

    __tablename__ = "queue_skips"
    __table_args__ = (UniqueConstraint("user_id", "lead_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    skipped_at: Mapped[datetime]
    behind: Mapped[list[int]] = mapped_column(JSONText())  # lead ids, in queue order

"""The meetings' tables (leaddesk/meetings/): salespeople's calendars and the meetings reps
book into them on the call (migration 0017)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leaddesk.store.models import Base


class SalesCalendar(Base):
    """A salesperson's working hours (None: the default, Mon–Fri 09:00–17:00 in their own
    zone) and the ICS calendar they gave, kept as read so its busy times can be expanded for
    any week asked (recurring events included)."""

    __tablename__ = "sales_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    source: Mapped[str | None] = mapped_column(Text)  # the file or URL it was read from
    calendar_text: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))  # where invitations reach them
    day_start: Mapped[str | None] = mapped_column(String(5))  # "09:00"
    day_end: Mapped[str | None] = mapped_column(String(5))
    weekdays: Mapped[str | None] = mapped_column(String(16))  # "01234": Monday = 0
    loaded_at: Mapped[datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]


class Meeting(Base):
    """A meeting a rep booked for a lead with a salesperson. The invitation's ``uid`` never
    changes, so a move or a cancellation updates the same event (``sequence`` + 1).

    ``held_start`` and ``held_lead_id`` are the start and the lead while the meeting is on
    (None once cancelled): unique, so a slot is booked once and a lead has one meeting on."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("salesperson_id", "held_start"),
        Index("ix_meetings_salesperson_starts", "salesperson_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(128), unique=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    salesperson_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    held_start: Mapped[datetime | None]
    held_lead_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="booked")  # booked | cancelled
    prospect_zone: Mapped[str | None] = mapped_column(String(64))
    decision_maker: Mapped[str | None] = mapped_column(Text)
    others: Mapped[str | None] = mapped_column(Text)  # one per line
    booked_at: Mapped[datetime]
    changed_at: Mapped[datetime]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

"""Booking, moving and cancelling the meeting of a lead, each one transaction.

No double booking: a meeting on holds its salesperson's start (``meetings.held_start``,
unique per salesperson), so of two reps booking the same slot at once one gets it and the
other a ``Conflict`` naming who took it, on SQLite (whose writes queue) and PostgreSQL (whose
unique index makes the second insert wait for the first and fail) alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role, Stage
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.meetings.busy import OURS
from leaddesk.meetings.calendars import calendar_row
from leaddesk.meetings.slots import SLOT_MINUTES, why_not_free, zones_for
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Account, Lead, Meeting, Person, User

BOOKED, CANCELLED = "booked", "cancelled"
# A meeting is booked for a lead still being worked, or one handed to sales and not answered.
BOOKABLE = frozenset(
    {
        Stage.NEW,
        Stage.MARKETING_QUALIFIED,
        Stage.WORKING,
        Stage.IN_QUALIFICATION,
        Stage.QUALIFIED,
        Stage.HANDED_OFF,
        Stage.EXISTING_ACCOUNT,
    }
)


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as the rep, the salesperson and the hand-off see it."""

    id: int
    uid: str
    lead_id: int
    prospect: str
    prospect_email: str | None
    company: str | None
    salesperson: str
    salesperson_name: str
    salesperson_email: str | None
    salesperson_zone: str
    booked_by: str
    booked_by_name: str
    starts_at: datetime
    ends_at: datetime
    prospect_zone: str
    status: str
    sequence: int
    decision_maker: str | None
    others: tuple[str, ...]
    # Where it was before its last move (``leaddesk.meetings.history``); None if never moved.
    moved_from: datetime | None = None

    def local(self, zone: str | None = None) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(zone or self.prospect_zone))

    @property
    def when(self) -> str:
        """'Thu 10 Dec 10:00 (Europe/London)': in the prospect's time, as agreed on the call."""
        return f"{self.local():%a %d %b %H:%M} ({self.prospect_zone})"

    @property
    def was(self) -> str | None:
        """Where it was before it moved, in the prospect's time ('Wed 09 Dec 10:00'); None if
        it never moved."""
        if self.moved_from is None:
            return None
        return f"{self.moved_from.astimezone(ZoneInfo(self.prospect_zone)):%a %d %b %H:%M}"

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def as_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "lead_id": self.lead_id,
            "status": self.status,
            "sequence": self.sequence,
            "start": self.starts_at.isoformat().replace("+00:00", "Z"),
            "end": self.ends_at.isoformat().replace("+00:00", "Z"),
            "prospect_time": self.local().isoformat(),
            "prospect_zone": self.prospect_zone,
            "salesperson_time": self.local(self.salesperson_zone).isoformat(),
            "salesperson": self.salesperson,
            "salesperson_name": self.salesperson_name,
            "prospect": self.prospect,
            "company": self.company,
            "booked_by": self.booked_by,
            "decision_maker": self.decision_maker,
            "others": list(self.others),
        }


def book(
    session: Session,
    *,
    lead_id: int,
    salesperson: User,
    actor: User,
    start: datetime,
    at: datetime,
    decision_maker: str | None = None,
    others: tuple[str, ...] = (),
) -> MeetingInfo:
    lead = _lead(session, lead_id)
    _may_book(actor, lead, salesperson)
    if lead.stage not in BOOKABLE:
        raise InputError(f"Lead {lead_id} is {lead.stage.label}; no meeting can be booked for it.")
    on = _meeting_on(session, lead_id)
    if on is not None:
        raise Conflict(
            f"Lead {lead_id} already has a meeting with {_name(session, on.salesperson_id)} "
            f"on {_local(on, session)}; move it (meeting move) or cancel it first."
        )
    where = zones_for(session, lead, actor if actor.role is not Role.SALES else None, salesperson)
    start = _utc(start, where.prospect)
    _require_free(session, salesperson, start, at, lead, where.prospect)
    meeting = Meeting(
        uid=f"{uuid.uuid4()}{OURS}",
        lead_id=lead_id,
        salesperson_id=salesperson.id,
        booked_by_id=actor.id,
        starts_at=start,
        ends_at=start + timedelta(minutes=SLOT_MINUTES),
        held_start=start,
        held_lead_id=lead_id,
        sequence=0,
        status=BOOKED,
        prospect_zone=where.prospect,
        decision_maker=(decision_maker or "").strip() or None,
        others="\n".join(o.strip() for o in others if o.strip()) or None,
        booked_at=at,
        changed_at=at,
        changed_by_id=actor.id,
    )
    _hold(session, meeting, salesperson, start)
    info = meeting_info(session, meeting)
    _audit(
        session,
        AuditAction.MEETING_BOOKED,
        info,
        actor,
        at,
        f"Meeting booked with {info.salesperson_name} for {info.when}",
    )
    return info


def move(
    session: Session, *, lead_id: int, actor: User, start: datetime, at: datetime
) -> MeetingInfo:
    meeting = _current(session, lead_id)
    salesperson = session.get(User, meeting.salesperson_id)
    assert salesperson is not None
    _may_change(session, actor, meeting)
    start = _utc(start, meeting.prospect_zone or "UTC")
    if start == meeting.starts_at:
        raise InputError(f"The meeting of lead {lead_id} is at that time already.", field="at")
    before = meeting_info(session, meeting)
    meeting.held_start = None  # its own slot is not in the way of the new one
    session.flush()
    _require_free(
        session, salesperson, start, at, _lead(session, lead_id), meeting.prospect_zone or "UTC"
    )
    meeting.starts_at, meeting.ends_at = start, start + timedelta(minutes=SLOT_MINUTES)
    meeting.sequence += 1
    meeting.changed_at, meeting.changed_by_id = at, actor.id
    _hold(session, meeting, salesperson, start)
    info = replace(meeting_info(session, meeting), moved_from=before.starts_at)
    _audit(
        session,
        AuditAction.MEETING_MOVED,
        info,
        actor,
        at,
        f"Meeting with {info.salesperson_name} moved from {before.when} to {info.when}",
    )
    return info


def cancel(session: Session, *, lead_id: int, actor: User, at: datetime) -> MeetingInfo:
    meeting = _current(session, lead_id)
    _may_change(session, actor, meeting)
    meeting.status = CANCELLED
    meeting.held_start = meeting.held_lead_id = None
    meeting.sequence += 1
    meeting.changed_at, meeting.changed_by_id = at, actor.id
    session.flush()
    info = meeting_info(session, meeting)
    _audit(
        session,
        AuditAction.MEETING_CANCELLED,
        info,
        actor,
        at,
        f"Meeting with {info.salesperson_name} on {info.when} cancelled",
    )
    return info


def latest_meeting(session: Session, lead_id: int) -> Meeting | None:
    """The lead's meeting still on, else the one cancelled last; None if none was booked."""
    return session.scalar(
        select(Meeting)
        .where(Meeting.lead_id == lead_id)
        .order_by(Meeting.held_lead_id.is_(None), Meeting.changed_at.desc(), Meeting.id.desc())
    )


def meeting_info(session: Session, meeting: Meeting) -> MeetingInfo:
    lead = session.get(Lead, meeting.lead_id)
    assert lead is not None
    person = session.get(Person, lead.person_id)
    account = session.get(Account, lead.account_id) if lead.account_id else None
    salesperson = session.get(User, meeting.salesperson_id)
    booked_by = session.get(User, meeting.booked_by_id)
    assert salesperson is not None and booked_by is not None
    diary = calendar_row(session, salesperson.id)
    zones = zones_for(session, lead, None, salesperson)
    return MeetingInfo(
        id=meeting.id,
        uid=meeting.uid,
        lead_id=meeting.lead_id,
        prospect=(person.full_name if person else "") or f"lead {lead.id}",
        prospect_email=person.email if person else None,
        company=account.name if account else None,
        salesperson=salesperson.name,
        salesperson_name=salesperson.display_name,
        salesperson_email=diary.email if diary else None,
        salesperson_zone=zones.salesperson,
        booked_by=booked_by.name,
        booked_by_name=booked_by.display_name,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        prospect_zone=meeting.prospect_zone or zones.prospect,
        status=meeting.status,
        sequence=meeting.sequence,
        decision_maker=meeting.decision_maker,
        others=tuple((meeting.others or "").splitlines()),
    )


def _utc(start: datetime, prospect_zone: str) -> datetime:
    """A time given without a zone is the prospect's wall clock: what was agreed on the call."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo(prospect_zone))
    return start.astimezone(ZoneInfo("UTC"))


def _lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"There is no lead {lead_id}.", field="lead_id")
    return lead


def _meeting_on(session: Session, lead_id: int) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.held_lead_id == lead_id))


def _current(session: Session, lead_id: int) -> Meeting:
    _lead(session, lead_id)
    meeting = _meeting_on(session, lead_id)
    if meeting is None:
        raise InputError(
            f"Lead {lead_id} has no meeting booked; book one with: meeting book {lead_id} --at …",
            field="lead_id",
        )
    return meeting


def _may_book(actor: User, lead: Lead, salesperson: User) -> None:
    if actor.role is Role.SALES and salesperson.id != actor.id:
        raise NotPermitted(
            f"{actor.name} books meetings only with themselves, not with {salesperson.name}."
        )
    if actor.role is Role.QUALIFIER and lead.assigned_to_id not in (None, actor.id):
        raise NotPermitted(f"Lead {lead.id} is a colleague's; its rep books its meeting.")


def _may_change(session: Session, actor: User, meeting: Meeting) -> None:
    if actor.role is Role.SALES and meeting.salesperson_id != actor.id:
        raise NotPermitted(
            f"The meeting of lead {meeting.lead_id} is {_name(session, meeting.salesperson_id)}'s, "
            f"not {actor.name}'s."
        )
    if actor.role is Role.QUALIFIER:
        lead = session.get(Lead, meeting.lead_id)
        mine = meeting.booked_by_id == actor.id or (lead and lead.assigned_to_id == actor.id)
        if not mine:
            raise NotPermitted(
                f"The meeting of lead {meeting.lead_id} was booked by a colleague for their "
                "lead; they or the salesperson move it."
            )


def _require_free(
    session: Session,
    salesperson: User,
    start: datetime,
    at: datetime,
    lead: Lead,
    prospect_zone: str,
) -> None:
    holder = _holder(session, salesperson.id, start)
    if holder is not None:
        raise _taken(session, holder, salesperson)
    why = why_not_free(
        session,
        salesperson=salesperson,
        start=start,
        at=at,
        lead=lead,
        prospect_zone=prospect_zone,
    )
    if why is not None:
        raise InputError(
            f"That is not a free slot: {why}. Pick one from meeting slots.", field="at"
        )


def _hold(session: Session, meeting: Meeting, salesperson: User, start: datetime) -> None:
    """Take the slot; a booking that won the race meanwhile wins, and says who holds it."""
    lead_id = meeting.lead_id
    try:
        with session.begin_nested():
            meeting.held_start = start
            session.add(meeting)
            session.flush()
    except IntegrityError:
        holder = _holder(session, salesperson.id, start)
        if holder is not None:
            raise _taken(session, holder, salesperson) from None
        if _meeting_on(session, lead_id) is not None:  # a colleague booked this lead meanwhile
            raise Conflict(
                f"Lead {lead_id} was just given a meeting by a colleague; see its timeline."
            ) from None
        raise


def _holder(session: Session, salesperson_id: int, start: datetime) -> Meeting | None:
    return session.scalar(
        select(Meeting)
        .where(Meeting.salesperson_id == salesperson_id, Meeting.held_start == start)
        .execution_options(populate_existing=True)
    )


def _taken(session: Session, holder: Meeting, salesperson: User) -> Conflict:
    who = _name(session, holder.booked_by_id)
    # In the salesperson's own time: the holder's prospect may be in another zone than yours.
    zone = salesperson.timezone or current_policy(session).timezone
    when = f"{holder.starts_at.astimezone(ZoneInfo(zone)):%a %d %b %H:%M} ({zone})"
    return Conflict(
        f"{salesperson.display_name}'s slot {when} was just taken by {who} "
        f"(lead {holder.lead_id}); pick another slot."
    )


def _name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.display_name if user else f"user {user_id}"


def _local(meeting: Meeting, session: Session) -> str:
    zone = meeting.prospect_zone or "UTC"
    return f"{meeting.starts_at.astimezone(ZoneInfo(zone)):%a %d %b %H:%M} ({zone})"


def _audit(
    session: Session, action: AuditAction, info: MeetingInfo, actor: User, at: datetime, text: str
) -> None:
    audit.record(
        session,
        at=at,
        actor_id=actor.id,
        action=action,
        lead_id=info.lead_id,
        subject=f"meeting:{info.uid}",
        reason=text,
        details={"meeting": info.as_json()},
    )

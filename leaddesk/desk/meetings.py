"""Meetings booked on the call: the salesperson's free slots, booking, moving and cancelling
(each one transaction, with its invitation written after it commits, and, for a lead the
sync already sent to sales' CRM, its outbox row queued again in that transaction), the
salesperson's own list, and their working hours and calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from leaddesk.desk.context import DeskContext
from leaddesk.domain import Role, Verdict
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff.routing import route_for
from leaddesk.meetings import booking, calendars, diary
from leaddesk.meetings.booking import MeetingInfo
from leaddesk.meetings.calendar_file import read_calendar
from leaddesk.meetings.calendars import CalendarInfo, salesperson_named
from leaddesk.meetings.following import follow_calendar
from leaddesk.meetings.hours import parse_hours, parse_weekdays
from leaddesk.meetings.sent import MeetingSent, send
from leaddesk.meetings.slots import FreeSlots, free_slots
from leaddesk.people.permissions import Action
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Lead, User
from leaddesk.sync import outbox


class Meetings:
    """``desk.meetings``: the salesperson's diary as reps book into it on the call."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def slots(self, lead_id: int, *, days: int = 7, with_: str | None = None) -> FreeSlots:
        """The free slots of the lead's salesperson (``with_``: another one) for ``days``."""
        with self._ctx.read(Action.BOOK_MEETINGS) as session:
            lead = _lead(session, lead_id)
            me = self._me(session)
            salesperson = self._salesperson(session, lead, with_, me)
            rep = me if me.role is not Role.SALES else None
            return free_slots(
                session,
                lead=lead,
                salesperson=salesperson,
                rep=rep,
                at=self._ctx.clock(),
                days=days,
            )

    def book(
        self,
        lead_id: int,
        at: datetime,
        *,
        with_: str | None = None,
        decision_maker: str | None = None,
        others: tuple[str, ...] = (),
        ics_out: Path | None = None,
    ) -> MeetingSent:
        """Book the slot starting ``at``; a slot taken meanwhile is a Conflict naming who."""
        now = self._ctx.clock()
        with self._ctx.write(Action.BOOK_MEETINGS) as session:
            lead = _lead(session, lead_id)
            me = self._me(session)
            salesperson = self._salesperson(session, lead, with_, me)
            meeting = booking.book(
                session,
                lead_id=lead_id,
                salesperson=salesperson,
                actor=me,
                start=at,
                at=now,
                decision_maker=decision_maker,
                others=others,
            )
            outbox.queue_meeting_change(session, lead_id, now)
        return send(meeting, out=ics_out, stamp=now)

    def move(self, lead_id: int, at: datetime, *, ics_out: Path | None = None) -> MeetingSent:
        """Move the lead's meeting to the free slot at ``at``: same UID, SEQUENCE + 1."""
        now = self._ctx.clock()
        with self._ctx.write(Action.BOOK_MEETINGS) as session:
            meeting = booking.move(
                session, lead_id=lead_id, actor=self._me(session), start=at, at=now
            )
            outbox.queue_meeting_change(session, lead_id, now)
        return send(meeting, out=ics_out, stamp=now)

    def cancel(self, lead_id: int, *, ics_out: Path | None = None) -> MeetingSent:
        """Cancel the lead's meeting: METHOD:CANCEL with the same UID, SEQUENCE + 1."""
        now = self._ctx.clock()
        with self._ctx.write(Action.BOOK_MEETINGS) as session:
            meeting = booking.cancel(session, lead_id=lead_id, actor=self._me(session), at=now)
            outbox.queue_meeting_change(session, lead_id, now)
        return send(meeting, out=ics_out, stamp=now)

    def of_lead(self, lead_id: int) -> MeetingInfo | None:
        """The lead's meeting still on, for the verdict panel; None if none is."""
        with self._ctx.read(None) as session:
            return diary.meeting_of(session, lead_id)

    def mine(self) -> list[MeetingInfo]:
        """A salesperson's meetings from today on ("My meetings")."""
        with self._ctx.read(Action.READ_HANDOFFS) as session:
            return diary.meetings_with(session, self._ctx.user_id, self._ctx.clock())

    def set_calendar(
        self,
        salesperson: str,
        *,
        ics: str | None = None,
        hours: str | None = None,
        weekdays: str | None = None,
        email: str | None = None,
    ) -> CalendarInfo:
        """A salesperson's calendar (an ICS file or URL, read and checked before anything is
        kept), working hours and invitation address; each left out stays as it was."""
        self._ctx.require(Action.SET_CALENDAR)
        day = parse_hours(hours) if hours is not None else None
        days = parse_weekdays(weekdays) if weekdays is not None else None
        text = read_calendar(ics) if ics is not None else None
        now = self._ctx.clock()
        with self._ctx.write(Action.SET_CALENDAR) as session:
            user = salesperson_named(session, salesperson)
            if self._ctx.actor.role is Role.SALES and user.id != self._ctx.actor.id:
                raise NotPermitted(
                    f"{self._ctx.actor.name} sets only their own calendar; ask your team lead "
                    f"to set {user.name}'s."
                )
            info = calendars.set_calendar(
                session,
                salesperson=user,
                actor_id=self._ctx.actor.id,
                at=now,
                source=ics,
                text=text,
                hours=day,
                weekdays=days,
                email=email,
            )
            followed = []
            if text is not None:  # moved or cancelled in their calendar program: follow it
                calendar = calendars.parsed(text, ics or "the calendar")
                followed = follow_calendar(
                    session, calendar, salesperson=user, actor=self._me(session), at=now
                )
                for _words, changed in followed:
                    if changed is not None:
                        outbox.queue_meeting_change(session, changed.lead_id, now)
        said = []
        for words, meeting in followed:
            if meeting is not None:  # the updated invitation, SEQUENCE + 1, to send again
                words += f" (invitation: {send(meeting, out=None, stamp=now).invitation})"
            said.append(words)
        return replace(info, followed=tuple(said))

    def _me(self, session: Session) -> User:
        user = session.get(User, self._ctx.user_id)
        assert user is not None
        return user

    def _salesperson(self, session: Session, lead: Lead, name: str | None, me: User) -> User:
        """Named, else the lead's own (routed at the verdict), else whom the policy would
        route it to now; a salesperson asking is their own."""
        if name is not None:
            return salesperson_named(session, name)
        if me.role is Role.SALES:
            return me
        if lead.sales_owner_id is not None:
            owner = session.get(User, lead.sales_owner_id)
            if owner is not None and owner.active:
                return owner
        route = route_for(session, lead, Verdict.HAND_OFF, current_policy(session))
        if route is None:
            raise InputError("There is no active salesperson to book; add one first.", field="with")
        found = session.get(User, route.salesperson_id)
        assert found is not None
        return found


def _lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"There is no lead {lead_id}.", field="lead_id")
    return lead

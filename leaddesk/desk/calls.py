"""Calls on the phone: logging them, ending them, taking one back, notes, the day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from leaddesk.calling import call_log as calls
from leaddesk.calling import calling_hours, ending
from leaddesk.calling import my_day as day_summary
from leaddesk.calling.left_open import CallLeftOpen, take_back_call_left_open
from leaddesk.calling.undo import UndoneCall, undo_call
from leaddesk.desk.context import DeskContext
from leaddesk.domain import CallOutcome
from leaddesk.errors import InputError
from leaddesk.leads import notes
from leaddesk.leads.contact_corrections import ContactChanged, ContactDetails, change_contact
from leaddesk.people.permissions import Action
from leaddesk.store.models import CallAttempt
from leaddesk.team import reassign as team_reassign


class Calls:
    """``desk.calls``: a rep's calls: logged, ended, taken back; notes and the day in numbers."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def save_note(self, lead_id: int, text: str, note_id: int | None = None) -> int:
        """Saved as typed (the window debounces); returns the note id to pass next time."""
        with self._ctx.write(Action.LOG_CALL) as session:
            return notes.save_note(
                session,
                lead_id=lead_id,
                text=text,
                user_id=self._ctx.user_id,
                at=self._ctx.clock(),
                note_id=note_id,
            )

    def my_day(self, zone: str | None = None) -> day_summary.DaySummary:
        """Today's calls, connects, verdicts by type and SLA breaches, for the status bar.

        Today is the team's day (the policy's zone) unless ``zone`` names another."""
        with self._ctx.read(Action.WORK_QUEUE) as session:
            summary = day_summary.summarise_day(
                session, user_id=self._ctx.user_id, now=self._ctx.clock(), zone=zone
            )
        if zone is None:  # the team's day, as the status bar shows it: kept from now on
            self._ctx.day.keep(summary)
        return summary

    def my_day_kept(self) -> day_summary.DaySummary:
        """``my_day`` in the team's day, kept up to date by the calls and verdicts written
        through this desk instead of counted again: a few reads after a call, whatever the
        store's size. Counted from the rows when nothing is kept yet, the day has turned, or
        the kept figures are ``RECOUNT_AFTER`` old (deadlines pass, colleagues move leads)."""
        self._ctx.require(Action.WORK_QUEUE)
        kept = self._ctx.day.current(self._ctx.clock())
        return kept if kept is not None else self.my_day()

    def log(
        self,
        lead_id: int,
        outcome: CallOutcome,
        callback_at: datetime | None = None,
        note: str | None = None,
        duration_seconds: int | None = None,
    ) -> calls.CallResult:
        """Record a call and move the lead on per the cadence, in one transaction."""
        at = self._ctx.clock()
        user_id = self._ctx.user_id
        with (
            self._ctx.write(Action.LOG_CALL) as session,
            self._ctx.day.watch(session, lead_id, user_id=user_id, at=at) as change,
        ):
            result = calls.log_call(
                session,
                lead_id,
                user_id=self._ctx.user_id,
                at=at,
                outcome=outcome,
                callback_at=callback_at,
                note=note,
                duration_seconds=duration_seconds,
                any_lead=self._ctx.can(Action.REASSIGN),
            )
            # The call ended (anything but "connected" lets the lead go): a move that waited
            # for it happens now. A connected call keeps the claim, so nothing moves yet.
            team_reassign.move_after_call(session, lead_id, at=at)
        self._ctx.day.add(change)
        return result

    def why_not_dial(self, lead_id: int) -> str | None:
        """Why the lead's person may not be phoned right now (do-not-call, outside their
        calling hours); None when they may. The window asks before it dials."""
        with self._ctx.read(Action.LOG_CALL) as session:
            return calling_hours.why_not_dial(session, lead_id, self._ctx.clock())

    def end_interrupted(self) -> list[ending.CallEnded]:
        """The acting rep's connected calls a closed window left open, ended at the last
        moment it saw them on the call (the window does this when it opens, and every minute)."""
        with self._ctx.write(Action.LOG_CALL) as session:
            ended = ending.end_interrupted_calls(
                session, user_id=self._ctx.user_id, at=self._ctx.clock()
            )
        if ended:  # talk time counted on calls of other days and leads: count the day again
            self._ctx.day.forget()
        return ended

    def take_back_left_open(self) -> tuple[CallLeftOpen | None, list[ending.CallEnded]]:
        """When the window opens: the calls a closed window left open are ended as
        ``end_interrupted`` ends them, and the lead of the latest one still without a verdict
        is held for the rep again, to finish qualifying it (None when there is none)."""
        with self._ctx.write(Action.LOG_CALL) as session:
            left, ended = take_back_call_left_open(
                session, user_id=self._ctx.user_id, at=self._ctx.clock()
            )
        if ended:
            self._ctx.day.forget()
        return left, ended

    def end(self, call_id: int, duration_seconds: int) -> ending.CallEnded:
        """A connected call is over: record its whole length (the rep's talk time)."""
        at = self._ctx.clock()
        user_id = self._ctx.user_id
        with self._ctx.write(Action.LOG_CALL) as session:
            lead_id = session.scalar(select(CallAttempt.lead_id).where(CallAttempt.id == call_id))
            if lead_id is None:
                raise InputError(f"No call {call_id}.")
            with self._ctx.day.watch(session, lead_id, user_id=user_id, at=at) as change:
                ended = ending.end_call(
                    session, call_id, user_id=user_id, at=at, duration_seconds=duration_seconds
                )
        self._ctx.day.add(change)
        return ended

    def change_contact(self, lead_id: int, details: ContactDetails) -> ContactChanged:
        """Correct the person's name, title, email or phone on a lead the rep works (a team
        lead: any lead), cleaned as an import cleans; audited with what changed."""
        at = self._ctx.clock()
        with self._ctx.write(Action.LOG_CALL) as session:
            return change_contact(
                session,
                lead_id,
                details,
                user_id=self._ctx.user_id,
                at=at,
                any_lead=self._ctx.can(Action.REASSIGN),
            )

    def undo(self, call_id: int) -> UndoneCall:
        """Take back a call's outcome logged by mistake (within minutes, nothing since): the
        lead is as it was before the call, and the rep holds it to log what happened."""
        at = self._ctx.clock()
        with self._ctx.write(Action.LOG_CALL) as session:
            undone = undo_call(session, call_id, user_id=self._ctx.user_id, at=at)
        self._ctx.day.forget()  # rare: the day is counted again rather than followed
        return undone

    def my_note(self, lead_id: int) -> tuple[int, str] | None:
        """The acting rep's latest note on the lead (id, text), to keep editing it."""
        with self._ctx.read(Action.WORK_QUEUE) as session:
            mine = [n for n in notes.notes_for(session, lead_id) if n.user_id == self._ctx.actor.id]
            return (mine[-1].id, mine[-1].text) if mine else None

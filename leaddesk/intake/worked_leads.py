"""Which of an import's leads reps have worked since the import, and which they only looked at
or the sweep only flagged: an import's undo removes the leads only when none was worked
(``leaddesk.intake.undo``).

Work is history the undo would lose: a call, a verdict, answers, a note by a rep, a meeting,
a hand-off, sales' answer, a team lead's move, a stage change, interest a later import added,
or any other event on the lead. A look is not: a claim taken and let go (the window claims the
lead it shows) and "skip for now". Nor is the sweep's untouched flag, put on or taken off: it
records that nobody worked the lead (the touch that takes it off is work of its own). Their
audit events stay without their lead and a look's skip rows go with it. A claim held right
now is neither: the rep may be on the phone with the lead, so the undo waits until they let
it go.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.audit.actions import LOOK_ACTIONS, UNTOUCHED_FLAG_ACTIONS, AuditAction
from leaddesk.domain import FRESH_STAGES
from leaddesk.errors import Conflict
from leaddesk.store.models import (
    Answer,
    Assignment,
    AuditEvent,
    CallAttempt,
    Lead,
    Meeting,
    Note,
    SalesFeedback,
    SyncOutboxRow,
    User,
    VerdictRecord,
)

_BATCH = 900

# The kinds of work, in the order the refusal names them.
CALLS = "calls"
VERDICTS = "verdicts"
ANSWERS = "answers"
NOTES = "notes"
MEETINGS = "meetings"
HANDOFFS = "hand-offs"
FEEDBACK = "sales feedback"
MOVES = "moves by a team lead"
STAGES = "stage changes"
INTEREST = "interest added by a later import"
OTHER = "other history"
KINDS = (CALLS, VERDICTS, ANSWERS, NOTES, MEETINGS, HANDOFFS, FEEDBACK, MOVES, STAGES, INTEREST)

# What an audit event on a lead says was done to it, beyond the rows that show it too.
_EVENT_KINDS: dict[str, str] = {
    AuditAction.CALL_LOGGED: CALLS,
    AuditAction.CALL_ENDED: CALLS,
    AuditAction.CALL_UNDONE: CALLS,
    AuditAction.NURTURED_UNREACHABLE: CALLS,
    AuditAction.VERDICT_GIVEN: VERDICTS,
    AuditAction.VERDICT_OVERRIDDEN: VERDICTS,
    AuditAction.VERDICT_UNDONE: VERDICTS,
    AuditAction.VERDICT: VERDICTS,
    AuditAction.ANSWERS_SAVED: ANSWERS,
    AuditAction.NOTE_ADDED: NOTES,
    AuditAction.MEETING_BOOKED: MEETINGS,
    AuditAction.MEETING_MOVED: MEETINGS,
    AuditAction.MEETING_CANCELLED: MEETINGS,
    AuditAction.HANDED_OFF: HANDOFFS,
    AuditAction.HANDED_OFF_AT_ONCE: HANDOFFS,
    AuditAction.SENT_TO_CRM: HANDOFFS,
    AuditAction.CRM_REFUSED: HANDOFFS,
    AuditAction.SALES_FEEDBACK: FEEDBACK,
    AuditAction.SALES_FEEDBACK_IMPORTED: FEEDBACK,
    AuditAction.SALES_FOLLOWUP_FLAGGED: FEEDBACK,
    AuditAction.SALES_FOLLOWUP_MOVED: FEEDBACK,
    AuditAction.REASSIGNED: MOVES,
    AuditAction.REASSIGN_AFTER_CALL: MOVES,
    AuditAction.LEAD_REOPENED: STAGES,
    AuditAction.LEAD_RECYCLED: STAGES,
    AuditAction.MARKETING_QUALIFIED: STAGES,
    AuditAction.IMPORT_INTEREST: INTEREST,
}

# Rows that are work on the lead whatever else it shows.
_WORK_ROWS = (
    (CallAttempt, CALLS),
    (VerdictRecord, VERDICTS),
    (Answer, ANSWERS),
    (Meeting, MEETINGS),
    (SyncOutboxRow, HANDOFFS),
    (SalesFeedback, FEEDBACK),
)


@dataclass
class Found:
    """What reps did to an import's leads: the work by lead, the claims held now, the looks,
    and the sweep's untouched flags."""

    work: dict[int, set[str]] = field(default_factory=dict)
    other: set[str] = field(default_factory=set)  # the other events' actions, as the trail says
    later_runs: set[str] = field(default_factory=set)
    held: dict[int, int] = field(default_factory=dict)  # lead -> the rep holding it now
    looks: dict[int, list[int]] = field(default_factory=dict)  # lead -> its look events
    flags: dict[int, list[int]] = field(default_factory=dict)  # lead -> its flag events

    def worked(self, lead_id: int, kind: str) -> None:
        self.work.setdefault(lead_id, set()).add(kind)


def find_work(
    session: Session,
    leads: Sequence[int],
    *,
    own_notes: Iterable[int],
    own_assignments: Iterable[int],
    at: datetime,
) -> Found:
    """Read what happened to ``leads`` since the import (its own notes and assignment rows,
    how the leads reached reps, are not work)."""
    found = Found()
    own, handed_out = set(own_notes), set(own_assignments)
    moved_on: set[int] = set()  # leads past the fresh stages: a stage change if nothing else
    for batch in _batches(leads):
        for lead_id, stage, attempts, batch_id, holder, until in session.execute(
            select(
                Lead.id,
                Lead.stage,
                Lead.attempts,
                Lead.handoff_batch_id,
                Lead.claimed_by_id,
                Lead.claim_expires_at,
            )
            .where(Lead.id.in_(batch))
            # Locked until the undo commits (PostgreSQL): a claim or a call on one of them
            # now waits, then finds it gone, rather than landing between look and removal.
            .with_for_update()
        ).tuples():
            if stage not in FRESH_STAGES:
                moved_on.add(lead_id)
            if attempts > 0:
                found.worked(lead_id, CALLS)
            if batch_id is not None:
                found.worked(lead_id, HANDOFFS)
            if holder is not None and until is not None and until > at:
                found.held[lead_id] = holder
        for model, kind in _WORK_ROWS:
            column = model.__table__.c.lead_id
            for lead_id in session.scalars(select(column).where(column.in_(batch)).distinct()):
                found.worked(lead_id, kind)
        for lead_id, assignment_id in session.execute(
            select(Assignment.lead_id, Assignment.id).where(Assignment.lead_id.in_(batch))
        ).tuples():
            if assignment_id not in handed_out:
                found.worked(lead_id, MOVES)
        for lead_id, note_id in session.execute(
            select(Note.lead_id, Note.id).where(Note.lead_id.in_(batch))
        ).tuples():
            if note_id not in own:
                found.worked(lead_id, NOTES)
        for event_id, on, action, subject in session.execute(
            select(AuditEvent.id, AuditEvent.lead_id, AuditEvent.action, AuditEvent.subject)
            .where(AuditEvent.lead_id.in_(batch))
            .order_by(AuditEvent.id)
        ).tuples():
            if on is None:
                continue
            if action in LOOK_ACTIONS:
                found.looks.setdefault(on, []).append(event_id)
                continue
            if action in UNTOUCHED_FLAG_ACTIONS:
                found.flags.setdefault(on, []).append(event_id)
                continue
            kind = _EVENT_KINDS.get(action, OTHER)
            if kind == OTHER:
                found.other.add(action.replace("_", " "))
            if kind == INTEREST and subject:
                found.later_runs.add(subject)
            found.worked(on, kind)
    for lead_id in moved_on - set(found.work):  # a call or a verdict says why it moved
        found.worked(lead_id, STAGES)
    return found


def refuse_if_worked(session: Session, found: Found, file_name: str) -> None:
    """Refuse (Conflict) when a lead is held by a rep now or was worked, saying by whom, how
    many and what kind of work, with an example lead."""
    parts: list[str] = []
    if found.held:
        lead_id = min(found.held)
        name = session.scalar(select(User.display_name).where(User.id == found.held[lead_id]))
        more = len(found.held) - 1
        also = f" (and {more} more lead(s) from {file_name} are open at reps' desks)"
        parts.append(f"{name or 'a colleague'} has lead #{lead_id} open{also if more else ''}")
    if found.work:
        kinds = set().union(*found.work.values())
        named = [kind for kind in (*KINDS, OTHER) if kind in kinds]
        if OTHER in kinds and found.other:
            named[-1] = f"{OTHER} ({', '.join(sorted(found.other))})"
        what = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
        hint = (
            f"; later imports added interest to them ({', '.join(sorted(found.later_runs))})"
            if found.later_runs
            else ""
        )
        parts.append(
            f"{len(found.work)} lead(s) from {file_name} have {what} since the import "
            f"(e.g. lead #{min(found.work)}){hint}"
        )
    if not parts:
        return
    advice = (
        "Disqualify unwanted leads one by one instead."
        if found.work
        else "Try again once they have moved on from it."
    )
    raise Conflict(f"{'; '.join(parts)}: the import cannot be undone. {advice}")


def _batches(values: Sequence[int]) -> Iterable[list[int]]:
    items = list(values)
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]

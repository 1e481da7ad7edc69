"""A meeting's past, read from its audit events (each one carries the meeting as it became):
where it stood at a moment (a batch's time, so a batch written again gives the same bytes
after a later move) and where it was before it was last moved ("moved from …")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.meetings.booking import BOOKED, MeetingInfo, meeting_info
from leaddesk.store.models import AuditEvent, Meeting

CHANGES = (AuditAction.MEETING_BOOKED, AuditAction.MEETING_MOVED, AuditAction.MEETING_CANCELLED)
CHUNK = 500


@dataclass(frozen=True)
class Step:
    """The meeting as one booking, move or cancellation left it."""

    at: datetime
    starts_at: datetime
    ends_at: datetime
    status: str
    sequence: int


def _subject(uid: str) -> str:
    return f"meeting:{uid}"


def _moment(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def steps_of(session: Session, uids: Sequence[str]) -> dict[str, list[Step]]:
    """Each meeting's steps, oldest first (an erased event's blanked details are skipped)."""
    found: dict[str, list[Step]] = {}
    subjects = sorted({_subject(uid) for uid in uids})
    for start in range(0, len(subjects), CHUNK):
        events = session.execute(
            select(AuditEvent.subject, AuditEvent.at, AuditEvent.details)
            .where(
                AuditEvent.subject.in_(subjects[start : start + CHUNK]),
                AuditEvent.action.in_([action.value for action in CHANGES]),
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        ).tuples()
        for subject, at, details in events:
            meeting = (details or {}).get("meeting") or {}
            begins, ends = _moment(meeting.get("start")), _moment(meeting.get("end"))
            if subject is None or begins is None or ends is None:
                continue
            step = Step(
                at, begins, ends, str(meeting.get("status")), int(meeting.get("sequence") or 0)
            )
            found.setdefault(subject.removeprefix("meeting:"), []).append(step)
    return found


def moved_from(steps: Sequence[Step], starts_at: datetime) -> datetime | None:
    """Where the meeting was before it came to ``starts_at``; None if it was booked there."""
    for step in reversed(steps):
        if step.starts_at != starts_at:
            return step.starts_at
    return None


def with_past(session: Session, meetings: Sequence[Meeting]) -> list[MeetingInfo]:
    """The meetings as they are now, each moved one saying where it was before."""
    moved = [meeting.uid for meeting in meetings if meeting.sequence > 0]
    steps = steps_of(session, moved) if moved else {}
    infos = []
    for meeting in meetings:
        info = meeting_info(session, meeting)
        was = moved_from(steps.get(meeting.uid, []), meeting.starts_at)
        infos.append(replace(info, moved_from=was) if was is not None else info)
    return infos


def latest_of(session: Session, lead_ids: Sequence[int]) -> dict[int, MeetingInfo]:
    """Each lead's meeting as it is now: the one on, else the one cancelled last (sales must
    read that it is off, not find it silently gone); a lead never given one is left out."""
    rows: dict[int, Meeting] = {}
    for start in range(0, len(lead_ids), CHUNK):
        for row in session.scalars(
            select(Meeting)
            .where(Meeting.lead_id.in_(lead_ids[start : start + CHUNK]))
            .order_by(Meeting.changed_at, Meeting.id)
        ):
            kept = rows.get(row.lead_id)
            if kept is None or kept.held_lead_id is None:  # the one on wins, else the latest
                rows[row.lead_id] = row
    infos = with_past(session, list(rows.values()))
    return {info.lead_id: info for info in infos}


def on_at(session: Session, lead_ids: Sequence[int], at: datetime) -> dict[int, MeetingInfo]:
    """The meeting each lead had on at ``at``, as it stood then: a meeting booked later is
    left out, one moved or cancelled later is shown where it was."""
    rows: list[Meeting] = []
    for start in range(0, len(lead_ids), CHUNK):
        rows += session.scalars(
            select(Meeting).where(
                Meeting.lead_id.in_(lead_ids[start : start + CHUNK]), Meeting.booked_at <= at
            )
        )
    changed = [row.uid for row in rows if row.changed_at > at]
    steps = steps_of(session, changed) if changed else {}
    found: dict[int, MeetingInfo] = {}
    for row in rows:
        if row.changed_at <= at:
            if row.held_lead_id is not None:
                found[row.lead_id] = meeting_info(session, row)
            continue
        then = [step for step in steps.get(row.uid, []) if step.at <= at]
        if not then:  # its events are gone (erased): as it is now is all there is
            if row.held_lead_id is not None:
                found[row.lead_id] = meeting_info(session, row)
            continue
        last = then[-1]
        if last.status != BOOKED:
            continue
        found[row.lead_id] = replace(
            meeting_info(session, row),
            starts_at=last.starts_at,
            ends_at=last.ends_at,
            status=last.status,
            sequence=last.sequence,
        )
    return found

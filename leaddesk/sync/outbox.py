"""The outbox: hand-offs waiting for sales' CRM, written with the verdict, sent by a worker.

A row is ``waiting`` until a worker claims it (``claimed_by``, ``claimed_until``: a lease, so
two workers never send one row at once, and a worker killed mid-send frees it when the lease
runs out), then ``sent`` with the CRM's record id, or ``held`` with the CRM's words. Sending a
row twice is harmless: connectors upsert by the LeadDesk lead id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from leaddesk.errors import Conflict
from leaddesk.store.models import SyncOutboxRow, SyncSetting

WAITING, SENT, HELD = "waiting", "sent", "held"
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Claimed:
    row_id: int
    lead_id: int
    queued_at: datetime | None = None  # a meeting change after the claim queues it again


def queue_hand_off(session: Session, lead_id: int, verdict_id: int | None, at: datetime) -> None:
    """Queue a hand-off for the CRM, in the verdict's transaction, once the team has a sync
    set up (without one, the end-of-day export hands it to sales). A lead handed off again
    (after an undo) is sent again: the CRM's record is updated, not doubled."""
    if session.scalar(select(SyncSetting.id).limit(1)) is None:
        return
    row = session.scalar(select(SyncOutboxRow).where(SyncOutboxRow.lead_id == lead_id))
    if row is None:
        session.add(
            SyncOutboxRow(
                lead_id=lead_id, verdict_id=verdict_id, status=WAITING, attempts=0, queued_at=at
            )
        )
        return
    row.verdict_id, row.status, row.error, row.queued_at = verdict_id, WAITING, None, at


def queue_meeting_change(session: Session, lead_id: int, at: datetime) -> bool:
    """A meeting booked, moved or cancelled for a lead the sync already sent (or is sending
    this moment) goes to the CRM again, in the meeting's own transaction: the same record is
    updated there. A lead not sent yet needs nothing: its first send reads the meeting as it
    is then. True if the lead was queued again."""
    row = row_for(session, lead_id)
    if row is None or (row.status == WAITING and row.claimed_by is None):
        return False
    # A send under way carries the old time: its answer sees the later queued_at and leaves
    # the row waiting, so the next pass sends the meeting as it is now.
    row.status, row.error, row.queued_at = WAITING, None, at
    return True


def drop_unsent(session: Session, lead_id: int, at: datetime) -> None:
    """A verdict taken back before it reached the CRM takes its row with it. Once the CRM has
    the lead (or a worker is sending it this moment) the undo is refused: LeadDesk cannot take
    a record back out of sales' CRM."""
    row = row_for(session, lead_id)
    if row is None:
        return
    if in_the_crm(row):
        raise _in_the_crm(row)
    if row.claimed_until is not None and row.claimed_until > at:
        raise Conflict(
            f"Lead {lead_id} is being sent to sales' CRM right now; try the undo again in a minute."
        )
    session.delete(row)


def refuse_undo_once_sent(session: Session, verdict_id: int) -> None:
    """A verdict whose hand-off the CRM has is with sales (handed off at once): say so, before
    the undo finds the lead in its batch."""
    row = session.scalar(select(SyncOutboxRow).where(SyncOutboxRow.verdict_id == verdict_id))
    if row is not None and in_the_crm(row):
        raise _in_the_crm(row)


def in_the_crm(row: SyncOutboxRow) -> bool:
    """The CRM holds the lead: sent, or sent once and queued again since (a meeting moved)."""
    return row.status == SENT or row.crm_id is not None


def _in_the_crm(row: SyncOutboxRow) -> Conflict:
    return Conflict(
        f"Lead {row.lead_id} is already in sales' CRM ({row.crm_id}), so its verdict can no "
        "longer be taken back here; ask sales to close it there."
    )


def claim(session: Session, worker: str, at: datetime, limit: int) -> list[Claimed]:
    """Take up to ``limit`` waiting rows no live lease holds, oldest first."""
    free = or_(SyncOutboxRow.claimed_until.is_(None), SyncOutboxRow.claimed_until < at)
    wanted = (
        select(SyncOutboxRow.id)
        .where(SyncOutboxRow.status == WAITING, free)
        .order_by(SyncOutboxRow.id)
        .limit(limit)
    )
    ids = list(session.scalars(wanted))
    if not ids:
        return []
    # The condition again in the UPDATE: of two workers racing, one takes each row.
    session.execute(
        update(SyncOutboxRow)
        .where(SyncOutboxRow.id.in_(ids), SyncOutboxRow.status == WAITING, free)
        .values(claimed_by=worker, claimed_until=at + LEASE)
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        select(SyncOutboxRow.id, SyncOutboxRow.lead_id, SyncOutboxRow.queued_at)
        .where(SyncOutboxRow.id.in_(ids), SyncOutboxRow.claimed_by == worker)
        .order_by(SyncOutboxRow.id)
    ).all()
    return [Claimed(row_id, lead_id, queued) for row_id, lead_id, queued in rows]


def release(session: Session, worker: str, row_ids: list[int], error: str) -> None:
    """Give rows back, still waiting, with why they could not go (the CRM did not answer)."""
    session.execute(
        update(SyncOutboxRow)
        .where(SyncOutboxRow.id.in_(row_ids), SyncOutboxRow.claimed_by == worker)
        .values(
            claimed_by=None,
            claimed_until=None,
            error=error,
            attempts=SyncOutboxRow.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Answered:
    """What the CRM said about one claimed row: its record id, or why it refused it."""

    row_id: int
    crm_id: str | None
    error: str | None
    queued_at: datetime | None = None  # as claimed; a later one means "send it again"


def settle(
    session: Session,
    worker: str,
    row_id: int,
    *,
    connector: str,
    crm_id: str | None,
    error: str | None,
    at: datetime,
) -> bool:
    """Record what the CRM said about a row this worker still holds; False if its lease ran
    out and another worker took it (that one's send updates the same CRM record)."""
    return row_id in settle_all(
        session, worker, [Answered(row_id, crm_id, error)], connector=connector, at=at
    )


def settle_all(
    session: Session,
    worker: str,
    answers: Sequence[Answered],
    *,
    connector: str,
    at: datetime,
) -> set[int]:
    """Record what the CRM said about a batch of rows in two statements (one UPDATE per row
    was most of a sync's time); the ids of the rows this worker still held. A row whose
    lease ran out and another worker took is left to that worker. A row queued again while
    it was being sent (its meeting moved) stays waiting, keeping the CRM's record id: what
    went carried the old meeting."""
    if not answers:
        return set()
    # Locked as read (PostgreSQL; a SQLite write transaction holds the store already), so
    # no other worker takes a row between this look and the UPDATE.
    held: dict[int, datetime | None] = {
        row_id: queued
        for row_id, queued in session.execute(
            select(SyncOutboxRow.id, SyncOutboxRow.queued_at)
            .where(
                SyncOutboxRow.id.in_([answer.row_id for answer in answers]),
                SyncOutboxRow.claimed_by == worker,
            )
            .with_for_update()
        ).tuples()
    }
    if not held:
        return set()
    again = {
        answer.row_id
        for answer in answers
        if answer.row_id in held
        and answer.queued_at is not None
        and held[answer.row_id] != answer.queued_at
    }
    table = SyncOutboxRow.__table__
    assert isinstance(table, Table)
    rows = table.c
    session.execute(
        update(table)
        .where(rows.id == bindparam("row"), rows.claimed_by == worker)
        .values(
            status=bindparam("new_status"),
            connector=connector,
            # A record id once given stays: a later refusal does not take the lead out of the CRM.
            crm_id=func.coalesce(bindparam("record", type_=rows.crm_id.type), rows.crm_id),
            error=bindparam("refusal", type_=rows.error.type),
            sent_at=func.coalesce(bindparam("sent", type_=rows.sent_at.type), rows.sent_at),
            claimed_by=None,
            claimed_until=None,
            attempts=rows.attempts + 1,
        ),
        [
            {
                "row": answer.row_id,
                "new_status": WAITING
                if answer.row_id in again
                else (SENT if answer.error is None else HELD),
                "record": answer.crm_id,
                "refusal": None if answer.row_id in again else answer.error,
                "sent": at if answer.error is None else None,
            }
            for answer in answers
            if answer.row_id in held
        ],
    )
    return set(held) - again


def send_held_again(session: Session) -> int:
    """Held rows back to waiting (after the CRM or the mapping was fixed)."""
    result = session.execute(
        update(SyncOutboxRow)
        .where(SyncOutboxRow.status == HELD)
        .values(status=WAITING)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def counts(session: Session) -> dict[str, int]:
    """Rows by status: waiting, sent, held."""
    found: dict[str, int] = {
        status: count
        for status, count in session.execute(
            select(SyncOutboxRow.status, func.count()).group_by(SyncOutboxRow.status)
        ).tuples()
    }
    return {status: int(found.get(status, 0)) for status in (WAITING, SENT, HELD)}


def row_for(session: Session, lead_id: int) -> SyncOutboxRow | None:
    return session.scalar(select(SyncOutboxRow).where(SyncOutboxRow.lead_id == lead_id))


def held_rows(session: Session) -> list[SyncOutboxRow]:
    return list(
        session.scalars(
            select(SyncOutboxRow).where(SyncOutboxRow.status == HELD).order_by(SyncOutboxRow.id)
        )
    )

"""Step 3 of an export (batch_export.py): in one transaction, the batch's files recorded with
their SHA-256s, its status "complete", and its leads moved to "handed off"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, literal, select, update
from sqlalchemy.orm import Session

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.errors import Conflict
from leaddesk.handoff.render import BatchFacts
from leaddesk.handoff.reservation import CHUNK
from leaddesk.handoff.selection import COMPLETE, WRITING, batch_status
from leaddesk.store.models import AuditEvent, HandoffBatch, Lead


@dataclass(frozen=True)
class Written:
    """What step 2 put in place: the batch's files by name (their sizes and SHA-256s), and
    the leads they hold, lowest id first."""

    facts: BatchFacts
    sizes: dict[str, int]
    digests: dict[str, str]
    lead_ids: tuple[int, ...]
    folder: Path


def writing_batch(session: Session, batch_id: int, code: str) -> HandoffBatch | None:
    """The batch, locked, if it is still being written; None once another export completed
    it. A batch cancelled meanwhile is refused."""
    batch = session.get(HandoffBatch, batch_id, with_for_update=True)
    if batch is None:
        raise Conflict(f"Handoff batch {code} was cancelled meanwhile; export again.")
    return batch if batch_status(batch) == WRITING else None


def hand_off(
    session: Session, batch: HandoffBatch, lead_ids: Sequence[int], *, acting_id: int, at: datetime
) -> None:
    """The batch's leads moved to "handed off", one audit event each."""
    for start in range(0, len(lead_ids), CHUNK):
        chunk = lead_ids[start : start + CHUNK]
        session.execute(
            update(Lead)
            .where(
                Lead.id.in_(chunk),
                Lead.handoff_batch_id == batch.id,
                Lead.stage == Stage.QUALIFIED,
            )
            .values(
                **lifecycle.moved_values(Stage.QUALIFIED, Stage.HANDED_OFF, at=at),
                version=Lead.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
    # Each chunk's events in one INSERT … SELECT, not a row at a time: the export runs this
    # on a second thread, and a row at a time would hand the interpreter back and forth
    # with the thread rendering the files 14,000 times.
    table = AuditEvent.__table__.c
    moved = {
        "at": literal(at, table.at.type),
        "actor_id": literal(acting_id, table.actor_id.type),
        "action": literal(AuditAction.HANDED_OFF.value, table.action.type),
        "subject": literal(batch.code, table.subject.type),
        "from_state": literal(Stage.QUALIFIED.value, table.from_state.type),
        "to_state": literal(Stage.HANDED_OFF.value, table.to_state.type),
    }
    for start in range(0, len(lead_ids), CHUNK):
        chunk = lead_ids[start : start + CHUNK]
        taken = (
            select(*moved.values(), Lead.id)
            .where(Lead.id.in_(chunk), Lead.handoff_batch_id == batch.id)
            .order_by(Lead.id)
        )
        session.execute(insert(AuditEvent).from_select([*moved, "lead_id"], taken))


def mark_complete(
    session: Session,
    batch: HandoffBatch,
    written: Written,
    *,
    acting_id: int,
    at: datetime,
    earlier: bool,
) -> None:
    """The batch's files and status recorded (its leads are handed off in the same
    transaction)."""
    batch.files = {
        "status": COMPLETE,
        "xlsx": written.facts.xlsx,
        "files": {
            name: {"sha256": written.digests[name], "bytes": size}
            for name, size in written.sizes.items()
        },
    }
    batch.lead_count = len(written.lead_ids)
    audit.record(
        session,
        at=at,
        actor_id=acting_id,
        action=AuditAction.HANDOFF_BATCH_COMPLETE,
        subject=batch.code,
        from_state=WRITING,
        to_state=COMPLETE,
        details={
            "leads": len(written.lead_ids),
            "folder": str(written.folder),
            "resumed": earlier,
        },
    )

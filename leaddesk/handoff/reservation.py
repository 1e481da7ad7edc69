"""Step 1 of an export (batch_export.py): reserve the waiting leads in a new batch.

One transaction creates the batch row with status "writing" and moves the waiting leads into
it with a conditional UPDATE (only leads no batch holds yet), so two exports running at once
can never put one lead in two batches.

On a big team the UPDATE is most of the step: SQLite rewrites every reserved lead's page and
syncs them to disk. So the batch is announced (``started``) as soon as its row exists, with the
leads it is taking: the export reads and renders those leads on its own thread while this one
writes, and uses what it rendered only if the reservation took every one of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.handoff.access import Acting
from leaddesk.handoff.files import Checkpoint
from leaddesk.handoff.records import current_policy
from leaddesk.handoff.render import BatchFacts
from leaddesk.handoff.selection import WRITING, Scope, authorised_scope, waiting_leads
from leaddesk.store import Store
from leaddesk.store.identity import store_code
from leaddesk.store.models import DefinitionVersion, HandoffBatch, Lead
from leaddesk.store.sqlite_tuning import hold_checkpoints

CHUNK = 500


@dataclass(frozen=True)
class Started:
    """A batch being reserved: what its files will say about it, where they go, and the
    leads the reservation is taking (lowest id first)."""

    facts: BatchFacts
    folder: Path
    lead_ids: tuple[int, ...]


@dataclass(frozen=True)
class Reserved:
    batch_id: int
    lead_count: int  # how many leads the reservation took (all of ``Started.lead_ids`` or fewer)


class _NothingWaiting(Exception):
    """Rolls the reservation back when another export took every waiting lead first."""


def batch_code(session: Session, batch: HandoffBatch, user: str) -> str:
    """Day, user, this store's code and the batch number: unique across stores, so batches of
    two stores exported to one folder never take each other's names."""
    local = batch.created_at.astimezone(current_policy(session).zone)
    store = store_code(session, at=batch.created_at)
    # A long login is cut so the name fits its column; the store code and number keep it unique.
    return f"handoff-{local:%Y%m%d}-{user[:24]}-{store}-{batch.id}"


def reserve(
    store: Store,
    *,
    acting: Acting,
    scope: Scope,
    out_dir: Path,
    xlsx: bool,
    at: datetime,
    checkpoint: Checkpoint,
    started: Callable[[Started], None] = lambda _started: None,
) -> Reserved | None:
    """The new batch, or None when no lead is waiting. ``started`` is called inside the
    transaction, once the batch row exists and before the leads are moved into it."""
    try:
        with store.transaction() as session:
            acting = authorised_scope(session, acting.id, scope)
            ids = list(session.scalars(waiting_leads(scope, acting.id)))
            if not ids:
                return None
            hold_checkpoints(session)  # copied back once, after step 3
            version = session.scalar(
                select(DefinitionVersion.version)
                .order_by(DefinitionVersion.version.desc())
                .limit(1)
            )
            batch = HandoffBatch(
                code=f"reserving-{uuid.uuid4().hex}",
                created_by_id=acting.id,
                created_at=at,
                scope=scope.value,
                lead_count=0,
                definition_version=version,
                folder=None,
                files={"status": WRITING, "xlsx": xlsx},
            )
            session.add(batch)
            session.flush()
            batch.code = batch_code(session, batch, acting.name)
            folder = (out_dir / batch.code).resolve()
            batch.folder = str(folder)
            facts = BatchFacts(
                batch_id=batch.id,
                code=batch.code,
                created_by=acting.name,
                created_at=at,
                scope=scope.value,
                definition_version=version,
                xlsx=xlsx,
            )
            started(Started(facts, folder, tuple(ids)))
            taken = 0
            for start in range(0, len(ids), CHUNK):
                # Only leads no batch holds yet: a concurrent export cannot take them twice.
                result = session.execute(
                    update(Lead)
                    .where(
                        Lead.id.in_(ids[start : start + CHUNK]),
                        Lead.handoff_batch_id.is_(None),
                        Lead.stage == Stage.QUALIFIED,
                    )
                    .values(handoff_batch_id=batch.id, version=Lead.version + 1)
                    .execution_options(synchronize_session=False)
                )
                taken += getattr(result, "rowcount", 0) or 0
            if taken == 0:
                raise _NothingWaiting()
            batch.lead_count = taken
            audit.record(
                session,
                at=at,
                actor_id=acting.id,
                action=AuditAction.HANDOFF_BATCH_STARTED,
                subject=batch.code,
                to_state=WRITING,
                details={"leads": taken, "scope": scope.value, "folder": batch.folder},
            )
            checkpoint("reserve")
            return Reserved(batch.id, taken)
    except _NothingWaiting:
        return None

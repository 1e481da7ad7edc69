"""Writing a hand-off batch's files again, e.g. after they were lost: the same bytes, read
from the store as of the batch's time (batch_export.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import InputError
from leaddesk.handoff.access import acting_user
from leaddesk.handoff.batch_export import ExportedBatch, finish_batch, rendered_from_store
from leaddesk.handoff.files import no_checkpoint, remove_stale_temps, write_atomically
from leaddesk.handoff.progress import Cancelled, Progress, never_cancelled, no_progress
from leaddesk.handoff.selection import WRITING, batch_status
from leaddesk.people.permissions import Action, can
from leaddesk.store import Store
from leaddesk.store.models import HandoffBatch, User


def rewrite(
    store: Store,
    *,
    actor_id: int | None,
    code: str,
    at: datetime,
    out_dir: Path | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ExportedBatch:
    """Write a batch's files again, e.g. after they were lost: same content, same SHA-256.

    Leads whose data changed since (a corrected email, a later erasure) make the files
    differ; ``same_as_before`` says so and the batch records the new checksums.
    """
    with store.transaction() as session:
        batch = session.scalar(select(HandoffBatch).where(HandoffBatch.code == code.strip()))
        if batch is None:
            raise InputError(f"No handoff batch named {code}.")
        user = session.get(User, actor_id) if actor_id is not None else None
        # Your own batch needs your own export right; anyone else's needs the team's.
        own = (
            batch.created_by_id == actor_id
            and user is not None
            and can(user.role, Action.EXPORT_OWN)
        )
        acting = acting_user(session, actor_id, Action.EXPORT_OWN if own else Action.EXPORT_TEAM)
        batch_id = batch.id
        unfinished = batch_status(batch) == WRITING
        recorded: dict[str, Any] = {}
        if not unfinished:
            recorded = {
                name: entry.get("sha256")
                for name, entry in ((batch.files or {}).get("files") or {}).items()
            }
            if out_dir is not None:
                batch.folder = str((out_dir / batch.code).resolve())
    if unfinished:
        return finish_batch(
            store,
            batch_id,
            acting=acting,
            at=at,
            progress=progress,
            cancelled=cancelled,
            checkpoint=no_checkpoint,
            earlier=True,
        )
    facts, files, digests, lead_ids, folder = rendered_from_store(
        store, batch_id, progress, cancelled
    )
    remove_stale_temps(folder, list(files))
    # This batch's files as they were last written may be replaced; anything else is refused.
    write_atomically(folder, files, cancelled=cancelled, replaceable=recorded, digests=digests)
    same = not recorded or all(recorded.get(name) == digest for name, digest in digests.items())
    with store.transaction() as session:
        batch_row = session.get(HandoffBatch, batch_id)
        assert batch_row is not None
        if not same:
            batch_row.files = {
                **(batch_row.files or {}),
                "files": {n: {"sha256": digests[n], "bytes": len(files[n])} for n in files},
            }
        audit.record(
            session,
            at=at,
            actor_id=acting.id,
            action=AuditAction.HANDOFF_BATCH_REWRITTEN,
            subject=facts.code,
            details={"folder": str(folder), "same_as_before": same},
        )
    return ExportedBatch.of(facts, folder, lead_ids, digests, same_as_before=same)

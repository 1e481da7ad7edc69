"""End-of-day export: reserve the waiting leads in a batch, write its files, mark it complete.

Why three steps and not one transaction: files and the database cannot commit together.
1. *Reserve* (one transaction): create the batch row with status "writing" and move the
   waiting leads into it with a conditional UPDATE (only leads no batch holds yet), so two
   exports running at once can never put one lead in two batches.
2. *Write*: render the files from the database (deterministic: lead-id order, times from
   the batch row) and put them in place atomically (files.py).
3. *Complete* (one transaction): record the files' SHA-256s, status "complete", and move
   the leads to "handed off".
If step 2 or 3 fails, the batch is *abandoned*: its leads are released and its row and files
removed, so the failure leaves no batch. If the process dies before it can abandon (power
cut, kill), the batch stays "writing"; the next export finishes it first, writing the same
files again. Either way, after the next export every lead is in exactly one complete batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.handoff.access import Acting, acting_user
from leaddesk.handoff.files import (
    Checkpoint,
    no_checkpoint,
    remove_files,
    remove_stale_temps,
    write_atomically,
)
from leaddesk.handoff.progress import (
    Cancelled,
    HandoffCancelled,
    Progress,
    never_cancelled,
    no_progress,
)
from leaddesk.handoff.records import read_records, records_as_of
from leaddesk.handoff.render import BatchFacts, hashed_batch
from leaddesk.handoff.reservation import CHUNK, Reserved, Started, reserve
from leaddesk.handoff.selection import (
    COMPLETE,
    WRITING,
    Scope,
    authorised_scope,
    batch_status,
    unfinished_batches,
)
from leaddesk.people.permissions import Action, can
from leaddesk.store import Store
from leaddesk.store.models import AuditEvent, HandoffBatch, Lead, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportedBatch:
    batch_id: int
    code: str
    folder: Path
    created_at: datetime
    lead_ids: tuple[int, ...]
    files: dict[str, str]  # file name -> SHA-256
    finished_earlier_run: bool = False  # an interrupted export, completed now
    same_as_before: bool = True  # a rewrite matched the recorded SHA-256s

    @property
    def lead_count(self) -> int:
        return len(self.lead_ids)

    @property
    def paths(self) -> list[Path]:
        return [self.folder / name for name in self.files]

    def as_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "batch": self.code,
            "folder": str(self.folder),
            "created_at": self.created_at.isoformat(),
            "lead_count": self.lead_count,
            "lead_ids": list(self.lead_ids),
            "files": {str(self.folder / name): digest for name, digest in self.files.items()},
            "finished_earlier_run": self.finished_earlier_run,
            "same_as_before": self.same_as_before,
        }


@dataclass(frozen=True)
class ExportResult:
    """What one ``export`` did: batches it finished from earlier runs, and the new one."""

    batches: tuple[ExportedBatch, ...]

    @property
    def new_batch(self) -> ExportedBatch | None:
        fresh = [b for b in self.batches if not b.finished_earlier_run]
        return fresh[0] if fresh else None

    @property
    def nothing_to_hand_off(self) -> bool:
        return not self.batches

    def as_json(self) -> dict[str, Any]:
        return {
            "nothing_to_hand_off": self.nothing_to_hand_off,
            "batches": [batch.as_json() for batch in self.batches],
        }


def export(
    store: Store,
    *,
    actor_id: int | None,
    out_dir: Path,
    scope: Scope = Scope.OWN,
    xlsx: bool = False,
    at: datetime,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    checkpoint: Checkpoint = no_checkpoint,
) -> ExportResult:
    """Hand off every waiting lead in scope as one new batch under ``out_dir``.

    Batches an earlier, interrupted export left half-done are finished first.
    """
    with store.reading() as session:
        acting = authorised_scope(session, actor_id, scope)
        unfinished = [batch.id for batch in unfinished_batches(session, acting, scope)]
    done = [
        _finish(
            store,
            batch_id,
            acting=acting,
            at=at,
            progress=progress,
            cancelled=cancelled,
            checkpoint=checkpoint,
            earlier=True,
        )
        for batch_id in unfinished
    ]
    if cancelled():
        raise HandoffCancelled()
    reserved, early = _reserve_and_render(
        store,
        acting=acting,
        scope=scope,
        out_dir=out_dir,
        xlsx=xlsx,
        at=at,
        progress=progress,
        cancelled=cancelled,
        checkpoint=checkpoint,
    )
    if reserved is None:
        return ExportResult(tuple(done))
    batch_id = reserved.batch_id
    placed: list[Path] = []
    try:
        if isinstance(early, BaseException):
            raise early
        fresh = _finish(
            store,
            batch_id,
            acting=acting,
            at=at,
            progress=progress,
            cancelled=cancelled,
            checkpoint=checkpoint,
            earlier=False,
            placed=placed,
            rendered=early,
        )
    except BaseException:
        _abandon(store, batch_id, acting=acting, at=at, placed=placed)
        raise
    return ExportResult((*done, fresh))


_Rendered = tuple[BatchFacts, dict[str, bytes], dict[str, str], list[int], Path]


def _reserve_and_render(
    store: Store,
    *,
    acting: Acting,
    scope: Scope,
    out_dir: Path,
    xlsx: bool,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    checkpoint: Checkpoint,
) -> tuple[Reserved | None, _Rendered | BaseException | None]:
    """Step 1 on a thread of its own while this one reads and renders the leads it is
    taking: the reservation's UPDATE and its sync to disk run in SQLite or PostgreSQL, not in
    Python, so the two overlap on a machine's cores. Returns the reservation (None: nothing
    was waiting) and the files rendered meanwhile, or the error that stopped the rendering
    (the caller undoes the reservation, then raises it). What was rendered is the batch's
    only if the reservation took every lead it was rendered for; else None (rendered again
    from the batch)."""
    announced: Future[Started] = Future()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-reserve") as pool:
        reserving = pool.submit(
            reserve,
            store,
            acting=acting,
            scope=scope,
            out_dir=out_dir,
            xlsx=xlsx,
            at=at,
            checkpoint=checkpoint,
            started=announced.set_result,
        )
        either: list[Future[Any]] = [announced, reserving]
        wait(either, return_when=FIRST_COMPLETED)
        if not announced.done():  # nothing waiting, or the reservation failed before its row
            return reserving.result(), None
        started = announced.result()
        early: _Rendered | BaseException | None
        try:
            early = _render_started(store, started, progress, cancelled)
        except BaseException as error:  # raised once the reservation has ended
            early = error
        reserved = reserving.result()
    if isinstance(early, tuple) and (
        reserved is None
        or reserved.lead_count != len(started.lead_ids)
        or tuple(early[3]) != started.lead_ids
    ):
        early = None  # another export took some of the leads meanwhile
    return reserved, early


def _render_started(
    store: Store, started: Started, progress: Progress, cancelled: Cancelled
) -> _Rendered:
    """A batch's files from the leads its reservation is taking, read as of its time."""
    progress(0, len(started.lead_ids), "reading")
    if cancelled():
        raise HandoffCancelled()
    with store.reading() as session:
        records = records_as_of(session, started.lead_ids, started.facts.created_at)
    progress(len(records), len(records), "reading")
    if cancelled():
        raise HandoffCancelled()
    files, digests = hashed_batch(records, started.facts)
    return started.facts, files, digests, [r.lead_id for r in records], started.folder


def _finish(
    store: Store,
    batch_id: int,
    *,
    acting: Acting,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    checkpoint: Checkpoint,
    earlier: bool,
    placed: list[Path] | None = None,
    rendered: _Rendered | None = None,
) -> ExportedBatch:
    """Write a "writing" batch's files (rendered now, unless given) and mark it complete
    (steps 2 and 3)."""
    facts, files, digests, lead_ids, folder = rendered or _render(
        store, batch_id, progress, cancelled
    )
    checkpoint("render")
    total = len(files)
    written = iter(range(1, total + 1))
    write_atomically(
        folder,
        files,
        checkpoint=checkpoint,
        cancelled=cancelled,
        on_file=lambda _name: progress(next(written), total, "writing"),
        placed=placed,
        digests=digests,
    )
    with store.transaction() as session:
        batch = session.get(HandoffBatch, batch_id, with_for_update=True)
        if batch is None:
            raise Conflict(f"Handoff batch {facts.code} was cancelled meanwhile; export again.")
        if batch_status(batch) == WRITING:
            batch.files = {
                "status": COMPLETE,
                "xlsx": facts.xlsx,
                "files": {
                    name: {"sha256": digests[name], "bytes": len(files[name])} for name in files
                },
            }
            batch.lead_count = len(lead_ids)
            _hand_off_leads(session, batch, lead_ids, acting_id=acting.id, at=at)
            audit.record(
                session,
                at=at,
                actor_id=acting.id,
                action=AuditAction.HANDOFF_BATCH_COMPLETE,
                subject=batch.code,
                from_state=WRITING,
                to_state=COMPLETE,
                details={"leads": len(lead_ids), "folder": str(folder), "resumed": earlier},
            )
        checkpoint("complete")
    return ExportedBatch(
        batch_id=batch_id,
        code=facts.code,
        folder=folder,
        created_at=facts.created_at,
        lead_ids=tuple(lead_ids),
        files=digests,
        finished_earlier_run=earlier,
    )


def _hand_off_leads(
    session: Session, batch: HandoffBatch, lead_ids: Sequence[int], *, acting_id: int, at: datetime
) -> None:
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
    moved = {
        "at": at,
        "actor_id": acting_id,
        "action": AuditAction.HANDED_OFF.value,
        "subject": batch.code,
        "from_state": Stage.QUALIFIED.value,
        "to_state": Stage.HANDED_OFF.value,
    }
    if lead_ids:  # one INSERT for the batch, not an ORM object a lead (issue #24)
        events = [{**moved, "lead_id": lead_id} for lead_id in lead_ids]
        session.connection().execute(insert(AuditEvent), events)


def _render(store: Store, batch_id: int, progress: Progress, cancelled: Cancelled) -> _Rendered:
    with store.reading() as session:
        batch = session.get(HandoffBatch, batch_id)
        if batch is None:
            raise Conflict(f"Handoff batch {batch_id} no longer exists; export again.")
        creator = session.get(User, batch.created_by_id)
        facts = BatchFacts(
            batch_id=batch.id,
            code=batch.code,
            created_by=creator.name if creator else "",
            created_at=batch.created_at,
            scope=batch.scope,
            definition_version=batch.definition_version,
            xlsx=bool((batch.files or {}).get("xlsx")),
        )
        folder = Path(batch.folder) if batch.folder else Path.cwd() / batch.code
        progress(0, batch.lead_count, "reading")
        if cancelled():
            raise HandoffCancelled()
        records = read_records(session, batch)
        progress(len(records), len(records), "reading")
    if cancelled():
        raise HandoffCancelled()
    files, digests = hashed_batch(records, facts)
    return facts, files, digests, [r.lead_id for r in records], folder


def _abandon(
    store: Store, batch_id: int, *, acting: Acting, at: datetime, placed: list[Path]
) -> None:
    """Undo a batch whose files could not be written: leads go back to waiting, and the files
    this run put in place (``placed``, and only those) are taken away.

    Runs on the way out of a failure, so it must not hide the original error: if even this
    fails (the database went away), the batch stays "writing" and the next export ends it.
    """
    try:
        with store.transaction() as session:
            batch = session.get(HandoffBatch, batch_id, with_for_update=True)
            if batch is None or batch_status(batch) != WRITING:
                return  # completed after all, or already undone: keep its files
            folder = Path(batch.folder) if batch.folder else None
            session.execute(
                update(Lead)
                .where(Lead.handoff_batch_id == batch.id, Lead.stage == Stage.QUALIFIED)
                .values(handoff_batch_id=None, version=Lead.version + 1)
                .execution_options(synchronize_session=False)
            )
            audit.record(
                session,
                at=at,
                actor_id=acting.id,
                action=AuditAction.HANDOFF_BATCH_ABANDONED,
                subject=batch.code,
                from_state=WRITING,
                reason="the files could not be written",
            )
            session.delete(batch)
        if folder is not None:
            remove_files(folder, placed)
    except Exception:
        log.exception("could not undo handoff batch %s; the next export finishes it", batch_id)


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
        return _finish(
            store,
            batch_id,
            acting=acting,
            at=at,
            progress=progress,
            cancelled=cancelled,
            checkpoint=no_checkpoint,
            earlier=True,
        )
    facts, files, digests, lead_ids, folder = _render(store, batch_id, progress, cancelled)
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
    return ExportedBatch(
        batch_id=batch_id,
        code=facts.code,
        folder=folder,
        created_at=facts.created_at,
        lead_ids=tuple(lead_ids),
        files=digests,
        same_as_before=same,
    )

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

A new batch's steps 1 and 3 run on a second thread while this one renders and writes the files
(``_NewBatch``): the steps and their order stay as above, the database's part of them no longer
waits for Python's. ``rewrite`` (rewriting.py) writes a batch's files again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.errors import Conflict
from leaddesk.handoff.access import Acting
from leaddesk.handoff.completion import Written, hand_off, mark_complete, writing_batch
from leaddesk.handoff.files import Checkpoint, no_checkpoint, remove_files, write_atomically
from leaddesk.handoff.progress import (
    Cancelled,
    HandoffCancelled,
    Progress,
    never_cancelled,
    no_progress,
)
from leaddesk.handoff.read_ahead import records_read_ahead
from leaddesk.handoff.records import batch_lead_ids
from leaddesk.handoff.render import BatchFacts, hashed_batch
from leaddesk.handoff.reservation import Reserved, Started, reserve
from leaddesk.handoff.selection import (
    WRITING,
    Scope,
    authorised_scope,
    batch_status,
    unfinished_batches,
)
from leaddesk.store import Store
from leaddesk.store.models import HandoffBatch, Lead, User
from leaddesk.store.sqlite_tuning import copy_wal_back, hold_checkpoints

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

    @classmethod
    def of(
        cls,
        facts: BatchFacts,
        folder: Path,
        lead_ids: Sequence[int],
        digests: dict[str, str],
        *,
        finished_earlier_run: bool = False,
        same_as_before: bool = True,
    ) -> ExportedBatch:
        """The batch whose files were just written (``digests`` by file name)."""
        return cls(
            batch_id=facts.batch_id,
            code=facts.code,
            folder=folder,
            created_at=facts.created_at,
            lead_ids=tuple(lead_ids),
            files=digests,
            finished_earlier_run=finished_earlier_run,
            same_as_before=same_as_before,
        )

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
        finish_batch(
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
    steps = _NewBatch(store, acting, at, progress, cancelled, checkpoint)
    fresh = steps.run(scope=scope, out_dir=out_dir, xlsx=xlsx)
    return ExportResult((*done, fresh) if fresh is not None else tuple(done))


_Rendered = tuple[BatchFacts, dict[str, bytes], dict[str, str], list[int], Path]


class _Undone(Exception):
    """Rolls the hand-off back: the files were not put in place."""


class _NewBatch:
    """A new batch's three steps, on two threads. Steps 1 and 3 are mostly the database's
    work (UPDATEs of every lead, syncs to disk), step 2 mostly Python's, so a second thread
    does the database's part while this one reads and renders:

    * the second thread reserves the leads (step 1); as soon as the batch row exists it
      announces the batch and its leads, and this thread reads them and renders the files;
    * once the reservation is committed, the second thread begins step 3's transaction and
      moves the leads to "handed off", then waits, the transaction open, for the files;
    * this thread puts the files in place (step 2) and hands their SHA-256s over; the second
      thread records them, marks the batch complete and commits;
    * the WAL both steps held back is copied back into a SQLite store on a thread of its own,
      which the caller does not wait for.

    If the files are not put in place, the second thread rolls step 3 back and the batch is
    abandoned as before. While step 3's transaction is open, another writer of a SQLite store
    waits for it (up to the store's busy timeout); the transaction lasts as long as the
    rendering and the files' writing.
    """

    def __init__(
        self,
        store: Store,
        acting: Acting,
        at: datetime,
        progress: Progress,
        cancelled: Cancelled,
        checkpoint: Checkpoint,
    ) -> None:
        self.store, self.acting, self.at = store, acting, at
        self.progress, self.cancelled, self.checkpoint = progress, cancelled, checkpoint
        self.announced: Future[Started] = Future()
        self.reservation: Future[Reserved | None] = Future()
        self.written: Future[Written | None] = Future()
        self.placed: list[Path] = []

    def run(self, *, scope: Scope, out_dir: Path, xlsx: bool) -> ExportedBatch | None:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-export") as pool:
            working = pool.submit(self._reserve_and_hand_off, scope, out_dir, xlsx)
            try:
                return self._render_and_write(working)
            except BaseException:
                self._give_up(working)
                raise
            finally:
                if not self.written.done():  # never leave the other thread waiting
                    self.written.set_result(None)

    def _render_and_write(self, working: Future[None]) -> ExportedBatch | None:
        either: list[Future[Any]] = [self.announced, self.reservation]
        wait(either, return_when=FIRST_COMPLETED)
        if not self.announced.done():  # nothing waiting, or the reservation failed
            self._reserved()  # raises what stopped it
            return None
        started = self.announced.result()
        rendered = _render_started(self.store, started, self.progress, self.cancelled)
        reserved = self._reserved()
        if reserved is None:
            return None
        if reserved.lead_count != len(started.lead_ids) or tuple(rendered[3]) != started.lead_ids:
            # Another export took some of the leads meanwhile: render what this batch holds.
            rendered = rendered_from_store(
                self.store, reserved.batch_id, self.progress, self.cancelled
            )
        facts, files, digests, lead_ids, folder = rendered
        self.checkpoint("render")
        _write_files(
            folder, files, digests, self.progress, self.cancelled, self.checkpoint, self.placed
        )
        sizes = {name: len(data) for name, data in files.items()}
        self.written.set_result(Written(facts, sizes, digests, tuple(lead_ids), folder))
        working.result()  # step 3 committed, or its error
        return ExportedBatch.of(facts, folder, lead_ids, digests)

    def _reserved(self) -> Reserved | None:
        return self.reservation.result()

    def _reserve_and_hand_off(self, scope: Scope, out_dir: Path, xlsx: bool) -> None:
        """The second thread: step 1, then step 3 up to its commit."""
        try:
            reserved = reserve(
                self.store,
                acting=self.acting,
                scope=scope,
                out_dir=out_dir,
                xlsx=xlsx,
                at=self.at,
                checkpoint=self.checkpoint,
                started=self.announced.set_result,
            )
        except BaseException as error:
            self.reservation.set_exception(error)
            raise
        self.reservation.set_result(reserved)
        if reserved is None:
            return
        try:
            self._hand_off(reserved)
        finally:
            # Both steps held the WAL back; it is copied back on a thread of its own, which
            # the caller need not wait for (closing the store does).
            copy_wal_back(self.store)

    def _hand_off(self, reserved: Reserved) -> None:
        """Step 3: the leads handed off, then, once the files are in place, the batch marked
        complete and committed."""
        acting_id = self.acting.id
        try:
            with self.store.transaction() as session:
                code = self.announced.result().facts.code
                batch = writing_batch(session, reserved.batch_id, code)
                if batch is None:  # another export completed it meanwhile
                    return
                hold_checkpoints(session)
                lead_ids = batch_lead_ids(session, batch.id)
                hand_off(session, batch, lead_ids, acting_id=acting_id, at=self.at)
                written = self.written.result()
                if written is None:
                    raise _Undone()
                if written.lead_ids != tuple(lead_ids):
                    raise Conflict(
                        f"Handoff batch {code} changed while it was written; export again."
                    )
                mark_complete(
                    session, batch, written, acting_id=acting_id, at=self.at, earlier=False
                )
                self.checkpoint("complete")
        except _Undone:
            return

    def _give_up(self, working: Future[None]) -> None:
        """After a failure: the second thread ends (rolling step 3 back), then a reserved
        batch is abandoned."""
        if not self.written.done():
            self.written.set_result(None)
        wait([working])
        if self.reservation.done() and self.reservation.exception() is None:
            reserved = self.reservation.result()
            if reserved is not None:
                _abandon(
                    self.store,
                    reserved.batch_id,
                    acting=self.acting,
                    at=self.at,
                    placed=self.placed,
                )


def _render_started(
    store: Store, started: Started, progress: Progress, cancelled: Cancelled
) -> _Rendered:
    """A batch's files from the leads its reservation is taking, read as of its time."""
    progress(0, len(started.lead_ids), "reading")
    if cancelled():
        raise HandoffCancelled()
    records = records_read_ahead(store, started.lead_ids, started.facts.created_at)
    progress(len(records), len(records), "reading")
    if cancelled():
        raise HandoffCancelled()
    files, digests = hashed_batch(records, started.facts)
    return started.facts, files, digests, [r.lead_id for r in records], started.folder


def _write_files(
    folder: Path,
    files: dict[str, bytes],
    digests: dict[str, str],
    progress: Progress,
    cancelled: Cancelled,
    checkpoint: Checkpoint,
    placed: list[Path] | None,
) -> None:
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


def finish_batch(
    store: Store,
    batch_id: int,
    *,
    acting: Acting,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    checkpoint: Checkpoint,
    earlier: bool,
) -> ExportedBatch:
    """Write a "writing" batch's files and mark it complete (steps 2 and 3), one after the
    other: a batch an interrupted export left."""
    facts, files, digests, lead_ids, folder = rendered_from_store(
        store, batch_id, progress, cancelled
    )
    checkpoint("render")
    _write_files(folder, files, digests, progress, cancelled, checkpoint, None)
    sizes = {name: len(data) for name, data in files.items()}
    written = Written(facts, sizes, digests, tuple(lead_ids), folder)
    with store.transaction() as session:
        batch = writing_batch(session, batch_id, facts.code)
        if batch is not None:
            hand_off(session, batch, lead_ids, acting_id=acting.id, at=at)
            mark_complete(session, batch, written, acting_id=acting.id, at=at, earlier=earlier)
        checkpoint("complete")
    return ExportedBatch.of(facts, folder, lead_ids, digests, finished_earlier_run=earlier)


def rendered_from_store(
    store: Store, batch_id: int, progress: Progress, cancelled: Cancelled
) -> _Rendered:
    """A "writing" batch's files, its leads read from the store as of its time."""
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
        ids = batch_lead_ids(session, batch.id)
    records = records_read_ahead(store, ids, facts.created_at)
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

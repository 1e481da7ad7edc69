"""One pass of the sync worker: claim waiting hand-offs, send them, record what the CRM said.

The window's background thread and ``leaddesk sync run`` both call this through the desk.
If the CRM cannot be reached the rows go back to waiting (nothing lost); a hand-off the CRM
refused is held with its words, the others land. A worker killed mid-send leaves its rows
claimed until its lease runs out, or until the next run on the same computer sees it gone.
A hand-off the CRM kept is with sales: in the transaction that marks its row sent, it is
handed off in a batch naming the CRM (``leaddesk.handoff.at_once``).
"""

from __future__ import annotations

import os
import socket
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.handoff.at_once import hand_off_sent
from leaddesk.store import Store
from leaddesk.store.models import SyncOutboxRow
from leaddesk.sync import outbox
from leaddesk.sync.connector import Connector, CrmUnreachable, Sent
from leaddesk.sync.outgoing import outgoing

BATCH = 200


@dataclass
class SyncRun:
    """What one run did."""

    connector: str
    sent: list[Sent] = field(default_factory=list)
    held: list[Sent] = field(default_factory=list)
    unreachable: str | None = None  # why the CRM could not be reached; the rest still waits
    waiting: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "sent": [{"lead_id": s.lead_id, "crm_id": s.crm_id} for s in self.sent],
            "held": [{"lead_id": s.lead_id, "error": s.error} for s in self.held],
            "unreachable": self.unreachable,
            "waiting": self.waiting,
        }


def worker_name() -> str:
    """This worker, as its claims name it: the computer, the process and a run of its own."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(claimant: str) -> bool:
    """A claim made on this computer by a process that no longer runs (killed mid-send)."""
    host, _, rest = claimant.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:30] or not pid_text.isdigit() or sys.platform == "win32":
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def free_dead_claims(store: Store) -> int:
    with store.transaction() as session:
        claimants = set(
            session.scalars(
                select(SyncOutboxRow.claimed_by).where(SyncOutboxRow.claimed_by.is_not(None))
            )
        )
        dead = [c for c in claimants if c and _gone(c)]
        if not dead:
            return 0
        result = session.execute(
            update(SyncOutboxRow)
            .where(SyncOutboxRow.claimed_by.in_(dead))
            .values(claimed_by=None, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def send_waiting(
    store: Store,
    connector: Connector,
    *,
    clock: Callable[[], datetime],
    actor_id: int | None,
    worker: str | None = None,
    batch: int = BATCH,
) -> SyncRun:
    """Send every waiting hand-off, ``batch`` at a time, until none waits or the CRM is
    out of reach."""
    worker = worker or worker_name()
    run = SyncRun(connector.name)
    free_dead_claims(store)
    while True:
        with store.transaction() as session:
            claimed = outbox.claim(session, worker, clock(), batch)
        if not claimed:
            break
        row_of = {c.lead_id: c.row_id for c in claimed}
        queued_of = {c.lead_id: c.queued_at for c in claimed}
        with store.reading() as session:
            items = outgoing(session, list(row_of), clock(), connector=connector.name)
        try:
            results = connector.send(items)
        except CrmUnreachable as error:
            with store.transaction() as session:
                outbox.release(session, worker, list(row_of.values()), str(error))
            run.unreachable = str(error)
            break
        except BaseException:
            with store.transaction() as session:
                outbox.release(session, worker, list(row_of.values()), "The send stopped.")
            raise
        answered = {sent.lead_id for sent in results}
        missing = [Sent(lead_id, error="The CRM said nothing about it.") for lead_id in row_of]
        results += [sent for sent in missing if sent.lead_id not in answered]
        _record(store, worker, connector, results, (row_of, queued_of), clock(), actor_id, run)
    with store.reading() as session:
        run.waiting = outbox.counts(session)[outbox.WAITING]
    return run


def _record(
    store: Store,
    worker: str,
    connector: Connector,
    results: list[Sent],
    claims: tuple[dict[int, int], dict[int, datetime | None]],
    at: datetime,
    actor_id: int | None,
    run: SyncRun,
) -> None:
    row_of, queued_of = claims  # per lead: its outbox row, and when it was queued as claimed
    with store.transaction() as session:
        answers: dict[int, Sent] = {}
        for sent in results:
            answers.setdefault(sent.lead_id, sent)  # the CRM's first word on a lead counts
        mine = outbox.settle_all(
            session,
            worker,
            [
                outbox.Answered(row_of[s.lead_id], s.crm_id, s.error, queued_of.get(s.lead_id))
                for s in answers.values()
            ],
            connector=connector.name,
            at=at,
        )
        landed: dict[int, str | None] = {}
        for sent in answers.values():
            if row_of[sent.lead_id] not in mine:
                continue
            (run.sent if sent.ok else run.held).append(sent)
            if sent.ok:
                landed[sent.lead_id] = sent.crm_id
            # Added, not flushed one by one: the batch's events go in one INSERT.
            audit.record(
                session,
                at=at,
                actor_id=actor_id,
                action=AuditAction.SENT_TO_CRM if sent.ok else AuditAction.CRM_REFUSED,
                lead_id=sent.lead_id,
                subject=connector.label,
                details={"record": sent.crm_id} if sent.ok else {"error": sent.error},
            )
        if actor_id is not None:
            # In the CRM, so with sales: handed off now, never again by an end-of-day export.
            hand_off_sent(
                session, landed, crm=connector.name, label=connector.label, actor_id=actor_id, at=at
            )

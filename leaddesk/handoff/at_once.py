"""Hand-offs that reach sales without the end-of-day export, each in a batch of its own kind.

* Sent to sales' CRM by the sync (``leaddesk.sync``): once the CRM has the lead it is with
  sales, so it is handed off then, in one batch per send (a ``salesforce-…`` code, no folder,
  ``files`` naming the CRM and each lead's record there).
* Answered in LeadDesk: a salesperson accepts or rejects a qualified lead routed to them
  before any export; it is handed off in a batch of one (``answered-…``) with the answer.

Both are complete at once (no files to write) and move each lead through the lifecycle with
its own audit event, so ``export`` never takes them and everything that reads a hand-off
(pending, My hand-offs, feedback) treats them as any other.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit, lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Stage
from leaddesk.errors import InputError
from leaddesk.handoff.records import current_policy
from leaddesk.handoff.selection import COMPLETE
from leaddesk.store.identity import store_code
from leaddesk.store.models import HandoffBatch, Lead

# A batch's kind, in ``files["kind"]``; a batch without one is an export's folder.
FOLDER, CRM, ANSWERED = "folder", "crm", "answered"
ANSWERED_IN = "answered in LeadDesk"
# The CRMs a sync may send to, as users read them (the sync's connectors, files aside).
CRM_LABELS = {"salesforce": "Salesforce", "hubspot": "HubSpot"}
_FOLDERLESS_CODE = re.compile(
    rf"({'|'.join([*CRM_LABELS, ANSWERED])})-\d{{8}}-\d{{4}}-[0-9a-f]+-\d+", re.IGNORECASE
)


def batch_kind(batch: HandoffBatch) -> str:
    return str((batch.files or {}).get("kind", FOLDER))


def no_folder(code: str, files: Mapping[str, object] | None) -> str:
    """Why a batch of this kind has no files to check or write again, and where its leads are."""
    files = files or {}
    if files.get("kind") == ANSWERED:
        return (
            f"Batch {code} has no folder: sales answered its lead in LeadDesk before any "
            "export, so no file was written; `leaddesk lead ID` shows the answer."
        )
    crm = str(files.get("label") or files.get("crm") or "sales' CRM")
    return (
        f"Batch {code} has no folder: its leads were sent to {crm} by the sync, and "
        f"sales finds them there. `leaddesk handoff pending --all` lists those not answered."
    )


def folderless_code(name: str) -> str | None:
    """``name`` when it is a sent or answered batch's code (a folder named so is not one)."""
    return name if _FOLDERLESS_CODE.fullmatch(name) else None


def refuse_folderless(name: str) -> InputError:
    """verify-handoff was given a sent or answered batch's code, not a folder."""
    kind = ANSWERED if name.lower().startswith(ANSWERED) else CRM
    label = CRM_LABELS.get(name.split("-", 1)[0].lower())
    return InputError(no_folder(name, {"kind": kind, "label": label}), field="folder")


def _new_batch(
    session: Session,
    *,
    prefix: str,
    actor_id: int,
    scope: str,
    lead_count: int,
    files: dict[str, object],
    at: datetime,
    last: int | None = None,
) -> HandoffBatch:
    """A complete batch named ``PREFIX-YYYYMMDD-HHMM-STORE-N``: N is the batch's own number,
    or ``last`` when the caller has one as unique (a batch of one: its lead), so the row is
    written once (a salesperson's login may add a batch, not change one)."""
    local = at.astimezone(current_policy(session).zone)
    stem = f"{prefix}-{local:%Y%m%d-%H%M}-{store_code(session, at=at)}"
    batch = HandoffBatch(
        code=f"{stem}-{last}" if last is not None else f"reserving-{uuid.uuid4().hex}",
        created_by_id=actor_id,
        created_at=at,
        scope=scope,
        lead_count=lead_count,
        folder=None,
        files={"status": COMPLETE, **files},
    )
    session.add(batch)
    session.flush()
    if last is None:
        batch.code = f"{stem}-{batch.id}"
    return batch


def _into(
    session: Session,
    lead: Lead,
    batch: HandoffBatch,
    *,
    actor_id: int,
    at: datetime,
    **details: object,
) -> None:
    """One lead into a folderless batch: handed off, with the event saying how it got there."""
    lead.handoff_batch_id = batch.id
    lifecycle.move(
        session,
        lead,
        Stage.HANDED_OFF,
        at=at,
        action=AuditAction.HANDED_OFF_AT_ONCE,
        actor_id=actor_id,
        subject=batch.code,
        details=details,
    )


def hand_off_sent(
    session: Session,
    sent: Mapping[int, str | None],
    *,
    crm: str,
    label: str,
    actor_id: int,
    at: datetime,
) -> HandoffBatch | None:
    """The leads the CRM now holds (lead id → its record id there) are with sales: each one
    still qualified and in no batch is handed off in one new batch naming the CRM. A lead
    already in a batch (the files connector's folder) or answered meanwhile is left as it is.
    None when no lead needed it."""
    if not sent:
        return None
    leads = list(
        session.scalars(
            select(Lead)
            .where(
                Lead.id.in_(sorted(sent)),
                Lead.stage == Stage.QUALIFIED,
                Lead.handoff_batch_id.is_(None),
            )
            .order_by(Lead.id)
            .with_for_update()
        )
    )
    if not leads:
        return None
    records = {str(lead.id): sent[lead.id] for lead in leads}
    batch = _new_batch(
        session,
        prefix=crm,
        actor_id=actor_id,
        scope="team",
        lead_count=len(leads),
        files={"kind": CRM, "crm": crm, "label": label, "records": records},
        at=at,
    )
    for lead in leads:
        _into(session, lead, batch, actor_id=actor_id, at=at, crm=crm, record=sent[lead.id])
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.HANDOFF_BATCH_COMPLETE,
        subject=batch.code,
        to_state=COMPLETE,
        details={"leads": len(leads), "crm": crm},
    )
    session.flush()
    return batch


def hand_off_to_answer(session: Session, lead: Lead, *, actor_id: int, at: datetime) -> None:
    """A salesperson answers a qualified lead routed to them before any export: it is handed
    off in a batch of one first (the answer, in the same transaction, follows). The caller
    checked that the lead is theirs."""
    batch = _new_batch(
        session,
        prefix=ANSWERED,
        actor_id=actor_id,
        scope="own",
        lead_count=1,
        files={"kind": ANSWERED, "label": ANSWERED_IN},
        at=at,
        last=lead.id,
    )
    _into(session, lead, batch, actor_id=actor_id, at=at, answered_in="leaddesk")
    # Its own UPDATE, before the answer's: a team database's guards see the two steps.
    session.flush()


def require_folder(session: Session, code: str) -> None:
    """Refuse to write again a batch that never had files (InputError saying where it went)."""
    batch = session.scalar(select(HandoffBatch).where(HandoffBatch.code == code.strip()))
    if batch is not None and batch_kind(batch) != FOLDER:
        raise InputError(no_folder(batch.code, batch.files), field="batch")

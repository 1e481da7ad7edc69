"""The rows an import run added as more interest on a lead, by import key, from its records.

A created row's key is on its lead (``leads.import_key``, indexed); a row that went onto an
open lead as more interest keeps its key in that lead's ``extra``, found again only through
whoever it matched. Importing the same file again must not depend on matching the same way
(a number corrected since, someone new with that number), so the keys a finished run attached
are read back from its own bookkeeping: its chunks' new leads and its interest events.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.store.models import AuditEvent, Lead


def short_key(key: str) -> int:
    """An import key's first 64 bits: as good as the whole at telling rows apart."""
    return int(key[:16], 16)


def keys_attached_by(session: Session, run_id: int) -> set[int]:
    """Short keys of every row run ``run_id`` added as more interest on a lead."""
    subject = f"import run {run_id}"
    found: set[int] = set()
    made: list[tuple[int, int]] = []  # ranges of lead ids the run created
    for action, details in session.execute(
        select(AuditEvent.action, AuditEvent.details).where(
            AuditEvent.action.in_((AuditAction.IMPORT_INTEREST, AuditAction.IMPORT_CHUNK)),
            AuditEvent.subject == subject,
        )
    ):
        details = details if isinstance(details, dict) else {}
        if action == AuditAction.IMPORT_INTEREST:
            found.update(_shorts(details.get("keys")))
            continue
        created = details.get("created")
        for held in created.get("leads", []) if isinstance(created, dict) else []:
            if isinstance(held, list) and len(held) == 2 and all(isinstance(n, int) for n in held):
                made.append((held[0], held[1]))
    for first, last in made:
        # A chunk's new leads are one range, read in one query (their JSON only).
        for (extra,) in session.execute(
            select(Lead.extra).where(Lead.id.between(first, last), Lead.extra.is_not(None))
        ):
            if isinstance(extra, dict):
                found.update(_shorts(extra.get("import_keys")))
    return found


def _shorts(keys: Any) -> list[int]:
    if not isinstance(keys, list):
        return []
    shorts = []
    for key in keys:
        try:
            shorts.append(short_key(key))
        except (TypeError, ValueError):
            continue  # not a key this code wrote: nothing to recognise by it
    return shorts

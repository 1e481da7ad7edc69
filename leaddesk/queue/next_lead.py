"""``next``: claim the top of the rep's queue and hand it over.

The queue is read in a read-only snapshot, which many reps can do at once; only the claim
itself takes the write lock, briefly: a conditional UPDATE per candidate, checked by its row
count. A candidate a colleague took in between simply fails its UPDATE and the next one is
tried; when all of a round's candidates are gone, the queue is read again.
"""

from __future__ import annotations

from datetime import datetime

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.queue.claims import try_claim
from leaddesk.queue.listing import candidates, load_rows, scope_for
from leaddesk.queue.rows import QueueRow
from leaddesk.store import Store
from leaddesk.store.claim_sql import lease_transaction

PER_ROUND = 8
# Bounded, in case colleagues keep winning every race for the top of the queue.
ROUNDS = 64


def next_lead(store: Store, user_id: int, at: datetime) -> QueueRow | None:
    """Claim the best callable lead for ``user_id``; None when nothing is callable now.

    Leads the rep already holds are skipped, so asking again gives the next one (the held
    ones go back to the queue when their lease runs out or a call is logged).
    """
    for _ in range(ROUNDS):
        with store.reading() as session:
            scope = scope_for(session, user_id, at, skip_own_claims=True)
            ids = candidates(session, scope, PER_ROUND)
        if not ids:
            return None
        with lease_transaction(store) as session:
            for lead_id in ids:
                expires = try_claim(session, lead_id, user_id=user_id, at=at)
                if expires is None:
                    continue
                audit.record(
                    session,
                    at=at,
                    actor_id=user_id,
                    action=AuditAction.CLAIM_TAKEN,
                    lead_id=lead_id,
                    to_state=f"claimed:{user_id}",
                    details={"until": expires.isoformat()},
                )
                rows = load_rows(session, [lead_id], scope)
                return rows[0] if rows else None
    return None

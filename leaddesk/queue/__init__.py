"""The call queue (docs/architecture.md §5): who to call next, and why, from indexed queries.

The window and the CLI only show what this package decides: bands and order
(``ordering``), calling hours (``zones``), cadence after a call (``cadence``) and the
expiring claim that keeps two reps off the same lead (``claims``).
"""

from leaddesk.queue.claims import (
    LEASE,
    release,
    release_claim,
    renew,
    try_claim,
)
from leaddesk.queue.listing import queue_page
from leaddesk.queue.next_lead import next_lead
from leaddesk.queue.ordering import Band, parse_band
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.queue.rows import QueueRow
from leaddesk.queue.zones import zone_key_for
from leaddesk.store.claim_sql import lease_transaction

__all__ = [
    "LEASE",
    "Band",
    "QueueRow",
    "current_definition",
    "current_policy",
    "lease_transaction",
    "next_lead",
    "parse_band",
    "queue_page",
    "release",
    "release_claim",
    "renew",
    "try_claim",
    "zone_key_for",
]

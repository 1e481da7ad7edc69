"""A lead's life from inquiry to sales' answer: the one writer of its stage, and of the audit
event and undo snapshot of each change (``journal``).

Its steps are docs/architecture.md §4. It sits below every room that moves a lead (intake,
calling, qualifying, hand-off, privacy, the team), so each can use it without the others.
"""

from leaddesk.lifecycle.journal import (
    BATCH_ACTIONS,
    STAGE_ACTIONS,
    Snapshot,
    Step,
    move,
    restore,
    snapshot_of,
)
from leaddesk.lifecycle.stages import (
    ENDED,
    NEW_LEAD,
    NEXT,
    allowed,
    as_stored,
    moved_values,
    started,
)

__all__ = [
    "BATCH_ACTIONS",
    "ENDED",
    "NEW_LEAD",
    "NEXT",
    "STAGE_ACTIONS",
    "Snapshot",
    "Step",
    "allowed",
    "as_stored",
    "move",
    "moved_values",
    "restore",
    "snapshot_of",
    "started",
]

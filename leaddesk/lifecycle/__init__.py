"""A lead's life from inquiry to sales' answer: the one writer of its stage.

Its steps are docs/architecture.md §4. It sits below every room that moves a lead (intake,
calling, qualifying, hand-off, privacy, the team), so each can use it without the others.
"""

from leaddesk.lifecycle.stages import (
    ENDED,
    NEW_LEAD,
    NEXT,
    allowed,
    as_stored,
    move,
    moved_values,
    restore,
    started,
)

__all__ = [
    "ENDED",
    "NEW_LEAD",
    "NEXT",
    "allowed",
    "as_stored",
    "move",
    "moved_values",
    "restore",
    "started",
]

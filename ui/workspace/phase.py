"""Where the rep is in the call cycle (leaddesk's window: ui/workspace/call_cycle.py)."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    IDLE = "idle"
    READY = "ready"
    CALLING = "calling"
    QUALIFYING = "qualifying"

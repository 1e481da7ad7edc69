"""How a long export reports progress and hears "cancel" (the window's progress dialog)."""

from __future__ import annotations

from collections.abc import Callable

# progress(done, total, step): step is "reading" (leads read so far) or "writing" (files).
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


def no_progress(_done: int, _total: int, _step: str) -> None:
    pass


def never_cancelled() -> bool:
    return False


class HandoffCancelled(Exception):
    """The user cancelled the export; nothing was handed off. Show nothing."""

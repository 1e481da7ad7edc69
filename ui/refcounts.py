"""A guard against PySide6 6.12.0 on Python 3.11: its bindings return None, True and False
without taking a reference (correct on 3.12+, where those objects are immortal).

On 3.11 every ``widget.setText(...)``, ``timer.start()`` or ``signal.emit()`` then lowers the
count on Python's single None (or True) object, and after some thousands of calls — minutes of
real use — the interpreter aborts with "deallocating None". We give the three singletons a
count no session can exhaust, which is what 3.12 does for every program. A probe at import
checks the bug is there, so a fixed PySide or a newer Python is left alone.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QElapsedTimer

# Far more than any session's calls, far below the counter's limit.
_HEADROOM = 1 << 40


def _returns_without_a_reference() -> bool:
    probe = QElapsedTimer()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.invalidate()  # returns None
    return sys.getrefcount(None) < before


def keep_singletons_alive() -> bool:
    """Apply the guard if this PySide needs it; True if it was applied."""
    if sys.version_info >= (3, 12) or not _returns_without_a_reference():
        return False
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _HEADROOM
    return True


APPLIED = keep_singletons_alive()

"""The one way the window changes data: run a core call off the GUI thread, then say what changed.

Work runs on a single worker thread (the store is used from one place at a time); results
and errors come back on the GUI thread. User-fixable errors become a short message,
bugs the crash dialog. Views listen to ``changed`` and refresh only what they show.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from leaddesk.errors import LeadDeskError
from ui.common import dialogs

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The user stopped the work; nothing to report."""


@dataclass
class _Outcome:
    result: object
    error: BaseException | None


@dataclass
class _Pending:
    done: Callable[[Any], None] | None
    failed: Callable[[LeadDeskError], None] | None
    changes: frozenset[str] = field(default_factory=frozenset)


class Operations(QObject):
    changed = Signal(object)  # frozenset[str]: e.g. {"queue", "lead", "status"}
    # Work started (the first queued) or all of it finished; ask ``is_busy``. No bool argument:
    # PySide 6.12 miscounts references to Python bools sent through signals (a crash at exit).
    busy = Signal()
    # token, _Outcome. Boxed in a plain object: PySide 6.12 drops a reference to every Python
    # bool sent through an ``object`` signal argument (bare or inside a tuple), which
    # crashes the interpreter once True's count runs out.
    _finished = Signal(int, object)
    # Every error the user can act on (a LeadDeskError), after it was shown or handed on: the
    # window keeper listens for a write refused because another window took this one's place.
    refused = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, inline: bool = False) -> None:
        super().__init__(parent)
        self._parent = parent
        self._inline = inline
        self._pool = None if inline else ThreadPoolExecutor(1, thread_name_prefix="leaddesk-work")
        self._tokens = itertools.count()
        self._pending: dict[int, _Pending] = {}
        self._finished.connect(self._deliver)

    def run(
        self,
        work: Callable[[], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[LeadDeskError], None] | None = None,
        changes: Iterable[str] = (),
    ) -> None:
        token = next(self._tokens)
        self._pending[token] = _Pending(done, failed, frozenset(changes))
        if len(self._pending) == 1:
            self.busy.emit()
        if self._pool is None:
            self._call(token, work)
        else:
            self._pool.submit(self._call, token, work)

    def _call(self, token: int, work: Callable[[], Any]) -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self._finished.emit(token, _Outcome(None, exc))
        else:
            self._finished.emit(token, _Outcome(result, None))

    def _deliver(self, token: int, outcome: _Outcome) -> None:
        result, error = outcome.result, outcome.error
        pending = self._pending.pop(token)
        if not self._pending:
            self.busy.emit()
        if error is None:
            if pending.done is not None:
                pending.done(result)
            if pending.changes:
                self.changed.emit(pending.changes)
            return
        if isinstance(error, Cancelled):
            return
        if isinstance(error, LeadDeskError):
            if pending.failed is not None:
                pending.failed(error)
            else:
                dialogs.warn(self._parent, error.message)
            self.refused.emit(error)
            return
        assert isinstance(error, BaseException)
        details = "".join(traceback.format_exception(error))
        log.error("operation failed:\n%s", details)
        dialogs.show_crash(self._parent, f"{type(error).__name__}: {error}", details)

    @property
    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self) -> None:
        """Block until queued work has run (for shutdown and tests)."""
        if self._pool is not None:
            self._pool.submit(lambda: None).result()

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

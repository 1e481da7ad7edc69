"""The window's sync worker: a plain background thread that sends the hand-offs waiting in
the outbox through the desk, soon after each verdict and every little while, so a hand-off
reaches sales' CRM within seconds; in a salesperson's window it reads sales' answers back from
the CRM every few minutes instead (``desk.sync.pull``); its words go to the status line.

Not on the window's operations thread: a CRM that is slow or out of reach (retries, back-off)
must never hold up a rep's next call."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from leaddesk.desk import Desk
from leaddesk.errors import LeadDeskError

log = logging.getLogger(__name__)
EVERY_MS = 60_000  # a look even when nothing happened here: a colleague's hand-offs, a retry
SOON_MS = 1_500  # after a verdict: the hand-off goes within seconds
PULL_EVERY_MS = 5 * 60_000  # sales' answers from the CRM: a few minutes is soon enough


class SyncWorker(QObject):
    # The status line's words: "3 hand-offs waiting to sync", or why nothing can go.
    said = Signal(str)
    # A pull recorded sales' answers: the views showing hand-offs read them again.
    pulled = Signal()

    def __init__(
        self,
        desk: Desk,
        parent: QObject | None = None,
        *,
        sends: bool = True,
        pulls: bool = False,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.sends, self.pulls = sends, pulls
        self._pull_due = pulls  # the first run reads the answers too
        self._thread: threading.Thread | None = None
        self._again = False
        self._stopped = False
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.send_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.send_now)
        self._pull_timer = QTimer(self)
        self._pull_timer.setInterval(PULL_EVERY_MS)
        self._pull_timer.timeout.connect(self.pull_now)

    def start(self) -> None:
        if self.sends:
            self._timer.start()
        if self.pulls:
            self._pull_timer.start()
        self.send_now()

    def pull_now(self) -> None:
        """Read sales' answers on the next run (now, unless one is going)."""
        with self._lock:
            self._pull_due = self.pulls
        self.send_now()

    def send_soon(self) -> None:
        self._soon.start()

    def send_now(self) -> None:
        """Start a run, unless one is going: then it runs once more when that one ends."""
        with self._lock:
            if self._stopped:
                return
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._thread = threading.Thread(target=self._run, name="leaddesk-sync", daemon=True)
            self._thread.start()

    def stop(self, wait: float = 5.0) -> None:
        self._timer.stop()
        self._soon.stop()
        self._pull_timer.stop()
        with self._lock:
            self._stopped = True
            thread = self._thread
        if thread is not None:
            thread.join(wait)

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _run(self) -> None:
        while True:
            self.said.emit(self._send_once())
            with self._lock:
                if self._again and not self._stopped:
                    self._again = False
                    continue
                self._thread = None
                return

    def _send_once(self) -> str:
        with self._lock:
            pull, self._pull_due = self._pull_due, False
        try:
            unreachable = self.desk.sync.run().unreachable if self.sends else None
            read = ""
            if pull:
                answers = self.desk.sync.pull()
                unreachable = unreachable or answers.unreachable
                if answers.accepted or answers.rejected:
                    read = (
                        f"Read from {answers.label}: {len(answers.accepted)} accepted, "
                        f"{len(answers.rejected)} rejected"
                    )
                    self.pulled.emit()
            line = read or self.desk.sync.status().line
        except LeadDeskError as error:
            return f"Not synced: {error.message}"
        except Exception:  # a bug: logged, and the window keeps working
            log.exception("the sync to sales' CRM failed")
            return "Not synced: something went wrong; see the log."
        if unreachable:
            return f"{line} ({unreachable})"
        return line

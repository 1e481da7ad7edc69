"""One call a window makes to have the sync: the status line in its status bar, the
background sender when the team has a sync set up (in a salesperson's window, the background
reader of sales' answers), and File ▸ Sync settings… for admins."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from leaddesk.desk import Action, Desk
from ui.common.operations import Operations
from ui.sync.settings_dialog import SyncSettingsDialog
from ui.sync.status_line import SyncStatusLine
from ui.sync.worker import SyncWorker


class SyncParts:
    """What ``attach_sync`` put on the window."""

    def __init__(
        self,
        window: QMainWindow,
        desk: Desk,
        ops: Operations,
        on_pulled: Callable[[], None] | None = None,
    ) -> None:
        self.window, self.desk, self.ops = window, desk, ops
        self.on_pulled = on_pulled
        self.line = SyncStatusLine(desk, window)
        window.statusBar().addPermanentWidget(self.line)
        self.worker: SyncWorker | None = None
        self.settings_action: QAction | None = None
        ops.changed.connect(self._changed)
        self.line.look()
        self.start_if_set_up()

    def start_if_set_up(self) -> None:
        # Reps' and team leads' windows send; a salesperson's reads sales' answers back (only
        # a salesperson records them: qualifiers never mark a lead accepted, at any door).
        sends = self.desk.can(Action.SYNC_HANDOFFS)
        pulls = self.desk.can(Action.RECORD_OPPORTUNITY)
        if self.worker is not None or not (sends or pulls):
            return
        if self.desk.sync.settings() is None:
            return
        self.worker = SyncWorker(self.desk, self.window, sends=sends, pulls=pulls)
        self.worker.said.connect(self.line.show_line)
        if self.on_pulled is not None:
            self.worker.pulled.connect(self.on_pulled)
        self.window.destroyed.connect(self.worker.stop)
        self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def _changed(self, changes: frozenset[str]) -> None:
        if "sync" in changes:
            self.start_if_set_up()
            self.line.look()
        if self.worker is not None and changes & {"lead", "queue", "status", "sync"}:
            self.worker.send_soon()  # a verdict may have queued a hand-off

    def show_settings(self) -> SyncSettingsDialog:
        dialog = SyncSettingsDialog(self.desk, self.ops, self.desk.sync.settings(), self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog


def attach_sync(
    window: QMainWindow,
    desk: Desk,
    ops: Operations,
    file_menu: QMenu | None,
    on_pulled: Callable[[], None] | None = None,
) -> SyncParts:
    parts = SyncParts(window, desk, ops, on_pulled)
    if file_menu is not None and desk.can(Action.SET_UP_SYNC):
        parts.settings_action = QAction("Sync settings…", window)
        parts.settings_action.triggered.connect(lambda: parts.show_settings())
        actions = file_menu.actions()  # above the separator and Quit, where a menu has them
        if len(actions) >= 2 and actions[-2].isSeparator():
            file_menu.insertAction(actions[-2], parts.settings_action)
        else:
            file_menu.addAction(parts.settings_action)
    return parts

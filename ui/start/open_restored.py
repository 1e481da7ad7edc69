"""After File ▸ Restore a backup…: the restored store opens as the admin in a window of its own,
the one the launcher gives their role (docs/architecture.md §6)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from leaddesk.desk import Desk, open_desk
from leaddesk.errors import LeadDeskError
from leaddesk.settings import Settings
from ui.common.operations import Operations


def open_in_new_window(target: str, user: str, settings: Settings) -> str | None:
    """Open the restored store as ``user`` in a window of its own (the admin's console, or a
    rep's workspace); a message instead when that user cannot sign in there."""
    from ui.launch import open_window  # the launcher's windows hold this dialog's menu entry

    try:
        desk = open_desk(target, user)
    except LeadDeskError as exc:
        return f"Could not open it as {user}: {exc.message}"
    ops = Operations()
    try:
        zone = desk.qualifying.definition().definition.policy.timezone
    except LeadDeskError:
        zone = "UTC"
    window = open_window(desk, ops, settings, zone)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def closed(_gone: object = None, ops: Operations = ops, desk: Desk = desk) -> None:
        ops.shutdown()
        desk.close()

    window.destroyed.connect(closed)
    window.setWindowTitle(f"{window.windowTitle()} — {desk.store.label}")
    window.show()
    return None

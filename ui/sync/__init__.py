"""The sync to sales' CRM in the window: the status line, the background sender, and
File ▸ Sync settings… for admins (leaddesk/sync/, docs/sync.md)."""

from ui.sync.attach import attach_sync

__all__ = ["attach_sync"]

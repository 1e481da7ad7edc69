"""What the front ends do around a desk rather than on one: set up a team database, connect to
it, fill a store with demo data, restore a backup, or name the store's schema.

Imported where used, not by ``leaddesk.desk`` itself: some of these are slow to load (Faker,
Alembic) and the team connection opens desks of its own (docs/architecture.md §3).
"""

from __future__ import annotations

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.admin.demo import demo_available, fill_demo, require_faker
from leaddesk.admin.demo.team import give_demo_passwords
from leaddesk.desk import team_connection
from leaddesk.desk.team_setup import REP, set_up_team
from leaddesk.store.migrations import current_revision

__all__ = [
    "REP",
    "current_revision",
    "demo_available",
    "fill_demo",
    "give_demo_passwords",
    "require_faker",
    "restore_backup",
    "set_up_team",
    "team_connection",
]

"""How tests/data/store-r7.sqlite3 was made: a shared store at schema 0007 (before passwords
and window leases) with a team of three and a published lead definition.

Kept for the record; the committed file is what the migration test opens. Re-running it
makes an equivalent store, e.g. ``python tests/data/make_store_r7.py /tmp/store-r7.sqlite3``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from sqlalchemy import text

from leaddesk.store import open_store
from leaddesk.store.migrations import upgrade

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC).replace(tzinfo=None)


def main(path: str) -> None:
    store = open_store(path, migrate=False)
    upgrade(store, "0007")
    with store.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, name, display_name, role, capacity, active, territories,"
                " created_at) VALUES (1, 'admin', 'Administrator', 'admin', 40, 1, '[]', :at),"
                " (2, 'rep1', 'Rep One', 'qualifier', 40, 1, '[]', :at),"
                " (3, 'sales1', 'Sales One', 'sales', 40, 1, '[]', :at)"
            ),
            {"at": AT},
        )
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])

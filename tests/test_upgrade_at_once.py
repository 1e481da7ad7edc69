"""Two LeadDesks opening the same older store at the same moment (the morning after an update,
a whole team signs in): one upgrades it, the other waits and finds it done. Neither fails."""

from __future__ import annotations

import subprocess
import sys
import time

from sqlalchemy import text

from leaddesk.store import open_store
from leaddesk.store.migrations import current_revision, head_revision

OPENERS = 3


def _back_to(location: str, revision: str) -> None:
    """The store's marker put back, so that opening it runs the last migration again."""
    store = open_store(location)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    store.close()


def test_stores_opened_at_once_are_upgraded_once(store_location: str) -> None:
    _back_to(store_location, "0032")
    # Each opener is a process of its own, as each LeadDesk is; all start at the same moment.
    at = time.time() + 3
    script = (
        "import sys, time\n"
        "from leaddesk.store import open_store\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "open_store(sys.argv[1]).close()\n"
    )
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", script, store_location, str(at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(OPENERS)
    ]
    failures = [err for opener in openers for _out, err in [opener.communicate(timeout=120)] if err]
    assert failures == []
    assert [opener.returncode for opener in openers] == [0] * OPENERS
    store = open_store(store_location)
    assert current_revision(store) == head_revision()
    store.close()
    if store.path is not None:  # SQLite: the one upgrader kept one copy of the store as it was
        assert len(list(store.path.parent.glob("*.before-upgrade-from-0032-*.bak"))) == 1

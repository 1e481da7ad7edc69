"""Two LeadDesks opening the same older store at the same moment (the morning after an update,
a whole team signs in): one upgrades it, the other waits and finds it done. Neither fails."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from leaddesk.store import open_store
from leaddesk.store.migrations import UPGRADE_LOCK, current_revision, head_revision

OPENERS = 3


def _back_to(location: str, revision: str) -> None:
    """The store's marker put back, so that opening it runs the last migration again."""
    store = open_store(location)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    store.close()


def test_stores_opened_at_once_are_upgraded_once(store_location: str, tmp_path: Path) -> None:
    _back_to(store_location, "0032")
    # Each opener is a process of its own, as each LeadDesk is. Each says it is ready once
    # LeadDesk is imported and waits for the others, so all open the store at the same moment.
    ready = tmp_path / "ready"
    ready.mkdir()
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from leaddesk.store import open_store\n"
        "ready, n = Path(sys.argv[2]), int(sys.argv[3])\n"
        "(ready / sys.argv[4]).touch()\n"
        "while len(list(ready.iterdir())) < n:\n"
        "    time.sleep(0.005)\n"
        "open_store(sys.argv[1]).close()\n"
    )
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", script, store_location, str(ready), str(OPENERS), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(OPENERS)
    ]
    failures = [err for opener in openers for _out, err in [opener.communicate(timeout=120)] if err]
    assert failures == []
    assert [opener.returncode for opener in openers] == [0] * OPENERS
    store = open_store(store_location)
    assert current_revision(store) == head_revision()
    store.close()
    if store.path is not None:  # SQLite: the one upgrader kept one copy of the store as it was
        assert len(list(store.path.parent.glob("*.before-upgrade-from-0032-*.bak"))) == 1


@pytest.mark.parametrize("store_location", ["postgresql"], indirect=True)
def test_an_upgrade_the_server_rolls_back_in_a_deadlock_runs_again(
    store_location: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A LeadDesk of the day before still works on the team's store while the first one of
    the new version opens it: each waits for what the other holds, and the server picks the
    upgrade (the first to wait) to roll back. The upgrade runs again and the opener opens."""
    _back_to(store_location, "0032")
    colleague_store = open_store(store_location, migrate=False)
    watcher_store = open_store(store_location, migrate=False)
    opened: list[BaseException | None] = []
    try:
        with colleague_store.engine.connect() as colleague, watcher_store.engine.connect() as look:
            # The colleague's transaction waits long before looking for a deadlock, so the
            # server finds it in the upgrade's wait (it waited first) and rolls that back.
            colleague.execute(text("SET deadlock_timeout = '20s'"))
            colleague.execute(text("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE"))

            def open_it() -> None:
                try:
                    open_store(store_location).close()
                    opened.append(None)
                except BaseException as exc:  # the failure is the finding
                    opened.append(exc)

            opener = threading.Thread(target=open_it)
            with caplog.at_level(logging.WARNING, logger="leaddesk.store.migrations"):
                opener.start()
                _until_someone_waits(look)  # the upgrade holds its lock and waits for leads
                # Now the colleague wants what the upgrade holds: the cycle.
                colleague.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
                colleague.rollback()
                opener.join(timeout=120)
    finally:
        colleague_store.close()
        watcher_store.close()
    assert opened == [None]
    assert "rolled the upgrade back whole; it runs again (try 2 of 3)" in caplog.text
    store = open_store(store_location)
    assert current_revision(store) == head_revision()
    store.close()


def _until_someone_waits(look: Connection) -> None:
    waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    for _ in range(600):
        if look.execute(waiting).scalar_one():
            look.rollback()
            return
        look.rollback()
        time.sleep(0.05)
    raise AssertionError("the upgrade never waited for the colleague's lock")

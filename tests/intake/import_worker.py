"""A separate process for the kill tests (not a test module).

    python import_worker.py DB FILE AT SOURCE

Imports FILE as lead1 with the cleaning helper forced on. After the first chunk is committed
it prints ``helper PID`` (flushed) and waits there, so a test can kill it mid-import.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from leaddesk.intake import importing
from leaddesk.store import open_store
from leaddesk.store.models import User


def main(db: str, file: str, at: str, source: str) -> int:
    store = open_store(db, create=False)
    with store.reading() as session:
        actor = session.scalar(select(User.id).where(User.name == "lead1"))
    assert actor is not None

    def first_chunk_in(_done: int, _total: int) -> None:
        helpers = [child.pid for child in multiprocessing.active_children()]
        print("helper", *helpers, flush=True)
        time.sleep(600)  # killed here, with more chunks to come

    importing.import_file(
        store,
        actor_id=actor,
        path=Path(file),
        options=importing.ImportOptions(source=source, parallel=True),
        at=datetime.fromisoformat(at),
        progress=first_chunk_in,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

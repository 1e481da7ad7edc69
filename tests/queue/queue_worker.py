"""A separate process for the concurrency and kill tests (not a test module).

    python queue_worker.py claim DB USER AT     claim leads with `next` until none is left,
                                                starting when a line comes on stdin
    python queue_worker.py log DB USER AT IDS…  log a no-answer call on each lead in turn

Each success is printed on its own line, flushed, only after its transaction committed: a
printed line is an acknowledgement the store must keep.
"""

from __future__ import annotations

import sys
from datetime import datetime

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome


def main(mode: str, db: str, user: str, at: str, *ids: str) -> int:
    desk = open_desk(db, user, clock=FixedClock(datetime.fromisoformat(at)))
    print("ready", flush=True)
    if mode == "claim":
        sys.stdin.readline()  # every worker is ready: they start together
        # Every worker wants the same top of the shared pool, all the time.
        while (row := desk.queue.next()) is not None:
            print(row.lead_id, flush=True)
    else:
        for lead_id in ids:
            result = desk.calls.log(int(lead_id), CallOutcome.NO_ANSWER, note="burst")
            print(result.call_id, result.lead_id, flush=True)
    desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

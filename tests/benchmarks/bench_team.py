"""Team lead console timings on a demo store: team view, rebalance, sweep, reports.

Run: python tests/benchmarks/bench_team.py [LEADS]   (default 20000; builds a fresh store)
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role

NOW = datetime(2026, 11, 18, 15, tzinfo=UTC)


def main() -> None:
    leads = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    path = Path(tempfile.mkdtemp()) / "team-bench.sqlite3"
    with setup_desk(path, clock=FixedClock(NOW)) as desk:
        fill_demo(desk.store, leads=leads, reps=8, seed=7, now=NOW)
        desk.people.add("rep9", Role.QUALIFIER, capacity=400)  # a new rep with room to fill
    with open_desk(path, "lead1", clock=FixedClock(NOW)) as desk:
        steps: list[tuple[str, Callable[[], object]]] = [
            ("team view", desk.team.view),
            ("rebalance preview", desk.team.plan_rebalance),
            ("rebalance apply", desk.team.rebalance),
            ("sweep (first run)", desk.team.sweep),
            ("sweep (again)", desk.team.sweep),
        ]
        for name in ("funnel", "throughput", "sla", "sources", "agreement", "workload"):
            steps.append((f"report {name}", lambda name=name: desk.team.report(name)))
        print(f"{leads} leads")
        for label, work in steps:
            started = time.perf_counter()
            result = work()
            took = (time.perf_counter() - started) * 1000
            moves = getattr(result, "moves", None)
            flagged = getattr(result, "flagged", None)
            note = f"{len(moves)} moves" if moves is not None else ""
            note = f"{len(flagged)} flagged" if flagged is not None else note
            print(f"{label:20s} {took:8.0f} ms  {note}")


if __name__ == "__main__":
    main()

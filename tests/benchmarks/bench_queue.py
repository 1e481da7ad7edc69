"""Queue speed on a big demo store: `next` (claim + load) and the first page of 50 rows.

Run: python tests/benchmarks/bench_queue.py [--leads 1000000] [--store PATH] [--rounds 200]

The store is built once with ``leaddesk demo`` (anchored at a fixed time, so the same store
comes back) and reused on later runs. Figures are printed, never asserted. The floor is a
plain indexed ``SELECT … LIMIT 50`` on the same store: the least any page can cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from leaddesk.store.models import Lead

ANCHOR = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday, 10:00 in New York


def build(path: Path, leads: int) -> None:
    from leaddesk.admin.demo import fill_demo

    store = open_store(path)
    started = time.perf_counter()
    summary = fill_demo(store, leads=leads, reps=4, seed=7, now=ANCHOR)
    store.close()
    print(f"built {summary.leads:,} leads in {time.perf_counter() - started:.1f} s at {path}")


def timed(work: Callable[[], object], rounds: int) -> list[float]:
    figures = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        figures.append((time.perf_counter() - started) * 1000)
    return figures


def report(name: str, figures: list[float]) -> None:
    ordered = sorted(figures)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{name:<44} median {statistics.median(figures):7.2f} ms   "
        f"p95 {p95:7.2f} ms   ({len(figures)} runs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, help="demo store to use (built if missing)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(argv)
    path = args.store or Path(tempfile.gettempdir()) / f"leaddesk-bench-{args.leads}.sqlite3"
    if not path.exists():
        build(path, args.leads)

    clock = FixedClock(ANCHOR)
    desk = open_desk(path, "rep1", clock=clock)
    with desk.store.reading() as session:
        total = session.query(Lead).count()
    print(f"store: {path} ({total:,} leads), as rep1 at {ANCHOR.isoformat()}")

    def floor() -> object:
        with desk.store.reading() as session:
            query = (
                select(Lead.id, Lead.sla_due_at)
                .where(Lead.assigned_to_id == 1, Lead.stage == "new")
                .order_by(Lead.sla_due_at)
                .limit(50)
            )
            return session.execute(query).all()

    report("plain indexed SELECT ... LIMIT 50 (floor)", timed(floor, args.rounds))
    report("queue: first page of 50 rows", timed(lambda: desk.queue.page(limit=50), args.rounds))
    report("queue: page 3 (rows 101-150)", timed(lambda: desk.queue.page(limit=50, offset=100), 50))

    # A rep's cycle: `next` claims the top lead, the call is logged (here: released) and the
    # lead goes back. Only `next` is timed; the clock moves a second per call.
    figures = []
    for _ in range(args.rounds):
        clock.advance(seconds=1)
        started = time.perf_counter()
        row = desk.queue.next()
        figures.append((time.perf_counter() - started) * 1000)
        if row is None:
            raise SystemExit("nothing callable at the anchor time; rebuild the store")
        desk.queue.release(row.lead_id)
    report("next: claim the top lead and load it", figures)
    # The window's minute-by-minute look: what came in since the last one.
    figures, found = [], 0
    _none, mark = desk.queue.arrivals()
    for _ in range(50):
        clock.advance(minutes=1)
        started = time.perf_counter()
        came, mark = desk.queue.arrivals(mark)
        figures.append((time.perf_counter() - started) * 1000)
        found += len(came)
    report("look again: what came in the last minute", figures)
    print(f"  ({found} leads came in over those 50 minutes)")
    first = desk.queue.page(limit=3)
    for row in first:
        print(f"  e.g. lead {row.lead_id}: {row.reason}")
    desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

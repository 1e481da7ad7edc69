"""Handoff figures: team export (CSV + JSONL + XLSX + manifest), rewrite, verify, pending.

Run: python tests/benchmarks/bench_handoff.py [LEADS]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.handoff import verify_batch
from leaddesk.store import open_store


def main(leads: int) -> None:
    now = datetime(2026, 11, 18, 15, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        store = open_store(db)
        fill_demo(store, leads=leads, reps=8, now=now)
        store.close()
        with open_desk(db, "lead1", clock=FixedClock(now)) as desk:
            start = time.perf_counter()
            batch = desk.handoff.export(Path(folder) / "out", team=True, xlsx=True).new_batch
            exported = time.perf_counter() - start
            assert batch is not None
            for path in batch.paths:
                path.unlink()
            start = time.perf_counter()
            desk.handoff.rewrite(batch.code)
            rewritten = time.perf_counter() - start
            start = time.perf_counter()
            ok = verify_batch(batch.folder).ok
            verified = time.perf_counter() - start
            start = time.perf_counter()
            pending = desk.handoff.pending()
            pended = time.perf_counter() - start
        print(f"store of {leads} leads; team batch of {batch.lead_count} leads")
        print(f"export (csv+jsonl+xlsx+manifest): {exported:.2f} s")
        print(f"rewrite after loss:               {rewritten:.2f} s")
        print(f"verify-handoff:                   {verified:.2f} s (ok={ok})")
        print(f"handoff pending ({len(pending.leads)} late):       {pended * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)

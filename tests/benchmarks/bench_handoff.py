"""Handoff figures: a team export beside its floor, then rewrite, verify and pending.

Run: python tests/benchmarks/bench_handoff.py [LEADS] [--rounds 3] [--xlsx] [--store COPY]
(prints figures; asserts nothing)

With ``--store`` the team export runs on that store (a demo store with a ``lead1``; it hands
the leads off, so give it a copy) instead of a new demo store of LEADS leads.

The export is timed once (it hands the leads off). Then, ``--rounds`` times, interleaved:
the app writes the batch again from the store (``rewrite``: every record read, CSV + JSONL +
manifest written), and the floor writes the same CSV rows with ``csv.writer`` (read back
from the batch's own CSV before timing). Wall and CPU for both, leads/s and their ratio.
A second floor (the last column) also writes the batch's JSON Lines, the same records (read
back the same way) written as the app writes them (orjson, keys sorted, one a line): what the
two files cost with no store behind them. A third floor adds the store: the SELECTs a
rewrite sends (caught as sent, SQLAlchemy's and the driver's cursor's alike) run again in raw
``sqlite3``, plus both files; ``whole floor`` is the least a rewrite can cost with the store's
reads and the two files, no Python around them. Last, where a rewrite's CPU goes (best of the
rounds): reading the records, making the files' bytes (CSV, JSON Lines, manifest, SHA-256s),
and the rest (the two transactions, writing and fsyncing the files).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.handoff import verify_batch
from leaddesk.handoff.records import read_records
from leaddesk.handoff.render import BatchFacts, hashed_batch
from leaddesk.store import open_store
from leaddesk.store.models import HandoffBatch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_queue import caught, replay


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leads", type=int, nargs="?", default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="write the XLSX file too")
    parser.add_argument("--store", type=Path, help="a copy of a demo store to export from")
    args = parser.parse_args(argv)
    now = datetime(2026, 11, 18, 15, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        db = args.store or Path(folder) / "bench.sqlite3"
        if args.store is None:
            store = open_store(db)
            fill_demo(store, leads=args.leads, reps=8, now=now)
            store.close()
        with open_desk(db, "lead1", clock=FixedClock(now)) as desk:
            wall, cpu = time.perf_counter(), time.process_time()
            batch = desk.handoff.export(Path(folder) / "out", team=True, xlsx=args.xlsx).new_batch
            exported = (time.perf_counter() - wall, time.process_time() - cpu)
            assert batch is not None
            count = batch.lead_count
            csv_path = next(path for path in batch.paths if path.suffix == ".csv")
            with csv_path.open(newline="", encoding="utf-8") as source:
                rows = list(csv.reader(source))
            jsonl_path = next(path for path in batch.paths if path.suffix == ".jsonl")
            with jsonl_path.open(encoding="utf-8") as source:
                lines = [json.loads(line) for line in source]
            floor_path = Path(folder) / "floor.csv"

            def floor() -> None:
                with floor_path.open("w", newline="", encoding="utf-8") as target:
                    csv.writer(target).writerows(rows)

            def both_files() -> None:
                floor()
                options = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
                with floor_path.with_suffix(".jsonl").open("wb") as target:
                    target.write(b"".join([orjson.dumps(line, option=options) for line in lines]))

            def rewrite() -> None:
                for path in batch.paths:
                    path.unlink(missing_ok=True)
                desk.handoff.rewrite(batch.code)

            rewrite()  # warm, then the SELECTs one rewrite sends, to run again in raw sqlite3
            with caught(desk.store.engine) as sent:
                rewrite()
            selects = [(sql, params) for sql, params in sent if sql.lstrip().startswith("SELECT")]
            raw = sqlite3.connect(db, isolation_level=None)

            def whole_floor() -> None:
                replay(raw, selects)
                both_files()

            held = f"{db.name}" if args.store else f"{args.leads} leads"
            print(f"store: {held}; team batch of {count} leads; {_load()}")
            print(
                f"export (csv+jsonl{'+xlsx' if args.xlsx else ''}+manifest): "
                f"{exported[0]:.2f} s wall, {exported[1]:.2f} s CPU, "
                f"{count / exported[0]:,.0f} leads/s"
            )
            print(
                f"{'round':>5} {'app wall':>9} {'floor':>8} {'ratio':>6} {'app cpu':>8}"
                f" {'floor':>8} {'ratio':>6} {'leads/s wall':>12} {'cpu':>7} {'csv+jsonl cpu':>14}"
            )
            for round_number in range(1, args.rounds + 1):
                app_wall, app_cpu = _timed(rewrite)
                floor_wall, floor_cpu = _timed(floor)
                _wall, both_cpu = _timed(both_files)
                _wall, whole_cpu = _timed(whole_floor)
                print(
                    f"{round_number:>5} {app_wall * 1000:>7.0f}ms {floor_wall * 1000:>6.1f}ms"
                    f" {app_wall / floor_wall:>5.1f}x {app_cpu * 1000:>6.0f}ms"
                    f" {floor_cpu * 1000:>6.1f}ms {app_cpu / max(floor_cpu, 1e-6):>5.1f}x"
                    f" {count / app_wall:>12,.0f} {count / app_cpu:>7,.0f}"
                    f" {both_cpu * 1000:>6.1f}ms {app_cpu / max(both_cpu, 1e-6):>5.1f}x"
                    f" {whole_cpu * 1000:>8.1f}ms {app_cpu / max(whole_cpu, 1e-6):>5.1f}x"
                )
            raw.close()
            print(f"whole floor: {len(selects)} SELECTs as the rewrite sent them, then both files")
            print(f"after the rounds: {_load()}")
            store = open_store(db)
            facts = BatchFacts(batch.batch_id, batch.code, "lead1", now, "team", None, args.xlsx)
            reads: list[float] = []
            makes: list[float] = []
            rewrites: list[float] = []
            for _round in range(args.rounds):
                with store.reading() as session:
                    row = session.get(HandoffBatch, batch.batch_id)
                    assert row is not None
                    cpu = time.process_time()
                    records = read_records(session, row)
                    reads.append(time.process_time() - cpu)
                cpu = time.process_time()
                hashed_batch(records, facts)
                makes.append(time.process_time() - cpu)
                rewrites.append(_timed(rewrite)[1])
            store.close()
            read, make, whole = min(reads), min(makes), min(rewrites)
            print(
                f"rewrite's CPU (best of {args.rounds}): {whole * 1000:.1f} ms = reading the"
                f" records {read * 1000:.1f} + the files' bytes {make * 1000:.1f} + the rest"
                f" (transactions, writing, fsync) {(whole - read - make) * 1000:.1f} ms"
            )
            wall, _cpu = _timed(lambda: verify_batch(batch.folder))
            print(f"verify-handoff:                   {wall:.2f} s")
            started = time.perf_counter()
            pending = desk.handoff.pending()
            pended = time.perf_counter() - started
            print(f"handoff pending ({len(pending.leads)} late):       {pended * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

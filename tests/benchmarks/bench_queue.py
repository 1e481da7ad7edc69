"""Queue speed against its floors: `next` and the first page of 50 rows, app beside raw SQL.

Run: python tests/benchmarks/bench_queue.py [--leads 10000,100000,1000000] [--store PATH]
     [--calls 100] [--rounds 3] [--postgres URL]

Floors, timed call by call between the app's calls (so load on the machine weighs on both),
each call of either after a third connection let the last claim go:
* `next`: the same claim (conditional UPDATE), audit row and display row (the row's joined
  SELECT) in raw ``sqlite3``, in one BEGIN IMMEDIATE ... COMMIT, on the lead `next` claimed.
* the page: the app's own statements for that page (caught as it sends them, through
  SQLAlchemy or on the driver's cursor: leaddesk/store/driver_statements.py), run again with
  raw ``sqlite3`` and fetched as tuples; what is left is the app's Python around the SQL.
Prints app, floor and app/floor by wall clock and by CPU (``time.process_time``), the median
of each round, for 3 rounds; CPU is what to trust on a shared machine. With several
``--leads`` a growth table follows. ``--postgres URL`` (an empty database) also times `next`
and the page on PostgreSQL, on a copy of the smallest store made with backup and restore
(floor: the same statements through psycopg). Stores are demo stores built once per size
(``leaddesk demo``'s data anchored at a fixed time) and reused; a copy is upgraded to the
current schema when opened (``--store`` an upgraded store saves that); asserts no time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import driver_statements

ANCHOR = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday, 10:00 in New York
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def build(path: Path, leads: int) -> None:
    from leaddesk.admin.demo import fill_demo
    from leaddesk.store import open_store

    store = open_store(path)
    started = time.perf_counter()
    summary = fill_demo(store, leads=leads, reps=4, seed=7, now=ANCHOR)
    store.close()
    print(f"built {summary.leads:,} leads in {time.perf_counter() - started:.1f} s at {path}")


@dataclass
class Pair:
    """App and floor figures (ms per call) of one path, per round."""

    name: str
    app_wall: list[float] = field(default_factory=list)
    app_cpu: list[float] = field(default_factory=list)
    floor_wall: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    rounds: list[tuple[float, float, float, float]] = field(default_factory=list)

    def end_round(self) -> None:
        med = statistics.median
        self.rounds.append(
            (med(self.app_wall), med(self.app_cpu), med(self.floor_wall), med(self.floor_cpu))
        )
        self.app_wall, self.app_cpu, self.floor_wall, self.floor_cpu = [], [], [], []

    def print(self, label: str) -> None:
        for n, (aw, ac, fw, fc) in enumerate(self.rounds, 1):
            print(
                f"{label:<10} {self.name:<6} round {n}: wall {aw:6.2f} vs {fw:6.2f} ms "
                f"= {aw / fw:5.1f}x   CPU {ac:6.2f} vs {fc:6.2f} ms = {ac / fc:5.1f}x"
            )

    def cpu_ratio(self) -> float:
        return statistics.median(ac / fc for _aw, ac, _fw, fc in self.rounds)

    def cpu_app(self) -> float:
        return statistics.median(ac for _aw, ac, _fw, _fc in self.rounds)


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


class _Noting:
    """The driver's connection a ``DriverStatement`` runs on, noting what it sends."""

    def __init__(self, driver: Any, sent: list[tuple[str, Any]]) -> None:
        self._driver, self._sent = driver, sent

    def execute(self, statement: str, parameters: Any) -> Any:
        self._sent.append((statement, parameters))
        return self._driver.execute(statement, parameters)


@contextmanager
def caught(engine: Any) -> Iterator[list[tuple[str, Any]]]:
    """The statements the app sends, through SQLAlchemy or on the driver's cursor."""
    sent: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if not statement.startswith("BEGIN"):
            sent.append((statement, parameters))

    driver_of = driver_statements._driver
    driver_statements._driver = lambda where: _Noting(driver_of(where), sent)
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)
        driver_statements._driver = driver_of


# The floor's `next`: the claim, its audit row and the display row, by hand.
CLAIM = (
    "UPDATE leads SET claimed_by_id = ?, claim_expires_at = ?, version = version + 1 "
    "WHERE id = ? AND stage IN ('in_qualification', 'new', 'working') AND hold_reason IS NULL "
    "AND (claimed_by_id IS NULL OR claimed_by_id = ? OR claim_expires_at <= ?) "
    "AND (assigned_to_id = ? OR assigned_to_id IS NULL)"
)
AUDIT = (
    "INSERT INTO audit_events (at, actor_id, action, lead_id, to_state, details) "
    "VALUES (?, ?, 'claim_taken', ?, ?, ?)"
)
SHOW = (
    "SELECT l.id, l.stage, l.assigned_to_id, l.claimed_by_id, l.claim_expires_at, "
    "l.hold_reason, l.callback_at, l.next_attempt_at, l.sla_due_at, l.arrived_at, "
    "l.cadence_attempts, l.fit_score, l.interest_score, l.source, p.do_not_call, p.erased_at, "
    "p.zone_key, p.first_name, p.last_name, p.email, p.phone, p.phone_raw, a.name, p.country, "
    "p.region, o.name FROM leads l JOIN people p ON p.id = l.person_id "
    "LEFT JOIN accounts a ON a.id = l.account_id LEFT JOIN users o ON o.id = l.assigned_to_id "
    "WHERE l.id = ?"
)
FREE = "UPDATE leads SET claimed_by_id = NULL, claim_expires_at = NULL WHERE id = ?"


def floor_next(raw: sqlite3.Connection, lead_id: int, user_id: int, at: datetime) -> Any:
    stamp, until = at.strftime(STAMP), (at + timedelta(minutes=15)).strftime(STAMP)
    raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("BEGIN IMMEDIATE")
    raw.execute(CLAIM, (user_id, until, lead_id, user_id, stamp, user_id))
    raw.execute(AUDIT, (stamp, user_id, lead_id, f"claimed:{user_id}", '{"until": "x"}'))
    row = raw.execute(SHOW, (lead_id,)).fetchone()
    raw.execute("COMMIT")
    raw.execute("PRAGMA synchronous = FULL")
    return row


def replay(raw: sqlite3.Connection, statements: list[tuple[str, Any]]) -> list[Any]:
    raw.execute("BEGIN")
    found = [raw.execute(sql, params).fetchall() for sql, params in statements]
    raw.execute("COMMIT")
    return found


def measure_sqlite(path: Path, calls: int, rounds: int) -> tuple[Pair, Pair]:
    clock = FixedClock(ANCHOR)
    desk = open_desk(path, "rep1", clock=clock)
    user_id = desk.actor.id
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA busy_timeout = 5000")
    # Claims are let go on a third connection, so the app and the floor each start their
    # call just after another connection wrote (SQLite then reads its pages afresh). Let go
    # on the floor's own connection, the floor found its pages still cached and the app never
    # did: 2.8-2.9x against 2.3-2.4x on the same store, 2026-12-08.
    freer = sqlite3.connect(path, isolation_level=None)
    freer.execute("PRAGMA busy_timeout = 5000")
    nexts, pages = Pair("next"), Pair("page")
    desk.queue.page(limit=50)  # warm: definition read, statements built
    for _round in range(rounds):
        for _ in range(calls):
            clock.advance(seconds=1)
            row, wall, cpu = timed(desk.queue.next)
            if row is None:
                raise SystemExit("nothing callable at the anchor time; rebuild the store")
            nexts.app_wall.append(wall)
            nexts.app_cpu.append(cpu)
            lead_id = row.lead_id
            freer.execute(FREE, (lead_id,))
            _row, wall, cpu = timed(lambda: floor_next(raw, lead_id, user_id, clock()))  # noqa: B023
            nexts.floor_wall.append(wall)
            nexts.floor_cpu.append(cpu)
            freer.execute(FREE, (lead_id,))
            with caught(desk.store.engine) as sent:
                _rows, wall, cpu = timed(lambda: desk.queue.page(limit=50))
            pages.app_wall.append(wall)
            pages.app_cpu.append(cpu)
            _found, wall, cpu = timed(lambda: replay(raw, sent))
            pages.floor_wall.append(wall)
            pages.floor_cpu.append(cpu)
        nexts.end_round()
        pages.end_round()
    freer.close()
    raw.close()
    desk.close()
    return nexts, pages


def measure_postgres(url: str, calls: int, rounds: int) -> tuple[Pair, Pair]:
    import psycopg

    clock = FixedClock(ANCHOR)
    desk = open_desk(url, "rep1", clock=clock)
    raw = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    nexts, pages = Pair("next"), Pair("page")
    desk.queue.page(limit=50)
    free = FREE.replace("?", "%s")
    for _round in range(rounds):
        for _ in range(calls):
            clock.advance(seconds=1)
            with caught(desk.store.engine) as claimed:
                row, wall, cpu = timed(desk.queue.next)
            if row is None:
                raise SystemExit("nothing callable at the anchor time")
            nexts.app_wall.append(wall)
            nexts.app_cpu.append(cpu)
            raw.execute(free, (row.lead_id,))
            _r, wall, cpu = timed(lambda: pg_replay(raw, claimed))
            nexts.floor_wall.append(wall)
            nexts.floor_cpu.append(cpu)
            raw.execute(free, (row.lead_id,))
            with caught(desk.store.engine) as sent:
                _rows, wall, cpu = timed(lambda: desk.queue.page(limit=50))
            pages.app_wall.append(wall)
            pages.app_cpu.append(cpu)
            _found, wall, cpu = timed(lambda: pg_replay(raw, sent))
            pages.floor_wall.append(wall)
            pages.floor_cpu.append(cpu)
        nexts.end_round()
        pages.end_round()
    raw.close()
    desk.close()
    return nexts, pages


def pg_replay(raw: Any, statements: list[tuple[str, Any]]) -> list[Any]:
    found = []
    with raw.transaction():
        for sql, params in statements:
            cursor = raw.execute(sql, params)
            found.append(cursor.fetchall() if cursor.description else None)
    return found


def copy_to_postgres(store: Path, url: str) -> None:
    from leaddesk.admin.backup_restore import restore_backup
    from leaddesk.admin.backups import take_backup
    from leaddesk.store import open_store

    work = Path(tempfile.mkdtemp(prefix="leaddesk-bench-queue-"))
    opened = open_store(store)
    summary = take_backup(opened, work / "store.ldbackup.gz", taken_by="bench", at=ANCHOR)
    opened.close()
    restore_backup(url, summary.path, at=ANCHOR, dry_run=False)
    shutil.rmtree(work)


def working_copy(args: argparse.Namespace, leads: int) -> Path:
    """The demo store of this size (built once, kept), copied so the runs never change it."""
    kept = args.store or Path(tempfile.gettempdir()) / f"leaddesk-bench-{leads}.sqlite3"
    if not kept.exists():
        build(kept, leads)
    copy = Path(tempfile.gettempdir()) / f"leaddesk-bench-queue-run-{os.getpid()}.sqlite3"
    shutil.copyfile(kept, copy)
    # A copy still being written back to disk (2 GB at 1,000,000 leads) makes the first
    # calls' commits wait on it: the first run on a fresh copy read 3.8-4.2x, 2026-12-07.
    os.sync()
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", default="1000000", help="store sizes, comma-separated")
    parser.add_argument("--store", type=Path, help="demo store to use (one size only)")
    parser.add_argument("--calls", type=int, default=100, help="calls per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="an empty database to copy into")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.leads.split(",")]
    growth: list[tuple[int, Pair, Pair]] = []
    for leads in sizes:
        path = working_copy(args, leads)
        try:
            print(f"{leads:,} leads ({path}), load average {os.getloadavg()[0]:.1f}")
            nexts, pages = measure_sqlite(path, args.calls, args.rounds)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            # A store behind the schema is upgraded on open, and the upgrade keeps a copy of
            # the store as it was (2 GB at 1,000,000 leads): this run's copy, not the user's.
            for kept in path.parent.glob(f"{path.name}.before-upgrade-*.bak"):
                kept.unlink()
        label = f"{leads:,}"
        nexts.print(label)
        pages.print(label)
        growth.append((leads, nexts, pages))
    if len(growth) > 1:
        print("growth (median CPU per call, app; ratio to floor):")
        for leads, nexts, pages in growth:
            print(
                f"  {leads:>9,} leads: next {nexts.cpu_app():6.2f} ms ({nexts.cpu_ratio():4.1f}x)"
                f"   page {pages.cpu_app():6.2f} ms ({pages.cpu_ratio():4.1f}x)"
            )
    if args.postgres:
        smallest = min(sizes)
        started = time.perf_counter()
        path = working_copy(args, smallest)
        copy_to_postgres(path, args.postgres)
        path.unlink()
        took = time.perf_counter() - started
        print(f"PostgreSQL: {smallest:,} leads copied in {took:.0f} s (backup and restore)")
        print(f"load average {os.getloadavg()[0]:.1f}")
        nexts, pages = measure_postgres(args.postgres, args.calls, args.rounds)
        nexts.print(f"PG {smallest:,}")
        pages.print(f"PG {smallest:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

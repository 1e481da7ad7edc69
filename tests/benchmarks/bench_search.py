"""Search on a big store: each term the app answers beside its FTS5 floor in raw ``sqlite3``.

Run: python tests/benchmarks/bench_search.py --store PATH [--rounds 3] [--calls 5] [--as rep1]
     [--copy-from DEMO --copies 50]   (makes PATH first: DEMO's leads 50 times, as 1,000,000
     from a 20,000-lead ``bench_queue.py`` store; names then repeat 50 times)
     [--postgres URL]   (then the same kinds of term on that team database, app alone: its
     search walks btree and trigram indexes, there is no FTS5 floor to set beside it)

PATH is a store at schema 0019 or later (a copy: opening an older one upgrades it, which fills
the index). The floor is the same work without Python around it: the FTS5 query the app sends
(the same MATCH, the same owner and stage filter, the same LIMIT), the kept-value index walk
when it finds fewer than 50, and one SELECT of the shown rows' columns, all in ``sqlite3``.
App and floor are called in turn, call by call; each figure is the median of ``--calls``
calls of a term, per round. Prints wall and CPU for both and their ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite as sqlite_dialect

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.queue import search_index
from leaddesk.queue.listing import OWNER, ROW_COLUMNS
from leaddesk.queue.search import search_terms
from leaddesk.store import open_store
from leaddesk.store.models import Account, Lead, Person, User

ANCHOR = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # the demo stores' anchor (bench_queue)
LIMIT = 50
TABLES = ("accounts", "people", "leads")  # in this order: each refers to the one before


def make_copies(source: Path, target: Path, copies: int) -> None:
    """A store of ``copies`` times ``source``'s accounts, people and leads (ids shifted; import
    keys, claims and hand-off batches left out), set back to 0016 so that opening it runs
    migration 0019 and fills the index (timed by the caller)."""
    shutil.copyfile(source, target)
    raw = sqlite3.connect(target)
    for name in ("lead_added", "lead_removed", "lead_moved", "person_changed", "company_renamed"):
        raw.execute(f"DROP TRIGGER IF EXISTS lead_search_{name}")
    raw.execute("DROP TABLE IF EXISTS lead_search")
    raw.execute("DROP TABLE IF EXISTS lead_search_paused")
    raw.execute("UPDATE alembic_version SET version_num = '0016'")
    top = {t: raw.execute(f"SELECT max(id) FROM {t}").fetchone()[0] for t in TABLES}
    cleared = ("import_key", "handoff_batch_id", "claimed_by_id", "claim_expires_at")
    for copy in range(1, copies):
        shifted = {
            "account_id": f"account_id + {copy * top['accounts']}",
            "person_id": f"person_id + {copy * top['people']}",
        }
        for table in TABLES:
            columns = [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
            values = {**shifted, "id": f"id + {copy * top[table]}"}
            values.update({name: "NULL" for name in cleared if table == "leads"})
            picked = ", ".join(values.get(name, name) for name in columns)
            raw.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {picked} FROM {table} WHERE id <= {top[table]}"
            )
    raw.commit()
    raw.close()


def _row_sql() -> str:
    statement = (
        select(*ROW_COLUMNS, OWNER.name)
        .join(Person, Lead.person_id == Person.id)
        .outerjoin(Account, Lead.account_id == Account.id)
        .outerjoin(OWNER, Lead.assigned_to_id == OWNER.id)
        .where(Lead.id.in_([0]))
    )
    compiled = statement.compile(dialect=sqlite_dialect.dialect())
    return str(compiled).replace("(__[POSTCOMPILE_id_1])", "({marks})")


def floor_search(
    raw: sqlite3.Connection, text: str, user_id: int, any_owner: bool, row_sql: str
) -> int:
    terms = search_terms(text)
    ids: list[int] = []
    query = search_index.match_query(terms)
    if query is not None:
        cap = search_index.CANDIDATES
        params = {"query": query, "user_id": user_id, "any_owner": any_owner, "cap": cap}
        sql = search_index.OPEN_MATCHES
        ids = [row[0] for row in raw.execute(sql, params)]
    kept = [*terms.phones, *([terms.kept] if terms.kept else [])]
    for value in kept:
        if len(ids) >= LIMIT:
            break
        upper = value[:-1] + chr(ord(value[-1]) + 1)
        found = raw.execute(
            "SELECT lead_id FROM lead_file_values WHERE value >= ? AND value < ? "
            "ORDER BY value LIMIT 400",
            (value, upper),
        ).fetchall()
        ids.extend(row[0] for row in found)
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return len(raw.execute(row_sql.format(marks=marks), ids).fetchall())


def _interleaved(
    app: Callable[[], object], floor: Callable[[], object], calls: int
) -> tuple[float, float, float, float]:
    """Median wall and CPU (ms) of ``app`` and of ``floor``, called in turn."""
    figures: dict[str, list[float]] = {"app wall": [], "app cpu": [], "wall": [], "cpu": []}
    for _ in range(calls):
        for work, prefix in ((app, "app "), (floor, "")):
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            figures[prefix + "cpu"].append((time.process_time() - cpu) * 1000)
            figures[prefix + "wall"].append((time.perf_counter() - wall) * 1000)
    app_wall, app_cpu, wall, cpu = (statistics.median(found) for found in figures.values())
    return app_wall, app_cpu, wall, cpu


def _terms(raw: sqlite3.Connection, user_id: int) -> list[str]:
    """The issue's terms, and an e-mail and a phone number of one of the rep's open leads."""
    email, phone = raw.execute(
        "SELECT p.email, p.phone FROM leads AS l JOIN people AS p ON p.id = l.person_id "
        "WHERE l.assigned_to_id = ? AND l.stage = 'new' AND p.email IS NOT NULL "
        "AND p.phone IS NOT NULL ORDER BY l.id LIMIT 1",
        (user_id,),
    ).fetchone()
    return ["Johnson PLC", "john sm", "ma", email, phone]


def _on_postgres(url: str, user: str, rounds: int, calls: int) -> None:
    """The app's search on a PostgreSQL store: median wall and CPU per term, per round."""
    desk = open_desk(url, user, clock=FixedClock(ANCHOR))
    store = open_store(url)
    with store.reading() as session:  # the same kinds of term, from that store
        user_id = session.execute(select(User.id).where(User.name == user)).scalar_one()
        found = session.execute(
            select(Person.email, Person.phone)
            .join(Lead, Lead.person_id == Person.id)
            .where(Lead.assigned_to_id == user_id, Lead.stage == "new")
            .where(Person.email.is_not(None), Person.phone.is_not(None))
            .order_by(Lead.id)
            .limit(1)
        ).one()
        leads = session.execute(select(func.max(Lead.id))).scalar_one()
    print(f"PostgreSQL: {store.label} (lead ids up to {leads:,}); {_uptime()}")
    store.close()
    print(f"{'round':>5} {'term':<28} {'rows':>4} {'app wall':>9} {'app cpu':>8}")
    for round_number in range(1, rounds + 1):
        for term in ["Johnson PLC", "john sm", "ma", found[0], found[1]]:
            shown = len(desk.queue.search(term))
            walls, cpus = [], []
            for _ in range(calls):
                wall, cpu = time.perf_counter(), time.process_time()
                desk.queue.search(term)
                cpus.append((time.process_time() - cpu) * 1000)
                walls.append((time.perf_counter() - wall) * 1000)
            print(
                f"{round_number:>5} {term[:28]:<28} {shown:>4} "
                f"{statistics.median(walls):>7.1f}ms {statistics.median(cpus):>6.1f}ms"
            )
        print(f"      after round {round_number}: {_uptime()}")
    desk.close()


def _uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--as", dest="user", default="rep1")
    parser.add_argument("--copy-from", type=Path, help="make --store from this demo store")
    parser.add_argument("--copies", type=int, default=50, help="with --copy-from (default 50)")
    parser.add_argument("--postgres", metavar="URL", help="also time search on this database")
    args = parser.parse_args(argv)
    if args.store is None:
        if args.postgres is None:
            parser.error("give --store PATH, --postgres URL or both")
        _on_postgres(args.postgres, args.user, args.rounds, args.calls)
        return 0
    if args.copy_from is not None:
        make_copies(args.copy_from, args.store, args.copies)
        wall, cpu = time.perf_counter(), time.process_time()
        open_store(args.store).close()  # migration 0019 fills the index
        for kept in args.store.parent.glob(f"{args.store.name}.before-upgrade-*"):
            kept.unlink()  # the upgrade's copy of the old store: not needed here
        print(
            f"made {args.store} ({args.copies} copies of {args.copy_from}); migration 0019 took "
            f"{time.perf_counter() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU"
        )
    desk = open_desk(args.store, args.user, clock=FixedClock(ANCHOR))  # upgrades an old store
    raw = sqlite3.connect(args.store)
    user_id, role = raw.execute(
        "SELECT id, role FROM users WHERE name = ?", (args.user,)
    ).fetchone()
    any_owner = role != "qualifier"
    leads = raw.execute("SELECT max(id) FROM leads").fetchone()[0]
    row_sql = _row_sql()
    terms = _terms(raw, user_id)
    print(f"store: {args.store} (lead ids up to {leads:,}), as {args.user}; {_uptime()}")
    print(
        f"{'round':>5} {'term':<28} {'rows':>4} {'app wall':>9} {'floor':>7} {'ratio':>6}"
        f" {'app cpu':>8} {'floor':>7} {'ratio':>6}"
    )
    for round_number in range(1, args.rounds + 1):
        for term in terms:
            shown = len(desk.queue.search(term))  # warm both before timing
            floor_search(raw, term, user_id, any_owner, row_sql)
            app_wall, app_cpu, floor_wall, floor_cpu = _interleaved(
                lambda t=term: desk.queue.search(t),  # type: ignore[misc]
                lambda t=term: floor_search(raw, t, user_id, any_owner, row_sql),  # type: ignore[misc]
                args.calls,
            )
            print(
                f"{round_number:>5} {term[:28]:<28} {shown:>4} {app_wall:>7.2f}ms"
                f" {floor_wall:>5.2f}ms {app_wall / floor_wall:>5.1f}x"
                f" {app_cpu:>6.2f}ms {floor_cpu:>5.2f}ms {app_cpu / max(floor_cpu, 0.01):>5.1f}x"
            )
        print(f"      after round {round_number}: {_uptime()}")
    raw.close()
    desk.close()
    if args.postgres is not None:
        _on_postgres(args.postgres, args.user, args.rounds, args.calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())

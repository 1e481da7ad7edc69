"""Intake speed: a 100,000-row CSV into a store that already holds 1,000,000 leads.

Run: python tests/benchmarks/bench_intake.py [--rows 100000] [--store-leads 1000000]
         [--base PATH] [--only dry-run|import] [--postgres URL]

The base store (people, accounts and leads in the demo's shape, built with bulk inserts) is
made once and copied for every run, so each import meets the same store. The CSV mixes new
people, people the store knows (by email, by phone, by name at their company), customers'
companies and unusable rows. Prints rows/s for the dry run and the real import, the CPU time
of this process and of the cleaning helper (the work more cores could share), and the
process's peak memory; asserts no time.

The floor (intake_floor.py: the same file read and cleaned on every core, nothing written) is
measured before and after the import in the same run, and the import's wall time is printed
as a multiple of it, with the load average beside each figure (the machine is shared).

With ``--postgres URL`` the base is built in that (empty or earlier bench) database instead,
and the real import is undone afterwards, so the next run meets the same leads.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from leaddesk.clock import FixedClock
from leaddesk.definition.versions import ensure_default
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.intake.cleaning import Job
from leaddesk.people import users
from leaddesk.store import open_store
from leaddesk.store.models import Account, Lead, Person

sys.path.insert(0, str(Path(__file__).parent))
from intake_floor import Floor, job_for, measure_floor
from intake_store_floor import added_rows, marks, prepare, write_again

ANCHOR = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
FIRST = ("Ada", "Bruno", "Chen", "Dana", "Emil", "Fatima", "Greta", "Hugo", "Ines", "Jonas")
LAST = ("Meyer", "Smith", "Garcia", "Rossi", "Novak", "Kim", "Okafor", "Berg", "Lund", "Silva")


def _email(person: int) -> str:
    return f"p{person}@co{person // 4}.example"


def _phone(person: int) -> str:
    return f"+1212{2000000 + person:07d}"


def build_base(path: Path | str, leads: int) -> None:
    started = time.perf_counter()
    store = open_store(path, create=True)
    with store.transaction() as session:
        ensure_default(session, at=ANCHOR)
        for number in range(1, 5):
            users.add_user(
                session, name=f"rep{number}", role=Role.QUALIFIER, at=ANCHOR, actor_id=None
            )
        users.add_user(session, name="lead1", role=Role.TEAM_LEAD, at=ANCHOR, actor_id=None)
    rng = random.Random(5)
    accounts = leads // 4
    with store.transaction() as session:
        connection = session.connection()
        batch: list[dict[str, object]] = []
        for account in range(1, accounts + 1):
            batch.append(
                {
                    "id": account,
                    "name": f"Company {account} Inc",
                    "name_key": f"company {account}",
                    "domain": f"co{account}.example",
                    "industry": "Software",
                    "employees": 50 + account % 900,
                    "country": "US",
                    "is_customer": account % 15 == 0,
                    "owner_name": "Dana Reyes",
                    "created_at": ANCHOR - timedelta(days=400),
                }
            )
            if len(batch) == 10_000:
                connection.execute(insert(Account.__table__), batch)
                batch = []
        if batch:
            connection.execute(insert(Account.__table__), batch)
        people: list[dict[str, object]] = []
        rows: list[dict[str, object]] = []
        for person in range(1, leads + 1):
            arrived = ANCHOR - timedelta(hours=rng.randint(1, 2000))
            people.append(
                {
                    "id": person,
                    "account_id": person // 4 or 1,
                    "first_name": FIRST[person % 10],
                    "last_name": f"{LAST[(person // 10) % 10]}{person}",
                    "email": _email(person),
                    "phone": _phone(person),
                    "phone_raw": _phone(person),
                    "country": "US",
                    "zone_key": "America/New_York",
                    "do_not_call": False,
                    "created_at": arrived,
                }
            )
            rows.append(
                {
                    "id": person,
                    "person_id": person,
                    "account_id": person // 4 or 1,
                    "source": "web_form",
                    "arrived_at": arrived,
                    "stage": "new" if person % 3 else "nurture",
                    "stage_changed_at": arrived,
                    "existing_account": False,
                    "assigned_to_id": 1 + person % 4 if person % 5 else None,
                    "fit_score": person % 100,
                    "interest_score": person % 90,
                    "sla_due_at": arrived + timedelta(hours=2),
                    "attempts": 0,
                    "version": 1,
                    "created_at": arrived,
                }
            )
            if len(rows) == 10_000:
                connection.execute(insert(Person.__table__), people)
                connection.execute(insert(Lead.__table__), rows)
                people, rows = [], []
        if rows:
            connection.execute(insert(Person.__table__), people)
            connection.execute(insert(Lead.__table__), rows)
        if connection.dialect.name == "postgresql":
            # The ids above were given, so the sequences must be moved past them.
            for table in ("accounts", "people", "leads"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    store.close()
    print(f"built a store of {leads:,} leads in {time.perf_counter() - started:.0f} s: {path}")


def write_file(path: Path, rows: int, known: int) -> dict[str, int]:
    """The export: ~10% known by email, 3% by phone only, 2% by name at their company, 2% with
    no usable email or phone, the rest new people at new or existing companies."""
    rng = random.Random(11)
    mix = {"email": 0, "phone": 0, "name": 0, "unusable": 0, "new": 0}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["First Name", "Last Name", "Email", "Phone", "Company", "Title", "Lead Source",
             "Created Date", "Country", "Description", "Lead ID"]
        )  # fmt: skip
        for number in range(rows):
            roll = rng.random()
            person = rng.randint(1, known)
            first, last = FIRST[person % 10], f"{LAST[(person // 10) % 10]}{person}"
            company = f"Company {person // 4 or 1} Inc"
            email, phone = _email(person), f"(212) {200 + person % 700}-{number % 10000:04d}"
            if roll < 0.10:
                mix["email"] += 1
            elif roll < 0.13:
                mix["phone"] += 1
                email, phone = "", _phone(person)
            elif roll < 0.15:
                mix["name"] += 1
                email, phone = f"{first}.{number}@mail.example", f"+1415{5000000 + number:07d}"
            elif roll < 0.17:
                mix["unusable"] += 1
                email, phone = "not an email", "12"
            else:
                mix["new"] += 1
                new = known + number + 1
                first, last = FIRST[new % 10], f"{LAST[number % 10]}x{number}"
                company = f"New Company {number // 3}" if roll < 0.7 else company
                email = f"n{number}@new{number // 3}.example"
                phone = f"+1303{3000000 + number:07d}"
            writer.writerow(
                [first, last, email, phone, company, rng.choice(("VP Sales", "IT Manager", "")),
                 rng.choice(("Web form", "Webinar", "Trade show")),
                 f"2026-11-{1 + number % 17:02d} {number % 24:02d}:{number % 60:02d}",
                 rng.choice(("US", "United States", "")),
                 rng.choice(("Pricing request", "Demo please", "")), f"00Q{number:09d}"]
            )  # fmt: skip
    return mix


def _cpu_seconds() -> tuple[float, float]:
    """User + system CPU time of this process and of its finished child processes."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f}"


def _floor(job: Job) -> Floor:
    floor = measure_floor(job)
    print(
        f"floor    {floor.rows:,} rows read and cleaned in {floor.seconds:5.2f} s = "
        f"{floor.rows / floor.seconds:7,.0f} rows/s on {floor.workers} workers, nothing written "
        f"[{_load()}]; CPU {floor.cpu_here:.1f} s reading + {floor.cpu_workers:.1f} s cleaning; "
        f"largest child so far {floor.peak_worker_mb:.0f} MB"
    )
    return floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--store-leads", type=int, default=1_000_000)
    parser.add_argument("--base", type=Path, help="base store to copy (built when missing)")
    parser.add_argument(
        "--only", choices=("dry-run", "import"), help="time one of the two (memory per kind)"
    )
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_only:
        build_base(args.postgres or args.base, args.store_leads)
        return 0

    # The export and the store copy go beside the base store (it may sit on a roomier disk).
    work = args.base.parent if args.base else Path(tempfile.gettempdir()) / "leaddesk-bench-intake"
    work.mkdir(parents=True, exist_ok=True)
    base = args.base or work / f"base-{args.store_leads}.sqlite3"
    store_copy: Path | str
    if args.postgres:
        store_copy = args.postgres
        with open_store(store_copy).reading() as session:
            missing = not session.scalar(select(func.count()).select_from(Lead))
    else:
        store_copy = work / "store.sqlite3"
        missing = not base.exists()
    if missing:
        # In a child process, so this process's peak memory is the import's alone.
        subprocess.run(
            [sys.executable, __file__, "--build-only", "--base", str(base),
             "--store-leads", str(args.store_leads)]
            + (["--postgres", args.postgres] if args.postgres else []),
            check=True,
        )  # fmt: skip
    export = work / f"export-{args.rows}.csv"
    mix = write_file(export, args.rows, args.store_leads)
    size = export.stat().st_size / 1e6
    print(f"file: {args.rows:,} rows, {size:.1f} MB; planted: {mix}")
    if not args.postgres:
        for leftover in work.glob("store.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(base, store_copy)
    with open_store(store_copy).reading() as session:
        held = session.scalar(select(func.count()).select_from(Lead))
    print(f"store: {held:,} leads")

    job = job_for(store_copy, export, "bench")  # opens the copy: brings it up to date
    # The store as the import meets it, for the store's floor afterwards (SQLite).
    before = work / "before-import.sqlite3"
    marked = None
    if not args.postgres and args.only != "dry-run":
        shutil.copyfile(store_copy, before)
        marked = marks(before)
    floors = [_floor(job)]
    clock = FixedClock(ANCHOR)
    walls: dict[str, float] = {}
    needs: dict[str, float] = {}
    cores = os.cpu_count() or 1
    with open_desk(store_copy, "lead1", clock=clock) as desk:
        kinds = {"dry-run": (True,), "import": (False,), None: (True, False)}[args.only]
        for dry_run in kinds:
            cpu_before = _cpu_seconds()
            started = time.perf_counter()
            summary = desk.intake.import_file(export, dry_run=dry_run, source="bench")
            took = time.perf_counter() - started
            here, helper = (
                after - before for after, before in zip(_cpu_seconds(), cpu_before, strict=True)
            )
            counts = summary.counts
            label = "dry run" if dry_run else "import"
            walls[label] = took
            # On the machine's cores the import cannot beat the busier of: the process that
            # checks and writes, and all its work shared out.
            needs[label] = max(here, (here + helper) / cores)
            print(
                f"{label:<8} {counts.rows:,} rows in {took:5.1f} s = "
                f"{counts.rows / took:7,.0f} rows/s  [{_load()}]"
                f"  created {counts.created:,}, merged {counts.merged:,}, attached "
                f"{counts.attached:,}, existing account {counts.existing_account:,}, invalid "
                f"{counts.invalid:,}"
            )
            # The work in CPU time: what more cores could share, and what two cores cannot.
            print(
                f"{'':<8} CPU {here:.1f} s in this process + {helper:.1f} s in the cleaning "
                f"helper = {here + helper:.1f} s on {os.cpu_count()} cores"
            )
            if args.postgres and summary.run_id is not None:
                desk.intake.undo(summary.run_id)  # the same store for the next run
    floors.append(_floor(job))
    floor = sum(f.seconds for f in floors) / len(floors)
    # By CPU time, which other work on a shared machine moves much less than the wall.
    floor_needs = sum(f.cpu_here + f.cpu_workers for f in floors) / len(floors) / cores
    for label, took in walls.items():
        print(
            f"{label:<8} wall {took:.2f} s / floor {floor:.2f} s = {took / floor:.2f} x the floor;"
            f" by CPU {needs[label]:.1f} s / {floor_needs:.1f} s = "
            f"{needs[label] / floor_needs:.2f} x"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {peak:.0f} MB (this process), {helper:.0f} MB (the largest child: the "
        "cleaning helper or a floor worker)"
    )
    if marked is not None:
        _least_import(store_copy, before, marked, floor, floor_needs * cores, cores)
    return 0


def _least_import(
    after: Path, before: Path, marked: dict[str, int], floor: float, cleaning: float, cores: int
) -> None:
    """The store's floor (intake_store_floor.py) and the least an import of the file can take
    on this machine's cores: the clean-up floor's CPU and the store floor's, shared out
    perfectly. By CPU, that least is (clean-up + store) / clean-up times the floor, whatever
    else the machine is doing; the floor's own wall is its CPU shared on the same cores."""
    added = added_rows(after, before, marked)
    tables = ", ".join(f"{table.table} {len(table.rows):,}" for table in added)
    print(f"the import's new rows: {tables}")
    copy = before.with_name("store-floor.sqlite3")
    try:
        for bare in (False, True):
            shutil.copyfile(before, copy)
            prepare(copy, bare=bare)
            written = write_again(copy, added)
            least = (cleaning + written.cpu) / cores
            kept = "bare tables" if bare else "the store's indexes"
            print(
                f"store floor ({kept}): {written.rows:,} rows written again by raw sqlite3,"
                f" one executemany a table, one commit, no triggers: {written.seconds:.2f} s,"
                f" CPU {written.cpu:.1f} s [{_load()}]"
            )
            print(
                f"{'':<8} least import on {cores} cores = (clean-up floor CPU {cleaning:.1f} s +"
                f" store floor CPU {written.cpu:.1f} s) / {cores} = {least:.2f} s: by CPU"
                f" {(cleaning + written.cpu) / cleaning:.2f} x the floor"
                f" ({least / floor:.2f} x its wall in this run)"
            )
            # A lead cannot be imported without its row, its person's and a new company's.
            needed = sum(written.cpu_by_table.get(t, 0.0) for t in ("leads", "people", "accounts"))
            shares = ", ".join(f"{t} {cpu:.2f}" for t, cpu in written.cpu_by_table.items())
            print(
                f"{'':<8} CPU by table: {shares} s; leads, people and accounts alone"
                f" {needed:.1f} s: by CPU {(cleaning + needed) / cleaning:.2f} x the floor"
            )
    finally:
        for path in (copy, before):
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()


if __name__ == "__main__":
    sys.exit(main())

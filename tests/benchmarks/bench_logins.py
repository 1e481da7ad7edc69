"""Database logins on a team database: one ``set_database_login`` beside its floor.

Run: python tests/benchmarks/bench_logins.py --postgres URL [--logins 20] [--rounds 3]

URL names a database the benchmark may empty (its public schema is dropped and made again). A
store is made there with an admin and the users, and the logins are made one call at a time,
each beside its floor: the same login made in raw psycopg (CREATE ROLE … LOGIN PASSWORD, GRANT
of the role's group, one transaction), taking turns call by call. Also timed: re-applying every
group's rights (what each login cost before the grants were fingerprinted), and the same number
of logins made by one ``set_database_logins`` call. The logins are dropped at the end. Prints
wall milliseconds and the ratio of medians; asserts no time.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, text

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.store import grants


def _ms(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds) * 1000:.1f} ms (min {min(seconds) * 1000:.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True, help="a database to empty")
    parser.add_argument("--logins", type=int, default=20, help="logins a round (default 20)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    url = args.postgres.replace("postgresql+psycopg://", "postgresql://", 1)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    clock = FixedClock(datetime.now(UTC))
    tag = uuid.uuid4().hex[:6]
    made: list[str] = []
    with setup_desk(url, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
    try:
        with open_desk(url, "admin", clock=clock) as desk:
            database = str(desk.store.url.database)
            group = sql.Identifier(grants.group_name(database, Role.QUALIFIER))
            desk.admin.set_database_login("admin", "pw-admin-1")  # the groups and rights
            made.append("admin")
            with psycopg.connect(url, autocommit=True) as floor:
                for round_number in range(1, args.rounds + 1):
                    app: list[float] = []
                    raw: list[float] = []
                    for i in range(args.logins):
                        name = f"bench-{tag}-{round_number}-{i}"
                        desk.people.add(name, Role.QUALIFIER)
                        started = time.perf_counter()
                        desk.admin.set_database_login(name, "pw-bench-1")
                        app.append(time.perf_counter() - started)
                        made.append(name)
                        other = f"floor-{tag}-{round_number}-{i}"
                        started = time.perf_counter()
                        with floor.transaction():
                            floor.execute(
                                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                                    sql.Identifier(other), sql.Literal("pw-bench-1")
                                )
                            )
                            floor.execute(
                                sql.SQL("GRANT {} TO {}").format(group, sql.Identifier(other))
                            )
                        raw.append(time.perf_counter() - started)
                        made.append(other)
                    ratio = statistics.median(app) / statistics.median(raw)
                    print(
                        f"round {round_number}: set_database_login {_ms(app)}; "
                        f"floor {_ms(raw)}; {ratio:.1f}x"
                    )
                every: list[float] = []
                for _ in range(3):
                    with desk.store.transaction() as session:
                        started = time.perf_counter()
                        grants.apply_grants(session.connection())
                        every.append(time.perf_counter() - started)
                print(f"every group's rights applied again (the old cost of a login): {_ms(every)}")
                names = [f"bench-{tag}-many-{i}" for i in range(args.logins)]
                for name in names:
                    desk.people.add(name, Role.QUALIFIER)
                started = time.perf_counter()
                many = getattr(desk.admin, "set_database_logins", None)
                if many is None:  # before it existed: one call each
                    for name in names:
                        desk.admin.set_database_login(name, "pw-bench-1")
                else:
                    many(dict.fromkeys(names, "pw-bench-1"))
                took = time.perf_counter() - started
                made.extend(names)
                print(
                    f"set_database_logins of {args.logins} at once: {took * 1000:.0f} ms "
                    f"({took * 1000 / args.logins:.1f} ms a login)"
                )
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            for name in made:
                connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

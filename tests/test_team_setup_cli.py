"""`leaddesk team setup`: a team's PostgreSQL store from nothing, against the real server.

Each test makes a database of its own (and logins of its own) and drops them afterwards:
logins belong to the whole server.
"""

from __future__ import annotations

import getpass
import io
import json
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL

from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.errors import LeadDeskError, NotPermitted
from leaddesk.store import team_server
from tests.cli_in_process import RunCli

PG_ENV = "LEADDESK_TEST_POSTGRES_URL"


@dataclass
class Server:
    base: URL  # the test server's URL, on the postgres database
    database: str  # the team database this test may make
    admin: str
    rep: str
    owner: str  # a login of the test's own, for owners with fewer rights

    def owner_url(self, host: str | None = None, query: str = "") -> str:
        url = self.base.set(database=self.database, host=host or self.base.host)
        return url.render_as_string(hide_password=False).replace("+psycopg", "") + query

    def login_url(self, name: str, password: str) -> str:
        url = make_url(self.owner_url()).set(username=name, password=password)
        return url.render_as_string(hide_password=False)

    def database_exists(self) -> bool:
        engine = create_engine(self.base)
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": self.database}
            ).scalar()
        engine.dispose()
        return found is not None


@pytest.fixture
def server() -> Iterator[Server]:
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(f"no PostgreSQL configured: set {PG_ENV} (.ci/run does)")
    given = make_url(raw.replace("postgresql://", "postgresql+psycopg://", 1))
    tag = uuid.uuid4().hex[:8]
    found = Server(
        base=given.set(database="postgres"),
        database=f"{given.database}_{tag}",
        admin=f"boss_{tag}",
        rep=f"rep_{tag}",
        owner=f"owner_{tag}",
    )
    try:
        yield found
    finally:
        engine = create_engine(found.base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{found.database}" WITH (FORCE)'))
            groups = [f"leaddesk_{found.database}_{role.value}" for role in Role]
            for name in (found.admin, found.rep, *groups, found.owner):
                connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        engine.dispose()


def password_file(tmp_path: Path, password: str) -> str:
    path = tmp_path / f"pw-{uuid.uuid4().hex[:6]}"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def test_team_setup_makes_a_store_whose_admin_and_reps_work_through_their_own_logins(
    server: Server, tmp_path: Path, run_cli: RunCli
) -> None:
    admin_pw = password_file(tmp_path, "admin-secret-1")
    code, out, err = run_cli(
        "team",
        "setup",
        server.owner_url(),
        "--admin",
        server.admin,
        "--admin-password-file",
        admin_pw,
    )
    assert (code, err) == (0, "")
    assert f"Database {server.database} on" in out and "created" in out
    assert f"First admin {server.admin} added, with a database login" in out
    rep_line = f'leaddesk --db "postgresql://REP@{server.base.host}:{server.base.port}/'
    assert rep_line + f'{server.database}" gui' in out
    assert f"users add REP --role qualifier --as {server.admin}" in out
    assert f":{server.base.password}@" not in out and "admin-secret-1" not in out

    # The admin, through their own login, adds a rep; the owner gives the rep a login.
    with open_desk(server.login_url(server.admin, "admin-secret-1"), server.admin) as desk:
        assert desk.actor.role is Role.ADMIN
        desk.people.add(server.rep, Role.QUALIFIER)
    rep_pw = password_file(tmp_path, "rep-secret-22")
    code, out, err = run_cli(
        "--db",
        server.owner_url(),
        "users",
        "login",
        server.rep,
        "--as",
        server.admin,
        "--password-file",
        rep_pw,
    )
    assert (code, err) == (0, "")

    with open_desk(server.login_url(server.rep, "rep-secret-22"), server.rep) as desk:
        assert desk.actor.role is Role.QUALIFIER
        assert desk.queue.next() is None  # a new store: nothing to call yet
        with pytest.raises(NotPermitted):
            desk.people.add("someone", Role.ADMIN)


def test_team_setup_run_twice_says_what_exists_and_keeps_the_admins_password(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_cli: RunCli,
) -> None:
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return "first-password"

    monkeypatch.setattr(getpass, "getpass", answer)
    setup = ["team", "setup", server.owner_url(), "--admin", server.admin]
    assert run_cli(*setup, stdin=_Terminal())[0] == 0
    assert len(asked) == 2  # the password, and again

    code, out, err = run_cli(*setup, "--admin-password-file", password_file(tmp_path, "x" * 9))
    assert (code, err) == (0, "")
    assert "there already" in out
    assert f"Admin {server.admin} and their database login were there already" in out
    assert len(asked) == 2  # not asked again
    code, out, _err = run_cli(*setup, "--json")
    said = json.loads(out)
    assert code == 0 and said["database_made"] is False and said["login_made"] is False
    assert said["rep_url"].startswith("postgresql://REP@") and "first-password" not in out
    with open_desk(server.login_url(server.admin, "first-password"), server.admin) as desk:
        assert [u.name for u in desk.people.users()] == [server.admin]
    with pytest.raises(LeadDeskError):
        open_desk(server.login_url(server.admin, "x" * 9), server.admin).close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_team_setup_names_an_admin_the_store_has_when_another_is_given(
    server: Server, tmp_path: Path, run_cli: RunCli
) -> None:
    pw = password_file(tmp_path, "admin-secret-1")
    setup = ["team", "setup", server.owner_url(), "--admin-password-file", pw]
    assert run_cli(*setup, "--admin", server.admin)[0] == 0
    code, out, err = run_cli(*setup, "--admin", server.rep)
    assert code == 2 and out == ""
    assert f"{server.rep} is not one of its admins" in err
    assert f"--admin {server.admin}" in err


def test_team_setup_refuses_an_unencrypted_connection_off_this_machine_unless_local(
    server: Server, tmp_path: Path, run_cli: RunCli
) -> None:
    pw = password_file(tmp_path, "admin-secret-1")
    admin = ["--admin", server.admin, "--admin-password-file", pw]
    remote = server.owner_url(host="192.0.2.10", query="?sslmode=disable")
    code, out, err = run_cli("team", "setup", remote, *admin)
    assert code == 2 and out == ""
    assert "sslmode=disable" in err and "--local" in err and "Traceback" not in err

    # A name (not a loopback address) for this machine reaches a server without TLS.
    name = socket.gethostname()
    try:
        loops_back = socket.gethostbyname(name).startswith("127.")
    except OSError:
        loops_back = False
    if not loops_back or team_server.is_local(make_url(f"postgresql://x@{name}/db")):
        pytest.skip(f"this machine's name {name} is no loopback alias")
    named = server.owner_url(host=name)
    code, out, err = run_cli("team", "setup", named, *admin)
    assert code == 2
    assert "does not answer encrypted (TLS) connections" in err
    assert not server.database_exists()
    code, out, err = run_cli("team", "setup", named, *admin, "--local")
    assert (code, err) == (0, "")
    assert f"postgresql://REP@{name}:" in out and "sslmode" not in out


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url", "Not a database URL"),
        ("mysql://owner@db.example/team", "must start with postgresql://"),
        ("postgresql://owner@db.example:5432/", "names no database"),
        ("postgresql://owner@db.example:5432/postgres", "the server's own database"),
    ],
)
def test_team_setup_explains_a_url_it_cannot_use(url: str, said: str, run_cli: RunCli) -> None:
    code, out, err = run_cli("team", "setup", url, "--admin-password-file", "/nonexistent")
    assert code == 2 and out == ""
    assert said in err and len(err.splitlines()) == 1


def test_team_setup_explains_a_wrong_password_or_an_unreachable_server(
    server: Server, tmp_path: Path, run_cli: RunCli
) -> None:
    pw = password_file(tmp_path, "admin-secret-1")
    wrong = make_url(server.owner_url()).set(password="not-the-password")
    code, _out, err = run_cli(
        "team",
        "setup",
        wrong.render_as_string(hide_password=False),
        "--admin",
        server.admin,
        "--admin-password-file",
        pw,
    )
    assert code == 2 and "refused the login" in err and "wrong or missing password" in err
    assert "not-the-password" not in err

    closed = make_url(server.owner_url()).set(port=1)
    code, _out, err = run_cli(
        "team",
        "setup",
        closed.render_as_string(hide_password=False),
        "--admin",
        server.admin,
        "--admin-password-file",
        pw,
    )
    assert code == 2 and "Cannot reach the PostgreSQL server" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not server.database_exists()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("postgresql://owner@localhost/team", True),
        ("postgresql://owner@127.0.0.1:5432/team", True),
        ("postgresql://owner@[::1]:5432/team", True),
        ("postgresql://owner@/team?host=/var/run/postgresql", True),
        ("postgresql://owner@db.example:5432/team", False),
        ("postgresql://owner@10.0.0.5/team", False),
    ],
)
def test_only_sockets_and_loopback_addresses_count_as_this_machine(url: str, local: bool) -> None:
    assert team_server.is_local(make_url(url)) is local


def test_a_url_handed_out_never_carries_the_password() -> None:
    url = make_url("postgresql+psycopg://owner:s3cret@db.example:5432/team?sslmode=require")
    shown = team_server.shown_url(url, "REP")
    assert shown == "postgresql://REP@db.example:5432/team?sslmode=require"


def test_an_owner_who_may_not_create_roles_is_told_before_anything_is_written(
    server: Server, tmp_path: Path, run_cli: RunCli
) -> None:
    engine = create_engine(server.base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE ROLE \"{server.owner}\" LOGIN PASSWORD 'owner-pw-1'"))
        connection.execute(text(f'CREATE DATABASE "{server.database}" OWNER "{server.owner}"'))
    engine.dispose()
    url = make_url(server.owner_url()).set(username=server.owner, password="owner-pw-1")
    code, out, err = run_cli(
        "team",
        "setup",
        url.render_as_string(hide_password=False),
        "--admin",
        server.admin,
        "--admin-password-file",
        password_file(tmp_path, "a" * 12),
    )
    assert code == 2 and out == ""
    assert f"{server.owner} may not create roles" in err and "CREATEROLE" in err
    team = create_engine(make_url(server.owner_url()).set(drivername="postgresql+psycopg"))
    with team.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar()
    team.dispose()
    assert tables == 0

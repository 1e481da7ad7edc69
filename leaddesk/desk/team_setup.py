"""A team's PostgreSQL store from nothing, in one command (``leaddesk team setup``): the
database, the schema and lead definition, the role groups, and the first admin with a
database login of their own. Safe to run again: what exists is said and left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leaddesk.clock import Clock, system_clock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError
from leaddesk.people import users as user_ops
from leaddesk.store import grants, open_store
from leaddesk.store import team_server as server
from leaddesk.store.migrations import current_revision

REP = "REP"  # the placeholder a team lead replaces with each person's user name


@dataclass(frozen=True)
class TeamSetup:
    """What ``team setup`` found and made, and the URLs the owner hands out."""

    server: str
    database: str
    database_made: bool
    schema: str | None
    groups: list[str]
    admin: str
    admin_added: bool
    login_made: bool
    owner_url: str  # never with a password
    admin_url: str
    rep_url: str

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "database": self.database,
            "database_made": self.database_made,
            "schema": self.schema,
            "groups": self.groups,
            "admin": self.admin,
            "admin_added": self.admin_added,
            "login_made": self.login_made,
            "owner_url": self.owner_url,
            "admin_url": self.admin_url,
            "rep_url": self.rep_url,
        }


def set_up_team(
    raw_url: str,
    *,
    admin: str,
    password: Callable[[], str],
    local: bool = False,
    clock: Clock = system_clock,
) -> TeamSetup:
    """Make (or finish making) the team store at ``raw_url``. ``password`` is asked only when
    the admin's database login is made now; an existing login keeps its password."""
    url = server.secure_url(server.parse_team_url(raw_url), local=local)
    if admin == url.username:
        raise InputError(
            f"The first admin cannot be the store's owner ({admin}): name a person who works "
            "in LeadDesk with --admin NAME."
        )
    made = server.ensure_database(url)
    server.require_role_rights(url)
    login = server.login_state(url, admin)
    if login == "other":
        raise InputError(
            f"A database login named {admin} already exists on this server for something "
            "else; name the first admin otherwise with --admin NAME."
        )
    location = url.render_as_string(hide_password=False)
    store = open_store(location)  # the schema, made or brought up to date
    try:
        schema = current_revision(store)
        with store.reading() as session:
            known = {user.name: user for user in user_ops.list_users(session)}
    finally:
        store.close()
    added = not known
    if added:
        with setup_desk(location, clock=clock) as setup:
            setup.admin.prepare_store()
            setup.people.add(admin, Role.ADMIN)
    elif admin not in known or known[admin].role is not Role.ADMIN:
        admins = sorted(name for name, user in known.items() if user.role is Role.ADMIN)
        raise InputError(
            f"This store has users already and {admin} is not one of its admins; run team "
            f"setup again with --admin {admins[0] if admins else 'NAME'}."
        )
    with open_desk(location, admin, clock=clock) as desk:
        desk.admin.prepare_store()
        login_made = False
        if login == "none":
            login_made = desk.admin.set_database_login(admin, password())
        with desk.store.transaction() as session:
            grants.bring_grants_up_to_date(session.connection())
            groups = list(grants.login_groups(session.connection()).values())
    return TeamSetup(
        server=f"{url.host or 'localhost'}:{url.port or 5432}",
        database=url.database or "",
        database_made=made,
        schema=schema,
        groups=groups,
        admin=admin,
        admin_added=added,
        login_made=login_made,
        owner_url=server.shown_url(url, url.username),
        admin_url=server.shown_url(url, admin),
        rep_url=server.shown_url(url, REP),
    )

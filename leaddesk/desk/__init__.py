"""The desk: one object per open store and acting user, through which every operation goes.

Permissions and the audit trail live here, so there is no path around them. Each method
runs in its own short transaction; the desk holds no session between calls. The operations
sit in sub-facades over one shared context, named after what users do: ``desk.queue``,
``desk.calls``, ``desk.qualifying``, ``desk.intake``, ``desk.handoff``, ``desk.meetings``,
``desk.sync``,
``desk.privacy``, ``desk.team``, ``desk.people`` and ``desk.admin`` (docs/architecture.md §3).
"""

from __future__ import annotations

import os
import shlex
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from leaddesk.clock import Clock, system_clock
from leaddesk.desk import views
from leaddesk.errors import InputError, NotPermitted

# A command imports only what it runs: the sub-facades are built on first use and the words of
# views.py are loaded when asked for, so `leaddesk --version` loads no room of the core and
# `leaddesk queue` only the queue's (issue #24).
if TYPE_CHECKING:
    from leaddesk.desk.admin import Admin
    from leaddesk.desk.calls import Calls
    from leaddesk.desk.context import Actor
    from leaddesk.desk.handoff import Handoff
    from leaddesk.desk.intake import Intake
    from leaddesk.desk.meetings import Meetings
    from leaddesk.desk.people import People
    from leaddesk.desk.privacy import Privacy
    from leaddesk.desk.qualifying import Qualifying
    from leaddesk.desk.queue import Queue
    from leaddesk.desk.sync import Sync
    from leaddesk.desk.team import Team
    from leaddesk.desk.views import *  # noqa: F403  (the front ends' words, in views.WHERE)
    from leaddesk.people.permissions import Action
    from leaddesk.sign_in import passwords, windows
    from leaddesk.store import Store

__all__ = ["Desk", "check_store_writable", "open_desk", "setup_desk"]
if not TYPE_CHECKING:  # mypy reads the words from the star import above
    __all__ += views.__all__

    def __getattr__(name: str) -> object:
        if name not in views.WHERE:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = views.load(name)
        globals()[name] = value
        return value


class Desk:
    """The open store and who is acting; every operation is on one of its sub-facades."""

    def __init__(
        self,
        store: Store,
        actor: Actor,
        clock: Clock = system_clock,
        *,
        setup_locked: bool = False,
    ) -> None:
        from leaddesk.desk.context import DeskContext

        self._ctx = DeskContext(store, actor, clock, setup_locked=setup_locked)

    @cached_property
    def queue(self) -> Queue:
        from leaddesk.desk.queue import Queue

        return Queue(self._ctx)

    @cached_property
    def calls(self) -> Calls:
        from leaddesk.desk.calls import Calls

        return Calls(self._ctx)

    @cached_property
    def qualifying(self) -> Qualifying:
        from leaddesk.desk.qualifying import Qualifying

        return Qualifying(self._ctx)

    @cached_property
    def intake(self) -> Intake:
        from leaddesk.desk.intake import Intake

        return Intake(self._ctx)

    @cached_property
    def handoff(self) -> Handoff:
        from leaddesk.desk.handoff import Handoff

        return Handoff(self._ctx)

    @cached_property
    def meetings(self) -> Meetings:
        from leaddesk.desk.meetings import Meetings

        return Meetings(self._ctx)

    @cached_property
    def sync(self) -> Sync:
        from leaddesk.desk.sync import Sync

        return Sync(self._ctx)

    @cached_property
    def privacy(self) -> Privacy:
        from leaddesk.desk.privacy import Privacy

        return Privacy(self._ctx)

    @cached_property
    def team(self) -> Team:
        from leaddesk.desk.team import Team

        return Team(self._ctx)

    @cached_property
    def people(self) -> People:
        from leaddesk.desk.people import People

        return People(self._ctx)

    @cached_property
    def admin(self) -> Admin:
        from leaddesk.desk.admin import Admin

        return Admin(self._ctx)

    @property
    def store(self) -> Store:
        return self._ctx.store

    @property
    def actor(self) -> Actor:
        return self._ctx.actor

    @property
    def clock(self) -> Clock:
        return self._ctx.clock

    @property
    def setup_locked(self) -> bool:
        return self._ctx.setup_locked

    @property
    def window(self) -> windows.ThisWindow | None:
        """This person's one window on the store, once ``people.claim_window`` holds it."""
        return self._ctx.window

    def __enter__(self) -> Desk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self._ctx.window is not None:
                self.people.close_window()
        finally:
            self._ctx.store.close()

    def can(self, action: Action) -> bool:
        return self._ctx.can(action)

    def require(self, action: Action) -> None:
        self._ctx.require(action)


def open_desk(
    location: str | os.PathLike[str] | None,
    as_user: str,
    *,
    clock: Clock = system_clock,
    create: bool = False,
    password: passwords.PasswordAsk | None = None,
) -> Desk:
    """Open the store at ``location`` as the named user; unknown or inactive users are refused.

    On a store with passwords the user's own is asked for through ``password``, unless the
    connection's database login already is that user (a team database: no second sign-in).
    """
    from leaddesk.desk.context import Actor
    from leaddesk.people import users as user_ops
    from leaddesk.sign_in import passwords
    from leaddesk.store import grants, open_store
    from leaddesk.store.database import is_new_local_store

    new_path = is_new_local_store(location) if create else None
    if new_path is not None:
        # A store not made yet has no users: say so, and leave no empty file behind.
        db = shlex.quote(str(new_path))
        raise InputError(
            f"No store at {new_path} yet, so no user '{as_user}' in it. Make one with demo "
            f"data: leaddesk --db {db} demo, or an empty one: leaddesk --db {db} init, then "
            f"leaddesk --db {db} users add NAME --role ROLE"
        )
    store = open_store(location, create=create)
    try:
        with store.reading() as session:
            user = user_ops.find_user(session, as_user)
            if not user.active:
                raise NotPermitted(f"{user.name} is deactivated; ask your team lead.")
            login = grants.login_user(session.connection())
            if login is not None and login != user.name:
                raise NotPermitted(
                    f"You are signed in to the team database as {login}; LeadDesk acts as "
                    f"{login} only on this connection, not as {user.name}."
                )
            if login is None:
                passwords.sign_in(session, user, password, store.label)
            actor = Actor(user.id, user.name, user.role, user.display_name)
    except BaseException:
        store.close()
        raise
    return Desk(store, actor, clock)


def check_store_writable(location: str | os.PathLike[str] | None) -> None:
    """The window's check before it opens: a store this user cannot write is refused with
    what to do (the command line still reads it; its writes are refused one by one)."""
    from leaddesk.store.database import require_writable

    require_writable(location)


def setup_desk(
    location: str | os.PathLike[str] | None,
    *,
    clock: Clock = system_clock,
    create: bool = True,
) -> Desk:
    """The store owner's desk for setting up a local store (init, first users, demo data).

    Whoever holds a local SQLite file owns it anyway. On a team server there is no such
    owner: name an admin or team lead instead.
    """
    from leaddesk.desk.context import SETUP_ACTOR
    from leaddesk.people import users as user_ops
    from leaddesk.sign_in import passwords
    from leaddesk.store import open_store

    store = open_store(location, create=create)
    try:
        with store.reading() as session:
            has_users = user_ops.count_users(session) > 0
            locked = passwords.passwords_on(session)
            # Restored from a backup (no hashes): the owner may set an admin's password.
            set_again = locked and passwords.admin_must_set_again(session)
    except BaseException:
        store.close()
        raise
    if has_users and not store.is_sqlite and not set_again:
        store.close()
        raise NotPermitted(
            "On a team database, name who is acting with --as (an admin or team lead)."
        )
    return Desk(store, SETUP_ACTOR, clock, setup_locked=locked)

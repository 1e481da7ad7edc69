"""The desk: one object per open store and acting user, through which every operation goes.

Permissions and the audit trail live here, so there is no path around them. Each method
runs in its own short transaction; the desk holds no session between calls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import TracebackType

from leaddesk import lead_file as lead_files
from leaddesk import day_summary, notes
from leaddesk import leads as lead_reads
from leaddesk import users as user_ops
from leaddesk.clock import Clock, system_clock
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.permissions import Action, can, require
from leaddesk.store import Store, open_store


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``id`` is None for the store's owner setting up a local store."""

    id: int | None
    name: str
    role: Role
    display_name: str

    @property
    def is_setup(self) -> bool:
        return self.id is None


SETUP_ACTOR = Actor(id=None, name="setup", role=Role.ADMIN, display_name="Store setup")


class Desk:
    def __init__(self, store: Store, actor: Actor, clock: Clock = system_clock) -> None:
        self.store = store
        self.actor = actor
        self.clock = clock

    # -- plumbing -------------------------------------------------------------------------

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
        self.store.close()

    def can(self, action: Action) -> bool:
        return can(self.actor.role, action)

    def require(self, action: Action) -> None:
        require(self.actor.role, action, self.actor.name)

    # -- users ----------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: Role,
        *,
        capacity: int = user_ops.DEFAULT_CAPACITY,
        display_name: str | None = None,
        territories: tuple[str, ...] = (),
    ) -> user_ops.UserInfo:
        self.require(Action.MANAGE_USERS)
        if role is Role.ADMIN and self.actor.role is not Role.ADMIN:
            raise NotPermitted(f"{self.actor.name} cannot make admins; ask an admin.")
        with self.store.transaction() as session:
            return user_ops.add_user(
                session,
                name=name,
                role=role,
                at=self.clock(),
                actor_id=self.actor.id,
                capacity=capacity,
                display_name=display_name,
                territories=territories,
            )

    def users(self) -> list[user_ops.UserInfo]:
        with self.store.reading() as session:
            return user_ops.list_users(session)

    # -- reading leads ----------------------------------------------------------------------

    def my_open_leads(self, *, limit: int = 50, offset: int = 0) -> list[lead_reads.LeadSummary]:
        """The acting rep's open leads, newest interest first, one page at a time."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_reads.my_open_leads(session, self.actor.id, limit=limit, offset=offset)

    def count_my_open_leads(self) -> int:
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_reads.count_my_open_leads(session, self.actor.id)


    # -- the lead pane and notes -----------------------------------------------------------

    def lead_file(self, lead_id: int) -> lead_files.LeadFile:
        """Person, account, this interest, earlier leads and the timeline, in one read."""
        if not (self.can(Action.WORK_QUEUE) or self.can(Action.READ_HANDOFFS)):
            self.require(Action.WORK_QUEUE)
        with self.store.reading() as session:
            return lead_files.read_lead_file(session, lead_id)

    def save_note(self, lead_id: int, text: str, note_id: int | None = None) -> int:
        """Saved as typed (the window debounces); returns the note id to pass next time."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        with self.store.transaction() as session:
            return notes.save_note(
                session,
                lead_id=lead_id,
                text=text,
                user_id=self.actor.id,
                at=self.clock(),
                note_id=note_id,
            )

    def my_day(self, zone: str = "UTC") -> day_summary.DaySummary:
        """Today's calls, connects, verdicts by type and SLA breaches, for the status bar."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return day_summary.summarise_day(
                session, user_id=self.actor.id, now=self.clock(), zone=zone
            )


def open_desk(
    location: str | os.PathLike[str] | None,
    as_user: str,
    *,
    clock: Clock = system_clock,
    create: bool = False,
) -> Desk:
    """Open the store at ``location`` as the named user; unknown or inactive users are refused."""
    store = open_store(location, create=create)
    try:
        with store.reading() as session:
            user = user_ops.find_user(session, as_user)
            if not user.active:
                raise NotPermitted(f"{user.name} is deactivated; ask your team lead.")
            actor = Actor(user.id, user.name, user.role, user.display_name)
    except BaseException:
        store.close()
        raise
    return Desk(store, actor, clock)


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
    store = open_store(location, create=create)
    if not store.is_sqlite:
        with store.reading() as session:
            has_users = user_ops.count_users(session) > 0
        if has_users:
            store.close()
            raise NotPermitted(
                "On a team database, name who is acting with --as (an admin or team lead)."
            )
    return Desk(store, SETUP_ACTOR, clock)

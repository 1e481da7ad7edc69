"""What every part of the desk shares: the open store, who is acting, the clock, the window.

The sub-facades (``desk.queue``, ``desk.calls``...) each hold this one context, as Anki's
collection managers hold the collection (docs/architecture.md §3).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.calling.day_kept import DayKept
from leaddesk.clock import Clock, system_clock
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.people.permissions import Action, can, require
from leaddesk.sign_in import windows
from leaddesk.store import Store
from leaddesk.store.claim_sql import lease_transaction
from leaddesk.store.driver_statements import InTransaction

SIGN_IN_NEEDED = "This store has passwords: name who is acting with --as USER and sign in."


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


@dataclass
class Audit:
    """The audit event a write records as its block ends, in the same transaction. The block
    may still fill it in (``details``, or ``action`` when it depends on what happened)."""

    action: AuditAction
    subject: str
    details: dict[str, object] = field(default_factory=dict)
    at: datetime | None = None  # when the work was done, if not when the block ends


class _RollBack(Exception):
    """Ends a dry run's transaction without committing it."""


class DeskContext:
    """The open store, the acting user and the clock, with the permission checks on them."""

    def __init__(
        self,
        store: Store,
        actor: Actor,
        clock: Clock = system_clock,
        *,
        setup_locked: bool = False,
    ) -> None:
        self.store = store
        self.actor = actor
        self.clock = clock
        # The store owner's setup desk on a store with passwords: it may list users (the
        # sign-in window needs that) but do nothing else; the acting user must sign in.
        self.setup_locked = setup_locked
        self.window: windows.ThisWindow | None = None
        # The acting rep's day, counted once and kept up to date by the calls and verdicts
        # written through this desk (the status bar reads it after every call).
        self.day = DayKept()

    def can(self, action: Action) -> bool:
        return not self.setup_locked and can(self.actor.role, action)

    def require(self, action: Action) -> None:
        if self.setup_locked:
            raise NotPermitted(SIGN_IN_NEEDED)
        require(self.actor.role, action, self.actor.name)

    def require_any(self, *actions: Action) -> None:
        """Permitted if any of ``actions`` is; else refused, naming the first."""
        if not any(self.can(action) for action in actions):
            self.require(actions[0])

    @property
    def user_id(self) -> int:
        """The acting user's id, for an operation only a signed-in user can be permitted
        (the store's setup desk has none); ask after the permission check."""
        assert self.actor.id is not None, "a signed-in user's operation"
        return self.actor.id

    @contextmanager
    def write(
        self,
        action: Action | None,
        *,
        audit: Audit | None = None,
        lease: bool = False,
        rollback: bool = False,
    ) -> Iterator[Session]:
        """Every write of the desk: ``action`` checked (None: the method checks who may, or
        anyone signed in may), then one
        transaction, committed when the block ends with ``audit`` recorded in it.

        ``lease``: the claims' own fast transaction (leaddesk/queue/claims.py);
        ``rollback``: a dry run, worked out in full and then rolled back.
        """
        if action is not None:
            self.require(action)
        try:
            with lease_transaction(self.store) if lease else self.store.transaction() as session:
                yield session
                if audit is not None:
                    self._record(session, audit)
                if rollback:
                    raise _RollBack
        except _RollBack:
            pass

    @contextmanager
    def read(self, action: Action | None) -> Iterator[Session]:
        """Every read of the desk: ``action`` checked (None: the method checks who may, or
        anyone signed in may), then a read-only snapshot."""
        if action is not None:
            self.require(action)
        with self.store.reading() as session:
            yield session

    @contextmanager
    def read_rows(self, action: Action | None) -> Iterator[InTransaction]:
        """``read`` for the quick reads a rep waits on, such as finding a lead by its e-mail
        or phone, and the queue page: driver statements only
        (leaddesk/store/driver_statements.py), no Session."""
        if action is not None:
            self.require(action)
        with self.store.quick_reading() as connection:
            yield connection

    def store_for(self, action: Action) -> Store:
        """The store, once ``action`` is permitted, for work that runs its own transactions
        (an import's chunks, an export's steps, a backup's copy)."""
        self.require(action)
        return self.store

    def record(self, event: Audit) -> None:
        """An audit event in a transaction of its own, for work done outside the store."""
        with self.write(None, audit=event):
            pass

    def record_in(self, session: Session, event: Audit) -> None:
        """One more audit event in a write's transaction, for a write that does several
        things each with an event of its own (several database logins at once)."""
        self._record(session, event)

    def _record(self, session: Session, event: Audit) -> None:
        audit.record(
            session,
            at=event.at or self.clock(),
            actor_id=self.actor.id,
            action=event.action,
            subject=event.subject,
            details=event.details,
        )

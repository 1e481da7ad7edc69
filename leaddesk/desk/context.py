"""What every part of the desk shares: the open store, who is acting, the clock, the window.

The sub-facades (``desk.queue``, ``desk.calls``...) each hold this one context, as Anki's
collection managers hold the collection (docs/architecture.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.clock import Clock, system_clock
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.people.permissions import Action, can, require
from leaddesk.sign_in import windows
from leaddesk.store import Store

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

    def can(self, action: Action) -> bool:
        return not self.setup_locked and can(self.actor.role, action)

    def require(self, action: Action) -> None:
        if self.setup_locked:
            raise NotPermitted(SIGN_IN_NEEDED)
        require(self.actor.role, action, self.actor.name)

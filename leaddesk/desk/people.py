"""The people who use LeadDesk: users, passwords, and the one window each."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leaddesk.audit.actions import AuditAction
from leaddesk.desk.context import SIGN_IN_NEEDED, Audit, DeskContext
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.people import users as user_ops
from leaddesk.people.permissions import Action
from leaddesk.sign_in import passwords, windows
from leaddesk.store import grants
from leaddesk.team import user_admin


class People:
    """``desk.people``: who uses LeadDesk: users, their passwords and their one window each."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def passwords_on(self) -> bool:
        """Whether this store asks everyone for a password (else anyone may pick any name)."""
        with self._ctx.read(None) as session:
            return passwords.passwords_on(session)

    def set_password(self, name: str, password: str) -> None:
        """Set ``name``'s password: admins set anyone's, a user may change their own. The
        first password on a store turns passwords on for everyone."""
        own = self._ctx.actor.name == name.strip().lower() and not self._ctx.actor.is_setup
        if not own and self._ctx.actor.role is not Role.ADMIN:
            raise NotPermitted(
                f"{self._ctx.actor.name} may change only their own password; an admin sets others'."
            )
        with self._ctx.write(None) as session:
            if grants.login_user(session.connection()) is not None:
                # A login never reads or writes a hash; its own password is the database's.
                raise NotPermitted(
                    "On this team database everyone signs in with their database login, not a "
                    f"LeadDesk password; the store's owner sets that login's password: "
                    f"leaddesk users login {name.strip().lower()}"
                )
            user = user_ops.find_user(session, name)
            if self._ctx.setup_locked and not (
                user.role is Role.ADMIN and passwords.admin_must_set_again(session)
            ):
                raise NotPermitted(SIGN_IN_NEEDED)
            passwords.set_password(
                session, user, password, at=self._ctx.clock(), actor_id=self._ctx.actor.id
            )

    def turn_passwords_off(self) -> list[str]:
        """Clear every user's password (admins only): from then on anyone who opens the
        store may pick any name. The names that had one; none when the store had none."""
        if self._ctx.actor.role is not Role.ADMIN and not self._ctx.actor.is_setup:
            raise NotPermitted(
                f"{self._ctx.actor.name} may not turn passwords off; only an admin does: "
                "leaddesk users passwords-off --as ADMIN"
            )
        with self._ctx.read(Action.MANAGE_STORE) as session:
            if not passwords.passwords_on(session):
                return []  # nothing to turn off, and nothing to audit
        event = Audit(AuditAction.PASSWORDS_TURNED_OFF, "store")
        with self._ctx.write(Action.MANAGE_STORE, audit=event) as session:
            if grants.login_user(session.connection()) is not None:
                raise NotPermitted(
                    "On this team database everyone signs in with their database login, not a "
                    "LeadDesk password; there are none to turn off."
                )
            cleared = passwords.turn_off(session)
            event.details["cleared"] = cleared
            return cleared

    def claim_window(self, *, take_over: bool = False) -> None:
        """Hold this person's one window on this store (``WindowTaken`` names who holds it
        now); from then on every write checks the window still holds it."""
        window = self._ctx.window or windows.ThisWindow.here(
            self._ctx.user_id, self._ctx.actor.name
        )
        with self._ctx.write(None) as session:
            windows.open_window(session, window, at=self._ctx.clock(), take_over=take_over)
        self._ctx.window = window
        self._ctx.store.write_guard = lambda session: windows.check_window(session, window)

    def keep_window(self) -> None:
        """The window's heartbeat; ``WindowTakenOver`` once another window took its place."""
        if self._ctx.window is None:
            return
        window = self._ctx.window
        with self._ctx.write(None) as session:
            windows.keep_window(session, window, at=self._ctx.clock())

    def close_window(self) -> None:
        """Give the window's lease back (a no-op once another window took it)."""
        window, self._ctx.window = self._ctx.window, None
        self._ctx.store.write_guard = None
        if window is None:
            return
        with self._ctx.write(None) as session:
            windows.close_window(session, window)

    def add(
        self,
        name: str,
        role: Role,
        *,
        capacity: int = user_ops.DEFAULT_CAPACITY,
        display_name: str | None = None,
        territories: tuple[str, ...] = (),
        timezone: str | None = None,
    ) -> user_ops.UserInfo:
        """A new user; a salesperson's ``territories`` and ``capacity`` route hand-offs to
        them, and their ``timezone`` sets when their follow-up is due."""
        with self._ctx.write(Action.MANAGE_USERS) as session:
            if role is Role.ADMIN and self._ctx.actor.role is not Role.ADMIN:
                raise NotPermitted(f"{self._ctx.actor.name} cannot make admins; ask an admin.")
            return user_ops.add_user(
                session,
                name=name,
                role=role,
                at=self._ctx.clock(),
                actor_id=self._ctx.actor.id,
                capacity=capacity,
                display_name=display_name,
                territories=territories,
                timezone=timezone,
            )

    def users(self) -> list[user_ops.UserInfo]:
        with self._ctx.read(None) as session:
            return user_ops.list_users(session)

    def deactivate(self, name: str) -> user_admin.UserChange:
        """Deactivate a user; their open leads go back to the pool."""
        with self._ctx.write(Action.MANAGE_USERS) as session:
            return _login_follows(
                session,
                user_admin.deactivate_user(
                    session,
                    name,
                    actor_id=self._ctx.actor.id,
                    actor_role=self._ctx.actor.role,
                    at=self._ctx.clock(),
                ),
            )

    def reactivate(self, name: str) -> user_admin.UserChange:
        with self._ctx.write(Action.MANAGE_USERS) as session:
            return _login_follows(
                session,
                user_admin.reactivate_user(
                    session,
                    name,
                    actor_id=self._ctx.actor.id,
                    actor_role=self._ctx.actor.role,
                    at=self._ctx.clock(),
                ),
            )

    def change(
        self,
        name: str,
        *,
        role: Role | None = None,
        capacity: int | None = None,
        territories: tuple[str, ...] | None = None,
        display_name: str | None = None,
        timezone: str | None = None,
    ) -> user_admin.UserChange:
        with self._ctx.write(Action.MANAGE_USERS) as session:
            return _login_follows(
                session,
                user_admin.change_user(
                    session,
                    name,
                    actor_id=self._ctx.actor.id,
                    actor_role=self._ctx.actor.role,
                    at=self._ctx.clock(),
                    role=role,
                    capacity=capacity,
                    territories=territories,
                    display_name=display_name,
                    timezone=timezone,
                ),
            )


def _login_follows(session: Session, change: user_admin.UserChange) -> user_admin.UserChange:
    """A user's database login (on a team database that has them) follows their role and
    whether they are active, in the same transaction as the change."""
    user = change.user
    grants.follow_user(session.connection(), user.name, user.role, active=user.active)
    return change

"""Passwords on a shared store: argon2 hashes on the user row, checked where a desk opens.

A store with no password on any user is a demo or training set-up: anyone who opens it may
pick any name. Once any user has one, every sign-in on that store needs the user's own, until
an admin turns passwords off again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store.models import User
from leaddesk.store.password_holders import SET_AGAIN, hashes_readable, password_holders

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 8
MAX_LENGTH = 1024
NO_PASSWORDS_NOTE = "No passwords on this store: anyone who opens it can pick any name."

# Given the user's name and the store's label, the password typed or saved for them, or None
# when there is none to give (the caller may instead raise NotPermitted saying why).
PasswordAsk = Callable[[str, str], str | None]


# argon2 is loaded when a password is checked or set, not by every command on a store without
# passwords.
@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def passwords_on(session: Session) -> bool:
    """Whether any user of this store has a password (then everyone signs in with theirs)."""
    return bool(password_holders(session.connection()))


def admin_must_set_again(session: Session) -> bool:
    """Whether the store asks for passwords but no active admin has one to sign in with: a
    store restored from a backup (which carries no hashes). Then the store's owner sets an
    admin's password first."""
    if not hashes_readable(session.connection()) or not passwords_on(session):
        return False  # a login is never the store's owner
    usable = session.scalar(
        select(User.id).where(
            User.role == Role.ADMIN,
            User.active.is_(True),
            User.password_hash.is_not(None),
            User.password_hash != SET_AGAIN,
        )
    )
    return usable is None


def check_password(user: User, given: str) -> bool:
    if user.password_hash is None:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(user.password_hash, given)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(session: Session, user: User, ask: PasswordAsk | None, store_label: str) -> None:
    """Let ``user`` in if the store needs no password or the one given is theirs."""
    if not passwords_on(session):
        return
    if user.password_hash is None:
        raise NotPermitted(
            f"{user.name} has no password on this store, and it uses passwords; ask an admin to "
            f"set one: leaddesk users password {user.name}"
        )
    if user.password_hash == SET_AGAIN:
        raise NotPermitted(
            f"{user.name}'s password was not restored (backups carry no passwords); ask an "
            f"admin to set it again: leaddesk users password {user.name}"
        )
    given = ask(user.name, store_label) if ask is not None else None
    if not given:
        raise NotPermitted(f"Signing in as {user.name} needs their password on this store.")
    if not check_password(user, given):
        raise NotPermitted(f"Wrong password for {user.name}; nothing was done.")


def check_new_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise InputError(f"use at least {MIN_LENGTH} characters", field="password")
    if len(password) > MAX_LENGTH:
        raise InputError(f"keep it under {MAX_LENGTH} characters", field="password")
    if "\x00" in password:
        raise InputError("a password cannot contain a NUL character", field="password")
    return password


def set_password(
    session: Session, user: User, password: str, *, at: datetime, actor_id: int | None
) -> None:
    """Store the hash of ``password`` for ``user``; audited without any trace of it."""
    user.password_hash = _hasher().hash(check_new_password(password))
    session.flush()
    _keep_an_admin_in(session)
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.PASSWORD_SET,
        subject=f"user:{user.name}",
    )


def turn_off(session: Session) -> list[str]:
    """Clear every user's password, so the store asks nobody again (a one-person store whose
    owner no longer wants one); the names of those who had one, for the caller's audit event."""
    had = list(
        session.scalars(
            select(User.name).where(User.password_hash.is_not(None)).order_by(User.name)
        )
    )
    session.execute(update(User).where(User.password_hash.is_not(None)).values(password_hash=None))
    return had


def _keep_an_admin_in(session: Session) -> None:
    """With passwords on, at least one active admin must have one, or nobody could manage
    users (or passwords) any more."""
    admin_with_password = session.scalar(
        select(User.name).where(
            User.role == Role.ADMIN, User.active.is_(True), User.password_hash.is_not(None)
        )
    )
    if admin_with_password is None:
        admins = session.scalars(
            select(User.name).where(User.role == Role.ADMIN, User.active.is_(True))
        ).all()
        first = admins[0] if admins else "NAME (add one: leaddesk users add NAME --role admin)"
        raise InputError(
            "Give an admin a password first, or nobody could manage users afterwards: "
            f"leaddesk users password {first}"
        )

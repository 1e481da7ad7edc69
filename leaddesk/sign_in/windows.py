"""One window per person per store: a lease row per open window, kept alive by a heartbeat.

A second window of the same person is refused (saying who holds it) or takes over; the first
then finds its token gone and every write it tries is refused. A crashed window stops beating,
and after ``EXPIRES`` its lease is free, so a restart is never blocked for long. The CLI is
not a window and takes no lease.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaddesk.errors import Conflict, NotPermitted
from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import WindowLease

HEARTBEAT = timedelta(seconds=20)
EXPIRES = timedelta(seconds=90)  # several missed heartbeats: the window is gone


@dataclass(frozen=True)
class WindowHolder:
    """Where a person's window is open: which computer, which process, since when."""

    host: str
    pid: int
    since: datetime

    def describe(self) -> str:
        return f"on {self.host} (process {self.pid}) since {self.since:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class ThisWindow:
    """The lease this window holds: its own random token and where it runs."""

    user_id: int
    user_name: str
    token: str
    host: str
    pid: int

    @classmethod
    def here(cls, user_id: int, user_name: str) -> ThisWindow:
        return cls(user_id, user_name, secrets.token_hex(16), socket.gethostname(), os.getpid())


class WindowTaken(Conflict):
    """The person already has a live window on this store."""

    def __init__(self, user_name: str, holder: WindowHolder) -> None:
        super().__init__(
            f"{user_name} already has LeadDesk open on this store {holder.describe()}. "
            "Close that window first, or take over from it."
        )
        self.holder = holder


class WindowTakenOver(NotPermitted):
    """Another window of the same person took this one's place; it may not write any more."""

    def __init__(self, user_name: str, holder: WindowHolder | None) -> None:
        where = f"a window {holder.describe()}" if holder else "another window"
        super().__init__(
            f"This window was taken over by {where}; nothing more is saved from here. Close it."
        )
        self.holder = holder


def _holder(lease: WindowLease) -> WindowHolder:
    return WindowHolder(lease.host, lease.pid, lease.since)


def _lease(session: Session, user_id: int, *, lock: bool = False) -> WindowLease | None:
    query = select(WindowLease).where(WindowLease.user_id == user_id)
    if lock:
        query = query.with_for_update()  # PostgreSQL; SQLite writers are serialised anyway
    return session.scalar(query)


def open_window(session: Session, window: ThisWindow, *, at: datetime, take_over: bool) -> None:
    """Take the person's window lease, unless a live one is held elsewhere (``WindowTaken``)
    and ``take_over`` is not asked for."""
    lease = _lease(session, window.user_id, lock=True)
    if lease is None:
        lease = WindowLease(user_id=window.user_id)
        try:
            with session.begin_nested():
                _hold(lease, window, at)
                session.add(lease)
        except IntegrityError:
            # Another window of the same person inserted first, a moment ago.
            raise Conflict(
                f"Another LeadDesk window of {window.user_name} opened on this store just now; "
                "try again."
            ) from None
        return
    live = lease.token != window.token and lease.heartbeat_at + EXPIRES > at
    if live and not take_over:
        raise WindowTaken(window.user_name, _holder(lease))
    _hold(lease, window, at)


def _hold(lease: WindowLease, window: ThisWindow, at: datetime) -> None:
    lease.token = window.token
    lease.host = window.host[:255]
    lease.pid = window.pid
    lease.since = at
    lease.heartbeat_at = at


# Read in every write's transaction, `next`'s on SQLite too (on the driver's connection, no
# Session: leaddesk/store/claim_sql.py), so a window another took over can save nothing.
_HOLDER = DriverStatement(
    select(WindowLease.token, WindowLease.host, WindowLease.pid, WindowLease.since).where(
        WindowLease.user_id == bindparam("user_id", type_=Integer)
    )
)


def check_window(where: InTransaction, window: ThisWindow) -> None:
    """Refuse (``WindowTakenOver``) unless this window still holds its person's lease."""
    found = _HOLDER.rows(where, {"user_id": window.user_id})
    if not found or found[0][0] != window.token:
        holder = WindowHolder(found[0][1], found[0][2], found[0][3]) if found else None
        raise WindowTakenOver(window.user_name, holder)


def keep_window(session: Session, window: ThisWindow, *, at: datetime) -> None:
    """The heartbeat: still ours, and alive as of ``at``."""
    check_window(session, window)
    lease = _lease(session, window.user_id)
    assert lease is not None
    lease.heartbeat_at = at


def close_window(session: Session, window: ThisWindow) -> None:
    """Give the lease back (only if it is still this window's)."""
    session.execute(
        delete(WindowLease).where(
            WindowLease.user_id == window.user_id, WindowLease.token == window.token
        )
    )


def window_holder(session: Session, user_id: int, *, at: datetime) -> WindowHolder | None:
    """The live window the person has open on this store, if any."""
    lease = _lease(session, user_id)
    if lease is None or lease.heartbeat_at + EXPIRES <= at:
        return None
    return _holder(lease)

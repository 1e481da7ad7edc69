"""Users and capacity: deactivate and reactivate, change role, capacity and territories.

A rep who is deactivated (or moved to a role without a call queue) gives their open leads
back to the open pool in the same transaction, so nothing waits on someone who is gone.
Only admins change admins; nobody locks themselves out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.people.users import (
    UserInfo,
    clean_display_name,
    clean_territories,
    clean_timezone,
    find_user,
    info,
)
from leaddesk.store.models import Lead, User
from leaddesk.team.moves import QUEUE_ROLES, PlannedMove, apply_all, is_open
from leaddesk.team.reassign import planned_moves_query, to_move

MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class UserChange:
    user: UserInfo
    changes: tuple[str, ...]  # plain words: "capacity 40 → 25"
    returned_to_pool: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            **self.user.as_json(),
            "changes": list(self.changes),
            "returned_to_pool": list(self.returned_to_pool),
            "warnings": list(self.warnings),
        }


def deactivate_user(
    session: Session, name: str, *, actor_id: int | None, actor_role: Role, at: datetime
) -> UserChange:
    user = _editable(session, name, actor_id=actor_id, actor_role=actor_role)
    if user.id == actor_id:
        raise InputError("You cannot deactivate yourself; ask another team lead or an admin.")
    if not user.active:
        return UserChange(info(user), ())
    _keep_an_admin(session, user)
    user.active = False
    returned = _return_leads(session, user, actor_id=actor_id, at=at, why="deactivated")
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.USER_DEACTIVATED,
        subject=f"user:{user.name}",
        from_state="active",
        to_state="inactive",
        details={"returned_to_pool": len(returned)},
    )
    session.flush()
    return UserChange(info(user), ("deactivated",), returned)


def reactivate_user(
    session: Session, name: str, *, actor_id: int | None, actor_role: Role, at: datetime
) -> UserChange:
    user = _editable(session, name, actor_id=actor_id, actor_role=actor_role)
    if user.active:
        return UserChange(info(user), ())
    user.active = True
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.USER_REACTIVATED,
        subject=f"user:{user.name}",
        from_state="inactive",
        to_state="active",
    )
    session.flush()
    return UserChange(info(user), ("reactivated",))


def change_user(
    session: Session,
    name: str,
    *,
    actor_id: int | None,
    actor_role: Role,
    at: datetime,
    role: Role | None = None,
    capacity: int | None = None,
    territories: Sequence[str] | None = None,
    display_name: str | None = None,
    timezone: str | None = None,
) -> UserChange:
    """Change any of role, capacity (most open leads at once), territories (country codes),
    the name the team sees (the login stays) and a salesperson's zone (``timezone``: "" puts
    them on the policy's)."""
    user = _editable(session, name, actor_id=actor_id, actor_role=actor_role)
    if role is Role.ADMIN and actor_role is not Role.ADMIN:
        raise NotPermitted("Only an admin can make someone an admin.")
    changes: list[str] = []
    details: dict[str, Any] = {}
    warnings: list[str] = []
    returned: tuple[int, ...] = ()
    if role is not None and role is not user.role:
        if user.id == actor_id:
            raise InputError("You cannot change your own role; ask another team lead or an admin.")
        if user.role is Role.ADMIN:
            _keep_an_admin(session, user)
        changes.append(f"role {_role_words(user.role)} → {_role_words(role)}")
        details["role"] = [user.role.value, role.value]
        user.role = role
        if role not in QUEUE_ROLES:
            returned = _return_leads(
                session, user, actor_id=actor_id, at=at, why=f"now {_role_words(role)}"
            )
    if capacity is not None and capacity != user.capacity:
        if capacity < 0 or capacity > MAX_CAPACITY:
            raise InputError(
                f"{capacity} is not a number of open leads (0–10000)", field="capacity"
            )
        changes.append(f"capacity {user.capacity} → {capacity}")
        details["capacity"] = [user.capacity, capacity]
        user.capacity = capacity
        held = _open_count(session, user.id)
        if held > capacity:
            warnings.append(
                f"{user.display_name} holds {held} open leads, more than {capacity}; "
                "rebalance to spread the rest."
            )
    if display_name is not None:
        shown = clean_display_name(display_name)
        if shown != user.display_name:
            changes.append(f"name {user.display_name} → {shown}")
            details["display_name"] = [user.display_name, shown]
            user.display_name = shown
    if territories is not None:
        codes = clean_territories(territories)
        if list(codes) != list(user.territories or ()):
            before = " ".join(user.territories or ()) or "anywhere"
            changes.append(f"territories {before} → {' '.join(codes) or 'anywhere'}")
            details["territories"] = [list(user.territories or ()), list(codes)]
            user.territories = list(codes)
    if timezone is not None:
        zone = clean_timezone(timezone)
        if zone != user.timezone:
            policys = "the policy's"
            changes.append(f"time zone {user.timezone or policys} → {zone or policys}")
            details["timezone"] = [user.timezone, zone]
            user.timezone = zone
    if not changes:
        return UserChange(info(user), ())
    details["returned_to_pool"] = len(returned)
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.USER_CHANGED,
        subject=f"user:{user.name}",
        reason="; ".join(changes),
        details=details,
    )
    session.flush()
    return UserChange(info(user), tuple(changes), returned, tuple(warnings))


def _editable(session: Session, name: str, *, actor_id: int | None, actor_role: Role) -> User:
    user = find_user(session, name)
    if user.role is Role.ADMIN and actor_role is not Role.ADMIN:
        raise NotPermitted(f"{user.display_name} is an admin; only an admin can change them.")
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role is not Role.ADMIN:
        return
    others = session.scalar(
        select(func.count()).where(
            User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise Conflict(
            f"{user.display_name} is the last active admin; make someone else admin first."
        )


def _role_words(role: Role) -> str:
    return role.label


def _open_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(Lead.assigned_to_id == user_id, is_open())) or 0
    )


def _return_leads(
    session: Session, user: User, *, actor_id: int | None, at: datetime, why: str
) -> tuple[int, ...]:
    """Every open lead of ``user`` back to the pool, claims included: they will not call it."""
    rows = session.execute(
        planned_moves_query(at)
        .where(Lead.assigned_to_id == user.id)
        .order_by(Lead.arrived_at, Lead.id)
    ).all()
    moves: tuple[PlannedMove, ...] = tuple(to_move(row, None) for row in rows)
    reason = f"{user.display_name} {why}: back to the open pool"
    apply_all(session, moves, actor_id=actor_id, at=at, reason=reason)
    return tuple(m.lead_id for m in moves)

"""The people who use LeadDesk: reps, team leads, sales and admins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role
from leaddesk.errors import Conflict, InputError
from leaddesk.store.models import User

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
DEFAULT_CAPACITY = 40


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    display_name: str
    role: Role
    capacity: int
    active: bool
    territories: tuple[str, ...]
    timezone: str | None = None  # a salesperson's own zone for their business hours

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "display_name": self.display_name,
            "role": self.role.value,
            "capacity": self.capacity,
            "active": self.active,
            "territories": list(self.territories),
            "timezone": self.timezone,
        }


def info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        name=user.name,
        display_name=user.display_name,
        role=user.role,
        capacity=user.capacity,
        active=user.active,
        territories=tuple(user.territories or ()),
        timezone=user.timezone,
    )


def clean_timezone(text: str | None) -> str | None:
    """An IANA zone like Europe/Berlin, or None for the policy's own."""
    if text is None or not text.strip():
        return None
    zone = text.strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"'{zone}' is not a time zone; use a name like Europe/Berlin", field="timezone"
        ) from None
    return zone


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError(f"'{text}' is not a role; use one of {choices}", field="role") from None


def clean_territories(codes: Sequence[str]) -> tuple[str, ...]:
    """Country codes a rep covers, upper-cased, sorted, once each; "DE, AT" counts as two."""
    cleaned: list[str] = []
    for code in codes:
        for part in code.replace(",", " ").split():
            upper = part.strip().upper()
            if not COUNTRY.match(upper):
                raise InputError(f"'{part}' is not a country code like DE or US", field="territory")
            if upper not in cleaned:
                cleaned.append(upper)
    return tuple(sorted(cleaned))


MAX_DISPLAY_NAME = 128


def clean_display_name(text: str) -> str:
    """The name the team sees: trimmed, on one line, 1 to 128 characters."""
    shown = " ".join(text.split())
    if not shown:
        raise InputError("give the name the team knows them by", field="display_name")
    if len(shown) > MAX_DISPLAY_NAME:
        raise InputError(
            f"keep the display name to {MAX_DISPLAY_NAME} characters", field="display_name"
        )
    return shown


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip().lower()))
    if user is None:
        shown = session.scalar(
            select(User.name).where(func.lower(User.display_name) == name.strip().lower())
        )
        if shown is not None:
            raise InputError(f"'{name}' is {shown}'s display name; use the user name {shown}.")
        known = session.scalars(select(User.name).order_by(User.name).limit(12)).all()
        hint = f" Known users: {', '.join(known)}." if known else " The store has no users yet."
        raise InputError(f"No user named '{name}'.{hint}")
    return user


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def add_user(
    session: Session,
    *,
    name: str,
    role: Role,
    at: datetime,
    actor_id: int | None,
    capacity: int = DEFAULT_CAPACITY,
    display_name: str | None = None,
    territories: tuple[str, ...] = (),
    timezone: str | None = None,
) -> UserInfo:
    name = name.strip().lower()
    if not NAME_PATTERN.match(name):
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise InputError(
            f"'{shown}' is not a usable login; use 1 to 64 of a–z, 0–9, '.', '_' or '-', "
            "starting with a letter or digit",
            field="name",
        )
    if capacity < 0 or capacity > 10_000:
        raise InputError(f"{capacity} is not a number of open leads (0–10000)", field="capacity")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"A user named '{name}' already exists.")
    territories = clean_territories(territories)
    timezone = clean_timezone(timezone)
    user = User(
        name=name,
        display_name=clean_display_name(display_name) if display_name else name,
        role=role,
        capacity=capacity,
        active=True,
        territories=list(territories),
        timezone=timezone,
        created_at=at,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.USER_ADDED,
        subject=f"user:{name}",
        to_state=role.value,
        details={"capacity": capacity, "territories": list(territories), "timezone": timezone},
    )
    return info(user)


def list_users(session: Session, *, include_inactive: bool = True) -> list[UserInfo]:
    query = select(User).order_by(User.role, User.name)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return [info(u) for u in session.scalars(query)]

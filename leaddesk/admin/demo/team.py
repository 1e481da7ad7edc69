"""The demo's team: reps, a team lead, a salesperson and an admin, with uneven capacities the
way a real team has them, and known passwords for trying it out (docs/architecture.md §2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.domain import Role, Stage
from leaddesk.people import users as user_ops
from leaddesk.sign_in import passwords
from leaddesk.store import Store
from leaddesk.store.models import SalesCalendar, User

# Each rep's capacity as a share of what they hold, so a demo team is uneven the way a real one
# is: one rep over capacity, others with room, and a European desk that only takes its countries.
CAPACITY_FACTORS = (0.85, 1.15, 1.4, 1.0)
EUROPE = ("DE", "ES", "FR", "GB", "NL")


def set_capacities(session: Session, leads: list[dict[str, Any]], rep_ids: list[int]) -> None:
    held = {rep: 0 for rep in rep_ids}
    for lead in leads:
        if lead["assigned_to_id"] in held and Stage(lead["stage"]).is_open:
            held[lead["assigned_to_id"]] += 1
    for number, rep in enumerate(rep_ids):
        user = session.get(User, rep)
        assert user is not None
        factor = CAPACITY_FACTORS[number % len(CAPACITY_FACTORS)]
        user.capacity = min(10_000, max(5, 5 * round(held[rep] * factor / 5)))
        if number % len(CAPACITY_FACTORS) == 2 and len(rep_ids) > 2:
            user.territories = list(EUROPE)


def make_team(session: Session, reps: int, now: datetime) -> dict[str, int]:
    wanted = [(f"rep{i}", Role.QUALIFIER, f"Rep {i}") for i in range(1, reps + 1)]
    wanted += [
        ("lead1", Role.TEAM_LEAD, "Team Lead"),
        ("sales1", Role.SALES, "Sales One"),
        ("admin", Role.ADMIN, "Administrator"),
    ]
    ids: dict[str, int] = {}
    for name, role, display in wanted:
        existing = session.scalar(select(User).where(User.name == name))
        if existing is None:
            user_ops.add_user(
                session, name=name, role=role, at=now, actor_id=None, display_name=display
            )
            existing = session.scalar(select(User).where(User.name == name))
        assert existing is not None
        ids[name] = existing.id
        if role is Role.SALES:
            give_demo_calendar(session, existing, now)
    return ids


# A salesperson's week as their calendar program would export it: the Monday pipeline review
# and a lunch hour every working day (New York time, the demo's zone), so the free slots a rep
# sees on the call have gaps where a real diary has them.
DEMO_CALENDAR = "\r\n".join(
    (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//LeadDesk//Demo calendar//EN",
        "BEGIN:VEVENT",
        "UID:demo-pipeline-review",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;TZID=America/New_York:20260105T090000",
        "DTEND;TZID=America/New_York:20260105T103000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "SUMMARY:Pipeline review",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:demo-lunch",
        "DTSTAMP:20260101T000000Z",
        "DTSTART;TZID=America/New_York:20260105T120000",
        "DTEND;TZID=America/New_York:20260105T130000",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "SUMMARY:Lunch",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    )
)


def give_demo_calendar(session: Session, user: User, now: datetime) -> None:
    """A demo salesperson's calendar and invitation address, as `users calendar` keeps them."""
    if session.scalar(select(SalesCalendar).where(SalesCalendar.user_id == user.id)) is None:
        session.add(
            SalesCalendar(
                user_id=user.id,
                source="demo calendar",
                calendar_text=DEMO_CALENDAR,
                email=f"{user.name}@demo.example",
                loaded_at=now,
                updated_at=now,
            )
        )


def give_demo_passwords(store: Store, *, at: datetime) -> dict[str, str]:
    """Every active demo user gets the known password ``demo-NAME`` (admins first, so the
    store is never without an admin who can sign in). Returns name → password, to print."""
    given: dict[str, str] = {}
    with store.transaction() as session:
        users = session.scalars(select(User).where(User.active.is_(True))).all()
        for user in sorted(users, key=lambda u: (u.role is not Role.ADMIN, u.name)):
            given[user.name] = f"demo-{user.name}"
            passwords.set_password(session, user, given[user.name], at=at, actor_id=None)
    return given

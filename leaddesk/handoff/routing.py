"""Which salesperson a hand-off goes to, named at the verdict, and when their follow-up is due.

The lead definition's policy says how (``[policy.sales_routing]``): by territory, in turn among
sales with spare capacity, in turn among the names listed for the lead's source, or to the
account owner. An existing customer's lead goes to its account owner whatever the policy says
(a hand-off of its own kind). Sales' follow-up clock starts at the verdict and is due after
the policy's hours in the salesperson's business hours (their own zone, the policy's hours).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.definition.business_time import add_business_hours
from leaddesk.definition.policy import Policy, RouteBy
from leaddesk.domain import LeadType, Role, Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.store.models import Account, Lead, Person, User, VerdictRecord

HAND_OFF = "hand_off"
EXISTING_CUSTOMER = "existing_customer"
ROUTED_VERDICTS = frozenset({Verdict.HAND_OFF, Verdict.EXISTING_ACCOUNT})
# Where a routed lead still waits for its salesperson (an answer moves it on).
OPEN_FOR_SALES = (Stage.QUALIFIED, Stage.HANDED_OFF)


@dataclass(frozen=True)
class Salesperson:
    id: int
    name: str
    display_name: str
    capacity: int
    open_leads: int  # hand-offs routed to them and not answered yet
    territories: tuple[str, ...]
    timezone: str | None

    @property
    def has_room(self) -> bool:
        return self.open_leads < self.capacity


@dataclass(frozen=True)
class Route:
    """The salesperson a verdict hands the lead to, and why them."""

    salesperson_id: int
    name: str
    display_name: str
    kind: str  # hand_off | existing_customer
    why: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sales_team(session: Session) -> list[Salesperson]:
    """Active salespeople with how many routed hand-offs each has open, by name."""
    users = session.scalars(
        select(User).where(User.role == Role.SALES, User.active.is_(True)).order_by(User.name)
    ).all()
    # Counted for these salespeople by name (their ids), so the count walks the index of
    # leads that have a salesperson, not every qualified lead of the store.
    open_counts: dict[int | None, int] = (
        {
            owner: count
            for owner, count in session.execute(
                select(Lead.sales_owner_id, func.count())
                .where(
                    Lead.sales_owner_id.in_([user.id for user in users]),
                    Lead.stage.in_(OPEN_FOR_SALES),
                )
                .group_by(Lead.sales_owner_id)
            ).all()
        }
        if users
        else {}
    )
    return [
        Salesperson(
            id=user.id,
            name=user.name,
            display_name=user.display_name,
            capacity=user.capacity,
            open_leads=open_counts.get(user.id, 0),
            territories=tuple(user.territories or ()),
            timezone=user.timezone,
        )
        for user in users
    ]


def route_for(
    session: Session,
    lead: Lead,
    verdict: Verdict,
    policy: Policy,
    *,
    passing_over: Collection[int] = (),
) -> Route | None:
    """The salesperson the policy hands ``lead`` to on ``verdict``; None for a verdict that
    hands nothing to sales, or when the store has no active salesperson (``passing_over``:
    ids not to pick, the one a late hand-off moves away from)."""
    if verdict not in ROUTED_VERDICTS:
        return None
    team = [person for person in sales_team(session) if person.id not in passing_over]
    if not team:
        return None
    kind = EXISTING_CUSTOMER if verdict is Verdict.EXISTING_ACCOUNT else HAND_OFF
    account = session.get(Account, lead.account_id) if lead.account_id else None
    routing = policy.sales_routing
    missed = ""
    wants_owner = kind == EXISTING_CUSTOMER or routing.route_by is RouteBy.ACCOUNT_OWNER
    if account is not None and (wants_owner or account.is_customer):
        owner = _account_owner(account, team)
        if owner is not None:
            return _route(owner, kind, f"owns the account {account.name}")
        if wants_owner:
            missed = f"no salesperson owns {account.name}; "
    elif wants_owner:
        missed = "no account on file; "
    with_room = [person for person in team if person.has_room]
    if routing.route_by is RouteBy.TERRITORY:
        person = session.get(Person, lead.person_id)
        country = (person.country if person else None) or (account.country if account else None)
        covering = [p for p in with_room if country and country.upper() in p.territories]
        if covering:
            return _route(_next_in_turn(session, covering), kind, f"{missed}covers {country}")
        missed += f"nobody with room covers {country or 'an unknown country'}; "
    elif routing.route_by is RouteBy.NAMED:
        names = routing.owners_for(lead.source)
        listed = [p for p in with_room if p.name in names]
        if listed:
            return _route(_next_in_turn(session, listed), kind, f"{missed}named for {lead.source}")
        missed += f"nobody named for {lead.source} has room; "
    if with_room:
        chosen = _next_in_turn(session, with_room)
        return _route(chosen, kind, f"{missed}next in turn with room")
    least = min(team, key=lambda p: (p.open_leads - p.capacity, p.name))
    return _route(least, kind, f"{missed}everyone is at capacity; fewest open hand-offs")


def picked_by_rep(session: Session, name: str, verdict: Verdict) -> Route:
    """The salesperson a rep chose instead of the policy's (``qualify --to``)."""
    if verdict not in ROUTED_VERDICTS:
        raise InputError(
            f"Only a hand-off or an existing-account verdict goes to a salesperson, "
            f"not {verdict.label}.",
            field="to",
        )
    wanted = name.strip().lower()
    user = session.scalar(
        select(User).where(
            (User.name == wanted) | (func.lower(User.display_name) == wanted),
        )
    )
    if user is None or user.role is not Role.SALES or not user.active:
        known = ", ".join(p.name for p in sales_team(session)) or "none yet"
        what = "is not an active salesperson" if user is not None else "is no user here"
        raise InputError(f"'{name}' {what}; pick one of: {known}.", field="to")
    kind = EXISTING_CUSTOMER if verdict is Verdict.EXISTING_ACCOUNT else HAND_OFF
    return Route(user.id, user.name, user.display_name, kind, "picked by the rep")


def start_clock(session: Session, lead: Lead, route: Route, policy: Policy, at: datetime) -> None:
    """Hand ``lead`` to ``route``'s salesperson: their follow-up clock starts now."""
    # Reading the salesperson must not flush the verdict's stage on its own: a team
    # database's guards want the salesperson and the clock in the same change as the stage.
    with session.no_autoflush:
        due = follow_up_due(session, route.salesperson_id, policy, at, lead.lead_type)
    lead.sales_owner_id = route.salesperson_id
    lead.sales_clock_at = at
    lead.sales_due_at = due
    lead.sales_flagged_at = None


def follow_up_due(
    session: Session,
    salesperson_id: int,
    policy: Policy,
    at: datetime,
    lead_type: LeadType | None = None,
) -> datetime:
    """When the salesperson should have followed up: the policy's hours for the lead's type
    (its default when the type has none) of their business hours after ``at`` (their own
    zone; the policy's zone when they have none)."""
    user = session.get(User, salesperson_id)
    zone = user.timezone if user is not None and user.timezone else policy.timezone
    hours = policy.sales_routing.due_hours_for(lead_type)
    return add_business_hours(at, hours, replace(policy, timezone=zone))


def _route(person: Salesperson, kind: str, why: str) -> Route:
    return Route(person.id, person.name, person.display_name, kind, why)


def _account_owner(account: Account, team: list[Salesperson]) -> Salesperson | None:
    owner = (account.owner_name or "").strip().lower()
    if not owner:
        return None
    return next(
        (p for p in team if owner in (p.name, p.display_name.lower())),
        None,
    )


def _next_in_turn(session: Session, candidates: list[Salesperson]) -> Salesperson:
    """Whoever a verdict named longest ago (never named first), then by name."""
    last: dict[int | None, int] = {
        who: latest
        for who, latest in session.execute(
            select(VerdictRecord.salesperson_id, func.max(VerdictRecord.id))
            .where(VerdictRecord.salesperson_id.in_([p.id for p in candidates]))
            .group_by(VerdictRecord.salesperson_id)
        ).all()
    }
    return min(candidates, key=lambda p: (last.get(p.id, 0), p.name))

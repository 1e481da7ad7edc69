"""When a person may be phoned: a callback inside their calling hours, and why not to dial
now (do-not-call, or outside their hours), as the policy says (docs/architecture.md §5)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.definition import Policy, within_calling_hours
from leaddesk.definition.business_time import not_a_calling_time
from leaddesk.errors import InputError
from leaddesk.queue import zones
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import Lead, Person


def callback_outside_hours(
    callback_at: datetime,
    lead_zones: tuple[str, ...],
    policy: Policy,
    country: str | None = None,
    region: str | None = None,
) -> str | None:
    """Why a callback at this moment would break the person's calling hours (their weekdays
    and public holidays too); None if it is fine.

    A person whose number spans zones must be inside the window in every one of them; an
    unknown zone is judged by the team's, as the queue does.
    """
    hours = policy.calling_hours.for_country(country)
    for zone in lead_zones or (policy.timezone,):
        if not within_calling_hours(callback_at, zone, policy, country, region):
            local = callback_at.astimezone(ZoneInfo(zone))
            why = not_a_calling_time(local, policy, country, region) or "outside calling hours"
            return (
                f"{local:%a %d %b %H:%M} their time ({zone}): {why}; pick a calling day, "
                f"between {hours.start:%H:%M} and {hours.end:%H:%M} their time"
            )
    return None


def why_not_dial(session: Session, lead_id: int, at: datetime) -> str | None:
    """Why this lead's person may not be phoned at ``at`` (do-not-call, or outside their
    calling hours: the rep may have opened the lead a while ago); None when they may."""
    found = session.execute(
        select(Person.do_not_call, Person.zone_key, Person.country, Person.region)
        .join(Lead, Lead.person_id == Person.id)
        .where(Lead.id == lead_id)
    ).first()
    if found is None:
        raise InputError(f"No lead {lead_id}.")
    do_not_call, zone_key, country, region = found
    if do_not_call:
        return "They are on the do-not-call list: do not dial. Put the lead back (Esc)."
    policy = current_policy(session)
    if zones.callable_now(zone_key, at, policy, country, region):
        return None
    for zone in zones.zones_of(zone_key) or (policy.timezone,):
        local = at.astimezone(ZoneInfo(zone))
        why = not_a_calling_time(local, policy, country, region)
        if why:
            break
    return (
        f"It is {local:%H:%M} for them ({zone.rsplit('/', 1)[-1].replace('_', ' ')}): "
        f"{why}. Book a callback (B) or put the lead back (Esc)."
    )

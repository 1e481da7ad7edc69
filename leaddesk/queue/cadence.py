"""Contact cadence: when to try a lead again after a call nobody answered, and when to stop.

All of it comes from the policy: the wait after each outcome, the minimum spacing, the most
calls a day (counted in the team's calendar day), and the most attempts within so many
business days. When those are used up the lead goes to nurture as unreachable.

A cadence counts from the last contact: a call where the person was on the line (connected)
or booked a callback starts a new one, so only the unanswered calls since then count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from leaddesk.definition import Policy
from leaddesk.definition.business_time import add_business_hours, next_opening
from leaddesk.domain import CallOutcome

# Outcomes where nobody was reached: the cadence decides the next try.
NO_CONTACT = frozenset(
    {CallOutcome.NO_ANSWER, CallOutcome.BUSY, CallOutcome.VOICEMAIL, CallOutcome.GATEKEEPER}
)


@dataclass(frozen=True)
class RetryPlan:
    next_attempt_at: datetime | None
    exhausted: bool
    why: str  # plain words for the rep


def day_start(at: datetime, policy: Policy) -> datetime:
    """Midnight of ``at``'s day in the team's zone, as UTC."""
    local = at.astimezone(policy.zone)
    return datetime.combine(local.date(), time(0), tzinfo=policy.zone).astimezone(at.tzinfo)


def next_day_opening(at: datetime, policy: Policy) -> datetime:
    local = at.astimezone(policy.zone)
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=policy.zone)
    return next_opening(tomorrow.astimezone(at.tzinfo), policy)


def cadence_deadline(first_attempt_at: datetime, policy: Policy) -> datetime:
    """The end of the cadence window: so many business days of open time after the first try."""
    hours = policy.business_hours
    day_hours = (
        datetime.combine(datetime.min, hours.end) - datetime.combine(datetime.min, hours.start)
    ).total_seconds() / 3600
    return add_business_hours(
        first_attempt_at, policy.cadence.within_business_days * day_hours, policy
    )


def plan_retry(
    outcome: CallOutcome,
    *,
    at: datetime,
    attempts_made: int,
    first_attempt_at: datetime,
    attempts_today: int,
    policy: Policy,
) -> RetryPlan:
    """The next try after a call that reached nobody; ``attempts_*`` include this call."""
    cadence = policy.cadence
    if attempts_made >= cadence.max_attempts:
        return RetryPlan(
            None, True, f"no contact in {attempts_made} attempts, the most the policy allows"
        )
    spacing = timedelta(minutes=cadence.min_spacing_minutes)
    wait = max(cadence.retry_after(outcome) or spacing, spacing)
    next_at = at + wait
    why = f"{outcome.label}: try again in {_words(wait)}"
    if attempts_today >= cadence.max_attempts_per_day:
        next_at = max(next_at, next_day_opening(at, policy))
        why = f"{cadence.max_attempts_per_day} calls today already: try again next business day"
    if next_at > cadence_deadline(first_attempt_at, policy):
        return RetryPlan(
            None,
            True,
            f"no contact in {_attempts(attempts_made)}; the next try would fall after the "
            f"{cadence.within_business_days} business days allowed from the first",
        )
    return RetryPlan(next_at, False, why)


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


def _words(wait: timedelta) -> str:
    minutes = int(wait.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day" if days == 1 else f"{days} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return f"{minutes} min"

"""Speed-to-lead deadlines for many leads at once (demo data, big imports).

``leaddesk.definition.sla_deadline`` walks the calendar day by day for every lead, which is
right but slow for a million rows. Here the team's open periods over a date range are listed
once and each deadline is a binary search plus a short walk: the same answer, much faster.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta

from leaddesk.definition import Policy
from leaddesk.definition.business_time import is_business_day, sla_deadline


class SlaClock:
    def __init__(self, policy: Policy, first_day: date, last_day: date) -> None:
        self.policy = policy
        zone = policy.zone
        hours = policy.business_hours
        self.opens: list[datetime] = []
        self.closes: list[datetime] = []
        day = first_day - timedelta(days=1)
        while day <= last_day + timedelta(days=1):
            if is_business_day(day, policy):
                self.opens.append(_wall(day, hours.start, zone))
                self.closes.append(_wall(day, hours.end, zone))
            day += timedelta(days=1)
        self.budget = timedelta(hours=policy.speed_to_lead_hours)

    def deadline(self, arrived_at: datetime) -> datetime:
        """As ``sla_deadline(arrived_at, policy)``; falls back to it outside the listed range."""
        moment = arrived_at.astimezone(UTC)
        index = bisect_right(self.closes, moment)
        remaining = self.budget
        while index < len(self.opens):
            begin = max(moment, self.opens[index])
            if begin + remaining <= self.closes[index]:
                return begin + remaining
            remaining -= self.closes[index] - begin
            index += 1
        return sla_deadline(arrived_at, self.policy)


def _wall(day: date, at: time, zone: object) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)  # type: ignore[arg-type]

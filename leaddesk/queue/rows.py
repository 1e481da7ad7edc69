"""A queue row as a rep sees it: who, where they are, which band, and one line saying why.

The why-line depends on the clock ("18 min left to call" becomes "call overdue by 2 min"), so
a row keeps the facts it is worded from and ``reason_at`` words it again for any moment: a
window that shows a row for an hour says what is true now without asking the store again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from leaddesk.definition import Policy
from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.queue import zones
from leaddesk.queue.ordering import Band, LeadFacts, filled, score
from leaddesk.queue.policy import marketing_qualified_label

SOURCE_WORDS = {
    "web_form": "web inquiry",
    "webinar": "webinar sign-up",
    "trade_show": "trade-show contact",
    "purchased_list": "purchased-list contact",
    "sales_referral": "sales referral",
    "inbound_call": "inbound call",
    "recycled": "lead back from nurture",
}


@dataclass(frozen=True)
class QueueRow:
    lead_id: int
    person: str
    company: str | None
    phone: str | None
    source: str
    stage: Stage
    band: Band
    score: int
    fit_score: int
    interest_score: int
    attempts: int
    max_attempts: int
    sla_due_at: datetime | None
    callback_at: datetime | None
    next_attempt_at: datetime | None
    assigned_to: str | None
    local_time: datetime
    zones: tuple[str, ...]
    zone_known: bool
    claimed_until: datetime | None = None
    # Why the lead cannot be called now (search results list such leads too); None if it can.
    blocked: str | None = None
    # The rep put it off with "skip for now": it waits behind the leads that were next.
    skipped: bool = False
    # A marketing-qualified lead's stage in its definition's words; None for other stages.
    stage_label: str | None = None

    @cached_property
    def reason(self) -> str:
        """The why-line as it read when the row was read (``local_time`` is that moment):
        worded when first asked (the window words it again for the time it shows)."""
        return word_reason(self, self.local_time)

    @cached_property
    def facts(self) -> dict[str, Any]:
        """The facts behind the why-line, for the JSON listing only: worked out when asked
        (a page in the window never asks), from the row and the moment it was read."""
        return row_facts(self)

    def reason_at(self, at: datetime) -> str:
        """The why-line as it reads at ``at`` (``reason`` is the one read with the row)."""
        return word_reason(self, at)

    def as_json(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "person": self.person,
            "company": self.company,
            "phone": self.phone,
            "local_time": self.local_time.isoformat(timespec="minutes"),
            "time_zone": "+".join(self.zones),
            "time_zone_known": self.zone_known,
            "band": self.band.key,
            "band_rank": int(self.band),
            "reason": self.reason,
            "score": self.score,
            "fit": self.fit_score,
            "interest": self.interest_score,
            "sla_due": _iso(self.sla_due_at),
            "callback_at": _iso(self.callback_at),
            "next_attempt_at": _iso(self.next_attempt_at),
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "assigned_to": self.assigned_to,
            "source": self.source,
            "stage": self.stage.value,
            "claimed_until": _iso(self.claimed_until),
            "facts": self.facts,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def person_label(first: str, last: str, email: str | None, phone: str | None, lead_id: int) -> str:
    return f"{first} {last}".strip() or email or phone or f"Lead {lead_id}"


def build_row(
    lead: LeadFacts,
    band: Band,
    *,
    person: str,
    company: str | None,
    phone: str | None,
    owner: str | None,
    at: datetime,
    policy: Policy,
    user_id: int,
    blocked: str | None = None,
) -> QueueRow:
    zone_list = zones.zones_of(lead.zone_key)
    shown_zones = zone_list or (policy.timezone,)
    return filled(
        QueueRow,
        {
            "lead_id": lead.lead_id,
            "person": person,
            "company": company,
            "phone": phone,
            "source": lead.source,
            "stage": lead.stage,
            "band": band,
            "score": score(lead, policy),
            "fit_score": lead.fit_score,
            "interest_score": lead.interest_score,
            "attempts": lead.attempts,
            "max_attempts": policy.cadence.max_attempts,
            "sla_due_at": lead.sla_due_at,
            "callback_at": lead.callback_at,
            "next_attempt_at": lead.next_attempt_at,
            "assigned_to": owner,
            "local_time": zones.local_time_in(lead.zone_key, at, policy.timezone),
            "zones": shown_zones,
            "zone_known": bool(zone_list),
            "claimed_until": lead.claim_expires_at if lead.claimed_by_id == user_id else None,
            "blocked": blocked,
            "skipped": False,
            "stage_label": (
                # Said in the definition's words ("Basic Qualified Lead"), not as a new lead's.
                marketing_qualified_label(policy)
                if lead.stage is Stage.MARKETING_QUALIFIED
                else None
            ),
        },
    )


def row_facts(row: QueueRow) -> dict[str, Any]:
    """The facts behind a row's reason, as they stood when it was read (for the JSON
    listing). ``local_time`` is that moment, in the person's zone."""
    at = row.local_time
    band = row.band
    details: dict[str, Any] = {"band": band.key}
    if band is Band.CALLBACK and row.callback_at is not None:
        details["callback_at"] = row.callback_at.isoformat()
        late = minutes(at - row.callback_at)
        if late >= 1:
            details["minutes_late"] = late
    elif band is Band.NEW and row.sla_due_at is not None:
        details["sla_due"] = row.sla_due_at.isoformat()
        left = sla_minutes_left(row.sla_due_at, at)
        if left >= 0:
            details["minutes_left"] = left
        else:
            details["minutes_overdue"] = -left
    elif band is Band.RETRY:
        details.update(attempt=row.attempts + 1, max_attempts=row.max_attempts)
        if row.next_attempt_at is not None:
            details["due_since"] = row.next_attempt_at.isoformat()
    details.update(
        stage=row.stage.value,
        fit=row.fit_score,
        interest=row.interest_score,
        time_zones=list(row.zones),
        time_zone_known=row.zone_known,
    )
    if row.stage_label is not None:
        details["stage_label"] = row.stage_label
    return details


def word_reason(row: QueueRow, at: datetime) -> str:
    """The one-line reason for ``row`` as it reads at ``at``.

    Worded from the row alone, so the window can say it again as the clock moves; the row's
    band and place stay as they were read (a row never jumps under the rep's cursor).
    """
    if row.blocked is not None and row.stage not in OPEN_STAGES:
        return row.blocked  # "closed: handed off": a lead found by a search
    if row.blocked is not None:
        return f"not callable now: {row.blocked}"
    text = _why(row, at)
    if not row.zone_known:
        text += "; their time zone is unknown, so the team's is used"
    if row.skipped:
        text = f"skipped for now; {text}"
    return text


def _why(row: QueueRow, at: datetime) -> str:
    if row.band is Band.CALLBACK and row.callback_at is not None:
        # Said in the person's own time, as agreed on the phone (the team's when unknown).
        zone = _zone(row.zones[0])
        their = row.callback_at.astimezone(zone)
        text = f"callback at {day_and_time(their, _day_in(zone, at))} their time"
        late = minutes(at - row.callback_at)
        if late >= 1:
            text += f", {span(late)} late"
        return text
    if row.band is Band.NEW:
        label = row.stage_label if row.stage is Stage.MARKETING_QUALIFIED else None
        if row.sla_due_at is None:
            return _new_line(row.source, None, label)
        return _new_line(row.source, sla_minutes_left(row.sla_due_at, at), label)
    if row.band is Band.RETRY:
        return f"retry {row.attempts + 1} of {row.max_attempts}"
    if row.stage is Stage.IN_QUALIFICATION:
        text = "talked before, no verdict yet"
    else:
        text = "open lead with no next step"
    return f"{text} (fit {row.fit_score}, interest {row.interest_score})"


@lru_cache(maxsize=4096)
def _new_line(source: str, left: int | None, label: str | None) -> str:
    """A new lead's why-line by its source and minutes left (None: no deadline): a page's
    new leads share a few, so each is worded once. ``label`` is a marketing-qualified lead's
    stage in the definition's words: "Basic Qualified Lead: web inquiry" (short: the Why
    column is narrow); None words a new lead's, "new web inquiry"."""
    what = SOURCE_WORDS.get(source, f"{source.replace('_', ' ')} lead")
    if label is None:
        what = f"new {what}"
    elif label.casefold() == Stage.MARKETING_QUALIFIED.label:
        what = f"marketing-qualified {what}"
    else:
        what = f"{label}: {what}"
    if left is None:
        return f"{what}, no call deadline set"
    if left >= 0:
        return f"{what}, {span(left)} left to call"
    return f"{what}, call overdue by {span(-left)}"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=256)
def _day_in(zone: ZoneInfo, at: datetime) -> date:
    """The date at ``at`` in ``zone``: once per zone for a page read at one moment."""
    return at.astimezone(zone).date()


def sla_minutes_left(due: datetime, at: datetime) -> int:
    """Whole minutes left to the speed-to-lead deadline, negative once it has passed.

    Toward zero while time is left ("18 min left" is never an overstatement), and at least
    one minute overdue the moment the deadline passes, so a lead 30 s late never reads as
    "under 1 min left".
    """
    seconds = (due - at).total_seconds()
    return int(seconds / 60) if seconds >= 0 else min(-1, int(seconds / 60))


def minutes(delta: timedelta) -> int:
    """Whole minutes, rounded toward zero (so "18 min left" is never an overstatement)."""
    return int(delta.total_seconds() / 60)


@lru_cache(maxsize=4096)
def span(total_minutes: int) -> str:
    if total_minutes < 1:
        return "under 1 min"
    days, rest = divmod(total_minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def clock_text(moment: datetime, now: datetime, policy: Policy) -> str:
    """A time in the team's zone: "14:30" today, "Thu 14:30" on another day."""
    return day_and_time(moment.astimezone(policy.zone), now.astimezone(policy.zone).date())


def day_and_time(local: datetime, today: date) -> str:
    """A wall-clock time: "14:30" on ``today``, "Thu 14:30" within a week, else with the date."""
    day = local.date()
    if day == today:
        return f"{local.hour:02d}:{local.minute:02d}"  # strftime's digits, without its cost
    if abs((day - today).days) < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b %H:%M")

"""The queue's rules in plain Python: which band a lead is in, why it is left out, its order.

The store answers the queue with indexed queries (leaddesk.queue.listing); this module is the
same rules written once for one lead, so every row can say why it is where it is and tests can
check the queries against it.

Bands, in the default order (the policy's [policy.queue] may rank them otherwise and weigh
fit against interest): (1) callbacks due — the agreed time reached or within the policy's callback
window — by agreed time; (2) new inquiries, by speed-to-lead deadline; (3) retries whose next
attempt is due under the cadence, longest-waiting first; (4) the rest of the open leads (talked
to, no verdict yet), by fit plus interest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache
from typing import Any, TypeVar

from leaddesk.definition import Policy
from leaddesk.domain import FRESH_STAGES, Stage
from leaddesk.errors import InputError
from leaddesk.queue import zones

_Frozen = TypeVar("_Frozen")


class Band(IntEnum):
    CALLBACK = 1
    NEW = 2
    RETRY = 3
    OTHER = 4

    @property
    def key(self) -> str:
        return _BAND_KEYS[self]

    @property
    def label(self) -> str:
        return _BAND_LABELS[self]


_BAND_KEYS = {Band.CALLBACK: "callback", Band.NEW: "new", Band.RETRY: "retry", Band.OTHER: "other"}
_BAND_LABELS = {
    Band.CALLBACK: "Callbacks due",
    Band.NEW: "New inquiries",
    Band.RETRY: "Retries due",
    Band.OTHER: "Other open leads",
}


def parse_band(text: str) -> Band:
    for band in Band:
        if text.strip().lower() in (band.key, str(band.value)):
            return band
    choices = ", ".join(band.key for band in Band)
    raise InputError(f"'{text}' is not a queue band; use one of {choices}", field="band")


@dataclass(frozen=True)
class LeadFacts:
    """What the queue rules look at for one lead."""

    lead_id: int
    stage: Stage
    assigned_to_id: int | None
    claimed_by_id: int | None
    claim_expires_at: datetime | None
    hold_reason: str | None
    do_not_call: bool
    erased: bool
    zone_key: str | None
    callback_at: datetime | None
    next_attempt_at: datetime | None
    sla_due_at: datetime | None
    arrived_at: datetime
    attempts: int  # unanswered calls since the person was last reached (the cadence's)
    fit_score: int
    interest_score: int
    source: str = ""
    country: str | None = None
    region: str | None = None


# Why a lead is not in a rep's queue, in words for the rep.
CLOSED = "closed"
DO_NOT_CALL = "do not call"
ERASED = "erased"
ON_HOLD = "on hold"
OTHER_REP = "assigned to another rep"
POOL_HIDDEN = "in the open pool, which this team keeps out of the queue"
CLAIMED = "being called by a colleague"
NOT_DUE = "next attempt not due yet"
OUTSIDE_HOURS = "outside their calling hours"


def callback_window(policy: Policy) -> timedelta:
    return _minutes(policy.callback_window_minutes)


@lru_cache(maxsize=16)
def _minutes(count: int) -> timedelta:
    return timedelta(minutes=count)  # asked for every row of a page: made once


def filled(cls: type[_Frozen], values: dict[str, Any]) -> _Frozen:
    """A frozen dataclass made from every one of its fields, without the ``__init__`` that
    sets each field through ``object.__setattr__`` (7-10 µs for a queue row's 24 fields,
    most of the cost of building one). ``values`` must name every field."""
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


def classify(
    lead: LeadFacts, *, user_id: int, at: datetime, policy: Policy, include_pool: bool
) -> Band | str:
    """The band ``lead`` sits in for ``user_id`` at ``at``, or why it is not in the queue."""
    if not lead.stage.is_open:
        return CLOSED
    if lead.do_not_call:
        return DO_NOT_CALL
    if lead.erased:
        return ERASED
    if lead.hold_reason is not None:
        return ON_HOLD
    if lead.assigned_to_id is None and not include_pool:
        return POOL_HIDDEN
    if lead.assigned_to_id is not None and lead.assigned_to_id != user_id:
        return OTHER_REP
    if (
        lead.claimed_by_id is not None
        and lead.claimed_by_id != user_id
        and lead.claim_expires_at is not None
        and lead.claim_expires_at > at
    ):
        return CLAIMED
    band = due_band(lead, at=at, policy=policy)
    if band is None:
        return NOT_DUE
    if not zones.callable_now(lead.zone_key, at, policy, lead.country, lead.region):
        return OUTSIDE_HOURS
    return band


def due_band(lead: LeadFacts, *, at: datetime, policy: Policy) -> Band | None:
    """The band by the lead's own schedule alone; None when nothing is due yet."""
    if lead.callback_at is not None:
        return Band.CALLBACK if lead.callback_at <= at + callback_window(policy) else None
    if lead.stage in FRESH_STAGES:
        due = lead.next_attempt_at is None or lead.next_attempt_at <= at
        return Band.NEW if due else None
    if lead.next_attempt_at is not None:
        return Band.RETRY if lead.next_attempt_at <= at else None
    return Band.OTHER


_FAR = datetime.max.replace(tzinfo=UTC)


def sort_key(lead: LeadFacts, band: Band, policy: Policy) -> tuple[int, int, datetime, int, int]:
    """Order within the queue: the band's rank (policy), its own measure, then lead id."""
    rank = policy.queue.rank(band.key)
    if band is Band.CALLBACK:
        assert lead.callback_at is not None
        return (rank, 0, lead.callback_at, 0, lead.lead_id)
    if band is Band.NEW:
        # A lead without a deadline (made before SLAs were set) goes after those with one.
        if lead.sla_due_at is None:
            return (rank, 1, lead.arrived_at, 0, lead.lead_id)
        return (rank, 0, lead.sla_due_at, 0, lead.lead_id)
    if band is Band.RETRY:
        assert lead.next_attempt_at is not None
        return (rank, 0, lead.next_attempt_at, 0, lead.lead_id)
    return (rank, 0, _FAR, -worth(lead, policy), lead.lead_id)


def worth(lead: LeadFacts, policy: Policy) -> int:
    """Fit and interest weighed as the policy says; orders "the rest" of the queue."""
    order = policy.queue
    return order.fit_weight * lead.fit_score + order.interest_weight * lead.interest_score


def score(lead: LeadFacts, policy: Policy) -> int:
    """The lead's worth on one 0–100 scale: fit and interest, weighed as the policy says."""
    order = policy.queue
    return round(worth(lead, policy) / (order.fit_weight + order.interest_weight))

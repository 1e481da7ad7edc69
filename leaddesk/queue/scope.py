"""Whose queue, at what moment, under which policy: what every queue read needs first.

The policy in force, the store's zone keys (to know whose calling hours it is now) and the
rep's live "skip for now"s come back from one statement, so a page or ``next`` on a team's
PostgreSQL store spends one round trip on them, not three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    union_all,
)

from leaddesk.definition import Policy
from leaddesk.queue import zones
from leaddesk.queue.ordering import Band
from leaddesk.queue.policy import policy_of
from leaddesk.queue.skips import SKIP_LASTS
from leaddesk.store.driver_statements import DriverStatement, InTransaction, is_sqlite
from leaddesk.store.models import DefinitionVersion, QueueSkip
from leaddesk.store.types import UTCDateTime


@dataclass(frozen=True)
class QueueScope:
    """Whose queue, at what moment, under which policy."""

    user_id: int
    at: datetime
    policy: Policy
    calling: zones.CallingZones
    include_pool: bool
    source: str | None = None
    bands: tuple[Band, ...] = tuple(Band)
    # next_lead hands out a lead the rep does not already hold.
    skip_own_claims: bool = False
    # The rep's live skips: lead id -> the leads it waits behind (the latest skip wins).
    skips: Mapping[int, list[int]] = field(default_factory=dict)


_POLICY, _ZONE, _SKIP = 0, 1, 2


def _kind(kind: int) -> Any:
    return literal_column(str(kind), Integer)


def _facts_statement(kept_keys: bool) -> Any:
    """The queue's facts in one statement; ``kept_keys``: the zone keys from SQLite's table
    of them, else walked from the people's index."""
    details = QueueSkip.__table__.c.behind.type  # JSON text, as the skips' lead ids are
    head = (
        select(DefinitionVersion.id, DefinitionVersion.digest)
        .order_by(DefinitionVersion.version.desc())
        .limit(1)
        .subquery()
    )
    walk = zones.zone_key_walk()
    key = zones.KEPT_ZONE_KEYS.c.key if kept_keys else walk.c.k
    zone_rows = select(
        _kind(_ZONE),
        cast(null(), Integer),
        key,
        cast(null(), details),
        cast(null(), UTCDateTime()),
        cast(null(), Integer),
    ).where(key.is_not(None))
    return union_all(
        select(
            _kind(_POLICY).label("kind"),
            head.c.id.label("number"),
            head.c.digest.label("text"),
            cast(null(), details).label("details"),
            cast(null(), UTCDateTime()).label("at"),
            cast(null(), Integer).label("seq"),
        ),
        zone_rows,
        select(
            _kind(_SKIP),
            QueueSkip.lead_id,
            cast(null(), String()),
            QueueSkip.behind,
            QueueSkip.skipped_at,
            QueueSkip.id,
        ).where(*live_skips()),
    )


def live_skips() -> tuple[ColumnElement[bool], ...]:
    """The rep's skips still in force (parameters ``user_id``, ``since``, ``at``): the rows
    the facts read them from (`next` on SQLite checks there are none this way too)."""
    return (
        QueueSkip.user_id == bindparam("user_id", type_=Integer),
        QueueSkip.skipped_at > bindparam("since", type_=UTCDateTime()),
        QueueSkip.skipped_at <= bindparam("at", type_=UTCDateTime()),
    )


_FACTS = {kept: DriverStatement(_facts_statement(kept)) for kept in (True, False)}


def scope_for(
    session: InTransaction,
    user_id: int,
    at: datetime,
    *,
    band: Band | None = None,
    source: str | None = None,
    skip_own_claims: bool = False,
) -> QueueScope:
    params = {"user_id": user_id, "at": at, "since": at - SKIP_LASTS}
    version_id: int | None = None
    digest: str | None = None
    keys: list[str] = []
    skipped: list[tuple[datetime, int, int, list[int]]] = []
    for kind, number, text, details, when, seq in _FACTS[is_sqlite(session)].rows(session, params):
        if kind == _POLICY:
            version_id, digest = number, text
        elif kind == _ZONE:
            keys.append(text)
        else:
            behind = [int(other) for other in details or ()]
            skipped.append((when, seq, number, behind))
    keys.sort()
    skips = {lead_id: behind for _when, _n, lead_id, behind in sorted(skipped)}
    policy = policy_of(session, version_id, digest)
    return QueueScope(
        user_id=user_id,
        at=at,
        policy=policy,
        calling=zones.calling_zones_of(keys, at, policy),
        include_pool=policy.pool_visible_to_reps,
        source=source,
        bands=(band,) if band is not None else tuple(Band),
        skip_own_claims=skip_own_claims,
        skips=skips,
    )

"""The queue from the store: each band read from its own index, then merged in band order.

A page never scores the whole table. Every band is a handful of queries (one per owner —
the rep and, by policy, the open pool — and per stage where the band spans stages), each
walking an index in the band's own order and stopping at LIMIT. The few hundred candidate
ids are merged in Python, and only the page's rows are loaded in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from leaddesk.domain import FRESH_STAGES, OPEN_STAGES, Stage
from leaddesk.queue import zones
from leaddesk.queue.ordering import Band, LeadFacts, callback_window, due_band, filled
from leaddesk.queue.rows import QueueRow, build_row, person_label

# Re-exported: search reads the scope from here.
from leaddesk.queue.scope import QueueScope as QueueScope
from leaddesk.queue.scope import scope_for as scope_for
from leaddesk.queue.skips import put_skipped_behind, skipped_row
from leaddesk.store.driver_statements import DriverStatement, InTransaction, is_sqlite
from leaddesk.store.models import Account, Lead, Person, User
from leaddesk.store.types import UTCDateTime

# Stages a retry or a talked-to lead can be in; fresh leads (new, marketing-qualified) are
# band 2 by definition.
_WORKED = (Stage.WORKING, Stage.IN_QUALIFICATION)
_FRESH = tuple(stage for stage in Stage if stage in FRESH_STAGES)
SortKey = tuple[int, int, Any, int, int]
MAX_PAGE = 500


# -- the band queries ---------------------------------------------------------------------
#
# Every query is built once per shape, with bind parameters for the user, the time, the open
# zones and the limit, and then reused: SQLAlchemy memoises a statement's cache key, so a
# queue read spends its time in the database, not in building SQL.

_P_USER = bindparam("user_id", type_=Integer)
_P_AT = bindparam("at", type_=UTCDateTime())
_P_DUE_BY = bindparam("due_by", type_=UTCDateTime())
_P_ZONES = bindparam("zones", expanding=True, type_=String())
_P_UNKNOWN_OPEN = bindparam("unknown_open", type_=Boolean())
_P_OWN_COUNTRIES = bindparam("own_countries", expanding=True, type_=String())
_P_OPEN_PAIRS = bindparam("open_pairs", expanding=True, type_=String())
_P_CLOSED_REGIONS = bindparam("closed_regions", expanding=True, type_=String())
_P_SOURCE = bindparam("source", type_=String())
_P_LIMIT = bindparam("limit", type_=Integer)


@dataclass(frozen=True)
class _Arm:
    """One indexed query of a band: (lead id, sort value), in the band's order."""

    band: Band
    sub: int
    statement: Select[tuple[int, Any]]


def calling_hours_filter() -> tuple[ColumnElement[bool], ...]:
    """People inside their calling hours now (``zones.CallingZones`` as bind parameters):
    by zone key, or by "COUNTRY|key" for a country judged on its own; never a region on a
    public holiday."""
    country = func.coalesce(func.upper(Person.country), "")
    region = func.lower(func.coalesce(Person.region, ""))
    return (
        or_(
            and_(
                country.not_in(_P_OWN_COUNTRIES),
                or_(
                    Person.zone_key.in_(_P_ZONES),
                    and_(Person.zone_key.is_(None), true() == _P_UNKNOWN_OPEN),
                ),
            ),
            (country + "|" + func.coalesce(Person.zone_key, "")).in_(_P_OPEN_PAIRS),
        ),
        (country + "|" + region).not_in(_P_CLOSED_REGIONS),
    )


# The calling-hours lists: the same tuples for a minute and mostly for hours, so a driver
# statement writes them into its SQL (leaddesk/store/driver_statements.py).
CALLING_LISTS = ("zones", "own_countries", "open_pairs", "closed_regions")


def calling_params(calling: zones.CallingZones) -> dict[str, Any]:
    # The tuples themselves, kept for the minute: a driver statement binds each once.
    return {
        "zones": calling.open_keys,
        "unknown_open": calling.unknown_open,
        "own_countries": calling.own_countries,
        "open_pairs": calling.open_pairs,
        "closed_regions": calling.closed_regions,
    }


@lru_cache(maxsize=64)
def _arms(
    band: Band,
    pool: bool,
    with_source: bool,
    skip_own_claims: bool,
    weights: tuple[int, int] = (1, 1),
) -> tuple[_Arm, ...]:
    owned = Lead.assigned_to_id.is_(None) if pool else Lead.assigned_to_id == _P_USER
    if skip_own_claims:
        free = or_(Lead.claimed_by_id.is_(None), Lead.claim_expires_at <= _P_AT)
    else:
        free = or_(
            Lead.claimed_by_id.is_(None),
            Lead.claimed_by_id == _P_USER,
            Lead.claim_expires_at <= _P_AT,
        )
    callable_now = [
        Lead.hold_reason.is_(None),
        Person.do_not_call.is_(False),
        Person.erased_at.is_(None),
        free,
        *calling_hours_filter(),
    ]
    if with_source:
        callable_now.append(Lead.source == _P_SOURCE)
    no_callback = Lead.callback_at.is_(None)

    def arm(sub: int, sort: Any, order: Sequence[Any], *where: ColumnElement[bool]) -> _Arm:
        statement = (
            select(Lead.id, sort.label("value"), literal(sub, Integer).label("sub"))
            .join(Person, Person.id == Lead.person_id)
            .where(owned, *where, *callable_now)
            .order_by(*order, Lead.id)
            .limit(_P_LIMIT)
        )
        return _Arm(band, sub, statement)

    if band is Band.CALLBACK:
        # One query per open stage, so each walks (owner, stage, callback_at) in order.
        return tuple(
            arm(
                0,
                Lead.callback_at,
                [Lead.callback_at],
                Lead.stage == stage,
                Lead.callback_at <= _P_DUE_BY,
            )
            for stage in sorted(OPEN_STAGES)
        )
    if band is Band.NEW:
        # New and marketing-qualified leads alike: a query per stage walks its own index.
        due_now = or_(Lead.next_attempt_at.is_(None), Lead.next_attempt_at <= _P_AT)
        return tuple(
            arm_of
            for stage in _FRESH
            for arm_of in (
                arm(
                    0,
                    Lead.sla_due_at,
                    [Lead.sla_due_at],
                    Lead.stage == stage,
                    no_callback,
                    due_now,
                    Lead.sla_due_at.is_not(None),
                ),
                arm(
                    1,
                    Lead.arrived_at,
                    [Lead.arrived_at],
                    Lead.stage == stage,
                    no_callback,
                    due_now,
                    Lead.sla_due_at.is_(None),
                ),
            )
        )
    if band is Band.RETRY:
        return tuple(
            arm(
                0,
                Lead.next_attempt_at,
                [Lead.next_attempt_at],
                Lead.stage == stage,
                no_callback,
                Lead.next_attempt_at <= _P_AT,
            )
            for stage in _WORKED
        )
    worth = Lead.fit_score * weights[0] + Lead.interest_score * weights[1]
    return tuple(
        arm(
            0,
            worth,
            [worth.desc()],
            Lead.stage == stage,
            no_callback,
            Lead.next_attempt_at.is_(None),
        )
        for stage in _WORKED
    )


def _band_column(band: Band) -> Any:
    return literal_column(str(int(band)), Integer).label("band")


def candidate_params(scope: QueueScope, limit: int) -> dict[str, Any]:
    """The band queries' parameters: whose queue, the moment, the open zones, rows per arm."""
    return {
        "user_id": scope.user_id,
        "at": scope.at,
        "due_by": scope.at + callback_window(scope.policy),
        **calling_params(scope.calling),
        "source": scope.source,
        "limit": limit,
    }


def ranked_bands(scope: QueueScope) -> tuple[Band, ...]:
    """The scope's bands in the policy's order."""
    order = scope.policy.queue
    return tuple(sorted(scope.bands, key=lambda b: order.rank(b.key)))


def candidates(session: InTransaction, scope: QueueScope, wanted: int) -> list[int]:
    """The first ``wanted`` lead ids of the queue, in queue order."""
    if wanted <= 0 or not scope.calling.anything_open:
        return []
    # Each lead skipped for now may leave the first ``wanted``: room for one more each.
    skips = scope.skips
    room = wanted + len(skips)
    params = candidate_params(scope, room)
    order = scope.policy.queue
    weights = (order.fit_weight, order.interest_weight)
    bands = ranked_bands(scope)
    ranks = {int(band): order.rank(band.key) for band in bands}
    # PostgreSQL: every band in one statement, one round trip. SQLite has no round trips to
    # save, and a band's queries are cheaper left unasked: band by band, and once enough rows
    # are found the later bands cannot enter (they are strictly ordered).
    asked = [bands] if not is_sqlite(session) else [(band,) for band in bands]
    found: list[SortKey] = []
    for some in asked:
        statement = _queue_statement(
            some, scope.include_pool, scope.source is not None, scope.skip_own_claims, weights
        )
        # As ordering.sort_key orders: band rank, sub-order, the time (the rest: -worth), id.
        # A band's times are all of one kind (each band has its own rank), so they compare.
        found += [
            (ranks[band], sub, moment, 0 if worth is None else -int(worth), lead_id)
            for band, lead_id, moment, worth, sub in statement.rows(session, params)
        ]
        if len(found) >= room:
            break
    found.sort()
    ordered = [key[4] for key in found]
    if skips:
        ordered = put_skipped_behind(ordered, dict(skips))
    return ordered[:wanted]


@lru_cache(maxsize=64)
def _queue_statement(
    bands: tuple[Band, ...],
    include_pool: bool,
    with_source: bool,
    skip_own_claims: bool,
    weights: tuple[int, int],
) -> DriverStatement:
    """Every band's indexed queries in one statement, each keeping its own LIMIT: a few
    dozen rows to merge, in one round trip."""
    arms: list[_Arm] = []
    for band in bands:
        arms += _arms(band, False, with_source, skip_own_claims, weights)
        if include_pool:
            arms += _arms(band, True, with_source, skip_own_claims, weights)
    return DriverStatement(union_all(*(_arm_row(arm) for arm in arms)), inline=CALLING_LISTS)


def first_of_band(
    band: Band, include_pool: bool, skip_own_claims: bool, weights: tuple[int, int]
) -> Select[tuple[int]]:
    """The id of the band's first callable lead, in the order ``candidates`` merges its
    arms (sub-order, then the time, or fit and interest weighed, highest first; then id):
    each arm reads ``limit`` rows from its index, one when only the first is wanted."""
    arms = _arms(band, False, False, skip_own_claims, weights)
    if include_pool:
        arms += _arms(band, True, False, skip_own_claims, weights)
    merged = union_all(*(_arm_row(arm) for arm in arms)).subquery("arms")
    sub, moment, worth = merged.c.sub, merged.c.moment, merged.c.worth
    # As candidates() sorts: a missing worth counts as 0.
    measure = [func.coalesce(worth, 0).desc()] if band is Band.OTHER else [moment]
    return select(merged.c.id).order_by(sub, *measure, merged.c.id).limit(1)


def _arm_row(arm: _Arm) -> Select[tuple[int, int, Any, Any, int]]:
    # Times and worths in columns of their own: one column of a UNION has one type.
    found = arm.statement.subquery()
    if arm.band is Band.OTHER:
        moment: Any = cast(null(), UTCDateTime())
        worth: Any = found.c.value
    else:
        moment, worth = found.c.value, cast(null(), Integer)
    # The time is only compared, never shown: as the database hands it back (SQLite's text,
    # which each arm's ORDER BY sorts by too; PostgreSQL's driver's datetime), not parsed.
    moment = type_coerce(moment, String()).label("moment")
    return select(_band_column(arm.band), found.c.id, moment, worth.label("worth"), found.c.sub)


ROW_COLUMNS = (  # a queue row's facts; search reads the same
    Lead.id,
    Lead.stage,
    Lead.assigned_to_id,
    Lead.claimed_by_id,
    Lead.claim_expires_at,
    Lead.hold_reason,
    Lead.callback_at,
    Lead.next_attempt_at,
    Lead.sla_due_at,
    Lead.arrived_at,
    Lead.cadence_attempts,  # the tries since the last contact, not every call ever
    Lead.fit_score,
    Lead.interest_score,
    Lead.source,
    Person.do_not_call,
    Person.erased_at,
    Person.zone_key,
    Person.first_name,
    Person.last_name,
    Person.email,
    Person.phone,
    Person.phone_raw,
    Account.name,
    Person.country,
    Person.region,
)


def facts_of(row: Sequence[Any]) -> LeadFacts:
    """The ordering facts of a row selected with ROW_COLUMNS."""
    return filled(
        LeadFacts,
        {
            "lead_id": row[0],
            "stage": row[1],
            "assigned_to_id": row[2],
            "claimed_by_id": row[3],
            "claim_expires_at": row[4],
            "hold_reason": row[5],
            "callback_at": row[6],
            "next_attempt_at": row[7],
            "sla_due_at": row[8],
            "arrived_at": row[9],
            "attempts": row[10],
            "fit_score": row[11],
            "interest_score": row[12],
            "source": row[13],
            "do_not_call": row[14],
            "erased": row[15] is not None,
            "zone_key": row[16],
            "country": row[23],
            "region": row[24],
        },
    )


OWNER = aliased(User, name="owner")
_ROWS = DriverStatement(
    select(*ROW_COLUMNS, OWNER.name)
    .join(Person, Lead.person_id == Person.id)
    .outerjoin(Account, Lead.account_id == Account.id)
    .outerjoin(OWNER, Lead.assigned_to_id == OWNER.id)
    .where(Lead.id.in_(bindparam("ids", expanding=True)))
)


def load_rows(
    session: InTransaction,
    lead_ids: Sequence[int],
    scope: QueueScope,
    *,
    band: Band | None = None,
) -> list[QueueRow]:
    """Full rows for ``lead_ids``, in the order given (plain columns: no ORM objects); in
    ``band`` if given, else the band each is due in."""
    if not lead_ids:
        return []
    loaded = {row[0]: row for row in _ROWS.rows(session, {"ids": list(lead_ids)})}
    return [shown_row(loaded[lead_id], scope, band) for lead_id in lead_ids if lead_id in loaded]


def shown_row(row: Sequence[Any], scope: QueueScope, band: Band | None = None) -> QueueRow:
    """The queue row for a row selected as ``_ROWS`` selects it (ROW_COLUMNS, owner name)."""
    facts = facts_of(row)
    first, last, email, phone, phone_raw, company = row[17:23]
    placed = band or due_band(facts, at=scope.at, policy=scope.policy) or Band.OTHER
    return build_row(
        facts,
        placed,
        person=person_label(first, last, email, phone, facts.lead_id),
        company=company,
        phone=phone or phone_raw,
        owner=row[len(ROW_COLUMNS)],
        at=scope.at,
        policy=scope.policy,
        user_id=scope.user_id,
    )


def queue_page(
    session: InTransaction,
    user_id: int,
    at: datetime,
    *,
    limit: int = 50,
    offset: int = 0,
    band: Band | None = None,
    source: str | None = None,
) -> list[QueueRow]:
    """One page of ``user_id``'s queue at ``at``, best first."""
    limit = max(0, min(limit, MAX_PAGE))
    offset = max(0, offset)
    scope = scope_for(session, user_id, at, band=band, source=source)
    ids = candidates(session, scope, offset + limit)[offset:]
    rows = load_rows(session, ids, scope)
    return [skipped_row(row) if row.lead_id in scope.skips else row for row in rows]

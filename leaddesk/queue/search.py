"""Finding a lead by what the rep has in front of them: a name, a company, an email, a phone,
or anything the import kept (a mobile, the CRM's record id, an extra column's value).

On SQLite one FTS5 query (``search_index``, migration 0019) finds the names, e-mail, phone and
company; on PostgreSQL each kind of term walks its own index in order and stops at its LIMIT
(lower(first_name), lower(last_name), lower(email) of 0004, people.phone, accounts.name_key,
and a trigram index of the whole name for "anna sch"). Kept values walk their btree index on
both. Terms match as prefixes of a field ("smi" finds Smith and Smithers, not Goldsmith;
"acme" finds "ACME, Inc."). The matches are put in the queue's order of urgency and cut to
the page before any row is built; rows say why each lead is or is not in the rep's queue now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import phonenumbers
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from leaddesk.contacts.kept_values import search_text
from leaddesk.contacts.names import company_key
from leaddesk.definition import Policy
from leaddesk.domain import OPEN_STAGES, Stage, is_record_number
from leaddesk.queue import ordering, search_index
from leaddesk.queue.listing import OWNER, ROW_COLUMNS, SortKey, facts_of
from leaddesk.queue.ordering import Band, LeadFacts
from leaddesk.queue.policy import current_policy, policy_on
from leaddesk.queue.rows import QueueRow, build_row, person_label
from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import Account, FileValue, Lead, Person
from leaddesk.store.nul_guard import NUL, nul_refused

MIN_CHARS = 2
MAX_RESULTS = 100
# People (or accounts) read per index walk before their leads are filtered by owner and stage.
PER_TERM = 400
Ordered = ColumnElement[Any] | InstrumentedAttribute[Any]
# An index walk: its statement, its parameters, and the lead column its ids are matched against.
Walk = tuple[Select[tuple[int]], dict[str, Any], InstrumentedAttribute[Any]]
_DIGITS = re.compile(r"\d")
_PHONE_CHARS = re.compile(r"^[\d\s()+./-]+$")
# How a closed lead a search finds ended, in the rep's words.
ENDED = {
    Stage.QUALIFIED: "qualified, waiting for its hand-off",
    Stage.HANDED_OFF: "handed off, sales has not answered yet",
    Stage.ACCEPTED: "accepted by sales",
    Stage.REJECTED: "rejected by sales",
    Stage.NURTURE: "back to marketing (nurture)",
    Stage.DISQUALIFIED: "disqualified",
    Stage.EXISTING_ACCOUNT: "routed to the account owner",
}
_LEAD_NUMBER = re.compile(r"#\s*(\d{1,18})")  # "#3001", as the window and the CLI name leads


@dataclass(frozen=True)
class SearchTerms:
    """What one search box entry is looked up as."""

    words: tuple[str, ...] = ()  # lower-cased, for names
    email: str | None = None
    company: str | None = None
    phones: tuple[str, ...] = ()  # E.164 prefixes, "+4930…"
    kept: str | None = None  # a value the import kept (a CRM record id, an extra column)

    @property
    def empty(self) -> bool:
        return not (self.words or self.email or self.company or self.phones or self.kept)


def search_terms(text: str, *, default_region: str = "US") -> SearchTerms:
    """Read a search entry: a phone number, an email, or words of a name or company."""
    if NUL in text:
        raise nul_refused("search text", field="text")
    text = " ".join(text.split())
    if len(text) < MIN_CHARS:
        return SearchTerms()
    if _PHONE_CHARS.match(text) and len(_DIGITS.findall(text)) >= 3:
        return SearchTerms(phones=_phone_prefixes(text, default_region))
    lowered = text.casefold()
    if "@" in lowered:
        return SearchTerms(email=lowered)
    words = tuple(lowered.split())[:2]
    company = company_key(text)
    return SearchTerms(
        words=words, email=lowered, company=company or None, kept=search_text(text) or None
    )


def _phone_prefixes(text: str, region: str) -> tuple[str, ...]:
    digits = "".join(_DIGITS.findall(text))
    found = {f"+{digits}"}
    if not text.lstrip().startswith("+"):
        # A national number as dialled ("030 1234…", "(212) 555…"): its E.164 form.
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and number.national_number:
            found.add(f"+{number.country_code}{number.national_number}")
    return tuple(sorted(found))


def _prefix(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], prefix: str
) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, written so a btree index on ``column`` is used."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


# As PostgreSQL's trigram index ix_people_full_name_trgm (migration 0019) is written.
FULL_NAME: ColumnElement[str] = literal_column(
    "lower(coalesce(people.first_name, '') || ' ' || coalesce(people.last_name, ''))"
)


def _like_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _people(condition: ColumnElement[bool], order: Ordered) -> Select[tuple[int]]:
    return (
        select(Person.id)
        .where(condition, Person.erased_at.is_(None))
        .order_by(order)
        .limit(PER_TERM)
    )


def _walks(terms: SearchTerms) -> list[Walk]:
    """Each index walk, with the lead column its ids are matched against."""
    first, last = func.lower(Person.first_name), func.lower(Person.last_name)
    email = func.lower(Person.email)
    walks: list[Walk] = []
    for phone in terms.phones:
        walks.append((_people(_prefix(Person.phone, phone), Person.phone), {}, Lead.person_id))
        # A mobile or direct line the file had beside the phone.
        walks.append(_kept(phone))
    if len(terms.words) == 2:
        given, family = (_like_text(word) for word in terms.words)
        # PostgreSQL's trigram index of the whole name (0019) finds "john sm" without walking
        # every "jo…" first and "sm…" last name; each name's own prefix is checked as LIKE,
        # not as a range, so the planner does not AND the two btree walks instead (EXPLAIN).
        named = and_(
            FULL_NAME.like(f"{given}% {family}%", escape="\\"),
            first.like(f"{given}%", escape="\\"),
            last.like(f"{family}%", escape="\\"),
            Person.erased_at.is_(None),
        )
        walks.append((select(Person.id).where(named).limit(PER_TERM), {}, Lead.person_id))
    elif len(terms.words) == 1:
        (word,) = terms.words
        walks.append((_people(_prefix(last, word), last), {}, Lead.person_id))
        walks.append((_people(_prefix(first, word), first), {}, Lead.person_id))
    if terms.email:
        walks.append((_people(_prefix(email, terms.email), email), {}, Lead.person_id))
    if terms.company:
        accounts = (
            select(Account.id)
            .where(_prefix(Account.name_key, terms.company))
            .order_by(Account.name_key)
            .limit(PER_TERM)
        )
        walks.append((accounts, {}, Lead.account_id))
    if terms.kept:
        walks.append(_kept(terms.kept))
    return walks


def _kept_walks(terms: SearchTerms) -> list[Walk]:
    """The walks of kept values alone (the index has the rest)."""
    return [_kept(value) for value in (*terms.phones, *([terms.kept] if terms.kept else []))]


_KEPT = (
    select(FileValue.lead_id)
    .where(FileValue.value >= bindparam("low"), FileValue.value < bindparam("high"))
    .order_by(FileValue.value)
    .limit(PER_TERM)
)
# The leads of a walk's people, accounts or leads, read with the walk in one statement.
_LEAD_FACTS = select(Lead.id, Lead.stage, Lead.assigned_to_id, Lead.arrived_at)
# The kept-value walk's is the same statement every search (its values are parameters):
# built once, and run through the driver (a phone number's search walks it).
_KEPT_LEADS = DriverStatement(_LEAD_FACTS.where(Lead.id.in_(_KEPT)))


def _kept(prefix: str) -> Walk:
    """Leads with a kept value (a number, a CRM record id, a column's value) so starting."""
    return _KEPT, {"low": prefix, "high": prefix[:-1] + chr(ord(prefix[-1]) + 1)}, Lead.id


def search_leads(
    connection: InTransaction,
    user_id: int,
    text: str,
    at: datetime,
    *,
    limit: int = 50,
    any_owner: bool = False,
    closed: bool = False,
) -> list[QueueRow]:
    """Open leads matching ``text`` that ``user_id`` may work (theirs and the open pool;
    every rep's with ``any_owner``), in the queue's order of urgency, then by arrival. With
    ``closed``, the closed ones they may see follow, newest first: "we spoke last month"."""
    # The policy alone: the queue's open calling zones are not needed for a few rows, each
    # row says for itself whether its person may be called now.
    policy = policy_on(connection)
    by_number = _LEAD_NUMBER.fullmatch(text.strip())
    if by_number is not None:
        number = int(by_number[1])
        if not is_record_number(number):
            return []  # "#3000000000" names no lead
        return _lead_by_number(connection, number, user_id, at, policy, any_owner)
    terms = search_terms(text, default_region=policy.default_phone_region)
    limit = max(0, min(limit, MAX_RESULTS))
    if terms.empty or limit == 0:
        return []
    found: list[Placed] = []  # open leads' rows, read with the index's matches
    ids: list[int] = []  # open leads found by the walks, rows not read yet
    ended: dict[int, datetime] = {}  # closed leads found, with their arrival
    read: dict[int, Placed] = {}  # closed leads' rows read with the index's matches
    if not search_index.indexed(connection):
        walks = _walks(terms)
    else:
        # Names, e-mail, phone and company in one FTS5 query, and the matches' rows read in
        # the same statement; kept values still walk their btree index (a CRM id, a value).
        walks = _kept_walks(terms)
        query = search_index.match_query(terms)
        if query is not None:
            params = {"query": query, "user_id": user_id, "any_owner": any_owner}
            params["cap"] = search_index.CANDIDATES
            matched = _ROWS_MATCHED[closed].rows(connection, params)
            for item in _placed(matched, user_id, at, policy):
                if item.facts.stage in OPEN_STAGES:
                    found.append(item)
                else:
                    ended[item.facts.lead_id] = item.facts.arrived_at
                    read[item.facts.lead_id] = item
    known = {item.facts.lead_id for item in found}
    for walk, params, column in walks:
        if len(found) + len(ids) >= limit:
            break
        # The walk's ids stay in the database (one round trip, no list of hundreds of ids
        # sent back). Stage and owner are checked here, not in SQL: given them, the planner
        # would walk every open lead by stage instead of probing the matched ones by index.
        if walk is _KEPT:
            leads: Iterable[Any] = _KEPT_LEADS.rows(connection, params)
        else:  # PostgreSQL's walks, on its SQLAlchemy Connection
            assert isinstance(connection, Connection)
            leads = connection.execute(_LEAD_FACTS.where(column.in_(walk)), params).tuples()
        for lead_id, stage, owner_id, arrived_at in leads:
            if not (any_owner or owner_id in (None, user_id)):
                continue
            if stage in OPEN_STAGES:
                if lead_id not in known and len(known) < search_index.CANDIDATES:
                    # As many to rank as the index gives on SQLite: a walk of 400 people
                    # would otherwise have every one of their rows read and placed.
                    known.add(lead_id)
                    ids.append(lead_id)
            elif closed:
                ended[lead_id] = arrived_at
    found.extend(_placed(_rows_of(connection, ids), user_id, at, policy))
    rows = _built(_first(found, limit), user_id, at, policy)
    room = limit - len(rows)
    if closed and room > 0 and ended:
        newest = sorted(ended, key=lambda lead_id: ended[lead_id], reverse=True)[:room]
        unread = [lead_id for lead_id in newest if lead_id not in read]
        for item in _placed(_rows_of(connection, unread), user_id, at, policy):
            read[item.facts.lead_id] = item
        past = [read[lead_id] for lead_id in newest if lead_id in read]
        rows.extend(_built(past, user_id, at, policy))
    return rows


def _lead_by_number(
    connection: InTransaction,
    lead_id: int,
    user_id: int,
    at: datetime,
    policy: Policy,
    any_owner: bool,
) -> list[QueueRow]:
    """The lead a "#3001" search names, open or closed (a closed one says so), if it is one
    the rep may see: theirs, the pool's, or anyone's for a team lead."""
    found = next(iter(_OWNER_OF.rows(connection, {"lead_id": lead_id})), None)
    if found is None or not (any_owner or found[0] in (None, user_id)):
        return []
    return _rows_for(connection, [lead_id], user_id, at, policy)


def lead_row(session: Session, lead_id: int, user_id: int, at: datetime) -> QueueRow | None:
    """One lead as ``user_id``'s queue would show it (saying why not, when it cannot be
    called now); None if there is no such lead."""
    policy = current_policy(session)
    found = _rows_for(session.connection(), [lead_id], user_id, at, policy)
    return found[0] if found else None


# Built once, so its cache key is memoised: building it per search cost more than running it.
_ROWS_OF = (
    select(*ROW_COLUMNS, OWNER.name)
    .join(Person, Lead.person_id == Person.id)
    .outerjoin(Account, Lead.account_id == Account.id)
    .outerjoin(OWNER, Lead.assigned_to_id == OWNER.id)
)
_ROWS = DriverStatement(_ROWS_OF.where(Lead.id.in_(bindparam("ids", expanding=True))))
_OWNER_OF = DriverStatement(select(Lead.assigned_to_id).where(Lead.id == bindparam("lead_id")))
# The index's matches and their rows in one statement (SQLite): open ones, or all with closed.
# Through the driver: an e-mail's or a phone's search is this one statement, one row.
_ROWS_MATCHED = {
    False: DriverStatement(_ROWS_OF.where(Lead.id.in_(search_index.OPEN_IDS))),
    True: DriverStatement(_ROWS_OF.where(Lead.id.in_(search_index.ALL_IDS))),
}


@dataclass(frozen=True)
class Placed:
    """A lead's row as read, placed in the rep's queue but not built yet."""

    blocked: bool  # not callable now
    key: SortKey
    row: Any
    facts: LeadFacts
    placed: Band | str  # its band, or why it is not in the queue now
    band: Band


def _rows_of(connection: InTransaction, ids: list[int]) -> list[Any]:
    return _ROWS.rows(connection, {"ids": ids}) if ids else []


def _placed(rows: Iterable[Any], user_id: int, at: datetime, policy: Policy) -> list[Placed]:
    """Each row read with ROW_COLUMNS, placed in the queue's order (no row built)."""
    found = []
    for row in rows:
        facts = facts_of(row)
        placed = ordering.classify(facts, user_id=user_id, at=at, policy=policy, include_pool=True)
        band = placed if isinstance(placed, Band) else Band.OTHER
        key = ordering.sort_key(facts, band, policy)
        found.append(Placed(isinstance(placed, str), key, row, facts, placed, band))
    return found


def _first(found: list[Placed], limit: int) -> list[Placed]:
    """The first ``limit`` in the queue's order: callable first, then by urgency."""
    return sorted(found, key=lambda item: (item.blocked, item.key))[:limit]


def _built(found: list[Placed], user_id: int, at: datetime, policy: Policy) -> list[QueueRow]:
    """The rows shown, built only now that they are chosen."""
    rows = []
    for item in found:
        row, facts, placed = item.row, item.facts, item.placed
        first, last, email, phone, phone_raw, company = row[17:23]
        rows.append(
            build_row(
                facts,
                item.band,
                person=person_label(first, last, email, phone, facts.lead_id),
                company=company,
                phone=phone or phone_raw,
                owner=row[len(ROW_COLUMNS)],
                at=at,
                policy=policy,
                user_id=user_id,
                blocked=_why_not(placed, facts) if isinstance(placed, str) else None,
            )
        )
    return rows


def _rows_for(
    connection: InTransaction, ids: list[int], user_id: int, at: datetime, policy: Policy
) -> list[QueueRow]:
    """The rows of ``ids``, in the order read."""
    found = _placed(_rows_of(connection, ids), user_id, at, policy)
    return _built(found, user_id, at, policy)


def _why_not(placed: str, facts: LeadFacts) -> str:
    if placed == ordering.CLOSED:
        return f"closed: {ENDED.get(facts.stage, facts.stage.label)}"
    if placed == ordering.ON_HOLD and facts.hold_reason:
        return f"on hold ({facts.hold_reason.replace('_', ' ')})"
    return placed

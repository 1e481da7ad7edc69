"""Is this row someone the store already knows? Duplicate checks for a chunk of rows at once.

A row is the same person as a stored one on the same email, else the same phone (unless both
have emails and they differ: a switchboard number is shared by a whole company), else a close
name at the same company (rapidfuzz). Checks run per chunk: one query for the chunk's emails,
one for its phones, one for its companies, one for the people at those companies, one for the
leads of every matched person and one for import keys already stored. Never one per row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.domain import Stage
from leaddesk.intake.rows import CleanRow, country_code
from leaddesk.queue.zones import zone_key_for
from leaddesk.store.models import Account, Lead, Person

# token_sort_ratio at or above this is "the same name": "Jon Smith" / "John Smith" (95),
# "Smith, John" / "John Smith" (100); "Ann Lee" / "Dan Lee" (86) stays two people.
NAME_SIMILARITY = 90
# People read per company for name matching: a big customer has thousands of contacts.
MAX_PEOPLE_PER_COMPANY = 500
_IN_BATCH = 900  # values per IN list: well inside every backend's parameter limit


@dataclass(slots=True, eq=False)
class KnownLead:
    """A stored lead of a matched person (or one this import is about to create)."""

    id: int | None
    stage: Stage
    interest_score: int
    extra: dict[str, Any] | None
    version: int = 1
    keys: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.stage.is_open


@dataclass(slots=True, eq=False)
class KnownPerson:
    """A stored person, or one this import is about to create (``id`` None until written)."""

    id: int | None
    email: str | None
    phone: str | None
    first_name: str
    last_name: str
    account_id: int | None
    do_not_call: bool = False
    leads: list[KnownLead] = field(default_factory=list)

    def open_lead(self) -> KnownLead | None:
        """The person's open lead new interest is added to (the newest if several)."""
        for lead in reversed(self.leads):
            if lead.is_open:
                return lead
        return None


@dataclass(slots=True)
class KnownAccount:
    id: int | None
    name: str
    is_customer: bool
    owner_name: str | None = None


@dataclass
class StoreView:
    """What the store knows about one chunk's rows."""

    by_email: dict[str, KnownPerson] = field(default_factory=dict)
    by_phone: dict[str, list[KnownPerson]] = field(default_factory=dict)
    accounts: dict[str, KnownAccount] = field(default_factory=dict)
    by_company: dict[str, list[KnownPerson]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


def import_key(source: str, row: CleanRow) -> str:
    """The row's identity as one interest: who, from where, when and about what.

    The same row imported again (the same file, or an overlapping later export) gives the
    same key, so it is recognised and changes nothing. The import time is not part of it.
    """
    who = (
        row.email.casefold()
        if row.email
        else row.best_phone or f"{row.full_name.casefold()}|{row.company_key}"
    )
    when = row.arrived_at.isoformat() if row.arrived_at else ""
    text = "\x1f".join((source.casefold(), who, when, row.source, row.campaign, row.inquiry))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def same_name(row: CleanRow, person: KnownPerson) -> bool:
    theirs = f"{person.first_name} {person.last_name}".strip().casefold()
    return _close(row.full_name.casefold(), theirs)


def _close(mine: str, theirs: str) -> bool:
    if not mine or not theirs:
        return False
    return fuzz.token_sort_ratio(mine, theirs) >= NAME_SIMILARITY


def company_keys_of(row: CleanRow) -> tuple[str, ...]:
    """Keys an existing account may be stored under: our key, and the plain casefolded name
    (stores filled before intake existed keyed accounts that way)."""
    if not row.company:
        return ()
    plain = row.company.casefold()
    return (row.company_key,) if plain == row.company_key else (row.company_key, plain)


def look_up(session: Session, rows: Sequence[CleanRow], keys: Iterable[str]) -> StoreView:
    """Everything the store holds about these rows, in a handful of batched queries."""
    view = StoreView()
    connection = session.connection()
    people = Person.__table__.c
    person_columns = (
        people.id,
        people.email,
        people.phone,
        people.first_name,
        people.last_name,
        people.account_id,
        people.do_not_call,
    )
    found: dict[int, KnownPerson] = {}

    def remember(record: Any) -> KnownPerson:
        person = found.get(record.id)
        if person is None:
            person = found[record.id] = KnownPerson(
                record.id,
                record.email,
                record.phone,
                record.first_name or "",
                record.last_name or "",
                record.account_id,
                bool(record.do_not_call),
            )
        return person

    emails = {address for row in rows if (address := row.email)}
    emails |= {address.casefold() for address in emails}
    for batch in _batches(emails):
        statement = (
            select(*person_columns)
            .where(people.email.in_(batch), people.erased_at.is_(None))
            .order_by(people.id)
        )
        for record in connection.execute(statement):
            view.by_email.setdefault(record.email.casefold(), remember(record))

    phones = {number for row in rows for number in (row.phone_e164, row.mobile_e164) if number}
    for batch in _batches(phones):
        statement = (
            select(*person_columns)
            .where(people.phone.in_(batch), people.erased_at.is_(None))
            .order_by(people.id)
        )
        for record in connection.execute(statement):
            view.by_phone.setdefault(record.phone, []).append(remember(record))

    names = {key for row in rows for key in company_keys_of(row)}
    accounts = Account.__table__.c
    by_id: dict[int, tuple[str, KnownAccount]] = {}
    for batch in _batches(names):
        statement = select(
            accounts.id, accounts.name, accounts.name_key, accounts.is_customer, accounts.owner_name
        ).where(accounts.name_key.in_(batch))
        for record in connection.execute(statement.order_by(accounts.id)):
            account = KnownAccount(
                record.id, record.name, bool(record.is_customer), record.owner_name
            )
            key = record.name_key
            held = view.accounts.get(key)
            # A customer account wins over a prospect account of the same name.
            if held is None or (account.is_customer and not held.is_customer):
                view.accounts[key] = account
            by_id[record.id] = (key, account)

    # Name matching only for rows no email or phone matched, among people at their company;
    # only candidates whose name is close to one of those rows are kept.
    unmatched: dict[str, list[CleanRow]] = {}
    for row in rows:
        if not (row.company and row.full_name):
            continue
        if row.email and row.email.casefold() in view.by_email:
            continue
        if any(n in view.by_phone for n in (row.phone_e164, row.mobile_e164) if n):
            continue
        for key in company_keys_of(row):
            unmatched.setdefault(key, []).append(row)
    account_ids = [account_id for account_id, (key, _) in by_id.items() if key in unmatched]
    for batch in _batches(account_ids):
        statement = (
            select(*person_columns)
            .where(people.account_id.in_(batch), people.erased_at.is_(None))
            .order_by(people.account_id, people.id)
        )
        counts: dict[int, int] = {}
        for record in connection.execute(statement):
            seen = counts[record.account_id] = counts.get(record.account_id, 0) + 1
            if seen > MAX_PEOPLE_PER_COMPANY:
                continue
            key = by_id[record.account_id][0]
            name = f"{record.first_name or ''} {record.last_name or ''}".strip().casefold()
            if any(_close(row.full_name.casefold(), name) for row in unmatched[key]):
                view.by_company.setdefault(key, []).append(remember(record))

    leads = Lead.__table__.c
    for batch in _batches(list(found)):
        statement = (
            select(
                leads.id,
                leads.person_id,
                leads.stage,
                leads.interest_score,
                leads.extra,
                leads.version,
                leads.import_key,
            )
            .where(leads.person_id.in_(batch))
            .order_by(leads.person_id, leads.arrived_at, leads.id)
        )
        for record in connection.execute(statement):
            extra = record.extra if isinstance(record.extra, dict) else None
            lead = KnownLead(
                record.id, Stage(record.stage), record.interest_score, extra, record.version
            )
            if record.import_key:
                view.keys.add(record.import_key)
            if extra and isinstance(extra.get("import_keys"), list):
                lead.keys = [str(key) for key in extra["import_keys"]]
                view.keys.update(lead.keys)
            found[record.person_id].leads.append(lead)

    for batch in _batches(list(set(keys) - view.keys)):
        statement = select(leads.import_key).where(leads.import_key.in_(batch))
        view.keys.update(connection.execute(statement).scalars())
    return view


def _batches(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), _IN_BATCH):
        yield items[start : start + _IN_BATCH]


@dataclass(frozen=True, slots=True)
class Whereabouts:
    country: str | None  # ISO alpha-2
    zone_key: str | None


def whereabouts(row: CleanRow, default_region: str | None) -> Whereabouts:
    """The person's country (the country cell, else the phone's) and calling zone(s)."""
    stated = country_code(row.country) if row.country else None
    phone = row.best_phone
    if phone is None:
        return Whereabouts(stated, zone_key_for(phone=None, country=stated or default_region))
    key = (phone[:_PREFIX], stated)
    known = _by_prefix.get(key)
    if known is None:
        if len(_by_prefix) > 65_536:
            _by_prefix.clear()
        known = _by_prefix[key] = _locate(phone, stated)
    return known


# Zones and regions come from a number's leading digits (phonenumbers looks up at most nine
# after the +), so numbers sharing them share the answer: one parse per prefix, not per row.
_PREFIX = 10
_by_prefix: dict[tuple[str, str | None], Whereabouts] = {}


def _locate(phone: str, stated: str | None) -> Whereabouts:
    country = stated
    if country is None:
        try:
            country = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
        except phonenumbers.NumberParseException:
            country = None
        if country in (None, "ZZ", "001"):
            country = None
    return Whereabouts(country, zone_key_for(phone=phone, country=country))


def now_or_before(when: datetime | None, at: datetime) -> datetime:
    """When the interest arrived: as the file says, never in the future; now if it doesn't say."""
    if when is None or when > at:
        return at
    return when

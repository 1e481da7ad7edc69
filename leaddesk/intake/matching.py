"""Is this row someone the store already knows? Duplicate checks for a chunk of rows at once.

A row is the same person as a stored one on the same email, else the same phone, else a close
name at the same company (rapidfuzz); ``same_person`` weighs what each proves (a shared inbox,
a switchboard number, a name only close in another word order). Checks run per chunk: one
query for the chunk's emails, one for its phones, one for its companies, one for the people at
those companies, one for the leads of every matched person and one for import keys already
stored. Never one per row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import phonenumbers
from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from leaddesk.domain import Stage
from leaddesk.intake.rows import CleanRow, country_code
from leaddesk.queue.zones import zone_key_for
from leaddesk.store.batch_reads import BatchQuery
from leaddesk.store.intake_lookups import (
    accounts_by_name_key,
    leads_of_people,
    people_at_accounts,
    people_by_email,
    people_by_phone,
    stored_import_keys,
)

# token_sort_ratio at or above this is "the same name": "Jon Smith" / "John Smith" (95),
# "Smith, John" / "John Smith" (100); "Ann Lee" / "Dan Lee" (86) stays two people.
NAME_SIMILARITY = 90
# People read per company for name matching: a big customer has thousands of contacts.
MAX_PEOPLE_PER_COMPANY = 500


@dataclass(slots=True, eq=False)
class KnownLead:
    """A stored lead of a matched person (or one this import is about to create)."""

    id: int | None
    stage: Stage
    interest_score: int
    extra: dict[str, Any] | None
    version: int = 1
    keys: list[str] = field(default_factory=list)
    row: int | None = None  # a lead this import (or dry run) is about to add: its row

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
    # What the store knows of them that a new lead's score reads (as the questionnaire does).
    seniority: str | None = None
    title: str | None = None

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
    people: dict[int, KnownPerson] = field(default_factory=dict)  # every person above, by id
    # Company key -> names of the rows there that no email or phone matched.
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    # A dry run: import keys (first 64 bits) of earlier rows of the file -> their row.
    earlier_keys: dict[int, int] = field(default_factory=dict)


def import_key(source: str, row: CleanRow) -> str:
    """The row's identity as one interest: who, from where, when and about what.

    The same row imported again (the same file, or an overlapping later export) gives the
    same key, so it is recognised and changes nothing. The import time is not part of it. The
    name is part of it beside an email: two people writing from one address with the same
    request are two rows to look at, not one row twice.
    """
    name = " ".join(sorted(row.full_name.casefold().split()))
    who = (
        f"{row.email.casefold()}|{name}"
        if row.email
        else row.best_phone or f"{row.full_name.casefold()}|{row.company_key}"
    )
    return _key(source, who, row)


def key_before_names(source: str, row: CleanRow) -> str | None:
    """The key a row with an email had before the name was part of it: a file imported then
    is still recognised when imported again (None for a row whose key is unchanged)."""
    return _key(source, row.email.casefold(), row) if row.email else None


def _key(source: str, who: str, row: CleanRow) -> str:
    when = row.arrived_at.isoformat() if row.arrived_at else ""
    text = "\x1f".join((source.casefold(), who, when, row.source, row.campaign, row.inquiry))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def close_names(mine: str, theirs: str) -> bool:
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


def look_up(
    session: Session, rows: Sequence[CleanRow], keys: Iterable[str], also: Iterable[str] = ()
) -> StoreView:
    """Everything the store holds about these rows (``keys``: their import keys, in the same
    order; ``also``: other keys to look for, the rows' keys from before names were in them),
    in a handful of batched queries.

    Plain SQL through the driver (``store/intake_lookups.py``): these run on every chunk of
    every import, and the rows they return need no conversion beyond what is done here.
    """
    view = StoreView()
    query = BatchQuery(session.connection())
    found: dict[int, KnownPerson] = {}

    def remember(record: Any) -> KnownPerson:
        person = found.get(record[0])
        if person is None:
            person = found[record[0]] = KnownPerson(
                record[0],
                record[1],
                record[2],
                record[3] or "",
                record[4] or "",
                record[5],
                bool(record[6]),
                seniority=record[7],
                title=record[8],
            )
        return person

    # Whatever its capitals, an address is the same person's: compared lower-cased, through
    # the lower(email) index that search walks too.
    typed = {address for row in rows if (address := row.email)}
    emails = {address.lower() for address in typed} | {address.casefold() for address in typed}
    for record in people_by_email(query, emails):
        view.by_email.setdefault(record[1].casefold(), remember(record))

    phones = {number for row in rows for number in (row.phone_e164, row.mobile_e164) if number}
    for record in people_by_phone(query, phones):
        view.by_phone.setdefault(record[2], []).append(remember(record))

    names = {key for row in rows for key in company_keys_of(row)}
    by_id: dict[int, tuple[str, KnownAccount]] = {}
    for record in accounts_by_name_key(query, names):
        account = KnownAccount(record[0], record[1], bool(record[3]), record[4])
        key = record[2]
        held = view.accounts.get(key)
        # A customer account wins over a prospect account of the same name.
        if held is None or (account.is_customer and not held.is_customer):
            view.accounts[key] = account
        by_id[record[0]] = (key, account)

    # Name matching only for rows no email or phone matched, among people at their company;
    # only candidates whose name is close to one of those rows are kept.
    unmatched = view.unmatched = unmatched_names(view, rows)
    _people_at_companies(query, view, by_id, unmatched, remember)
    _leads_of(query, view, found, list(found))

    row_keys = list(keys)
    for record in stored_import_keys(query, (set(row_keys) | set(also)) - view.keys):
        view.keys.add(record[0])

    # A row imported before is recognised by its key, on the lead of whoever it went to. That
    # may be someone it matched by name while an email or phone it has now matches someone who
    # came later: so for a row whose key is not found yet, its company's people are read too,
    # and "already imported" never depends on what matches first.
    again: dict[str, list[str]] = {}
    for row, key in zip(rows, row_keys, strict=True):
        if key in view.keys or not (row.company and row.full_name):
            continue
        name = row.full_name.casefold()
        for company in company_keys_of(row):
            if name not in unmatched.get(company, ()):
                again.setdefault(company, []).append(name)
    if again:
        before = set(found)
        _people_at_companies(query, view, by_id, again, remember)
        _leads_of(query, view, found, [person for person in found if person not in before])
        for company, more in again.items():
            unmatched.setdefault(company, []).extend(more)
    view.people = found
    return view


def _people_at_companies(
    query: BatchQuery,
    view: StoreView,
    by_id: dict[int, tuple[str, KnownAccount]],
    names: dict[str, list[str]],
    remember: Callable[[Any], KnownPerson],
) -> None:
    """People at the companies in ``names`` whose name is close to one given there."""
    account_ids = [account_id for account_id, (key, _) in by_id.items() if key in names]
    counts: dict[int, int] = {}
    for record in people_at_accounts(query, account_ids):
        account_id = record[5]
        seen = counts[account_id] = counts.get(account_id, 0) + 1
        if seen > MAX_PEOPLE_PER_COMPANY:
            continue
        key = by_id[account_id][0]
        name = f"{record[3] or ''} {record[4] or ''}".strip().casefold()
        if any(close_names(mine, name) for mine in names[key]):
            person = remember(record)
            held = view.by_company.setdefault(key, [])
            if all(person is not other for other in held):
                held.append(person)


def _leads_of(
    query: BatchQuery, view: StoreView, found: dict[int, KnownPerson], person_ids: list[int]
) -> None:
    """The leads of these people, onto them, with every import key they carry."""
    for record in leads_of_people(query, person_ids):
        extra = _json(record[4])
        lead = KnownLead(record[0], Stage(record[2]), record[3], extra, record[5])
        if record[6]:
            view.keys.add(record[6])
        if extra and isinstance(extra.get("import_keys"), list):
            lead.keys = [str(key) for key in extra["import_keys"]]
            view.keys.update(lead.keys)
        found[record[1]].leads.append(lead)


def unmatched_names(view: StoreView, rows: Sequence[CleanRow]) -> dict[str, list[str]]:
    """Company key -> names of the rows there that no email or phone in ``view`` matched."""
    unmatched: dict[str, list[str]] = {}
    for row in rows:
        if not (row.company and row.full_name):
            continue
        # A number may be a switchboard's, so a row it matched may still match by name.
        if row.email and row.email.casefold() in view.by_email:
            continue
        for key in company_keys_of(row):
            unmatched.setdefault(key, []).append(row.full_name.casefold())
    return unmatched


def _json(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


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

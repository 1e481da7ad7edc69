"""The raw look-ups an import runs on every chunk (docs/architecture.md §3, §6).

Plain SQL through the driver (``BatchQuery``): these run for every chunk of every import, and
the tuples they return need no conversion beyond what the caller does. Each function says the
columns of its tuples, in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from leaddesk.store.batch_reads import BatchQuery

# A person's tuple: (id, email, phone, first_name, last_name, account_id, do_not_call,
# seniority, title).
_PERSON_COLUMNS = (
    "id, email, phone, first_name, last_name, account_id, do_not_call, seniority, title"
)


def people_by_email(query: BatchQuery, emails: Iterable[str]) -> Iterable[Any]:
    """People (not erased) with one of these lower-cased emails, through the lower(email)
    index; person tuples by id."""
    return query.rows(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE erased_at IS NULL AND lower(email) IN",
        emails,
        order="id",
    )


def people_by_phone(query: BatchQuery, phones: Iterable[str]) -> Iterable[Any]:
    """People (not erased) with one of these E.164 phones; person tuples by id."""
    return query.rows(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE erased_at IS NULL AND phone IN",
        phones,
        order="id",
    )


def people_at_accounts(query: BatchQuery, account_ids: Iterable[int]) -> Iterable[Any]:
    """People (not erased) at these accounts; person tuples by account, then id."""
    return query.rows(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE erased_at IS NULL AND account_id IN",
        account_ids,
        order="account_id, id",
    )


def accounts_by_name_key(query: BatchQuery, keys: Iterable[str]) -> Iterable[Any]:
    """(id, name, name_key, is_customer, owner_name) of the accounts with these keys, by id."""
    return query.rows(
        "SELECT id, name, name_key, is_customer, owner_name FROM accounts WHERE name_key IN",
        keys,
        order="id",
    )


def leads_of_people(query: BatchQuery, person_ids: Iterable[int]) -> Iterable[Any]:
    """(id, person_id, stage, interest_score, extra, version, import_key) of these people's
    leads, by person, then arrival."""
    return query.rows(
        "SELECT id, person_id, stage, interest_score, extra, version, import_key "
        "FROM leads WHERE person_id IN",
        person_ids,
        order="person_id, arrived_at, id",
    )


def stored_import_keys(query: BatchQuery, keys: Iterable[str]) -> Iterable[Any]:
    """(import_key,) of the leads stored with one of these keys."""
    return query.rows("SELECT import_key FROM leads WHERE import_key IN", keys)


def do_not_call_digests(query: BatchQuery, digests: Iterable[str]) -> Iterable[Any]:
    """(digest, value) of the do-not-call entries with these digests; value is None for an
    erased person's."""
    return query.rows("SELECT digest, value FROM do_not_call_entries WHERE digest IN", digests)

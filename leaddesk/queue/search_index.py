"""Finding the leads a search names through SQLite's full-text index (``lead_search``, FTS5,
migration 0019): names, e-mail, phone digits and company, each word matched as a prefix and
anchored at the start of its field, so "smi" finds Smith but not Goldsmith, as the btree
walks did. One query answers a whole entry, whatever it matches, and stops at its LIMIT.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.store.driver_statements import InTransaction, is_sqlite
from leaddesk.store.models import Lead

if TYPE_CHECKING:
    from leaddesk.queue.search import SearchTerms

# Matches read per search before they are put in the queue's order and cut to the page.
CANDIDATES = 100  # twice a full page: enough to rank, and half the index walk of 200
_WORD = re.compile(r"\w")
_EMAIL_MARKS = str.maketrans("", "", ".@-_+")  # as the index's SQL removes them (0019)
_OPEN = ", ".join(f"'{stage.value}'" for stage in sorted(OPEN_STAGES, key=lambda s: s.value))
_VISIBLE = "(l.assigned_to_id IS NULL OR l.assigned_to_id = :user_id OR :any_owner)"
# CROSS JOIN keeps SQLite from starting at leads: the index names the rows, leads filters them.
_MATCHES = f"""
    SELECT l.id, l.stage, l.arrived_at FROM lead_search AS s CROSS JOIN leads AS l
    WHERE lead_search MATCH :query AND l.id = s.rowid AND {_VISIBLE} {{stages}}
    LIMIT :cap
"""
OPEN_MATCHES = _MATCHES.format(stages=f"AND l.stage IN ({_OPEN})")
ALL_MATCHES = _MATCHES.format(stages="")
# Built once: a statement's cache key is then memoised, not worked out per search.
_OPEN_QUERY = text(OPEN_MATCHES).columns(Lead.id, Lead.stage, Lead.arrived_at)
_ALL_QUERY = text(ALL_MATCHES).columns(Lead.id, Lead.stage, Lead.arrived_at)
# The matches' lead ids alone, for a statement that reads their rows in the same trip.
_IDS = "SELECT id FROM ({matches})"
OPEN_IDS = text(_IDS.format(matches=OPEN_MATCHES)).columns(Lead.id)
ALL_IDS = text(_IDS.format(matches=ALL_MATCHES)).columns(Lead.id)


def indexed(connection: InTransaction) -> bool:
    """Whether this store searches through the FTS5 index (SQLite) or btree walks."""
    return is_sqlite(connection)


def _phrase(words: str, column: str) -> str | None:
    """``words`` as a prefix of ``column``: an FTS5 phrase, its last word a prefix, anchored
    at the field's start; None when it holds nothing the index keeps (only punctuation)."""
    if not _WORD.search(words):
        return None
    quoted = words.replace('"', '""')
    return f'{column} : ^"{quoted}"*'


def email_word(email: str) -> str:
    """An e-mail as the index keeps it, one word: "ann.lee@x.com" is "annleexcom"."""
    return email.translate(_EMAIL_MARKS)


def match_query(terms: SearchTerms) -> str | None:
    """The FTS5 query for ``terms`` (None if nothing in them is indexed)."""
    parts: list[str | None] = []
    for phone in terms.phones:
        digits = phone.lstrip("+")
        parts.append(f'phone : "{digits}"*' if digits.isdigit() else None)
    if len(terms.words) == 2:
        given, family = _phrase(terms.words[0], "first"), _phrase(terms.words[1], "last")
        if given and family:
            parts.append(f"({given} AND {family})")
    elif len(terms.words) == 1:
        parts.append(_phrase(terms.words[0], "{first last}"))
    if terms.email and not any(ch.isspace() for ch in terms.email):
        parts.append(_phrase(email_word(terms.email), "email"))
    if terms.company:
        parts.append(_phrase(terms.company, "company"))
    found = [part for part in parts if part]
    return " OR ".join(found) if found else None


def matching_leads(
    connection: Connection,
    query: str,
    *,
    user_id: int,
    any_owner: bool,
    closed: bool,
    cap: int = CANDIDATES,
) -> list[tuple[int, Stage, datetime]]:
    """(lead id, stage, arrival) of up to ``cap`` leads the index matches that ``user_id``
    may see: open ones only unless ``closed``."""
    params = {"query": query, "user_id": user_id, "any_owner": any_owner, "cap": cap}
    return list(connection.execute(_ALL_QUERY if closed else _OPEN_QUERY, params).tuples())

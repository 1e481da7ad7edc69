"""Which rows of an import are on the team's do-not-call list (docs/architecture.md §6).

Every row's email, phone and mobile is checked, so nobody on the list reaches a queue: a
listed row's lead arrives held, an erased person's row is not imported at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.intake.rows import CleanRow
from leaddesk.privacy.do_not_call import count_entries, digest, email_key
from leaddesk.store.batch_reads import BatchQuery
from leaddesk.store.intake_lookups import do_not_call_digests
from leaddesk.store.models import DoNotCallEntry


@dataclass(frozen=True, slots=True)
class Listing:
    """Why a row of an import is on the list: which of its values, and whether it is an erased
    person's (then only its digest is known)."""

    field: str  # the row's field: "email", "phone" or "mobile"
    value: str
    erased: bool


class ListCheck:
    """Which rows of an import are on the list, for every chunk of one import.

    A list of up to ``IN_MEMORY`` entries is read once (and again whenever an entry was added
    meanwhile: one indexed ``max(id)`` a chunk), and rows are checked against it in memory:
    an import's rows cost a few set look-ups each, and a digest each only once someone was
    erased. A longer list (a national registry) is looked up per chunk instead.
    """

    IN_MEMORY = 200_000
    FEW_ROWS = 50

    def __init__(self) -> None:
        self._newest: int | None = None
        self._loaded = False
        self._big = False
        self._plain: set[str] = set()
        self._erased: set[str] = set()

    def rows(self, session: Session, rows: Sequence[CleanRow]) -> dict[int, Listing]:
        """Row number -> why, for the rows whose email, phone or mobile is on the list."""
        newest = session.scalar(select(func.max(DoNotCallEntry.id)))
        if newest is None:
            return {}
        if not self._loaded and len(rows) <= self.FEW_ROWS:
            return listed_rows(session, rows)  # a lead typed in by hand: not worth the list
        if not self._loaded or newest != self._newest:
            self._load(session, newest)
        if self._big:
            return listed_rows(session, rows)
        plain, erased = self._plain, self._erased

        def on_list(value: str) -> bool | None:
            if erased and digest(value) in erased:
                return True
            return False if value in plain else None

        return _listings(rows, on_list)

    def _load(self, session: Session, newest: int) -> None:
        self._newest, self._loaded = newest, True
        self._big = count_entries(session) > self.IN_MEMORY
        self._plain, self._erased = set(), set()
        if self._big:
            return
        column = DoNotCallEntry.__table__.c
        for value, key in session.execute(select(column.value, column.digest)).tuples():
            if value is None:
                self._erased.add(key)
            else:
                self._plain.add(value)


def listed_rows(session: Session, rows: Sequence[CleanRow]) -> dict[int, Listing]:
    """Row number -> why, for the rows whose email, phone or mobile is on the list: one
    look-up for the whole chunk, by digest. Rows are hashed again only when something
    matched."""
    digests = set()
    for row in rows:
        if row.email:
            digests.add(digest(email_key(row.email)))
        if row.phone_e164:
            digests.add(digest(row.phone_e164))
        if row.mobile_e164:
            digests.add(digest(row.mobile_e164))
    if not digests:
        return {}
    query = BatchQuery(session.connection())
    found = {key: value is None for key, value in do_not_call_digests(query, digests)}
    if not found:
        return {}
    return _listings(rows, lambda value: found.get(digest(value)))


def _listings(
    rows: Sequence[CleanRow], on_list: Callable[[str], bool | None]
) -> dict[int, Listing]:
    """Row number -> why, given ``on_list(value)``: None when the value is not on the list,
    True when it is an erased person's, False for a plain entry."""
    listed: dict[int, Listing] = {}
    for row in rows:
        for name, value in (
            ("email", email_key(row.email) if row.email else None),
            ("phone", row.phone_e164),
            ("mobile", row.mobile_e164),
        ):
            if value is None:
                continue
            erased = on_list(value)
            if erased is not None:
                held = listed.get(row.number)
                # An erased person's entry decides: the row is not theirs to import.
                if held is None or (erased and not held.erased):
                    listed[row.number] = Listing(name, value, erased)
    return listed

"""What a dry run's earlier rows would have added, kept on disk so memory stays flat.

A real import matches each chunk against the store, which by then holds every earlier chunk.
A dry run writes nothing to the store, so it keeps what earlier chunks would have stored (new
people with their emails, phones and companies, their leads, new accounts, interest raised on
stored leads, the rows' import keys) in a private temporary SQLite database, and matches each
chunk against the store and that. However long the file, one chunk's rows are in memory.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from leaddesk.domain import Stage
from leaddesk.errors import LeadDeskError
from leaddesk.intake.matching import (
    MAX_PEOPLE_PER_COMPANY,
    KnownAccount,
    KnownLead,
    KnownPerson,
    StoreView,
    close_names,
    company_keys_of,
)
from leaddesk.intake.rows import CleanRow

_IN_BATCH = 900
_CACHE_KIB = 16 * 1024  # the scratch database's page cache; the rest stays on disk
_HALF = 1 << 63  # import keys' first 64 bits, shifted into SQLite's signed integers

_SCHEMA = """
CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, phone TEXT,
                     first_name TEXT NOT NULL, last_name TEXT NOT NULL);
CREATE INDEX people_email ON people (email);
CREATE TABLE phones (phone TEXT, person INTEGER, PRIMARY KEY (phone, person)) WITHOUT ROWID;
CREATE TABLE companies (company TEXT, person INTEGER, PRIMARY KEY (company, person))
    WITHOUT ROWID;
CREATE TABLE accounts (key TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
-- owner: the scratch person's id, or minus a stored person's id
CREATE TABLE leads (owner INTEGER, id INTEGER, score INTEGER NOT NULL, row INTEGER NOT NULL,
                    PRIMARY KEY (owner, id)) WITHOUT ROWID;
CREATE TABLE stored_scores (lead INTEGER PRIMARY KEY, score INTEGER NOT NULL);
CREATE TABLE keys (short INTEGER PRIMARY KEY, row INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class NewPerson:
    """A person a row would create, with everything later rows may match them on."""

    person: KnownPerson
    phones: Sequence[str]
    companies: Sequence[str]


@dataclass(frozen=True)
class NewLead:
    lead: KnownLead
    person: KnownPerson
    row: int


class EarlierRows:
    """The file so far, as far as matching later rows is concerned. Use as a context manager."""

    def __init__(self) -> None:
        # An empty name is SQLite's private temporary database: pages beyond its cache go to
        # a file in the temporary folder, removed on close (or when the process dies).
        with _room():
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.executescript(_SCHEMA)
        self._next_person = 1
        self._next_lead = 1
        # Scratch ids of the people and leads handed out for the current chunk, by id(object).
        self._scratch_people: dict[int, int] = {}
        self._scratch_leads: dict[int, tuple[int, int]] = {}  # (owner, id)

    def __enter__(self) -> EarlierRows:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._db.close()

    # -- matching a chunk ------------------------------------------------------------------------

    def add_to(self, view: StoreView, rows: Sequence[CleanRow], shorts: Iterable[int]) -> None:
        """Add to ``view`` what earlier rows of the file would have stored for these rows."""
        with _room():
            self._add_to(view, rows, shorts)

    def _add_to(self, view: StoreView, rows: Sequence[CleanRow], shorts: Iterable[int]) -> None:
        self._scratch_people.clear()
        self._scratch_leads.clear()
        people: dict[int, KnownPerson] = {}

        def remember(record: Any) -> KnownPerson:
            person = people.get(record[0])
            if person is None:
                person = people[record[0]] = KnownPerson(
                    None, record[1], record[2], record[3], record[4], None
                )
                self._scratch_people[id(person)] = record[0]
            return person

        columns = "p.id, p.email, p.phone, p.first_name, p.last_name"
        emails = {row.email.casefold() for row in rows if row.email}
        emails -= view.by_email.keys()
        for record in self._rows(f"SELECT {columns} FROM people p WHERE p.email IN", emails):
            view.by_email.setdefault(record[1].casefold(), remember(record))

        # Phones matter only where no email matched (the planner looks at the email first).
        by_email = view.by_email
        phones = {
            number
            for row in rows
            if not (row.email and row.email.casefold() in by_email)
            for number in (row.phone_e164, row.mobile_e164)
            if number
        }
        for record in self._rows(
            f"SELECT {columns}, f.phone FROM phones f JOIN people p ON p.id = f.person "
            "WHERE f.phone IN",
            phones,
            order="p.id",
        ):
            view.by_phone.setdefault(record[5], []).append(remember(record))

        keys = {key for row in rows for key in company_keys_of(row)}
        for key, name in self._rows("SELECT key, name FROM accounts WHERE key IN", keys):
            view.accounts.setdefault(key, KnownAccount(None, name, False))

        # The store's look-up left these rows unmatched; some of them may have matched above
        # by email or phone, which only brings a few candidates the planner passes over.
        unmatched = view.unmatched
        counts: dict[str, int] = {}
        for record in self._rows(
            f"SELECT {columns}, c.company FROM companies c JOIN people p ON p.id = c.person "
            "WHERE c.company IN",
            unmatched,
            order="p.id",
        ):
            company = record[5]
            seen = counts[company] = counts.get(company, 0) + 1
            name = f"{record[3]} {record[4]}".strip().casefold()
            if seen <= MAX_PEOPLE_PER_COMPANY and any(
                close_names(mine, name) for mine in unmatched[company]
            ):
                view.by_company.setdefault(company, []).append(remember(record))

        stored = view.people
        owners = [*people, *(-person_id for person_id in stored)]
        for record in self._rows(
            "SELECT id, owner, score, row FROM leads WHERE owner IN", owners, order="id"
        ):
            owner = record[1]
            person = people[owner] if owner > 0 else stored[-owner]
            person.leads.append(self._lead(record))
        leads = {lead.id: lead for person in stored.values() for lead in person.leads if lead.id}
        for lead_id, score in self._rows(
            "SELECT lead, score FROM stored_scores WHERE lead IN", leads
        ):
            leads[lead_id].interest_score = score
        signed = {short - _HALF for short in shorts}
        for short, row in self._rows("SELECT short, row FROM keys WHERE short IN", signed):
            view.earlier_keys[short + _HALF] = row

    def _lead(self, record: Any) -> KnownLead:
        lead = KnownLead(None, Stage.NEW, record[2], None, row=record[3])
        self._scratch_leads[id(lead)] = (record[1], record[0])
        return lead

    def _rows(self, head: str, values: Iterable[Any], *, order: str = "") -> Iterator[Any]:
        items = list(values)
        tail = f" ORDER BY {order}" if order else ""
        for start in range(0, len(items), _IN_BATCH):
            batch = items[start : start + _IN_BATCH]
            markers = ", ".join(["?"] * len(batch))
            yield from self._db.execute(f"{head} ({markers}){tail}", batch).fetchall()

    # -- after a chunk -------------------------------------------------------------------------

    def remember(
        self,
        *,
        accounts: Iterable[tuple[str, str]],
        people: Sequence[NewPerson],
        leads: Sequence[NewLead],
        raised: Iterable[KnownLead],
        keys: Mapping[int, int],
    ) -> None:
        """Keep what a chunk would have stored: ``accounts`` as (key, name), new ``people``,
        new ``leads`` (their final interest), leads whose interest was ``raised``, and the
        chunk's import ``keys`` (first 64 bits -> row)."""
        with _room():
            self._remember(accounts, people, leads, raised, keys)

    def _remember(
        self,
        accounts: Iterable[tuple[str, str]],
        people: Sequence[NewPerson],
        leads: Sequence[NewLead],
        raised: Iterable[KnownLead],
        keys: Mapping[int, int],
    ) -> None:
        db = self._db
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO accounts VALUES (?, ?)", accounts)
        scratch = self._scratch_people
        new_people: list[tuple[Any, ...]] = []
        phones: list[tuple[str, int]] = []
        companies: list[tuple[str, int]] = []
        for new_person in people:
            person = new_person.person
            person_id = scratch[id(person)] = self._next_person
            self._next_person += 1
            email = person.email.casefold() if person.email else None
            new_people.append((person_id, email, person.phone, person.first_name, person.last_name))
            phones.extend((number, person_id) for number in new_person.phones)
            companies.extend((company, person_id) for company in new_person.companies)
        db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?)", new_people)
        db.executemany("INSERT OR IGNORE INTO phones VALUES (?, ?)", phones)
        db.executemany("INSERT OR IGNORE INTO companies VALUES (?, ?)", companies)
        # Leads are written with their interest after the whole chunk, raises included.
        new_leads: list[tuple[Any, ...]] = []
        for new_lead in leads:
            stored = new_lead.person.id
            owner = scratch[id(new_lead.person)] if stored is None else -stored
            new_leads.append((owner, self._next_lead, new_lead.lead.interest_score, new_lead.row))
            self._next_lead += 1
        db.executemany("INSERT INTO leads VALUES (?, ?, ?, ?)", new_leads)
        stored_scores: list[tuple[int, int]] = []
        earlier_scores: list[tuple[int, int, int]] = []
        for lead in raised:
            if lead.id is not None:
                stored_scores.append((lead.id, lead.interest_score))
            elif (earlier := self._scratch_leads.get(id(lead))) is not None:
                earlier_scores.append((lead.interest_score, *earlier))
        db.executemany("INSERT OR REPLACE INTO stored_scores VALUES (?, ?)", stored_scores)
        db.executemany("UPDATE leads SET score = ? WHERE owner = ? AND id = ?", earlier_scores)
        db.executemany(
            "INSERT OR IGNORE INTO keys VALUES (?, ?)",
            ((short - _HALF, row) for short, row in keys.items()),
        )
        db.execute("COMMIT")


# What SQLite says when its temporary file cannot be written; anything else is a bug here,
# not the user's disk, and is not dressed up as one.
_NO_ROOM = ("disk", "full", "unable to open", "readonly", "read-only", "i/o error")


@contextmanager
def _room() -> Iterator[None]:
    """The temporary folder full or unwritable is something the user can fix: say so."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if not any(words in str(error).casefold() for words in _NO_ROOM):
            raise
        raise LeadDeskError(
            f"the preview could not keep its working copy of earlier rows in the temporary "
            f"folder {_temporary_folder()} ({error}); free some space there, or set TMPDIR "
            "to a folder with room, and try again"
        ) from error


def _temporary_folder() -> str:
    """Where SQLite puts temporary files on Unix (elsewhere it asks the system, as Python)."""
    for name in ("SQLITE_TMPDIR", "TMPDIR"):
        folder = os.environ.get(name)
        if folder and os.path.isdir(folder):
            return folder
    return tempfile.gettempdir()

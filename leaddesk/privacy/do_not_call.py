"""The team's do-not-call list: numbers and emails nobody may call, whoever they belong to.

Entries come from outside the call queue (an opt-out email, a registry scrub, a marketing
suppression list, a person who said "take me off your list" on a call) and from erasure: an
erased person's email and phone stay on the list as one-way digests only. Intake checks every
row against the list (``leaddesk/intake/do_not_call_check.py``), so nobody on it reaches a queue.

Values are cleaned as intake cleans them (E.164 numbers, emails with a lower-cased domain)
and compared lower-cased, through the SHA-256 digest every entry carries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.contacts.emails import normalise_email
from leaddesk.contacts.phones import normalise_phone
from leaddesk.domain import OPEN_STAGES
from leaddesk.errors import InputError
from leaddesk.store.models import DoNotCallEntry, Lead, Person, User

# Why an open lead of someone on the list is out of every queue (Lead.hold_reason).
HOLD = "do_not_call"
EMAIL, PHONE = "email", "phone"
MAX_REASON = 500
_BATCH = 900  # values per IN list: well inside every backend's parameter limit


def digest(value: str) -> str:
    """The one-way digest the list compares: of an E.164 number, or a lower-cased email."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def email_key(address: str) -> str:
    return address.lower()


@dataclass(frozen=True)
class Value:
    """A phone number or email, cleaned as intake cleans it."""

    kind: str  # PHONE or EMAIL
    value: str  # E.164, or the email lower-cased

    @property
    def digest(self) -> str:
        return digest(self.value)


NEITHER = "neither a phone number nor an email address"


def read_value(text: str, region: str | None) -> Value:
    """A typed phone number or email as the list keeps it; InputError says what is wrong."""
    typed = text.strip()
    if not typed:
        raise InputError("give a phone number or an email address")
    if "@" in typed:
        email = normalise_email(typed)
        if email.address is None:
            raise InputError(f"'{typed}': {email.flag or 'not a valid email address'}")
        return Value(EMAIL, email_key(email.address))
    phone = normalise_phone(typed, region)
    if phone.e164 is None:
        # Not even digits: it was meant as neither, or as an email with its @ left out.
        flag = phone.flag or NEITHER
        raise InputError(f"'{typed}': {NEITHER if flag == 'not a phone number' else flag}")
    return Value(PHONE, phone.e164)


def reason_given(text: str | None, *, required: bool = True) -> str:
    reason = " ".join((text or "").split())
    if required and not reason:
        raise InputError("say why (e.g. 'asked on a call', 'opt-out email')", field="reason")
    if len(reason) > MAX_REASON:
        raise InputError(f"at most {MAX_REASON} characters", field="reason")
    return reason


# -- who is affected -------------------------------------------------------------------------------


def hold_people(
    session: Session, person_ids: Iterable[int], *, at: datetime, keep_lead_id: int | None = None
) -> int:
    """Flag these people do-not-call and hold every open lead of theirs (but ``keep_lead_id``,
    which the caller holds itself) out of every queue: claims, callbacks and next tries are
    cleared. Returns how many leads were held."""
    ids = sorted(set(person_ids))
    held = 0
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        session.execute(
            update(Person)
            .where(Person.id.in_(batch), Person.do_not_call.is_(False))
            .values(do_not_call=True, do_not_call_at=at)
        )
        leads = (
            update(Lead)
            .where(Lead.person_id.in_(batch), Lead.stage.in_(OPEN_STAGES))
            .values(
                hold_reason=HOLD,
                claimed_by_id=None,
                claim_expires_at=None,
                callback_at=None,
                next_attempt_at=None,
                version=Lead.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if keep_lead_id is not None:
            leads = leads.where(Lead.id != keep_lead_id)
        held += int(session.execute(leads).rowcount)  # type: ignore[attr-defined]
    return held


def people_with(session: Session, values: Iterable[Value]) -> list[int]:
    """Ids of the (not erased) people whose email or phone is one of ``values``."""
    values = list(values)
    emails = sorted({v.value for v in values if v.kind == EMAIL})
    phones = sorted({v.value for v in values if v.kind == PHONE})
    found: set[int] = set()
    for column, wanted in ((func.lower(Person.email), emails), (Person.phone, phones)):
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            found.update(
                session.scalars(
                    select(Person.id).where(column.in_(batch), Person.erased_at.is_(None))
                )
            )
    return sorted(found)


# -- the list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One entry as the list shows it; ``value`` is None for an erased person's digest."""

    id: int
    kind: str
    value: str | None
    reason: str
    added_by: str | None
    added_at: datetime

    @property
    def shown(self) -> str:
        return self.value if self.value is not None else f"(erased person's {self.kind})"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "erased": self.value is None,
            "reason": self.reason,
            "added_by": self.added_by,
            "added_at": self.added_at.isoformat(),
        }


@dataclass(frozen=True)
class Added:
    """What putting numbers or emails on the list did."""

    added: int  # new entries
    already: int  # values that were on the list before
    people: int  # people now flagged do-not-call (or already flagged) with one of the values
    leads_held: int  # their open leads, now out of every queue
    rows: int = 0  # a list file: its data rows
    value: str = ""  # one entry: the value as the list keeps it

    def message(self, what: str | None = None) -> str:
        what = what or self.value
        if self.added == 0:
            text = f"{what} was already on the do-not-call list"
        else:
            text = f"{what} is on the do-not-call list"
        if self.people:
            people = "person" if self.people == 1 else "people"
            text += (
                f"; {self.people:,} {people} flagged do-not-call, "
                f"{self.leads_held:,} open lead(s) held out of every queue"
            )
        return text + "."

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def add_entry(
    session: Session,
    text: str,
    *,
    reason: str,
    actor_id: int | None,
    at: datetime,
    region: str | None,
) -> Added:
    """Put one phone number or email on the list, flag everyone who has it do-not-call and
    hold their open leads, with an audit event: one transaction (the caller's)."""
    value = read_value(text, region)
    why = reason_given(reason)
    added = add_values(
        session,
        [value],
        reason=why,
        actor_id=actor_id,
        at=at,
        action=AuditAction.DO_NOT_CALL_LISTED,
    )
    return replace(added, value=value.value)


def add_values(
    session: Session,
    values: Sequence[Value],
    *,
    reason: str | Sequence[str],
    actor_id: int | None,
    at: datetime,
    action: AuditAction,
    subject: str | None = None,
    rows: int = 0,
) -> Added:
    """Put ``values`` on the list (those already on it are counted, not added again), flag
    everyone who has one do-not-call and hold their open leads, with one audit event."""
    reasons = [reason] * len(values) if isinstance(reason, str) else list(reason)
    wanted: dict[str, tuple[Value, str]] = {}
    for value, why in zip(values, reasons, strict=True):
        wanted.setdefault(value.digest, (value, why))
    known = _known_digests(session, wanted)
    new = [
        DoNotCallEntry(
            kind=value.kind,
            value=value.value,
            digest=key,
            reason=why,
            added_by_id=actor_id,
            added_at=at,
        )
        for key, (value, why) in wanted.items()
        if key not in known
    ]
    session.add_all(new)
    session.flush()
    people = people_with(session, (value for value, _why in wanted.values()))
    held = hold_people(session, people, at=at)
    result = Added(len(new), len(wanted) - len(new), len(people), held, rows)
    counts = {k: v for k, v in result.as_json().items() if k != "value"}
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=action,
        # Entry ids, never the values: an erasure must not leave them in the audit trail.
        subject=subject or (f"do-not-call entry {new[0].id}" if len(new) == 1 else None),
        reason=reason if isinstance(reason, str) else None,
        details={**counts, "people_ids": people},
    )
    return result


def listed_values(session: Session, values: Iterable[Value]) -> set[str]:
    """The digests of ``values`` that are on the list."""
    return _known_digests(session, (value.digest for value in values))


def _known_digests(session: Session, digests: Iterable[str]) -> set[str]:
    wanted = sorted(digests)
    known: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        known.update(
            session.scalars(select(DoNotCallEntry.digest).where(DoNotCallEntry.digest.in_(batch)))
        )
    return known


@dataclass(frozen=True)
class Removed:
    kind: str
    value: str | None
    still_flagged: int  # people with it who stay flagged do-not-call

    def message(self) -> str:
        what = self.value or f"the erased person's {self.kind}"
        text = f"{what} is off the do-not-call list."
        if self.still_flagged:
            people = "person stays" if self.still_flagged == 1 else "people stay"
            text += (
                f" {self.still_flagged:,} {people} flagged do-not-call: removing an entry "
                "does not un-flag anyone; their held leads stay held."
            )
        else:
            text += " Removing an entry does not un-flag anyone flagged before."
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "still_flagged": self.still_flagged,
        }


def remove_entry(
    session: Session,
    what: str | int,
    *,
    actor_id: int | None,
    at: datetime,
    region: str | None,
) -> Removed:
    """Take a phone number or email (or the entry with id ``what``) off the list. People
    flagged do-not-call stay flagged: that was said to a rep, or came from the list, and
    who may be called again is a person's decision, not a side effect."""
    if isinstance(what, int):
        entry = session.get(DoNotCallEntry, what)
        if entry is None:
            raise InputError(f"there is no do-not-call entry {what}")
    else:
        value = read_value(what, region)
        entry = session.scalar(select(DoNotCallEntry).where(DoNotCallEntry.digest == value.digest))
        if entry is None:
            raise InputError(f"{value.value} is not on the do-not-call list")
    flagged = 0
    if entry.value is not None:
        people = people_with(session, [Value(entry.kind, entry.value)])
        flagged = len(people)
    removed = Removed(entry.kind, entry.value, flagged)
    session.execute(delete(DoNotCallEntry).where(DoNotCallEntry.id == entry.id))
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.DO_NOT_CALL_REMOVED,
        subject=f"do-not-call entry {entry.id}",
        details={"kind": entry.kind, "still_flagged": flagged},
    )
    return removed


def entries(session: Session, *, limit: int | None = None, offset: int = 0) -> list[Entry]:
    """The list, newest first."""
    query = (
        select(DoNotCallEntry, User.display_name)
        .outerjoin(User, User.id == DoNotCallEntry.added_by_id)
        .order_by(DoNotCallEntry.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        Entry(e.id, e.kind, e.value, e.reason, by, e.added_at)
        for e, by in session.execute(query).tuples()
    ]


def count_entries(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(DoNotCallEntry)) or 0)

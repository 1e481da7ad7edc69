"""The store's side of a hand-off record: a chunk of leads read in a few bulk queries as
plain rows (no ORM objects), everything dated after the cutoff left out.

Building ORM objects for every call, note and answer was most of an export's time; these
queries name the columns a record needs and nothing else, and run on the driver's cursor of
the session's connection (store/driver_statements.py): the ORM's and even SQLAlchemy Core's
handling of a result (a Row per tuple, its own compile step) cost more than the queries.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import BindParameter, Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session

from leaddesk.domain import LeadType, Verdict
from leaddesk.store.driver_statements import DriverStatement
from leaddesk.store.meeting_models import Meeting
from leaddesk.store.models import (
    Account,
    Answer,
    CallAttempt,
    Lead,
    Note,
    Person,
    User,
    VerdictRecord,
)


class LeadRow(NamedTuple):
    """A lead with its person and account (LEAD_COLUMNS, in order). A plain tuple: reading a
    SQLAlchemy Row's fields by name cost more than building the record."""

    id: int
    source: str
    campaign: str | None
    inquiry: str | None
    arrived_at: datetime
    stage_changed_at: datetime
    definition_version_id: int | None
    lead_type: LeadType | None
    assigned_to_id: int | None
    fit_score: int
    interest_score: int
    framework_score: int | None
    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    phone: str | None
    phone_raw: str | None
    country: str | None
    city: str | None
    timezone: str | None
    account_id: int | None
    account_country: str | None
    company: str | None
    domain: str | None
    industry: str | None
    employees: int | None
    is_customer: bool | None
    marketing_qualified_at: datetime | None


class VerdictRow(NamedTuple):
    """A hand-off verdict (VERDICT_COLUMNS, in order)."""

    lead_id: int
    definition_version_id: int | None
    answers: dict[str, Any] | None
    decided_by_id: int
    decided_at: datetime
    lead_type: LeadType | None
    reason: str | None
    overridden: bool
    override_reason: str | None
    fired_rules: list[str] | None
    fit_score: int | None
    interest_score: int | None
    framework_score: int | None
    # The answers as stored (JSON text): leads answered alike share one text, so what is
    # worked out from the answers is worked out once per text (records.py).
    answers_json: str | None = None


@dataclass(frozen=True)
class ChunkRows:
    """One chunk's rows, by lead id where a lead has many."""

    leads: list[LeadRow]  # lead-id order
    verdicts: dict[int, VerdictRow]  # the latest hand-off verdict
    calls: dict[int, list[dict[str, Any]]]
    notes: dict[int, list[dict[str, Any]]]
    answers: dict[int, dict[str, Any]]  # question id → value, for leads whose verdict has none


LEAD_COLUMNS = (
    Lead.id,
    Lead.source,
    Lead.campaign,
    Lead.inquiry,
    Lead.arrived_at,
    Lead.stage_changed_at,
    Lead.definition_version_id,
    Lead.lead_type,
    Lead.assigned_to_id,
    Lead.fit_score,
    Lead.interest_score,
    Lead.framework_score,
    Person.first_name,
    Person.last_name,
    Person.title,
    Person.email,
    Person.phone,
    Person.phone_raw,
    Person.country,
    Person.city,
    Person.timezone,
    Account.id.label("account_id"),
    Account.country.label("account_country"),
    Account.name.label("company"),
    Account.domain,
    Account.industry,
    Account.employees,
    Account.is_customer,
    Lead.marketing_qualified_at,
)

VERDICT_COLUMNS = (
    VerdictRecord.lead_id,
    VerdictRecord.definition_version_id,
    # JSON as stored, decoded only for each lead's latest hand-off (json_value)
    type_coerce(VerdictRecord.answers, Text).label("answers"),
    VerdictRecord.decided_by_id,
    VerdictRecord.decided_at,
    VerdictRecord.lead_type,
    VerdictRecord.reason,
    VerdictRecord.overridden,
    VerdictRecord.override_reason,
    type_coerce(VerdictRecord.fired_rules, Text).label("fired_rules"),
    VerdictRecord.fit_score,
    VerdictRecord.interest_score,
    VerdictRecord.framework_score,
)


# Each statement is built once and takes the chunk's ids and the cutoff as parameters; rows
# are fetched all at once, not one by one. On SQLite each runs on the driver's cursor, its
# values converted by the columns' own types (no Result, no Row objects), its rows made by
# SQLite in one step (a chunk is read on a thread of its own beside the rendering one:
# leaddesk/handoff/read_ahead.py); on PostgreSQL through SQLAlchemy.
IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
CUTOFF: BindParameter[datetime] = bindparam("cutoff")
_USERS = DriverStatement(select(User.id, User.name, User.display_name))
_LEADS = DriverStatement(
    select(*LEAD_COLUMNS)
    .join(Person, Person.id == Lead.person_id)
    .outerjoin(Account, Account.id == Lead.account_id)
    .where(Lead.id.in_(IDS))
    .order_by(Lead.id),
    in_one_step=True,
)
_VERDICTS = DriverStatement(
    select(*VERDICT_COLUMNS)
    .where(
        VerdictRecord.lead_id.in_(IDS),
        VerdictRecord.verdict == Verdict.HAND_OFF,
        VerdictRecord.decided_at <= CUTOFF,
    )
    .order_by(VerdictRecord.decided_at, VerdictRecord.id),
    in_one_step=True,
)
_CALLS = DriverStatement(
    select(
        CallAttempt.lead_id,
        # As stored: the time is written out as text (call_time), the outcome is its value.
        type_coerce(CallAttempt.at, Text).label("at"),
        CallAttempt.user_id,
        type_coerce(CallAttempt.outcome, Text).label("outcome"),
        CallAttempt.duration_seconds,
        CallAttempt.note,
    )
    .where(CallAttempt.lead_id.in_(IDS), CallAttempt.at <= CUTOFF)
    .order_by(CallAttempt.at, CallAttempt.id),
    in_one_step=True,
)
_NOTES = DriverStatement(
    select(Note.lead_id, Note.created_at, Note.user_id, Note.text)
    .where(Note.lead_id.in_(IDS), Note.created_at <= CUTOFF)
    .order_by(Note.created_at, Note.id),
    in_one_step=True,
)
_ANSWERS = DriverStatement(
    select(Answer.lead_id, Answer.question_id, Answer.value)
    .where(Answer.lead_id.in_(IDS), Answer.answered_at <= CUTOFF)
    .order_by(Answer.id),
    in_one_step=True,
)

# Which leads had a meeting booked by the cutoff: most of a batch has none, and the meetings'
# own read (ORM objects, their histories) need only run for those that do.
_BOOKED = DriverStatement(
    select(Meeting.lead_id).where(Meeting.lead_id.in_(IDS), Meeting.booked_at <= CUTOFF).distinct()
)


def _rows(session: Session, statement: DriverStatement, **params: Any) -> Sequence[Any]:
    return statement.rows(session, params)


def user_names(session: Session) -> dict[int, tuple[str, str]]:
    """Every user's login name and display name, by id."""
    return {user_id: (name, display_name) for user_id, name, display_name in _rows(session, _USERS)}


def with_meetings(session: Session, chunk: Sequence[int], cutoff: datetime) -> list[int]:
    """The leads of ``chunk`` that had a meeting booked by ``cutoff``, lowest id first."""
    return sorted(row[0] for row in _rows(session, _BOOKED, ids=list(chunk), cutoff=cutoff))


def read_chunk(
    session: Session,
    chunk: Sequence[int],
    cutoff: datetime,
    users: dict[int, tuple[str, str]],
    decoded: dict[str, Any] | None = None,
) -> ChunkRows:
    """``decoded`` keeps each JSON text read so far with its value, for a read of many chunks:
    the same answers on many leads are decoded once and shared (nothing changes them)."""
    ids = list(chunk)
    leads = [LeadRow._make(row) for row in _rows(session, _LEADS, ids=ids)]
    verdicts = _latest_hand_off(session, ids, cutoff, {} if decoded is None else decoded)
    without_answers = [lead_id for lead_id in ids if not _has_answers(verdicts.get(lead_id))]
    return ChunkRows(
        leads=leads,
        verdicts=verdicts,
        calls=_calls(session, ids, cutoff, users),
        notes=_notes(session, ids, cutoff, users),
        answers=_answers(session, without_answers, cutoff) if without_answers else {},
    )


def _has_answers(verdict: VerdictRow | None) -> bool:
    return verdict is not None and bool(verdict.answers)


def _latest_hand_off(
    session: Session, ids: list[int], cutoff: datetime, decoded: dict[str, Any]
) -> dict[int, VerdictRow]:
    latest: dict[int, Sequence[Any]] = {}
    for row in _rows(session, _VERDICTS, ids=ids, cutoff=cutoff):
        latest[row[0]] = row
    verdicts: dict[int, VerdictRow] = {}
    for lead_id, row in latest.items():
        values = list(row)
        text = values[2]
        if text is not None:
            found = decoded.get(text, _UNREAD)
            if found is _UNREAD:
                found = decoded[text] = json_value(text)
            values[2] = found
        values[9] = json_value(values[9])
        values.append(text)
        verdicts[lead_id] = VerdictRow._make(values)
    return verdicts


_UNREAD = object()


def json_value(text: str | None) -> Any:
    """A JSON column's value from its text, as ``json.loads`` reads it: orjson, except where
    it would read otherwise (a number of 19 digits or more, which orjson turns into a float)
    or refuses (NaN, a lone surrogate)."""
    if text is None:
        return None
    # A JSON number is ASCII digits: with every digit made "0", a run of 19 zeros is a run of
    # 19 digits. A fifth of the cost of the regular expression ``\d{19}`` (issue #24).
    if _LONG_RUN not in text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZEROS):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19


# SQLite's text of a UTC time, as SQLAlchemy writes it: "2026-11-18 15:00:01.000000".
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?")


def call_time(value: str | datetime) -> str:
    """A stored time as ``datetime.isoformat`` writes it in UTC ("2026-11-18T15:00:01+00:00"),
    from SQLite's text without making a datetime first (PostgreSQL gives the datetime)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if _STORED_TIME.fullmatch(value):
        fraction = value[19:]
        if fraction == ".000000":
            fraction = ""
        return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _by(users: dict[int, tuple[str, str]], user_id: int) -> str:
    found = users.get(user_id)
    return found[0] if found is not None else ""


def _calls(
    session: Session, ids: list[int], cutoff: datetime, users: dict[int, tuple[str, str]]
) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lead_id, at, user_id, outcome, duration, note in _rows(
        session, _CALLS, ids=ids, cutoff=cutoff
    ):
        grouped[lead_id].append(
            {
                "at": call_time(at),
                "by": _by(users, user_id),
                "outcome": outcome,
                "duration_seconds": duration,
                "note": note,
            }
        )
    return grouped


def _notes(
    session: Session, ids: list[int], cutoff: datetime, users: dict[int, tuple[str, str]]
) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for lead_id, created_at, user_id, text in _rows(session, _NOTES, ids=ids, cutoff=cutoff):
        if text.strip():
            grouped[lead_id].append(
                {"at": created_at.isoformat(), "by": _by(users, user_id), "text": text}
            )
    return grouped


def _answers(session: Session, ids: list[int], cutoff: datetime) -> dict[int, dict[str, Any]]:
    grouped: dict[int, dict[str, Any]] = defaultdict(dict)
    for lead_id, question_id, value in _rows(session, _ANSWERS, ids=ids, cutoff=cutoff):
        grouped[lead_id][question_id] = value
    return grouped

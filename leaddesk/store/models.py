"""The store's tables as typed SQLAlchemy models (docs/architecture.md §1–4).

A *lead* is one expression of interest at a point in time; the *person* and the *account* are
shared context across a person's leads. Current state lives on the lead row (stage, assignment,
claim, cadence) so the queue is answered from indexes; history lives in the other tables.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from leaddesk.domain import (
    CallOutcome,
    DisqualifyReason,
    LeadType,
    Role,
    SalesDecision,
    Stage,
    Verdict,
)
from leaddesk.store.types import JSONText, UTCDateTime

# The key of a partial index's condition in its ``info`` (``_partial``).
WHERE = "where"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(kind: type[StrEnum]) -> Enum:
    # Stored as the plain value ("hand_off"), not the Python member name, with no CHECK
    # constraint: adding a value later must not need a table rebuild on SQLite.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONText()}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[Role] = mapped_column(_enum(Role))
    capacity: Mapped[int] = mapped_column(Integer, default=40)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    territories: Mapped[list[str]] = mapped_column(JSONText(), default=list)
    created_at: Mapped[datetime]
    # An argon2 hash, set once a store turns passwords on (see leaddesk/sign_in/passwords.py).
    # Never shown, logged, exported or backed up; deferred: no login but the owner reads it.
    password_hash: Mapped[str | None] = mapped_column(String(256), default=None, deferred=True)
    # A salesperson's own zone: their business hours (the policy's) run on their clock.
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)


class WindowLease(Base):
    """The one window a person has open on this store: who holds it (host, process), since
    when, and its last heartbeat. A window that stops beating is free to take after a while."""

    __tablename__ = "window_leases"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    name_key: Mapped[str] = mapped_column(String(256), index=True)
    domain: Mapped[str | None] = mapped_column(String(256), index=True)
    industry: Mapped[str | None] = mapped_column(String(128))
    employees: Mapped[int | None]
    country: Mapped[str | None] = mapped_column(String(2))
    is_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_name: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime]


class Person(Base):
    __tablename__ = "people"
    # Search by name or email walks these in order ("smi" → smith, smithers…); see
    # leaddesk/queue/search.py.
    __table_args__ = (
        Index("ix_people_first_name_lower", func.lower(text("first_name"))),
        Index("ix_people_last_name_lower", func.lower(text("last_name"))),
        Index("ix_people_email_lower", func.lower(text("email"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    last_name: Mapped[str] = mapped_column(String(128), default="")
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    phone_raw: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(256))
    seniority: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(128))
    city: Mapped[str | None] = mapped_column(String(128))
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The IANA zone(s) the person may be in, sorted and joined by "|" (a number that maps to
    # several zones must be callable in all of them); None when unknown. Set by
    # leaddesk.queue.zones so the queue filters calling hours with one IN list.
    zone_key: Mapped[str | None] = mapped_column(String(255), index=True)
    do_not_call: Mapped[bool] = mapped_column(Boolean, default=False)
    do_not_call_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    account: Mapped[Account | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class DefinitionVersion(Base):
    """An immutable published lead definition; verdicts point at the one they used."""

    __tablename__ = "definition_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(128))
    framework: Mapped[str] = mapped_column(String(32))
    source_text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class StoreIdentity(Base):
    """This store's own name among stores: a code made once (the first time a file needs it)
    and kept by backups and restores, so two stores' hand-off batches never share a name.
    One row, id 1."""

    __tablename__ = "store_identity"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime]


class HandoffBatch(Base):
    __tablename__ = "handoff_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    scope: Mapped[str] = mapped_column(String(16), default="own")
    lead_count: Mapped[int] = mapped_column(Integer, default=0)
    definition_version: Mapped[int | None]
    folder: Mapped[str | None] = mapped_column(Text)
    files: Mapped[dict[str, Any] | None]


def _partial(name: str, *columns: str, where: str) -> Index:
    """An index of only the rows ``where`` holds (migrations 0024, 0026, 0029 make it so).

    The condition is kept in the index's ``info``, not as ``sqlite_where``/``postgresql_where``:
    those make SQLAlchemy load both dialects when the models are imported, 30 ms of every
    command's start on a store that only ever uses one (tests/test_partial_indexes.py checks
    each store's index against ``info``)."""
    return Index(name, *columns, info={WHERE: where})


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_queue", "stage", "assigned_to_id", "next_attempt_at"),
        Index("ix_leads_person_arrived", "person_id", "arrived_at"),
        # The queue reads each band from its own index, in band order (leaddesk.queue).
        _partial(
            "ix_leads_queue_callbacks",
            "assigned_to_id",
            "stage",
            "callback_at",
            where="callback_at IS NOT NULL",
        ),
        Index("ix_leads_queue_new", "assigned_to_id", "stage", "sla_due_at"),
        Index("ix_leads_queue_due", "assigned_to_id", "stage", "next_attempt_at"),
        # Partial (0026): a lead arrives with no callback, hand-off or salesperson, so an
        # import's new leads add no entry to these indexes; every look-up compares the column.
        _partial(
            "ix_leads_sales_owner", "sales_owner_id", "stage", where="sales_owner_id IS NOT NULL"
        ),
        _partial("ix_leads_callback_at", "callback_at", where="callback_at IS NOT NULL"),
        _partial(
            "ix_leads_handoff_batch_id", "handoff_batch_id", where="handoff_batch_id IS NOT NULL"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    campaign: Mapped[str | None] = mapped_column(String(256))
    # The salesperson who passed the lead on (source sales_referral), credited in the reports.
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inquiry: Mapped[str | None] = mapped_column(Text)
    arrived_at: Mapped[datetime] = mapped_column(index=True)
    stage: Mapped[Stage] = mapped_column(_enum(Stage), default=Stage.NEW)
    stage_changed_at: Mapped[datetime]
    # When it became marketing-qualified (the definition's added stage), kept once it moves on:
    # the funnel counts it.
    marketing_qualified_at: Mapped[datetime | None]
    lead_type: Mapped[LeadType | None] = mapped_column(_enum(LeadType))
    existing_account: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fit_score: Mapped[int] = mapped_column(Integer, default=0)
    interest_score: Mapped[int] = mapped_column(Integer, default=0)
    framework_score: Mapped[int | None]
    sla_due_at: Mapped[datetime | None]
    first_contact_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    callback_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The unanswered calls since the person was last reached (the queue's "retry 2 of 6"),
    # kept by the call log and its undo so the queue reads it without counting calls.
    cadence_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claim_expires_at: Mapped[datetime | None]
    # The rep on the call when a team lead's forced move took it: they still log that call.
    taken_from_call_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    definition_version_id: Mapped[int | None] = mapped_column(ForeignKey("definition_versions.id"))
    handoff_batch_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_batches.id"))
    flagged_untouched_at: Mapped[datetime | None]
    # The salesperson the verdict handed it to, and sales' follow-up clock: started at the
    # verdict (or at a move to another salesperson), due in their business hours, flagged late.
    sales_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sales_clock_at: Mapped[datetime | None]
    sales_due_at: Mapped[datetime | None]
    sales_flagged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    recycled_at: Mapped[datetime | None]  # a nurtured lead's person came back as a new lead
    hold_reason: Mapped[str | None] = mapped_column(String(32))  # out of every queue: why
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    extra: Mapped[dict[str, Any] | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]

    # Every ORM update checks and bumps the version, so a team lead's reassignment and a
    # rep's verdict on the same lead cannot silently overwrite each other.
    __mapper_args__ = {"version_id_col": version}

    person: Mapped[Person] = relationship()
    account: Mapped[Account | None] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    sales_owner: Mapped[User | None] = relationship(foreign_keys=[sales_owner_id])


class FileValue(Base):
    """A value an import kept on a lead beyond its fields (another number, the CRM's record
    id, an extra column's value), lower-cased for search by prefix (migration 0015)."""

    __tablename__ = "lead_file_values"
    __table_args__ = (UniqueConstraint("value", "lead_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)


class CallAttempt(Base):
    __tablename__ = "call_attempts"
    # A rep's day (the status bar) is read by who and when.
    __table_args__ = (
        Index("ix_call_attempts_user_at", "user_id", "at"),
        # Calls still on the line (connected, not ended): the few rows a closed window left
        # open are found without walking the rep's calls (leaddesk.calling.ending).
        _partial("ix_call_attempts_open", "user_id", "at", where="ended_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    outcome: Mapped[CallOutcome] = mapped_column(_enum(CallOutcome))
    # From dialling to hanging up. A connected call is logged when the person picks up and
    # ends (``ended_at``) after the rep qualified on the line: its length is set then.
    duration_seconds: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    callback_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")


class Answer(Base):
    """One questionnaire answer, saved the moment it is given."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("lead_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSONText())
    definition_version_id: Mapped[int | None] = mapped_column(ForeignKey("definition_versions.id"))
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime]


class VerdictRecord(Base):
    __tablename__ = "verdicts"
    # A rep's day is read by who and when; round robin by each salesperson's last (0029).
    __table_args__ = (
        Index("ix_verdicts_decided_by_at", "decided_by_id", "decided_at"),
        _partial(
            "ix_verdicts_salesperson", "salesperson_id", "id", where="salesperson_id IS NOT NULL"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict))
    lead_type: Mapped[LeadType | None] = mapped_column(_enum(LeadType))
    reason: Mapped[str | None] = mapped_column(Text)
    disqualify_reason: Mapped[DisqualifyReason | None] = mapped_column(_enum(DisqualifyReason))
    recycle_at: Mapped[datetime | None]
    suggested_verdict: Mapped[Verdict | None] = mapped_column(_enum(Verdict))
    suggested_lead_type: Mapped[LeadType | None] = mapped_column(_enum(LeadType))
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    definition_version_id: Mapped[int | None] = mapped_column(ForeignKey("definition_versions.id"))
    fit_score: Mapped[int | None]
    interest_score: Mapped[int | None]
    framework_score: Mapped[int | None]
    answers: Mapped[dict[str, Any] | None]
    fired_rules: Mapped[list[str] | None] = mapped_column(JSONText())
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(index=True)
    salesperson_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # handed to


class Assignment(Base):
    """History of who owned a lead; the current owner is ``Lead.assigned_to_id``."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)


class PendingMove(Base):
    """A team lead's move of a lead a rep is calling, waiting for the call to end: carried out
    when the rep lets go of the lead, or by the sweep once the lease ran out."""

    __tablename__ = "pending_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), unique=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the pool
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class OpportunityRef(Base):
    """The opportunity sales created in its own CRM. Written only through sales feedback."""

    __tablename__ = "opportunity_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), unique=True)
    external_id: Mapped[str] = mapped_column(String(128))
    owner: Mapped[str | None] = mapped_column(String(128))
    created_on: Mapped[date | None] = mapped_column(Date)
    # What sales' CRM says the opportunity is worth, in cents of the team's currency, when
    # sales' answer or the sync brings it (whole cents: no float, no SQLite decimal).
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class SalesFeedback(Base):
    __tablename__ = "sales_feedback"
    # One answer per hand-off: a lead sales sent back to the rep can be handed off again.
    __table_args__ = (UniqueConstraint("lead_id", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    # The hand-off (batch) this answers; None only for answers older than schema 0023 that
    # had no batch to name.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_batches.id"))
    decision: Mapped[SalesDecision] = mapped_column(_enum(SalesDecision))
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    opportunity_id: Mapped[int | None] = mapped_column(ForeignKey("opportunity_refs.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
    source_digest: Mapped[str | None] = mapped_column(String(64))
    # Where a rejection sent the lead (the definition's route: nurture, rep, marketing); None
    # for an acceptance and for answers recorded before routes existed (ended as rejected).
    route: Mapped[str | None] = mapped_column(String(16))
    # A rejection routed to nurture: when the sweep brings the person back as a new lead.
    recycle_at: Mapped[datetime | None]


class DoNotCallEntry(Base):
    """A phone number or email the team must not call, whoever it belongs to (an opt-out, a
    registry scrub, a suppression list, a person who asked to be forgotten).

    ``value`` is the number in E.164 or the email lower-cased, as intake cleans them;
    ``digest`` is its SHA-256, which is what intake and the list compare. An erased person's
    entries keep the digest alone, so a later import recognises them without holding their
    data.
    """

    __tablename__ = "do_not_call_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "phone" or "email"
    value: Mapped[str | None] = mapped_column(String(320))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]


# The audit trail's, intake's, meetings', skips' and sync's tables: on Base.metadata whichever
# loads first (the audit trail's first, where it always stood among the tables).
from leaddesk.store.audit_models import AuditEvent as AuditEvent  # noqa: E402
from leaddesk.store.intake_models import ImportRun as ImportRun  # noqa: E402
from leaddesk.store.intake_models import SourceMapping as SourceMapping  # noqa: E402
from leaddesk.store.meeting_models import Meeting as Meeting  # noqa: E402
from leaddesk.store.meeting_models import SalesCalendar as SalesCalendar  # noqa: E402
from leaddesk.store.queue_models import QueueSkip as QueueSkip  # noqa: E402
from leaddesk.store.sync_models import SyncOutboxRow as SyncOutboxRow  # noqa: E402
from leaddesk.store.sync_models import SyncSetting as SyncSetting  # noqa: E402

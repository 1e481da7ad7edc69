"""Which leads wait for the next handoff batch, and the preview a rep sees before exporting.

A lead waits when it is qualified, its latest verdict is "hand off" and no batch holds it.
A rep's own leads are the ones they qualified (gave the hand-off verdict on); a team lead
may take the whole team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.orm import Session, aliased

from leaddesk.domain import Stage, Verdict
from leaddesk.handoff.access import Acting, acting_user
from leaddesk.people.permissions import Action
from leaddesk.store.models import (
    Account,
    HandoffBatch,
    Lead,
    Person,
    SyncOutboxRow,
    SyncSetting,
    User,
    VerdictRecord,
)


class Scope(StrEnum):
    OWN = "own"
    TEAM = "team"

    @property
    def action(self) -> Action:
        return Action.EXPORT_TEAM if self is Scope.TEAM else Action.EXPORT_OWN


def latest_verdict_id() -> Any:
    """The id of a lead's latest verdict, as a subquery correlated to ``Lead``."""
    return (
        select(VerdictRecord.id)
        .where(VerdictRecord.lead_id == Lead.id)
        .order_by(VerdictRecord.decided_at.desc(), VerdictRecord.id.desc())
        .limit(1)
        .correlate(Lead)
        .scalar_subquery()
    )


def waiting_condition() -> ColumnElement[bool]:
    return (
        (Lead.stage == Stage.QUALIFIED)
        & Lead.handoff_batch_id.is_(None)
        & (VerdictRecord.verdict == Verdict.HAND_OFF)
        & ~Lead.id.in_(_going_to_crm())
    )


def _going_to_crm() -> Select[tuple[int]]:
    """Leads a team with a CRM sync has queued for (or sent to) the CRM: the sync hands them
    off, so an end-of-day export must not send them to sales a second time. A lead the CRM
    held is the sync's too: exported by hand, it would reach sales again once the CRM takes
    it (``sync run --send-held-again``); ``sync status`` says why it was held. (The files
    connector sends through the export itself.)"""
    crm_sync = exists(select(SyncSetting.id).where(SyncSetting.connector != "files"))
    return select(SyncOutboxRow.lead_id).where(crm_sync)


def waiting_leads(scope: Scope, actor_id: int) -> Select[tuple[int]]:
    """Ids of the leads the next batch would take, lowest id first."""
    query = (
        select(Lead.id)
        .join(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        .where(waiting_condition())
        .order_by(Lead.id)
    )
    if scope is Scope.OWN:
        query = query.where(VerdictRecord.decided_by_id == actor_id)
    return query


def authorised_scope(session: Session, actor_id: int | None, scope: Scope) -> Acting:
    return acting_user(session, actor_id, scope.action)


@dataclass(frozen=True)
class PreviewLead:
    lead_id: int
    name: str
    company: str | None
    qualified_by: str
    qualified_at: datetime
    fit_score: int
    interest_score: int
    email: str | None = None
    phone: str | None = None
    qualified_by_name: str = ""  # how the team knows the qualifier (their display name)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What sales will miss in this lead's row (it is handed off all the same)."""
        said: list[str] = []
        if not self.email:
            said.append("no email")
        if not self.phone:
            said.append("no phone")
        if not self.company:
            said.append("no company (the email's domain stands in)" if self.email else "no company")
        return tuple(said)

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "warnings": list(self.warnings)}


@dataclass(frozen=True)
class HandoffPreview:
    """What ``export`` would do now: the leads it would take and batches it would finish."""

    scope: Scope
    leads: tuple[PreviewLead, ...]
    unfinished_batches: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.leads)

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope.value,
            "count": self.count,
            "leads": [lead.as_json() for lead in self.leads],
            "unfinished_batches": list(self.unfinished_batches),
        }


def preview(session: Session, *, actor_id: int | None, scope: Scope) -> HandoffPreview:
    acting = authorised_scope(session, actor_id, scope)
    qualifier = aliased(User)
    ids = waiting_leads(scope, acting.id).subquery()
    rows = session.execute(
        select(
            Lead.id,
            Person.first_name,
            Person.last_name,
            Account.name,
            qualifier.name,
            VerdictRecord.decided_at,
            Lead.fit_score,
            Lead.interest_score,
            Person.email,
            Person.phone,
            qualifier.display_name,
        )
        .join(ids, ids.c.id == Lead.id)
        .join(Person, Person.id == Lead.person_id)
        .outerjoin(Account, Account.id == Lead.account_id)
        .join(VerdictRecord, VerdictRecord.id == latest_verdict_id())
        .join(qualifier, qualifier.id == VerdictRecord.decided_by_id)
        .order_by(Lead.id)
    ).all()
    return HandoffPreview(
        scope=scope,
        leads=tuple(
            PreviewLead(
                lead_id=row[0],
                name=f"{row[1]} {row[2]}".strip(),
                company=row[3],
                qualified_by=row[4],
                qualified_at=row[5],
                fit_score=row[6],
                interest_score=row[7],
                email=row[8],
                phone=row[9],
                qualified_by_name=row[10],
            )
            for row in rows
        ),
        unfinished_batches=tuple(b.code for b in unfinished_batches(session, acting, scope)),
    )


# A batch row is committed before its files are written (status "writing") and marked
# "complete" once they are in place; see batch_export.py for why.
WRITING = "writing"
COMPLETE = "complete"


def batch_status(batch: HandoffBatch) -> str:
    return str((batch.files or {}).get("status", COMPLETE))


def unfinished_batches(session: Session, acting: Acting, scope: Scope) -> list[HandoffBatch]:
    """Batches in the acting user's reach whose files were never confirmed written.

    Found through their leads, which stay "qualified" until the batch completes, so the
    lookup uses the leads' indexes instead of reading every batch ever exported.
    """
    held = (
        select(Lead.handoff_batch_id)
        .where(Lead.stage == Stage.QUALIFIED, Lead.handoff_batch_id.is_not(None))
        .distinct()
    )
    query = select(HandoffBatch).where(HandoffBatch.id.in_(held)).order_by(HandoffBatch.id)
    if scope is Scope.OWN:
        query = query.where(HandoffBatch.created_by_id == acting.id)
    return [batch for batch in session.scalars(query) if batch_status(batch) == WRITING]

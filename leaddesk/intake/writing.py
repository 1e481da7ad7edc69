"""Write one planned chunk: its new accounts, people and leads, the interest it adds to open
leads, their audit events and the run's checkpoint, in the caller's one transaction
(docs/architecture.md §6, §7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.contacts.kept_values import searchable_values
from leaddesk.intake.chunk_plan import ChunkPlan, with_later_columns
from leaddesk.intake.matching import KnownLead
from leaddesk.intake.runs import ranges
from leaddesk.privacy.do_not_call import hold_people
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.models import (
    Account,
    Assignment,
    AuditEvent,
    FileValue,
    ImportRun,
    Lead,
    Note,
    Person,
)


def write_plan(
    session: Session,
    plan: ChunkPlan,
    run_id: int,
    actor_id: int,
    at: datetime,
    assigned_why: str,
) -> None:
    writer = BulkWriter(session.connection())

    def insert_all(table: Any, rows: list[dict[str, Any]]) -> list[int]:
        return writer.insert_with_ids(table, rows)

    account_ids = insert_all(Account.__table__, [a.values for a in plan.accounts])
    for account, new_id in zip(plan.accounts, account_ids, strict=True):
        account.known.id = new_id
    for person in plan.people:
        person.values["account_id"] = person.account.id if person.account is not None else None
    person_ids = insert_all(Person.__table__, [p.values for p in plan.people])
    for person, new_id in zip(plan.people, person_ids, strict=True):
        person.known.id = new_id
    for lead in plan.leads:
        lead.values["person_id"] = lead.person.id
        lead.values["account_id"] = lead.account.id if lead.account is not None else None
    # More interest on a lead created in this very chunk goes into its row before it is written.
    for interest in plan.interest.values():
        if interest.new_lead is not None:
            values = interest.new_lead.values
            values["interest_score"] = interest.lead.interest_score
            extra = {**values["extra"], "import_keys": list(interest.lead.keys)}
            values["extra"] = with_later_columns(extra, interest.later, run_id)
            if interest.later:  # what the cleaning helper worked out lacks the later rows'
                interest.new_lead.searchable = None
    lead_ids = insert_all(Lead.__table__, [lead.values for lead in plan.leads])
    for lead, new_id in zip(plan.leads, lead_ids, strict=True):
        lead.known.id = new_id
    # What the rows kept beyond the lead's fields, searchable (one statement for the chunk).
    writer.insert(
        cast(Table, FileValue.__table__),
        [
            {"value": value, "lead_id": new_id}
            for lead, new_id in zip(plan.leads, lead_ids, strict=True)
            for value in (
                searchable_values(lead.values["extra"])
                if lead.searchable is None
                else lead.searchable
            )
        ],
    )
    # A lead handed to a rep on intake has reached them as surely as one moved to them later:
    # the same history row, so "received" and the lead's history count it.
    assignment_ids = insert_all(
        Assignment.__table__,
        [
            {
                "lead_id": lead.known.id,
                "from_user_id": None,
                "to_user_id": lead.values["assigned_to_id"],
                "by_user_id": actor_id,
                "at": at,
                "reason": assigned_why,
            }
            for lead in plan.leads
            if lead.values["assigned_to_id"] is not None
        ],
    )

    updates = []
    notes = []
    found_by: list[dict[str, Any]] = []  # what search now finds stored leads by, too
    for interest in plan.interest.values():
        known = interest.lead
        assert known.id is not None
        if interest.new_lead is None:
            extra = dict(known.extra or {})
            extra["import_keys"] = list(known.keys)
            extra = with_later_columns(extra, interest.later, run_id)
            found_by.extend(
                {"value": value, "lead_id": known.id}
                for value in searchable_values(extra) - searchable_values(known.extra)
            )
            known.extra = extra
            updates.append({"b_id": known.id, "b_score": known.interest_score, "b_extra": extra})
        for text in interest.notes:
            notes.append(
                {
                    "lead_id": known.id,
                    "user_id": actor_id,
                    "created_at": at,
                    "updated_at": at,
                    "text": text,
                }
            )
    if updates:
        table = cast(Table, Lead.__table__)
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                interest_score=bindparam("b_score"),
                extra=bindparam("b_extra", type_=table.c.extra.type),
                version=table.c.version + 1,
            ),
            updates,
        )
    _flag_shared_numbers(session, plan)
    writer.insert(cast(Table, FileValue.__table__), found_by)
    note_ids = insert_all(Note.__table__, notes)
    events = []
    for interest in plan.interest.values():
        # A lead this run created carries its added interest itself (undo removes it whole);
        # an audit event naming it would keep undo from removing it.
        if interest.new_lead is None and not _made_by(interest.lead, run_id):
            events.append(
                {
                    "at": at,
                    "actor_id": actor_id,
                    "action": AuditAction.IMPORT_INTEREST.value,
                    "lead_id": interest.lead.id,
                    "subject": f"import run {run_id}",
                    "from_state": None,
                    "to_state": None,
                    "reason": "more interest from an import",
                    "details": {
                        "run": run_id,
                        "rows": interest.rows,
                        "from": interest.start_score,
                        "to": interest.lead.interest_score,
                        "keys": interest.lead.keys[-len(interest.rows) :],
                    },
                }
            )
    writer.insert(cast(Table, AuditEvent.__table__), events)
    created = {
        "accounts": ranges(account_ids),
        "people": ranges(person_ids),
        "leads": ranges(lead_ids),
        "notes": ranges(note_ids),
        "assignments": ranges(assignment_ids),
    }
    details: dict[str, Any] = {
        "run": run_id,
        "rows": [plan.first_row, plan.last_row],
        "created": created,
    }
    if plan.shared_on:  # what undo takes back from leads this run did not create
        details["shared_on"] = [[lead.id, number, name] for lead, number, name in plan.shared_on]
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.IMPORT_CHUNK,
        subject=f"import run {run_id}",
        details=details,
    )
    if plan.do_not_call:
        people = [person.id for person in plan.do_not_call if person.id is not None]
        held = hold_people(session, people, at=at)
        # Not naming any lead: a lead nobody worked can still be undone with its import.
        audit.record(
            session,
            at=at,
            actor_id=actor_id,
            action=AuditAction.DO_NOT_CALL_ON_IMPORT,
            subject=f"import run {run_id}",
            reason="email or phone on the do-not-call list",
            details={"run": run_id, "people_ids": people, "leads_held": held},
        )
    run = session.get(ImportRun, run_id)
    assert run is not None
    run.checkpoint_row = plan.last_row
    run.summary = {**(run.summary or {}), "counts": plan.counts}
    session.flush()


def _flag_shared_numbers(session: Session, plan: ChunkPlan) -> None:
    """Write the shared-number flag onto stored leads (a lead also given more interest in this
    chunk already carries it in the extra written with its score)."""
    flagged = {id(lead): lead for lead, _, _ in plan.shared_on if id(lead) not in plan.interest}
    if not flagged:
        return
    table = cast(Table, Lead.__table__)
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            extra=bindparam("b_extra", type_=table.c.extra.type),
            version=table.c.version + 1,
        ),
        [{"b_id": lead.id, "b_extra": lead.extra} for lead in flagged.values()],
    )


def _made_by(lead: KnownLead, run_id: int) -> bool:
    intake = (lead.extra or {}).get("intake")
    return isinstance(intake, dict) and intake.get("run") == run_id

"""Take back an import run: remove the leads, people and accounts it created, and the interest
it added to open leads. Refused when a rep has already worked one of its leads, or has one open
now (``leaddesk.intake.worked_leads``); leads reps only looked at go, their skips with them, and
so do leads the sweep only flagged as untouched. The events of those looks and flags stay in
the trail without their lead; the undo's own event says which lead each was at.

What a run created is listed, chunk by chunk, in its ``import_chunk`` audit events (id ranges,
checked against each lead's own ``extra.intake.run``; its assignment rows, checked against
those leads); what it added to existing leads is in its ``import_interest`` events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.contacts.kept_values import searchable_values
from leaddesk.errors import InputError, NotPermitted
from leaddesk.intake.runs import RunStatus, expand
from leaddesk.intake.worked_leads import find_work, refuse_if_worked
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

_BATCH = 900


@dataclass(frozen=True)
class UndoSummary:
    run_id: int
    leads_removed: int
    people_removed: int
    accounts_removed: int
    leads_restored: int
    looked_at: int = 0  # leads removed that reps had only looked at (claimed, skipped)
    flagged: int = 0  # leads removed that the sweep had flagged as untouched

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


def undo_run(
    session: Session,
    *,
    run_id: int,
    actor_id: int,
    at: datetime,
    only_if_unworked: bool = True,
    any_run: bool = True,
) -> UndoSummary:
    """Undo run ``run_id``; ``any_run`` False lets the actor undo only their own imports."""
    run = session.get(ImportRun, run_id)
    if run is None:
        raise InputError(f"there is no import run {run_id}", field="undo")
    if not any_run and run.started_by_id != actor_id:
        raise NotPermitted(
            f"import run {run_id} was started by someone else; ask them or a team lead to undo it."
        )
    if run.status == RunStatus.UNDONE:
        raise InputError(f"import run {run_id} ({run.file_name}) was already undone")
    subject = f"import run {run_id}"
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_((AuditAction.IMPORT_CHUNK, AuditAction.IMPORT_INTEREST)))
        .where(AuditEvent.subject == subject)
        .order_by(AuditEvent.id)
    ).all()
    created: dict[str, list[int]] = {
        "leads": [],
        "people": [],
        "accounts": [],
        "notes": [],
        "assignments": [],
    }
    interest: list[AuditEvent] = []
    shared: list[list[Any]] = []
    for event in events:
        details = event.details or {}
        if details.get("run") != run_id:
            continue
        if event.action == AuditAction.IMPORT_CHUNK:
            made = details.get("created") or {}
            for name, ids in created.items():
                ids.extend(expand(made.get(name)))
            shared.extend(details.get("shared_on") or ())
        else:
            interest.append(event)

    leads = _own_leads(session, created["leads"], run_id)
    own_assignments = _own_assignments(session, created["assignments"], leads)
    found = find_work(
        session, leads, own_notes=created["notes"], own_assignments=own_assignments, at=at
    )
    if only_if_unworked:
        refuse_if_worked(session, found, run.file_name)

    note_ids = created["notes"]
    for batch in _batches(note_ids):
        session.execute(delete(Note).where(Note.id.in_(batch)))
    for batch in _batches(own_assignments):
        session.execute(delete(Assignment).where(Assignment.id.in_(batch)))
    gone = set(leads)
    restored = _restore_interest(session, [e for e in interest if e.lead_id not in gone])
    _unflag_shared_numbers(session, [entry for entry in shared if entry[0] not in gone])
    _unflag_shared_numbers(session, _named_elsewhere(session, leads, gone))
    for batch in _batches(leads):
        # Their skips go with them; the events of a rep's look at one, and of the sweep's
        # flag on it, stay without the lead.
        session.execute(delete(Lead).where(Lead.id.in_(batch)))
    people = _unused(session, created["people"], Lead.person_id, Person)
    for batch in _batches(people):
        session.execute(delete(Person).where(Person.id.in_(batch)))
    accounts = _unused(session, created["accounts"], Lead.account_id, Account)
    in_use = _still_used_by_people(session, accounts)
    accounts = [account for account in accounts if account not in in_use]
    for batch in _batches(accounts):
        session.execute(delete(Account).where(Account.id.in_(batch)))

    run.status = RunStatus.UNDONE
    run.finished_at = at
    looks = {lead_id: ids for lead_id, ids in found.looks.items() if lead_id in gone}
    flags = {lead_id: ids for lead_id, ids in found.flags.items() if lead_id in gone}
    summary = UndoSummary(
        run_id, len(leads), len(people), len(accounts), restored, len(looks), len(flags)
    )
    said: dict[str, Any] = dict(summary.as_json())
    # Which lead each kept look and flag was at, now that the events no longer say.
    if looks:
        said["looks"] = {str(lead_id): ids for lead_id, ids in sorted(looks.items())}
    if flags:
        said["flags"] = {str(lead_id): ids for lead_id, ids in sorted(flags.items())}
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.IMPORT_UNDONE,
        subject=subject,
        details=said,
    )
    return summary


def _own_leads(session: Session, candidates: Sequence[int], run_id: int) -> list[int]:
    own: list[int] = []
    for batch in _batches(candidates):
        for lead_id, extra in session.execute(
            select(Lead.id, Lead.extra).where(Lead.id.in_(batch))
        ).tuples():
            intake = (extra or {}).get("intake") if isinstance(extra, dict) else None
            if isinstance(intake, dict) and intake.get("run") == run_id:
                own.append(lead_id)
    return own


def _own_assignments(
    session: Session, candidates: Sequence[int], leads: Sequence[int]
) -> list[int]:
    """Of the assignment rows a run recorded, those still on leads it created (SQLite hands
    a deleted row's id out again, so the id alone does not prove it)."""
    own_leads = set(leads)
    own: list[int] = []
    for batch in _batches(candidates):
        for assignment_id, lead_id in session.execute(
            select(Assignment.id, Assignment.lead_id).where(Assignment.id.in_(batch))
        ).tuples():
            if lead_id in own_leads:
                own.append(assignment_id)
    return own


def _restore_interest(session: Session, events: Iterable[AuditEvent]) -> int:
    table = cast(Table, Lead.__table__)
    restored = 0
    for event in events:
        if event.lead_id is None:
            continue
        details = event.details or {}
        lead = session.execute(
            select(table.c.interest_score, table.c.extra).where(table.c.id == event.lead_id)
        ).first()
        if lead is None:
            continue
        before, after = int(details.get("from", 0)), int(details.get("to", 0))
        score = (
            before
            if lead.interest_score == after
            else max(0, lead.interest_score - (after - before))
        )
        extra: dict[str, Any] = dict(lead.extra or {})
        keys = set(details.get("keys") or ())
        remaining = [key for key in extra.get("import_keys", []) if key not in keys]
        if remaining:
            extra["import_keys"] = remaining
        else:
            extra.pop("import_keys", None)
        later = []
        for entry in extra.pop("later_columns", None) or ():
            if not (isinstance(entry, dict) and entry.get("run") == details.get("run")):
                later.append(entry)
                continue
            for name in ("mobile", "crm_id"):  # what this run's row gave the lead
                if entry.get(name) and extra.get(name) == entry[name]:
                    extra.pop(name)
        if later:
            extra["later_columns"] = later
        # Search forgets what only this run's rows gave the lead.
        session.execute(
            delete(FileValue)
            .where(FileValue.lead_id == event.lead_id)
            .where(FileValue.value.not_in(sorted(searchable_values(extra)) or [""]))
        )
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                interest_score=bindparam("b_score"),
                extra=bindparam("b_extra", type_=table.c.extra.type),
                version=table.c.version + 1,
            ),
            [{"b_id": event.lead_id, "b_score": score, "b_extra": extra or None}],
        )
        audit.record(
            session,
            at=event.at,
            actor_id=event.actor_id,
            action=AuditAction.IMPORT_INTEREST_UNDONE,
            lead_id=event.lead_id,
            subject=event.subject,
            details={"interest": score},
        )
        restored += 1
    return restored


def _unflag_shared_numbers(session: Session, entries: Sequence[Sequence[Any]]) -> None:
    """Take the run's people off the shared-number notes it added to other leads."""
    table = cast(Table, Lead.__table__)
    for lead_id, number, name in entries:
        extra = session.execute(select(table.c.extra).where(table.c.id == lead_id)).scalar()
        held = extra.get("shared_phone") if isinstance(extra, dict) else None
        if not isinstance(extra, dict) or not isinstance(held, dict):
            continue
        if name not in (held.get(number) or ()):
            continue
        names = [other for other in held[number] if other != name]
        held = {key: value for key, value in held.items() if key != number}
        if names:
            held[number] = names
        extra = {key: value for key, value in extra.items() if key != "shared_phone"}
        if held:
            extra["shared_phone"] = held
        session.execute(
            update(table)
            .where(table.c.id == lead_id)
            .values(extra=extra or None, version=table.c.version + 1)
        )


def _named_elsewhere(
    session: Session, leads: Sequence[int], gone: set[int]
) -> list[tuple[int, str, str]]:
    """(lead, number, name) for every lead staying whose shared-number note names a person of
    a lead this undo removes: a removed lead's own note lists who shares its numbers (those
    there before it, and those who came later and flagged it), so only their leads are read."""
    removed: dict[str, set[str]] = {}  # number -> names of the removed leads' people
    for batch in _batches(leads):
        for extra, first, last in session.execute(
            select(Lead.extra, Person.first_name, Person.last_name)
            .join(Person, Person.id == Lead.person_id)
            .where(Lead.id.in_(batch))
        ):
            held = extra.get("shared_phone") if isinstance(extra, dict) else None
            name = f"{first} {last}".strip() or "someone without a name"
            for number in held if isinstance(held, dict) else ():
                removed.setdefault(number, set()).add(name)
    entries: list[tuple[int, str, str]] = []
    for number, names in removed.items():
        holders = set(
            session.scalars(
                select(Lead.id)
                .join(Person, Person.id == Lead.person_id)
                .where(Person.phone == number)
            )
        ) | set(session.scalars(select(FileValue.lead_id).where(FileValue.value == number.lower())))
        staying = sorted(holders - gone)
        # A name someone staying still has on this number stays on the others' notes.
        kept = {
            f"{first} {last}".strip()
            for first, last in session.execute(
                select(Person.first_name, Person.last_name)
                .join(Lead, Lead.person_id == Person.id)
                .where(Lead.id.in_(staying))
            )
        }
        entries += [(lead_id, number, name) for lead_id in staying for name in names - kept]
    return entries


def _unused(session: Session, ids: Sequence[int], column: Any, model: Any) -> list[int]:
    """Of ``ids`` (people or accounts this run made), those no remaining lead points at."""
    used: set[int] = set()
    for batch in _batches(ids):
        used.update(session.scalars(select(column).where(column.in_(batch)).distinct()))
    existing: set[int] = set()
    for batch in _batches(ids):
        existing.update(session.scalars(select(model.id).where(model.id.in_(batch))))
    return [value for value in ids if value in existing and value not in used]


def _still_used_by_people(session: Session, accounts: Sequence[int]) -> set[int]:
    used: set[int] = set()
    for batch in _batches(accounts):
        used.update(
            session.scalars(
                select(Person.account_id).where(Person.account_id.in_(batch)).distinct()
            )
        )
    return used


def _batches(values: Sequence[int]) -> Iterable[list[int]]:
    items = list(values)
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]

"""Add a lead by hand: an inbound call, a referral a salesperson passed on at a close.

The rep types what they learn; the lead then goes through exactly the rules an import follows
(clean-up, same email / same phone / same name at the same company, new interest added to an
open lead, customers' companies flagged, scoring), as a one-row import run of its own, in one
transaction. So it is in the audit trail and can be undone like any import until someone
works it. Who gets it is the caller's choice: the rep who took the call, a rep, the pool, or
the policy's assignment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Source
from leaddesk.errors import InputError
from leaddesk.intake.cleaning import Chunk
from leaddesk.intake.export_file import RawRow
from leaddesk.intake.mapping import Field, Mapping, Shape
from leaddesk.intake.matching import import_key, whereabouts
from leaddesk.intake.planning import ERASED_ROW, Planner
from leaddesk.intake.rows import CleanRow, RowProblem, clean_row
from leaddesk.intake.runs import BY_HAND, RunStatus
from leaddesk.intake.summary import Counts, ImportSummary
from leaddesk.intake.writing import write_plan
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.store.models import ImportRun, Lead, Person, User
from leaddesk.store.nul_guard import NUL, nul_refused

MAX_TEXT = 2_000
# What the form (and the CLI's options) may fill, in the form's order.
FIELDS = (
    Field.FIRST_NAME,
    Field.LAST_NAME,
    Field.EMAIL,
    Field.PHONE,
    Field.COMPANY,
    Field.TITLE,
    Field.COUNTRY,
    Field.INQUIRY,
)
BY_POLICY = "policy"  # who gets the lead: the policy's assignment decides
UNUSABLE = "no usable email or phone"  # how the clean-up refuses a row without either


@dataclass(frozen=True)
class NewInterest:
    """What a rep typed about someone who called in (or was referred)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    title: str = ""
    country: str = ""
    inquiry: str = ""
    source: str = Source.INBOUND_CALL.value

    def cells(self) -> dict[str, str]:
        return {field.value: str(getattr(self, field.value)).strip() for field in FIELDS}


@dataclass(frozen=True)
class AddedLead:
    """What became of it: a new lead (on a new or a known person), or more interest on the
    person's open lead."""

    outcome: str  # "created" | "merged" | "attached"
    lead_id: int
    person_id: int
    person: str
    run_id: int
    owner: str | None  # who holds the lead now (display name); None: the open pool
    owner_id: int | None
    how: str  # "same email", "same phone", "same name at the same company", or ""
    customer: str | None  # the customer company it belongs to, if any
    interest: int
    notes: tuple[str, ...]  # values kept as typed, and why

    def message(self, actor_id: int) -> str:
        where = (
            "in your queue"
            if self.owner_id == actor_id
            else f"with {self.owner}"
            if self.owner
            else "in the open pool"
        )
        if self.outcome == "attached":
            text = (
                f"{self.person} already has an open lead #{self.lead_id} ({where}, {self.how}): "
                f"this interest is on its timeline and its interest is now {self.interest}"
            )
        elif self.outcome == "merged":
            text = f"New lead #{self.lead_id} for {self.person}, known before ({self.how}), {where}"
        else:
            text = f"New lead #{self.lead_id} for {self.person}, {where}"
        if self.customer:
            text += f". {self.customer}: route it to the account owner"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "lead_id": self.lead_id,
            "person_id": self.person_id,
            "person": self.person,
            "run": self.run_id,
            "owner": self.owner,
            "matched_by": self.how or None,
            "existing_account": self.customer,
            "interest": self.interest,
            "notes": list(self.notes),
        }


def add_lead(
    session: Session,
    entry: NewInterest,
    *,
    actor_id: int,
    owner: int | str | None,
    at: datetime,
    referred_by: int | None = None,
) -> AddedLead:
    """Add ``entry`` as an import of one row; ``owner`` is a user id, None for the pool or
    BY_POLICY; ``referred_by`` the salesperson a new lead is credited to (a referral).
    Raises InputError (naming the field) when it cannot be a lead."""
    source = _source(entry.source)
    cells = entry.cells()
    for name, value in cells.items():
        if len(value) > MAX_TEXT:
            words = name.replace("_", " ")
            raise InputError(f"the {words} takes at most {MAX_TEXT:,} characters", field=name)
        if NUL in value:
            raise nul_refused(name.replace("_", " "), field=name)
    if not any(cells[f.value] for f in (Field.FIRST_NAME, Field.LAST_NAME, Field.COMPANY)):
        raise InputError("give the person's name (or at least their company)", field="first_name")
    policy = current_policy(session)
    mapping = Mapping(columns={field.value: field for field in FIELDS}, shape=Shape.PLAIN)
    cleaned = clean_row(RawRow(1, cells), mapping, policy.default_phone_region)
    if not isinstance(cleaned, CleanRow):
        reason = cleaned.reason.removeprefix("row skipped: ")
        if reason.startswith(UNUSABLE):
            raise InputError(
                f"give an email or a phone, at least one that works{reason[len(UNUSABLE) :]}",
                field="email",
            )
        raise InputError(reason, field=cleaned.field.lower())
    row = cleaned
    key = import_key(source, row)
    run = ImportRun(
        file_name=BY_HAND,
        file_digest=uuid.uuid4().hex,  # never "the same file again"
        source=source,
        started_by_id=actor_id,
        started_at=at,
        finished_at=at,
        status=RunStatus.FINISHED,
        checkpoint_row=1,
        summary={"counts": Counts().as_json(), "mapping": mapping.to_json()},
    )
    session.add(run)
    session.flush()
    summary = ImportSummary(
        file=BY_HAND,
        source=source,
        dry_run=False,
        mapping=mapping,
        mapping_how=BY_HAND,
        counts=Counts(),
        run_id=run.id,
    )
    planner = Planner(
        session, summary, policy, current_definition(session), at, run_id=run.id, dry_run=False
    )
    planner.actor_id = actor_id
    who = session.get(User, actor_id)
    planner.entered_by = who.display_name if who else "a user"
    planner.referred_by = referred_by
    chunk = Chunk(items=[row], keys=[key], places=[whereabouts(row, policy.default_phone_region)])
    plan = planner.plan(session, chunk)
    if referred_by is not None:
        # A salesperson's referral changes nothing already there (store/rights.py): the
        # person it shares a number with is not flagged; the referral's own lead is.
        plan.shared_on.clear()
    if any(line.reason == ERASED_ROW for line in plan.report):
        raise InputError(
            "This person asked to be forgotten: their email or phone is on the do-not-call "
            "list as an erased person's. If they are getting in touch again themselves, a "
            "team lead can take it off the list (leaddesk dnc remove) first."
        )
    for lead in plan.leads:
        if owner != BY_POLICY:
            lead.values["assigned_to_id"] = owner
    why = f"Entered by hand by {planner.entered_by}"
    write_plan(session, plan, run.id, actor_id, at, why)
    run.summary = {**(run.summary or {}), "counts": summary.counts.as_json()}
    result = _what_became(session, plan.leads, plan.interest.values(), plan.report, run.id)
    # Named in the details, not as the lead's own history: a lead nobody worked yet can
    # still be undone like any import.
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.LEAD_ADDED_BY_HAND,
        subject=f"import run {run.id}",
        details={
            "lead": result.lead_id,
            "outcome": result.outcome,
            "source": source,
            **({"referred_by": referred_by} if referred_by is not None else {}),
        },
    )
    return result


def _source(text: str) -> str:
    source = "_".join(text.strip().casefold().replace("-", " ").split())
    known = {s.value for s in Source}
    if source not in known:
        raise InputError(f"use one of {', '.join(sorted(known))}", field="source")
    return source


def _what_became(
    session: Session,
    new: list[Any],
    raised: Iterable[Any],
    report: list[RowProblem],
    run_id: int,
) -> AddedLead:
    """The lead it made (or raised), read back, and what the planner said of the row."""
    how = ""
    customer = None
    notes = []
    for line in report:
        if line.reason.startswith(("merged:", "attached:")):
            how = line.reason.split("(", 1)[-1].split(")", 1)[0]
        elif line.reason.startswith("existing account:"):
            customer = line.reason.removeprefix("existing account:").strip()
        elif line.reason != "new lead":
            notes.append(line.reason)
    if new:
        lead_id = new[0].known.id
        outcome = "merged" if how else "created"
    else:
        lead_id = next(iter(raised)).lead.id
        outcome = "attached"
    lead = session.get(Lead, lead_id)
    assert lead is not None
    person = session.get(Person, lead.person_id)
    assert person is not None
    holder = session.get(User, lead.assigned_to_id) if lead.assigned_to_id else None
    name = f"{person.first_name} {person.last_name}".strip() or person.email or "them"
    return AddedLead(
        outcome=outcome,
        lead_id=lead.id,
        person_id=person.id,
        person=name,
        run_id=run_id,
        owner=holder.display_name if holder else None,
        owner_id=holder.id if holder else None,
        how=how,
        customer=customer,
        interest=lead.interest_score,
        notes=tuple(notes),
    )

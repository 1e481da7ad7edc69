"""Finding a lead by the id sales' CRM gave it, for an answer that has no LeadDesk id (or one
this store does not know): the id the sync got back when it sent the lead, or the id the lead
came in with from the CRM's own export.

Salesforce writes a record's id in 15 characters in reports and 18 through the API (the last
three only add case-insensitivity), so ids are compared on their first 15 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.domain import Stage
from leaddesk.handoff.feedback import NO_LEAD, Decision, Problem
from leaddesk.store.models import Lead, SyncOutboxRow

_SALESFORCE_ID = re.compile(r"[0-9A-Za-z]{15}(?:[0-9A-Za-z]{3})?")
# Where an import keeps a CRM export's record id among the row's columns.
ID_COLUMNS = ("Lead ID", "Id", "ID", "Record ID")


def crm_key(crm_id: str) -> str:
    crm_id = crm_id.strip()
    if len(crm_id) == 18 and _SALESFORCE_ID.fullmatch(crm_id):
        return crm_id[:15]
    return crm_id


def _ids_in(extra: dict[str, Any] | None) -> list[str]:
    columns = (extra or {}).get("columns")
    if not isinstance(columns, dict):
        return []
    return [str(columns[name]).strip() for name in ID_COLUMNS if str(columns.get(name) or "")]


def leads_by_crm_id(session: Session, crm_ids: Iterable[str]) -> dict[str, int]:
    """CRM id (as given) → LeadDesk lead id, for those a lead carries."""
    wanted = {crm_key(crm_id): crm_id for crm_id in crm_ids if crm_id}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    for crm_id, lead_id in session.execute(
        select(SyncOutboxRow.crm_id, SyncOutboxRow.lead_id).where(SyncOutboxRow.crm_id.is_not(None))
    ).tuples():
        key = crm_key(crm_id or "")
        if key in wanted:
            found.setdefault(wanted[key], lead_id)
    # Only a lead with sales can be answered; the id it came in with is in its file's columns.
    answerable = (Stage.QUALIFIED, Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED)
    rows = session.execute(
        select(Lead.id, Lead.extra).where(Lead.stage.in_(answerable), Lead.extra.is_not(None))
    ).tuples()
    for lead_id, extra in rows:
        for crm_id in _ids_in(extra):
            key = crm_key(crm_id)
            if key in wanted:
                found.setdefault(wanted[key], lead_id)
    return found


def match_by_crm_id(
    session: Session, decisions: Sequence[Decision], *, crm: str = "the CRM"
) -> tuple[list[Decision], list[Problem]]:
    """Each decision keyed to its lead: by its LeadDesk id when this store has that lead,
    else by its CRM id; an answer matched by neither is a problem naming the CRM's id."""
    given_ids = {d.lead_id for d in decisions if d.crm_id and d.lead_id != NO_LEAD}
    known = (
        set(session.scalars(select(Lead.id).where(Lead.id.in_(given_ids)))) if given_ids else set()
    )
    needing = [d for d in decisions if d.crm_id and d.lead_id not in known]
    by_crm = leads_by_crm_id(session, [d.crm_id or "" for d in needing])
    matched: list[Decision] = []
    problems: list[Problem] = []
    for decision in decisions:
        if not decision.crm_id or decision.lead_id in known:
            matched.append(decision)
        elif decision.crm_id in by_crm:
            matched.append(replace(decision, lead_id=by_crm[decision.crm_id]))
        else:
            problems.append(
                Problem(
                    decision.row,
                    "lead_id",
                    f"{crm} record {decision.crm_id}: no lead here carries this id"
                    + (f" or LeadDesk id {decision.lead_id}" if decision.lead_id else ""),
                    None,
                    "unknown_lead",
                )
            )
    return matched, problems

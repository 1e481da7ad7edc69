"""The hand-offs a worker claimed, read as sales will see them, each with the CRM record it
came from when the lead was imported from that CRM's export (a Salesforce Lead id, a HubSpot
contact's Record ID), and its meeting as it is now: moved (saying from when) or cancelled
(saying so, so the CRM's copy is corrected rather than left at the old time)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.handoff.records import records_as_of
from leaddesk.meetings.history import latest_of
from leaddesk.store.models import Lead
from leaddesk.sync.connector import Outgoing

# A Salesforce Lead's id: key prefix 00Q, 15 or 18 characters. An import keeps a Salesforce
# export's "Lead ID" column among the row's other columns (leads.extra["columns"]).
_SALESFORCE_LEAD = re.compile(r"00Q[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?")
_ID_COLUMNS = ("Lead ID", "Id", "ID", "Record ID")
# A HubSpot contacts export names the contact's own number "Record ID" (digits only).
_HUBSPOT_RECORD = re.compile(r"[1-9][0-9]{0,18}")
_HUBSPOT_COLUMNS = ("Record ID", "Record ID - Contact", "Contact ID", "hs_object_id")


def _column(
    extra: dict[str, Any] | None, names: Sequence[str], shape: re.Pattern[str]
) -> str | None:
    columns = (extra or {}).get("columns")
    if not isinstance(columns, dict):
        return None
    for name in names:
        value = str(columns.get(name) or "").strip()
        if shape.fullmatch(value):
            return value
    return None


def salesforce_lead_id(extra: dict[str, Any] | None) -> str | None:
    return _column(extra, _ID_COLUMNS, _SALESFORCE_LEAD)


def hubspot_record_id(extra: dict[str, Any] | None) -> str | None:
    """The HubSpot contact a lead came from, when it was imported from a HubSpot export."""
    return _column(extra, _HUBSPOT_COLUMNS, _HUBSPOT_RECORD)


_CRM_IDS = {"salesforce": salesforce_lead_id, "hubspot": hubspot_record_id}


def outgoing(
    session: Session, lead_ids: Sequence[int], at: datetime, *, connector: str
) -> list[Outgoing]:
    records = records_as_of(session, lead_ids, at)
    extras: dict[int, dict[str, Any] | None] = {
        lead_id: extra
        for lead_id, extra in session.execute(
            select(Lead.id, Lead.extra).where(Lead.id.in_(lead_ids))
        ).tuples()
    }
    meetings = latest_of(session, [record.lead_id for record in records])
    crm_id = _CRM_IDS.get(connector)
    return [
        Outgoing(
            record.lead_id,
            replace(record, meeting=meetings.get(record.lead_id)),
            crm_id(extras.get(record.lead_id)) if crm_id is not None else None,
        )
        for record in records
    ]

"""A hand-off as HubSpot records: the contact's properties (the team's mapping), the lead
object's, the note that carries the qualification and the call task; and what the portal
lacks for them, in words saying what to create.

The words themselves are the Salesforce connector's (``salesforce_fields.description``): one
rendering of what the qualifier learnt, whichever CRM reads it.
"""

from __future__ import annotations

import html
from typing import Any

from leaddesk.handoff.records import HandoffRecord
from leaddesk.sync.connector import Outgoing
from leaddesk.sync.salesforce_fields import calls_text, description, lead_values, value_of
from leaddesk.sync.team_settings import SyncSettings

NOTE_TO_CONTACT = 202  # HubSpot-defined association types (associations v4)
TASK_TO_CONTACT = 204
LEAD_TO_PRIMARY_CONTACT = 578
NOTE_LIMIT = 65_000  # hs_note_body holds 65,536 characters


def marker(lead_id: int) -> str:
    """What makes LeadDesk's note on a contact findable again (a contact may have several)."""
    return f"[LeadDesk lead {lead_id}]"


def task_subject(lead_id: int) -> str:
    return f"LeadDesk qualification call (lead {lead_id})"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def contact_properties(item: Outgoing, settings: SyncSettings) -> dict[str, str]:
    """HubSpot takes every property as text; an empty value is left out, so a known
    contact's own value is not wiped by a blank from LeadDesk."""
    values = lead_values(item.record)
    properties = {crm: _text(values[name]) for crm, name in settings.mapping.items()}
    return {name: value for name, value in properties.items() if value.strip()}


def lead_name(record: HandoffRecord) -> str:
    person = " ".join(p for p in (record.first_name, record.last_name) if p).strip()
    company = _text(value_of(record, "company"))
    return f"{person or record.email or f'Lead {record.lead_id}'} ({company})"[:250]


def lead_properties(item: Outgoing, settings: SyncSettings) -> dict[str, str]:
    return {
        "hs_lead_name": lead_name(item.record),
        settings.external_id_field: str(item.lead_id),
    }


def note_properties(item: Outgoing) -> dict[str, str]:
    body = f"{marker(item.lead_id)}\n{description(item.record)}"
    lines = [html.escape(line) for line in body.splitlines()]
    return {
        "hs_note_body": "<br>".join(lines)[:NOTE_LIMIT],
        "hs_timestamp": item.record.qualified_at.isoformat(),
    }


def task_properties(item: Outgoing) -> dict[str, str]:
    return {
        "hs_task_subject": task_subject(item.lead_id),
        "hs_task_body": calls_text(item.record),
        "hs_task_status": "COMPLETED",
        "hs_task_type": "CALL",
        "hs_timestamp": item.record.qualified_at.isoformat(),
    }


def mapping_problems(
    contact_properties_known: list[dict[str, Any]],
    lead_id_property: dict[str, Any] | None,
    settings: SyncSettings,
) -> list[str]:
    """What the portal lacks for this mapping, each saying what to do. ``lead_id_property``
    is the leads object's ``leaddesk_lead_id`` as HubSpot describes it (None: missing)."""
    problems: list[str] = []
    name = settings.external_id_field
    if settings.leads_object and lead_id_property is None:
        problems.append(
            f"create the lead property {name} in HubSpot (Settings > Properties > Lead "
            "properties: single-line text, 'Require unique values'): it carries the LeadDesk "
            "lead id, so a repeat send updates the same lead"
        )
    elif settings.leads_object and not (lead_id_property or {}).get("hasUniqueValue"):
        problems.append(
            f"the lead property {name} must require unique values: create it again "
            "with 'Require unique values' ticked, so a repeat send updates the same lead"
        )
    known = {p.get("name"): p for p in contact_properties_known if isinstance(p, dict)}
    for crm_property, value in settings.mapping.items():
        found = known.get(crm_property)
        if found is None:
            problems.append(
                f"contacts have no property {crm_property} (mapped from {value}): create it "
                f"or change the mapping with: leaddesk sync setup hubspot --map {crm_property}="
            )
        elif (found.get("modificationMetadata") or {}).get("readOnlyValue"):
            problems.append(
                f"the contact property {crm_property} (mapped from {value}) is read-only in "
                "HubSpot: map another property"
            )
    return problems

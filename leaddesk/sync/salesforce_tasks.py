"""The qualification call as a completed Task on its Lead, for a whole batch of hand-offs at once:
one query finds the Tasks a send already made (a repeat send, or one whose answer was lost),
one sObject Collections create makes the missing ones. The Subject names the hand-off (its
lead and the moment of its verdict), so a lead handed off again gets a Task of its own, and the
same hand-off never gets two."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from simple_salesforce.api import Salesforce

from leaddesk.sync.connector import Outgoing
from leaddesk.sync.salesforce_fields import calls_text

SUBJECT = "LeadDesk qualification call"
BATCH = 200  # sObject Collections take up to 200 records per request; WhoId IN (...) as many


def subject(item: Outgoing) -> str:
    """The Task's marker: which hand-off it logs (lead id, verdict time in UTC)."""
    at = item.record.qualified_at
    at = at.astimezone(UTC) if at.tzinfo else at
    return f"{SUBJECT} (lead {item.lead_id}, handed off {at:%Y-%m-%d %H:%M:%S} UTC)"


def task_fields(item: Outgoing, lead_crm_id: str) -> dict[str, Any]:
    record = item.record
    return {
        "attributes": {"type": "Task"},
        "WhoId": lead_crm_id,
        "Subject": subject(item),
        "Status": "Completed",
        "Priority": "Normal",
        "ActivityDate": record.qualified_at.date().isoformat(),
        "Description": calls_text(record),
    }


def tasks_query(lead_crm_ids: Sequence[str]) -> str:
    """LeadDesk's Tasks on these Leads (Salesforce ids carry only letters and digits)."""
    who = ", ".join(f"'{crm_id}'" for crm_id in sorted(set(lead_crm_ids)))
    return (
        f"SELECT Id, WhoId, Subject FROM Task WHERE WhoId IN ({who}) AND Subject LIKE '{SUBJECT}%'"
    )


def log_calls(sf: Salesforce, landed: Sequence[tuple[Outgoing, str]]) -> dict[int, Any]:
    """Make the call Task of each (hand-off, its Lead's id) that has none yet, at most
    ``BATCH`` of them. Per lead id: None when its Task is there (found or made), else the
    error items Salesforce gave for that record. One attempt: the caller retries the whole of
    it, so a create whose answer was lost is found by the query, never made twice."""
    found = sf.query_all(tasks_query([crm_id for _, crm_id in landed]))
    there = {
        (str(task.get("WhoId"))[:15], str(task.get("Subject")))
        for task in (found.get("records") or [] if isinstance(found, dict) else [])
        if isinstance(task, dict)
    }
    outcome: dict[int, Any] = {}
    missing = []
    for item, crm_id in landed:
        if (crm_id[:15], subject(item)) in there:  # an export's id may be the 15-character one
            outcome[item.lead_id] = None
        else:
            missing.append((item, crm_id))
    if not missing:
        return outcome
    body = {
        "allOrNone": False,
        "records": [task_fields(item, crm_id) for item, crm_id in missing],
    }
    answer = sf.restful("composite/sobjects", method="POST", json=body)
    results = answer if isinstance(answer, list) else []
    for index, (item, _) in enumerate(missing):
        result = results[index] if index < len(results) else None
        if isinstance(result, dict) and result.get("success"):
            outcome[item.lead_id] = None
        else:
            errors = result.get("errors") if isinstance(result, dict) else None
            outcome[item.lead_id] = errors or [{"message": "Salesforce said nothing about it"}]
    return outcome

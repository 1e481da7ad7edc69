"""A hand-off as a Salesforce Lead: the team's field mapping applied, and checked against the
org's own description of Lead (what is missing, in words saying what to create)."""

from __future__ import annotations

from typing import Any

from leaddesk.handoff.records import HandoffRecord
from leaddesk.handoff.render import company_or_domain, last_and_first, rating
from leaddesk.sync.connector import Outgoing
from leaddesk.sync.team_settings import SyncSettings

LEAD_SOURCES = {
    "web_form": "Web",
    "webinar": "Webinar",
    "trade_show": "Trade Show",
    "purchased_list": "Purchased List",
    "sales_referral": "Employee Referral",
    "inbound_call": "Phone Inquiry",
}
DESCRIPTION_LIMIT = 32_000  # Lead.Description is a long text area of 32,000 characters


def _mentions(question_id: str, *words: str) -> bool:
    return any(word in question_id for word in words)


def description(record: HandoffRecord) -> str:
    """Everything the qualifier learnt, for the salesperson to read on the Lead: the summary,
    the agreed next step and the decision maker, every answer, the notes."""
    lines = [
        f"Qualified by {record.qualified_by_name or record.qualified_by} in LeadDesk "
        f"(lead {record.lead_id}, fit {record.fit_score}, interest {record.interest_score})."
    ]
    if record.summary.strip():
        lines += ["", record.summary.strip()]
    for words, title in (
        (("next_step", "best_time"), "Next step"),
        (("decision",), "Decision maker"),
    ):
        found = [text for qid, _, text in record.answer_labels if _mentions(qid, *words) and text]
        if found:
            lines.append(f"{title}: {'; '.join(found)}")
    meeting = record.meeting
    if meeting is not None and meeting.cancelled:
        lines += [
            "",
            f"Meeting cancelled: it was {meeting.when} with {meeting.salesperson_name} "
            f"(calendar invitation {meeting.uid}, cancelled).",
        ]
    elif meeting is not None:
        moved = f", moved from {meeting.was}" if meeting.was else ""
        lines += [
            "",
            f"Meeting booked on the call: {meeting.when} with {meeting.salesperson_name}{moved} "
            f"(their time {meeting.local(meeting.salesperson_zone):%a %d %b %H:%M}; calendar "
            f"invitation {meeting.uid}).",
        ]
        if meeting.decision_maker:
            lines.append(f"Decision maker at the meeting: {meeting.decision_maker}")
        if meeting.others:
            lines.append(f"Others involved: {'; '.join(meeting.others)}")
    if record.answer_labels:
        lines += ["", "Answers:"]
        lines += [f"- {question}: {text}" for _, question, text in record.answer_labels]
    if record.notes:
        lines += ["", "Notes:"]
        lines += [
            f"- {note['at'][:16].replace('T', ' ')} {note['by']}: {note['text']}"
            for note in record.notes
        ]
    if record.inquiry:
        lines += ["", f"Inquiry: {record.inquiry.strip()}"]
    return "\n".join(lines)[:DESCRIPTION_LIMIT]


def calls_text(record: HandoffRecord) -> str:
    """The qualification calls, one line each, for the CRM's call Task."""
    calls = [
        f"{call['at'][:16].replace('T', ' ')} {call['by']}: {call['outcome']}"
        + (f" - {call['note']}" if call.get("note") else "")
        for call in record.calls
    ]
    return "\n".join(calls) or "Qualified by phone in LeadDesk."


def value_of(record: HandoffRecord, name: str) -> Any:
    """One value a mapping may name (``lead_values`` when several are wanted)."""
    return lead_values(record)[name]


def lead_values(record: HandoffRecord) -> dict[str, Any]:
    """Every value a mapping may name, worked out once per hand-off (the description is the
    costly one)."""
    first, last = last_and_first(record)
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "company": company_or_domain(record),
        "title": record.title,
        "email": record.email,
        "phone": record.phone,
        "country": record.country,
        "city": record.city,
        "industry": record.industry,
        "employees": record.employees,
        "lead_source": LEAD_SOURCES.get(record.source, record.source.replace("_", " ").title()),
        "rating": rating(record),
        "description": description(record),
    }
    return values


def lead_fields(item: Outgoing, settings: SyncSettings) -> dict[str, Any]:
    """The Lead's fields, the external id (the LeadDesk lead id) among them."""
    values = lead_values(item.record)
    fields = {crm: values[name] for crm, name in settings.mapping.items()}
    fields[settings.external_id_field] = str(item.lead_id)
    return fields


def mapping_problems(describe: dict[str, Any], settings: SyncSettings) -> list[str]:
    """What the org's Lead lacks for this mapping, each saying what to do."""
    fields = {f["name"]: f for f in describe.get("fields", []) if isinstance(f, dict)}
    problems: list[str] = []
    external = fields.get(settings.external_id_field)
    if external is None:
        problems.append(
            f"create the external-id field {settings.external_id_field} on Lead (Text, "
            "External ID, Unique): it carries the LeadDesk lead id, so a repeat send updates"
        )
    elif not external.get("externalId"):
        problems.append(
            f"mark {settings.external_id_field} on Lead as External ID (and Unique), so a "
            "repeat send updates the same Lead"
        )
    for crm_field, value in settings.mapping.items():
        found = fields.get(crm_field)
        if found is None:
            problems.append(
                f"Lead has no field {crm_field} (mapped from {value}): create it or change the "
                f"mapping with: leaddesk sync setup salesforce --map {crm_field}="
            )
        elif not (found.get("createable") and found.get("updateable")):
            problems.append(
                f"Lead.{crm_field} (mapped from {value}) cannot be written by this login: give "
                "its profile edit access to the field, or change the mapping"
            )
    return problems

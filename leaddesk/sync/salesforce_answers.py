"""Sales' answers read back from Salesforce (``sync pull``): one SOQL query over the Leads
LeadDesk sent (those carrying the external-id field) that sales answered and that changed
since the last pull, each turned into a ``Decision``.

Read only: the query names the converted Opportunity's id and Amount (read through the Lead),
and nothing here writes anything to Salesforce. A Lead converted without an opportunity (sales
made only a contact) is no answer LeadDesk can record and is left out; so is a Lead still open.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from leaddesk.domain import SalesDecision, is_record_number
from leaddesk.handoff.feedback import NO_LEAD, Decision, read_amount
from leaddesk.sync.team_settings import SyncSettings


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def soql_moment(moment: datetime) -> str:
    """A SOQL dateTime literal (unquoted, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def answers_query(settings: SyncSettings, since: datetime | None) -> str:
    fields = [
        "Id",
        settings.external_id_field,
        "Status",
        "IsConverted",
        "ConvertedOpportunityId",
        "ConvertedDate",
        "ConvertedOpportunity.Amount",
        "Owner.Name",
        "SystemModstamp",
    ]
    for extra in (settings.reason_field, settings.sales_comment_field):
        if extra and extra not in fields:
            fields.append(extra)
    statuses = ", ".join(_quoted(status) for status in settings.rejected_statuses)
    answered = "IsConverted = true" + (f" OR Status IN ({statuses})" if statuses else "")
    where = f"{settings.external_id_field} != null AND ({answered})"
    if since is not None:
        where += f" AND SystemModstamp > {soql_moment(since)}"
    return f"SELECT {', '.join(fields)} FROM Lead WHERE {where} ORDER BY SystemModstamp"


def _text(record: dict[str, Any], name: str | None) -> str:
    if not name:
        return ""
    value = record.get(name)
    return "" if value is None else str(value).strip()


def _owner(record: dict[str, Any]) -> str | None:
    owner = record.get("Owner")
    name = owner.get("Name") if isinstance(owner, dict) else None
    return str(name).strip() or None if name else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _amount(record: dict[str, Any]) -> int | None:
    """The converted Opportunity's Amount (read through the Lead, never written), in cents."""
    opportunity = record.get("ConvertedOpportunity")
    amount = opportunity.get("Amount") if isinstance(opportunity, dict) else None
    cents = read_amount(str(amount)) if amount is not None else None
    return cents if isinstance(cents, int) else None


def as_decision(record: dict[str, Any], settings: SyncSettings) -> Decision | None:
    """One Lead from the query as sales' answer; None if it is not one LeadDesk records."""
    raw_id = _text(record, settings.external_id_field)
    lead_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else NO_LEAD
    if not is_record_number(lead_id):
        lead_id = NO_LEAD  # typed over in the org: the Lead's own id finds it
    crm_id = _text(record, "Id") or None
    comment = _text(record, settings.sales_comment_field) or None
    if record.get("IsConverted") is True:
        opportunity = _text(record, "ConvertedOpportunityId")
        if not opportunity:
            return None
        return Decision(
            lead_id,
            SalesDecision.ACCEPTED,
            opportunity_id=opportunity,
            owner=_owner(record),
            on=_day(_text(record, "ConvertedDate")),
            comment=comment,
            crm_id=crm_id,
            amount_cents=_amount(record),
        )
    status = _text(record, "Status")
    if status.lower() not in {s.lower() for s in settings.rejected_statuses}:
        return None
    return Decision(
        lead_id,
        SalesDecision.REJECTED,
        owner=_owner(record),
        reason=_text(record, settings.reason_field) or status,
        comment=comment,
        crm_id=crm_id,
    )

"""Sales' answers as sales download them from their CRM (issue #17 item 3, files): a Salesforce
converted-leads report or a HubSpot deals or leads export is read as a feedback file.

Each shape is known by its header (the CRM's own column labels, tidied as the template's are:
"Converted Opportunity ID" → ``converted_opportunity_id``) and mapped row by row onto the
template's columns, then checked like a template row. The key is the LeadDesk id the hand-off
CSV gave the CRM (its "LeadDesk Lead ID" column, kept as a custom field), or else the CRM's own
record id ("Lead ID" in a Salesforce report, "Record ID" in a HubSpot leads export), matched to
the lead that came in with it or got it from the sync (``crm_ids``). A row the CRM has not
answered yet (an open lead, a deal-less lead still being worked) is left waiting, not refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LEADDESK_ID = ("leaddesk_lead_id", "leaddesk_id")
# Where a CRM export keeps sales' reason and comment, when the team added such fields.
REASON_COLUMNS = (
    "rejection_reason",
    "reject_reason",
    "unqualified_reason",
    "disqualification_reason",
    "disqualified_reason",
    "reason",
)
COMMENT_COLUMNS = (
    "rejection_comment",
    "comment",
    "comments",
    "disqualification_note",
    "unqualified_comment",
)
# Lead statuses that mean sales turned the lead down (Salesforce's default "Closed - Not
# Converted", and the words teams use instead).
REJECTED_STATUSES = ("not converted", "unqualified", "disqualified", "rejected", "closed - lost")

Row = dict[str, str]


@dataclass(frozen=True)
class CrmShape:
    name: str  # said in messages: "a Salesforce converted-leads report"
    needs: tuple[str, ...]  # the columns that tell this shape (besides the LeadDesk id)
    answer: Callable[[Row], Row | None]  # the template row, or None: not answered yet
    crm_id: str = ""  # the column holding the CRM's own id for the lead, if the shape has one


def _first(row: Row, columns: tuple[str, ...]) -> str:
    return next((row[column] for column in columns if row.get(column)), "")


def _rejection(row: Row) -> Row:
    return {
        "decision": "rejected",
        "reason": _first(row, REASON_COLUMNS) or "other",
        "comment": _first(row, COMMENT_COLUMNS),
    }


def _salesforce(row: Row) -> Row | None:
    opportunity = _first(row, ("converted_opportunity_id", "opportunity_id"))
    converted = row.get("converted", "").lower() in ("1", "true", "yes", "y")
    if opportunity or converted:
        return {
            "decision": "accepted",
            "opportunity_id": opportunity,
            "owner": _first(row, ("opportunity_owner", "lead_owner")),
            "date": _us_date(row.get("converted_date", "")),
            "comment": _first(row, COMMENT_COLUMNS),
            "amount": _first(row, ("opportunity_amount", "amount")),
        }
    status = _first(row, ("lead_status", "status")).lower()
    if any(word in status for word in REJECTED_STATUSES):
        return _rejection(row)
    return None


def _hubspot_deals(row: Row) -> Row | None:
    # A deal is the opportunity sales opened for the lead; its record id is the reference.
    if not row.get("record_id"):
        return None
    return {
        "decision": "accepted",
        "opportunity_id": row["record_id"],
        "owner": row.get("deal_owner", ""),
        "date": row.get("create_date", "")[:10],
        "comment": _first(row, COMMENT_COLUMNS),
        "amount": row.get("amount", ""),
    }


def _hubspot_leads(row: Row) -> Row | None:
    stage = row.get("lead_stage", "").lower()
    if "disqualified" in stage:
        return _rejection(row)
    return None  # a HubSpot lead is accepted through its deal (the deals export)


SALESFORCE_REPORT = "a Salesforce converted-leads report"
SHAPES = (
    CrmShape(SALESFORCE_REPORT, ("lead_status",), _salesforce, "lead_id"),
    CrmShape(SALESFORCE_REPORT, ("converted",), _salesforce, "lead_id"),
    # A deal's Record ID is the deal's own (the opportunity), not the lead's: LeadDesk id only.
    CrmShape("a HubSpot deals export", ("record_id", "deal_stage"), _hubspot_deals),
    CrmShape("a HubSpot leads export", ("record_id", "lead_stage"), _hubspot_leads, "record_id"),
)


def shape_of(header: list[str]) -> CrmShape | None:
    """The CRM export this header is; None for LeadDesk's own template (or anything else)."""
    if "decision" in header:
        return None
    shape = next((shape for shape in SHAPES if all(c in header for c in shape.needs)), None)
    if shape is None:
        return None
    keyed = any(column in header for column in LEADDESK_ID)
    return shape if keyed or (shape.crm_id and shape.crm_id in header) else None


def crm_id_of(shape: CrmShape, row: Row) -> str | None:
    """The CRM's own id for the row's lead, when the shape carries one."""
    return row.get(shape.crm_id, "").strip() or None if shape.crm_id else None


def as_template(shape: CrmShape, row: Row) -> Row | None:
    """The row in the template's columns, keyed by the LeadDesk id ("" when the file has
    none: then the CRM's id is the key); None if the CRM has not answered it yet."""
    answer = shape.answer(row)
    if answer is None:
        return None
    return {"lead_id": _first(row, LEADDESK_ID), **answer}


def _us_date(text: str) -> str:
    """Salesforce exports dates as the user's locale writes them; "3/1/2024" (US) becomes
    2024-03-01, an ISO date stays as it is."""
    text = text.strip().split(" ")[0]
    parts = text.split("/")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        month, day, year = parts
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text

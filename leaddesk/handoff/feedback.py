"""Sales answers a handoff: accepted (with the opportunity it opened in its CRM) or rejected
(docs/architecture.md §6).

This is the only way an opportunity reference enters LeadDesk, and only a salesperson can
use it: the role is checked here, below the desk, as well as at the desk.

The feedback file is a CSV with a header (see resources/feedback_template.csv):
lead_id, decision (accepted|rejected), opportunity_id, owner, date, reason, comment, and
(optional) amount: what the opportunity is worth, for marketing's reports.
Lines starting with # are ignored. A file that cannot be read as such (missing or unknown
columns, ragged rows, no rows) is refused whole. Otherwise each row stands on its own:
bad rows, unknown leads and conflicting decisions are reported with their row number and
field and are not applied, the rest are. The same decision again changes nothing, so
importing a file twice is safe.

Here: what an answer is and how one row of it is checked for form. Reading the file is
``feedback_file``; matching answers to leads and applying them is ``feedback_apply``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from leaddesk.domain import SalesDecision, is_record_number
from leaddesk.errors import InputError

COLUMNS = (
    "lead_id",
    "decision",
    "opportunity_id",
    "owner",
    "date",
    "reason",
    "comment",
    "amount",
)
REQUIRED_COLUMNS = ("lead_id", "decision")
MAX_TEXT = 2_000
MAX_ID = 128
# A decision's lead_id before it is matched by its CRM id (``crm_ids``).
NO_LEAD = 0
# The largest amount taken, in whole currency units: a typo of a few zeros too many is said.
MAX_AMOUNT = 10**12


class RejectReason(StrEnum):
    """The reasons LeadDesk has always shipped; the team's own list is the lead definition's
    (``leaddesk.definition.reject_reasons``), which names these by default."""

    NO_BUDGET = "no_budget"
    BAD_TIMING = "bad_timing"
    NOT_DECISION_MAKER = "not_decision_maker"
    ALREADY_CUSTOMER = "already_customer"
    DUPLICATE = "duplicate"
    UNREACHABLE = "unreachable"
    OTHER = "other"


_DECISIONS = {
    "accepted": SalesDecision.ACCEPTED,
    "accept": SalesDecision.ACCEPTED,
    "rejected": SalesDecision.REJECTED,
    "reject": SalesDecision.REJECTED,
}


@dataclass(frozen=True)
class Decision:
    """One lead's answer from sales, checked for form (not yet against the store)."""

    lead_id: int
    decision: SalesDecision
    opportunity_id: str | None = None
    owner: str | None = None
    on: date | None = None
    # A rejection's reason as sales gave it (a key or label of the definition's reasons);
    # checked against the published definition when applied.
    reason: str | None = None
    comment: str | None = None
    row: int | None = None  # line in the file, for messages
    # The CRM's own id for the lead (a Salesforce Lead id, a HubSpot record id): the key when
    # the answer has no LeadDesk id (``lead_id`` is then NO_LEAD) or names a lead not here.
    crm_id: str | None = None
    # What the accepted lead's opportunity is worth, in cents, when sales says.
    amount_cents: int | None = None

    def same_as(self, other: Decision) -> bool:
        return (self.decision, self.opportunity_id) == (other.decision, other.opportunity_id)


@dataclass(frozen=True)
class Problem:
    row: int | None
    field: str
    message: str
    lead_id: int | None = None
    kind: str = "invalid"  # invalid | unknown_lead | not_handed_off | not_permitted | conflict

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "lead_id": self.lead_id,
            "kind": self.kind,
        }


@dataclass
class FeedbackReport:
    file: str
    sha256: str
    rows: int = 0
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return len(self.accepted) + len(self.rejected)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "applied": self.applied,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "problems": [problem.as_json() for problem in self.problems],
        }


def check_row(
    values: dict[str, str], row: int | None, *, crm_id: str | None = None
) -> Decision | Problem:
    """One row's fields, checked for form; the first problem found is returned. With
    ``crm_id`` an empty lead_id is allowed: the lead is matched by the CRM's id later."""
    raw_id = values.get("lead_id", "").removeprefix("#")  # "#1234", as LeadDesk writes it
    if crm_id and not raw_id:
        lead_id = NO_LEAD
    elif not (raw_id.isascii() and raw_id.isdigit()):  # "³" and "١" are digits to str.isdigit
        return Problem(row, "lead_id", f"'{raw_id}' is not a lead id (a whole number)")
    else:
        lead_id = int(raw_id)
        if not is_record_number(lead_id):
            if not crm_id:
                return Problem(
                    row, "lead_id", f"no lead {raw_id} in this store", None, "unknown_lead"
                )
            lead_id = NO_LEAD  # no lead of ours: the CRM's id may still find it
    raw_decision = values.get("decision", "").lower()
    decision = _DECISIONS.get(raw_decision)
    if decision is None:
        return Problem(row, "decision", f"'{raw_decision}' must be accepted or rejected", lead_id)
    opportunity = values.get("opportunity_id", "").lstrip("'") or None
    owner = values.get("owner", "") or None
    comment = values.get("comment", "") or None
    if opportunity and len(opportunity) > MAX_ID:
        return Problem(row, "opportunity_id", f"longer than {MAX_ID} characters", lead_id)
    if owner and len(owner) > MAX_ID:
        return Problem(row, "owner", f"longer than {MAX_ID} characters", lead_id)
    if comment and len(comment) > MAX_TEXT:
        return Problem(row, "comment", f"longer than {MAX_TEXT} characters", lead_id)
    on: date | None = None
    if values.get("date"):
        try:
            # A CRM's export may give the time too ("2026-11-19 14:02:00", "…T14:02Z").
            if values["date"][10:11] not in ("", " ", "T"):
                raise ValueError(values["date"])
            on = date.fromisoformat(values["date"][:10])
        except ValueError:
            return Problem(
                row, "date", f"'{values['date']}' is not a date like 2026-11-19", lead_id
            )
    reason: str | None = None
    if decision is SalesDecision.ACCEPTED:
        if not opportunity:
            return Problem(
                row,
                "opportunity_id",
                "an accepted lead needs the opportunity id from the CRM",
                lead_id,
            )
        if values.get("reason"):
            return Problem(row, "reason", "only rejected leads take a reason", lead_id)
    else:
        if opportunity:
            return Problem(row, "opportunity_id", "a rejected lead has no opportunity", lead_id)
        reason = values.get("reason", "").strip()
        if not reason:
            return Problem(row, "reason", "a rejected lead needs a reason", lead_id)
        if len(reason) > MAX_ID:
            return Problem(row, "reason", f"longer than {MAX_ID} characters", lead_id)
    amount = read_amount(values.get("amount", ""))
    amount = _ambiguous_amount(values.get("amount", "")) or amount
    if isinstance(amount, str):
        return Problem(row, "amount", amount, lead_id)
    if amount is not None and decision is SalesDecision.REJECTED:
        return Problem(row, "amount", "a rejected lead has no opportunity to be worth", lead_id)
    return Decision(lead_id, decision, opportunity, owner, on, reason, comment, row, crm_id, amount)


def read_amount(text: str) -> int | str | None:
    """An opportunity's amount as sales writes it ("12,500", "12500.50", "$ 9 900", and in a
    European sheet "1.200,50" or "12,50") in cents; None when not given; a sentence saying
    what is wrong otherwise. Of a comma and a point both there, the last one is the decimal
    mark; a comma alone is one when one or two digits follow it; a mark given more than once
    groups thousands."""
    cleaned = "".join(ch for ch in text.strip() if ch not in "$€£ '\u00a0")
    if not cleaned:
        return None
    cleaned = _with_decimal_point(cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return f"'{text.strip()}' is not an amount like 12500 or 12,500.50"
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        return f"'{text.strip()}' is not an amount between 0 and {MAX_AMOUNT:,}"
    return int((value * 100).quantize(Decimal(1)))


def _with_decimal_point(text: str) -> str:
    """``text`` with its thousands marks dropped and its decimal mark a point."""
    commas, points = text.count(","), text.count(".")
    if commas and points:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        return text.replace(grouping, "").replace(decimal, ".")
    if commas == 1 and len(text) - text.index(",") - 1 in (1, 2):
        return text.replace(",", ".")
    if points > 1:
        return text.replace(".", "")
    return text.replace(",", "")


def decision_from_form(values: dict[str, str]) -> Decision:
    """One decision typed in the window (the file's columns as keys), checked as a file row is;
    InputError names the field."""
    checked = check_row({name: value.strip() for name, value in values.items()}, None)
    if isinstance(checked, Problem):
        raise InputError(checked.message, field=checked.field)
    return checked


def _ambiguous_amount(text: str) -> str | None:
    """What is wrong with '1.200' in a file (a thousand two hundred in much of Europe, 1.20
    elsewhere), or None for an amount that reads one way only."""
    raw = text.strip()
    cleaned = "".join(ch for ch in raw if ch not in "$€£ '\u00a0")
    whole, point, fraction = cleaned.partition(".")
    if not point or "," in cleaned or "." in fraction or len(fraction) != 3:
        return None
    return f"'{raw}' could be read two ways; write {whole}{fraction} or {whole}.{fraction[:2]}"

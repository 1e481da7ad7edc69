"""What sales did with LeadDesk's leads in HubSpot, read back as sales' answers: a lead
object moved to the qualified stage is accepted (the deal sales made from it is the
opportunity, its amount in the comment), one moved to unqualified is rejected with its
disqualification reason mapped to LeadDesk's reasons.

Only reads: the leads are searched by stage and change date, the deal a lead became is read
through its association. Nothing here writes to HubSpot, least of all a deal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from leaddesk.domain import SalesDecision
from leaddesk.handoff.feedback import Decision, RejectReason, read_amount
from leaddesk.sync.team_settings import SyncSettings

QUALIFIED = "qualified-stage-id"  # the default lead pipeline's stages
UNQUALIFIED = "unqualified-stage-id"
REASON = "hs_lead_disqualification_reason"
NOTE = "hs_lead_disqualification_note"
PAGE = 100
# Words in HubSpot's disqualification reason → LeadDesk's reason (anything else: other).
_REASONS = (
    ("budget", RejectReason.NO_BUDGET),
    ("timing", RejectReason.BAD_TIMING),
    ("authority", RejectReason.NOT_DECISION_MAKER),
    ("decision", RejectReason.NOT_DECISION_MAKER),
    ("customer", RejectReason.ALREADY_CUSTOMER),
    ("duplicate", RejectReason.DUPLICATE),
    ("unreachable", RejectReason.UNREACHABLE),
    ("no response", RejectReason.UNREACHABLE),
)

Request = Callable[..., dict[str, Any]]  # (client method, *args) -> the answer's JSON


def reason_of(hubspot_reason: str) -> RejectReason:
    words = hubspot_reason.replace("_", " ").lower()
    return next((ours for word, ours in _REASONS if word in words), RejectReason.OTHER)


def _day(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def changed_leads(
    request: Request, search: Any, settings: SyncSettings, since: datetime | None
) -> list[dict[str, Any]]:
    """LeadDesk's lead objects now qualified or unqualified, changed since ``since``."""
    filters: list[dict[str, Any]] = [
        {"propertyName": "hs_pipeline_stage", "operator": "IN", "values": [QUALIFIED, UNQUALIFIED]},
        {"propertyName": settings.external_id_field, "operator": "HAS_PROPERTY"},
    ]
    if since is not None:
        stamp = str(int(since.timestamp() * 1000))
        filters.append({"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": stamp})
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        body: dict[str, Any] = {
            "filterGroups": [{"filters": filters}],
            "properties": [
                settings.external_id_field,
                "hs_pipeline_stage",
                REASON,
                NOTE,
                "hubspot_owner_id",
                "hs_lastmodifieddate",
            ],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "limit": PAGE,
        }
        if after is not None:
            body["after"] = after
        answer = request(search, "leads", body)
        found += list(answer.get("results") or [])
        after = ((answer.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return found


def as_decisions(
    leads: list[dict[str, Any]],
    settings: SyncSettings,
    deals: dict[str, tuple[str, str | None]],
) -> list[Decision]:
    """``deals``: HubSpot lead id → (the deal made from it, its amount)."""
    decisions: list[Decision] = []
    for lead in leads:
        properties = lead.get("properties") or {}
        ours = str(properties.get(settings.external_id_field) or "")
        if not ours.isdigit():
            continue
        owner = properties.get("hubspot_owner_id") or None
        on = _day(properties.get("hs_lastmodifieddate"))
        if properties.get("hs_pipeline_stage") == QUALIFIED:
            deal, amount = deals.get(str(lead.get("id")), ("", None))
            decisions.append(
                Decision(
                    int(ours),
                    SalesDecision.ACCEPTED,
                    opportunity_id=deal or None,
                    owner=owner,
                    on=on,
                    amount_cents=_cents(amount),
                )
            )
        else:
            said = str(properties.get(REASON) or "")
            note = str(properties.get(NOTE) or "").strip()
            comment = "; ".join(part for part in (said, note) if part) or None
            decisions.append(
                Decision(
                    int(ours),
                    SalesDecision.REJECTED,
                    owner=owner,
                    on=on,
                    reason=reason_of(said).value,
                    comment=comment,
                )
            )
    return decisions


def _cents(amount: str | None) -> int | None:
    """The deal's amount as HubSpot gives it ("12500.5"), in cents; None when not usable."""
    cents = read_amount(str(amount)) if amount else None
    return cents if isinstance(cents, int) else None

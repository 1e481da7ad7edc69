"""The demo's hand-offs: older qualified leads went to sales in daily batches, and sales
answered most of them (docs/architecture.md §6).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from leaddesk import lifecycle
from leaddesk.admin.demo.rows import DemoRows
from leaddesk.definition import Policy
from leaddesk.definition.business_time import add_business_hours
from leaddesk.domain import WITH_SALES, LeadType, SalesDecision, Stage, Verdict
from leaddesk.handoff.routing import ROUTED_VERDICTS, Salesperson

REJECT_REASONS = ("no_budget", "bad_timing", "not_decision_maker", "already_customer", "other")


def hand_off_history(
    rows: DemoRows, rng: random.Random, *, now: datetime, version: int, sales_id: int
) -> None:
    """Older qualified leads went to sales in daily batches; sales answered most of them.

    Leads qualified in the last day still wait for tonight's export, so every rep has a
    batch to hand off. Hand-off verdicts carry the BANT answers sales reads in the file.
    """
    for verdict in rows.verdicts:
        if verdict["verdict"] == Verdict.HAND_OFF.value and verdict["answers"] is None:
            verdict["answers"] = _hand_off_answers(random.Random(verdict["lead_id"]))
    cutoff = now - timedelta(days=1)
    waiting = [
        lead
        for lead in rows.leads
        if lead["stage"] == Stage.QUALIFIED.value and lead["stage_changed_at"] < cutoff
    ]
    by_day: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for lead in waiting:
        rep = lead["assigned_to_id"]
        by_day.setdefault((rep, lead["stage_changed_at"].date().isoformat()), []).append(lead)
    for number, ((rep, day), leads) in enumerate(sorted(by_day.items()), start=1):
        created = max(lead["stage_changed_at"] for lead in leads) + timedelta(hours=2)
        batch_id = number
        rows.batches.append(
            {
                "id": batch_id,
                "code": f"demo-{day.replace('-', '')}-{rep}-{number}",
                "created_by_id": rep,
                "created_at": created,
                "scope": "own",
                "lead_count": len(leads),
                "definition_version": version,
                "folder": None,
                "files": None,
            }
        )
        for lead in leads:
            lead.update(lifecycle.as_stored(Stage.HANDED_OFF, at=created))
            lead["handoff_batch_id"] = batch_id
            if created > now - timedelta(days=2) or rng.random() < 0.15:
                continue  # sales has not answered yet: the black box the team lead watches
            answered = created + timedelta(hours=rng.randint(3, 40))
            if rng.random() < 0.72:
                opportunity_id = len(rows.opportunities) + 1
                rows.opportunities.append(
                    {
                        "id": opportunity_id,
                        "lead_id": lead["id"],
                        "external_id": f"006{rng.randint(10**11, 10**12 - 1)}",
                        "owner": rng.choice(("Dana Reyes", "Sam Okafor", "Mia Lindqvist")),
                        "created_on": answered.date(),
                        "recorded_by_id": sales_id,
                        "recorded_at": answered,
                        # What sales put on the opportunity: whole hundreds, 5,000–120,000
                        # (its own draw per lead: the rest of a seed's demo stays as it was).
                        "amount_cents": random.Random(lead["id"]).randint(50, 1200) * 10_000,
                    }
                )
                decision, reason = SalesDecision.ACCEPTED, None
                lead.update(lifecycle.as_stored(Stage.ACCEPTED, at=answered))
            else:
                opportunity_id, decision = None, SalesDecision.REJECTED
                reason = rng.choice(REJECT_REASONS)
                lead.update(lifecycle.as_stored(Stage.REJECTED, at=answered))
            rows.feedback.append(
                {
                    "lead_id": lead["id"],
                    "batch_id": lead["handoff_batch_id"],
                    "decision": decision.value,
                    "reason": reason,
                    "detail": None,
                    "opportunity_id": opportunity_id,
                    "recorded_by_id": sales_id,
                    "recorded_at": answered,
                    "source_digest": None,
                }
            )


# Hand-offs given with no salesperson named (before sales joined the desk): a few, so the sales
# page's "unassigned — pick one" has something to show.
UNROUTED_SHARE = 0.08


def route_to_sales(rows: DemoRows, sales: Sequence[Salesperson], policy: Policy) -> None:
    """Name a salesperson on each hand-off verdict as the policy's round robin would at the
    verdict's time: in turn among those with room (whoever was named longest ago), else the
    one with the fewest open hand-offs; their follow-up clock starts at the verdict. A lead
    counts as open for its salesperson until sales answered it."""
    for lead in rows.leads:  # every row names every column: one bulk insert for them all
        lead.update(sales_owner_id=None, sales_clock_at=None, sales_due_at=None)
    for verdict in rows.verdicts:
        verdict["salesperson_id"] = None
    if not sales:
        return
    leads = {lead["id"]: lead for lead in rows.leads}
    answered = {answer["lead_id"]: answer["recorded_at"] for answer in rows.feedback}
    routed = sorted(
        (v for v in rows.verdicts if Verdict(v["verdict"]) in ROUTED_VERDICTS),
        key=lambda verdict: (verdict["decided_at"], verdict["lead_id"]),
    )
    in_zone = {p.id: replace(policy, timezone=p.timezone or policy.timezone) for p in sales}
    open_leads = {p.id: 0 for p in sales}
    named = {p.id: 0 for p in sales}  # the turn each was last named in
    until: list[tuple[datetime, int, int]] = []  # (answered at, lead, salesperson)
    for turn, verdict in enumerate(routed, start=1):
        at, lead = verdict["decided_at"], leads[verdict["lead_id"]]
        while until and until[0][0] <= at:
            open_leads[heapq.heappop(until)[2]] -= 1
        if random.Random(f"route-{lead['id']}").random() < UNROUTED_SHARE:
            continue
        room = [p for p in sales if open_leads[p.id] < p.capacity]
        chosen = (
            min(room, key=lambda p: (named[p.id], p.name))
            if room
            else min(sales, key=lambda p: (open_leads[p.id] - p.capacity, p.name))
        )
        named[chosen.id] = turn
        verdict["salesperson_id"] = chosen.id
        kind = LeadType(verdict["lead_type"]) if verdict["lead_type"] else None
        hours = policy.sales_routing.due_hours_for(kind)
        lead.update(
            sales_owner_id=chosen.id,
            sales_clock_at=at,
            sales_due_at=add_business_hours(at, hours, in_zone[chosen.id]),
        )
        if Stage(lead["stage"]) in WITH_SALES or lead["stage"] == Stage.QUALIFIED.value:
            open_leads[chosen.id] += 1
            far = datetime.max.replace(tzinfo=at.tzinfo)
            heapq.heappush(until, (answered.get(lead["id"], far), lead["id"], chosen.id))


def _hand_off_answers(rng: random.Random) -> dict[str, Any]:
    """BANT answers that meet the default definition's hand-off rule (own rng: the rest of
    the demo stays as it was for a seed)."""
    budget = rng.choice(("approved", "planned"))
    return {
        "contact_check": "yes",
        "inquiry_reason": rng.choice(("project", "pricing")),
        "pain_level": rng.choice(("major", "some")),
        "decision_role": rng.choice(("decision_maker", "influencer")),
        "budget_status": budget,
        "budget_amount": {"amount": rng.choice((15_000, 40_000, 120_000)), "currency": "USD"},
        "timeline": rng.choice(("3_months", "6_months")),
        "next_step_agreed": True,
        "best_time": rng.choice(("Tuesday morning", "Thursday after 14:00", "Any weekday 9-11")),
    }

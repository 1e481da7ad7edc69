"""The demo's hand-offs: older qualified leads went to sales in daily batches, and sales
answered most of them (docs/architecture.md §6).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from leaddesk import lifecycle
from leaddesk.admin.demo.rows import DemoRows
from leaddesk.domain import SalesDecision, Stage, Verdict

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

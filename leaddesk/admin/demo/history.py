"""A demo lead's history on the phone: the calls a rep made, the callbacks booked, the
verdicts given and the audit they left (docs/architecture.md §4).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from leaddesk import lifecycle
from leaddesk.admin.demo.rows import DemoRows
from leaddesk.audit.actions import AuditAction
from leaddesk.calling.call_log import TAKEN_FROM_POOL
from leaddesk.definition import Policy
from leaddesk.definition.business_time import calling_day
from leaddesk.domain import CallOutcome, LeadType, Stage, Verdict
from leaddesk.queue.zones import callable_now

# An unanswered lead older than this has had its whole cadence (6 tries in 10 business days).
CADENCE_RUN_OUT = timedelta(days=14)
# A call that would fall outside calling time moves on in these steps, for up to a week.
_STEP = timedelta(minutes=30)
_STEPS = 7 * 48


class CallHistory:
    """Writes what a rep did with a lead, as the desk would have written it."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        policy: Policy,
        version_id: int | None,
        rows: DemoRows,
    ) -> None:
        self.rng = rng
        self.now = now
        self.policy = policy
        self.version_id = version_id
        self.rows = rows

    def work(self, lead: dict[str, Any], person: dict[str, Any], rep: int) -> None:
        rng = self.rng
        at: datetime = lead["arrived_at"] + timedelta(minutes=rng.randint(10, 180))
        attempts = rng.randint(1, 4)
        connected = False
        outcome = CallOutcome.NO_ANSWER
        for number in range(1, attempts + 1):
            moved = self._calling_time(at, person)
            if moved is not None and moved != at:
                # Not all at the opening minute: spread over the first hours, per lead and call.
                spread = timedelta(minutes=(lead["id"] * 53 + number * 17) % 240)
                moved = self._calling_time(moved + spread, person)
            if moved is None or moved >= self.now - timedelta(minutes=5):
                break
            at = moved
            last = number == attempts
            outcome = (
                CallOutcome.CONNECTED
                if last and rng.random() < 0.6
                else rng.choice((CallOutcome.NO_ANSWER, CallOutcome.VOICEMAIL, CallOutcome.BUSY))
            )
            ring = rng.randint(5, 40)
            talk = rng.randint(180, 860) if outcome is CallOutcome.CONNECTED else 0
            self.rows.calls.append(
                {
                    "lead_id": lead["id"],
                    "user_id": rep,
                    "at": at,
                    "outcome": outcome.value,
                    "duration_seconds": ring + talk,
                    "note": None,
                    "callback_at": None,
                    "ended_at": min(at + timedelta(seconds=talk), self.now - timedelta(minutes=1)),
                }
            )
            lead["attempts"] = number
            # Reached on this call: a new cadence starts (only the last call connects).
            lead["cadence_attempts"] = 0 if outcome is CallOutcome.CONNECTED else number
            lead["last_attempt_at"] = at
            lead["first_contact_at"] = lead["first_contact_at"] or at
            connected = outcome is CallOutcome.CONNECTED
            at += timedelta(hours=rng.choice((3, 4, 20, 26)))
        if lead["attempts"] == 0:
            return
        if lead["assigned_to_id"] is None:
            lead["assigned_to_id"] = rep
            self.assign(lead, rep, by=rep, at=lead["first_contact_at"], reason=TAKEN_FROM_POOL)
        lead.update(lifecycle.as_stored(Stage.WORKING, at=lead["first_contact_at"]))
        # The cadence's wait after the last outcome: some retries are due, some later today.
        wait = self.policy.cadence.retry_after(outcome) or timedelta(hours=3)
        lead["next_attempt_at"] = lead["last_attempt_at"] + wait
        if person["do_not_call"]:
            return
        if not connected:
            self._unanswered(lead, person, rep)
            return
        lead["next_attempt_at"] = None
        roll = rng.random()
        if roll < 0.12:
            # Agreed to talk again: some callbacks fall due today.
            lead.update(lifecycle.as_stored(Stage.IN_QUALIFICATION, at=lead["stage_changed_at"]))
            self._book_callback(lead, person, self.now + timedelta(minutes=rng.randint(-90, 480)))
            return
        if roll < 0.17:
            # Talked, questionnaire half done, no verdict yet: lately, or they asked to be
            # called back (a team does not leave a half-qualified lead for weeks).
            lead.update(lifecycle.as_stored(Stage.IN_QUALIFICATION, at=lead["stage_changed_at"]))
            if self.now - lead["last_attempt_at"] > timedelta(days=1):
                self._book_callback(lead, person, self.now + _spread(lead["id"]))
            return
        verdict, lead_type, stage = rng.choices(
            (
                (Verdict.HAND_OFF, LeadType.SALES_WORTHY, Stage.QUALIFIED),
                (Verdict.NURTURE, LeadType.UNQUALIFIED_INTEREST, Stage.NURTURE),
                (Verdict.DISQUALIFY, LeadType.UNWORTHY, Stage.DISQUALIFIED),
                (Verdict.DISQUALIFY, LeadType.DUBIOUS, Stage.DISQUALIFIED),
                (Verdict.EXISTING_ACCOUNT, LeadType.SALES_WORTHY, Stage.EXISTING_ACCOUNT),
            ),
            (40, 25, 18, 7, 5),
        )[0]
        # Some minutes after the last call, but never later than a moment ago.
        decided = min(
            lead["last_attempt_at"] + timedelta(minutes=rng.randint(5, 25)),
            self.now - timedelta(minutes=1),
        )
        self._decide(
            lead,
            rep,
            (verdict, lead_type, stage),
            decided=decided,
            reason=_verdict_reason(verdict, lead_type),
            framework_score=rng.randint(40, 95),
        )

    def _calling_time(self, at: datetime, person: dict[str, Any]) -> datetime | None:
        """``at``, or the first half hour after it when the team calls (a calling day of its
        country, in its zone: no weekend, no public holiday) and the person may be phoned
        (their calling hours and days); None when no such time comes within a week."""
        policy = self.policy
        country, region = policy.holiday_country, policy.holiday_subdivision
        for _ in range(_STEPS):
            team_day = at.astimezone(policy.zone).date()
            if calling_day(team_day, policy, country, region) and callable_now(
                person["zone_key"], at, policy, person.get("country"), person.get("region")
            ):
                return at
            at += _STEP
        return None

    def _book_callback(
        self, lead: dict[str, Any], person: dict[str, Any], agreed: datetime
    ) -> None:
        # Booked as a rep books it: within the person's calling hours, never at 3 a.m.
        # Up to five days on: past a weekend or a public holiday of their country.
        for _ in range(48 * 5):
            if callable_now(
                person["zone_key"], agreed, self.policy, person.get("country"), person.get("region")
            ):
                break
            agreed += timedelta(minutes=30)
        lead["callback_at"] = agreed
        lead["next_attempt_at"] = agreed

    def _unanswered(self, lead: dict[str, Any], person: dict[str, Any], rep: int) -> None:
        """Nobody picked up yet. A team works its retries: an old lead's cadence has run out
        (nurtured as unreachable), a recent one's next try is due about now, not weeks ago."""
        if lead["arrived_at"] < self.now - CADENCE_RUN_OUT:
            attempts = lead["attempts"]
            self._decide(
                lead,
                rep,
                (Verdict.NURTURE, lead["lead_type"] and LeadType(lead["lead_type"]), Stage.NURTURE),
                decided=lead["last_attempt_at"],
                reason=f"Unreachable: no contact in {attempts} "
                f"{'attempt' if attempts == 1 else 'attempts'}; the cadence's business days "
                "are over",
                framework_score=None,
            )
            return
        # A few slip through (one in twenty): the team view's "untouched" has something to show.
        if self.now - lead["next_attempt_at"] > timedelta(hours=20) and lead["id"] % 20:
            lead["next_attempt_at"] = self.now + _spread(lead["id"])

    def _decide(
        self,
        lead: dict[str, Any],
        rep: int,
        outcome: tuple[Verdict, LeadType | None, Stage],
        *,
        decided: datetime,
        reason: str,
        framework_score: int | None,
    ) -> None:
        verdict, lead_type, stage = outcome
        lead.update(lifecycle.as_stored(stage, at=decided))
        lead.update(
            lead_type=lead_type.value if lead_type else None,
            next_attempt_at=None,
            definition_version_id=self.version_id,
            framework_score=framework_score,
        )
        self.rows.verdicts.append(
            {
                "lead_id": lead["id"],
                "verdict": verdict.value,
                "lead_type": lead_type.value if lead_type else None,
                "reason": reason,
                "disqualify_reason": (
                    lead_type.value if lead_type and verdict is Verdict.DISQUALIFY else None
                ),
                "recycle_at": decided + timedelta(days=90) if verdict is Verdict.NURTURE else None,
                "suggested_verdict": verdict.value,
                "suggested_lead_type": lead_type.value if lead_type else None,
                "overridden": False,
                "override_reason": None,
                "definition_version_id": self.version_id,
                "fit_score": lead["fit_score"],
                "interest_score": lead["interest_score"],
                "framework_score": lead["framework_score"],
                "answers": None,
                "fired_rules": None,
                "decided_by_id": rep,
                "decided_at": decided,
            }
        )
        self.rows.audit.append(
            {
                "at": decided,
                "actor_id": rep,
                "action": AuditAction.VERDICT.value,
                "lead_id": lead["id"],
                "subject": None,
                "from_state": Stage.WORKING.value,
                "to_state": stage.value,
                "reason": verdict.value,
                "details": None,
            }
        )

    def assign(
        self, lead: dict[str, Any], rep: int, *, by: int | None, at: datetime, reason: str
    ) -> None:
        """The history row a real desk writes when a lead reaches a rep."""
        self.rows.assignments.append(
            {
                "lead_id": lead["id"],
                "from_user_id": None,
                "to_user_id": rep,
                "by_user_id": by,
                "at": at,
                "reason": reason,
            }
        )


def _spread(lead_id: int) -> timedelta:
    """A time around now, from two hours ago to a day ahead, the same for the same lead
    (drawn from its number, so the rest of the seeded demo stays as it was)."""
    return timedelta(minutes=(lead_id * 37) % (26 * 60) - 120)


def _verdict_reason(verdict: Verdict, lead_type: LeadType) -> str:
    return {
        Verdict.HAND_OFF: "Budget confirmed, decision maker on the call, buying this quarter",
        Verdict.NURTURE: "Interested but no budget before next year",
        Verdict.EXISTING_ACCOUNT: "Already a customer; routed to the account owner",
        Verdict.DISQUALIFY: "Too small to benefit"
        if lead_type is LeadType.UNWORTHY
        else "Contact data only; nobody by that name works there",
    }[verdict]

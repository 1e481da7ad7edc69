"""Giving the verdict on a lead: the suggestion confirmed, or overridden with a reason.

The verdict moves the lead along its lifecycle (leaddesk.lifecycle, which writes its audit
event and undo snapshot), ends the rep's connected call and claim on it, and records the
definition version, the scores, the answers and the rules that fired (docs/architecture.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.calling.ending import end_connected_call
from leaddesk.definition import Question, evaluate
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import VERDICT_STAGE, DisqualifyReason, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError
from leaddesk.handoff.routing import Route, picked_by_rep, route_for, start_clock
from leaddesk.qualifying.facts import lead_facts
from leaddesk.qualifying.qualification import (
    check_workable,
    definition_for,
    flush_or_conflict,
    load_lead,
    saved_answers,
    user_name,
)
from leaddesk.qualifying.undo import before_verdict
from leaddesk.store.models import AuditEvent, Lead, User, VerdictRecord

_DISQUALIFY_FOR_TYPE = {
    LeadType.UNWORTHY: DisqualifyReason.UNWORTHY,
    LeadType.DUBIOUS: DisqualifyReason.DUBIOUS,
}
MAX_REASON = 2_000


@dataclass(frozen=True)
class VerdictInfo:
    id: int
    lead_id: int
    verdict: Verdict
    lead_type: LeadType | None
    reason: str | None
    disqualify_reason: DisqualifyReason | None
    recycle_at: datetime | None
    suggested_verdict: Verdict | None
    suggested_lead_type: LeadType | None
    overridden: bool
    override_reason: str | None
    definition_version: int | None
    fit_score: int | None
    interest_score: int | None
    framework_score: int | None
    answers: Mapping[str, object]
    fired_rules: tuple[str, ...]
    decided_by: str | None
    decided_at: datetime
    stage: Stage  # where the verdict moved the lead
    call_seconds: int | None = None  # the connected call it ended: its whole length
    route: Route | None = None  # the salesperson it was handed to, and why them
    sales_due_at: datetime | None = None  # when their follow-up is due

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lead_id": self.lead_id,
            "verdict": self.verdict.value,
            "lead_type": self.lead_type.value if self.lead_type else None,
            "reason": self.reason,
            "disqualify_reason": self.disqualify_reason.value if self.disqualify_reason else None,
            "recycle_at": self.recycle_at.isoformat() if self.recycle_at else None,
            "suggested_verdict": self.suggested_verdict.value if self.suggested_verdict else None,
            "suggested_lead_type": self.suggested_lead_type.value
            if self.suggested_lead_type
            else None,
            "overridden": self.overridden,
            "override_reason": self.override_reason,
            "definition_version": self.definition_version,
            "scores": {
                "fit": self.fit_score,
                "interest": self.interest_score,
                "framework": self.framework_score,
            },
            "answers": dict(self.answers),
            "fired": list(self.fired_rules),
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(),
            "stage": self.stage.value,
            "call_seconds": self.call_seconds,
            "salesperson": self.route.as_json() if self.route else None,
            "sales_due_at": self.sales_due_at.isoformat() if self.sales_due_at else None,
        }


# -- the verdict ---------------------------------------------------------------------------------


def give_verdict(
    session: Session,
    *,
    lead_id: int,
    verdict: Verdict,
    actor_id: int,
    at: datetime,
    reason: str | None = None,
    lead_type: LeadType | None = None,
    disqualify_reason: DisqualifyReason | None = None,
    recycle_at: datetime | None = None,
    expected_version: int | None = None,
    call_seconds: int | None = None,
    to: str | None = None,
) -> VerdictInfo:
    """Confirm the suggested verdict or override it (an override needs ``reason``).

    A hand-off (or an existing customer's lead) goes to the salesperson the policy routes it
    to, or to ``to`` when the rep picks another; their follow-up clock starts now.

    Moves the lead to the verdict's stage, ends the rep's connected call (``call_seconds``:
    its length as the window timed it; the answer says how long it ran) and claim on it, and
    records the verdict with the definition version, the scores, the answers and the rules
    that fired.
    """
    lead = load_lead(session, lead_id, lock=True)
    if expected_version is not None and lead.version != expected_version:
        raise Conflict(_changed_meanwhile(session, lead, actor_id))
    check_workable(session, lead, actor_id, at, "give it a verdict")
    version_id, definition = definition_for(session, lead)
    if version_id is None:
        version_id = definition_versions.ensure_default(session, at=at).id
    saved = saved_answers(session, lead.id)
    evaluation = evaluate(definition, saved, lead_facts(session, lead, at))
    suggestion = evaluation.suggestion

    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise InputError(f"keep the reason under {MAX_REASON} characters", field="reason")
    chosen_type = lead_type or (
        suggestion.lead_type
        if verdict is suggestion.verdict
        else verdict.usual_lead_type or suggestion.lead_type
    )
    overridden = verdict is not suggestion.verdict or chosen_type is not suggestion.lead_type
    if overridden and reason is None:
        raise InputError(
            f"The suggestion is {_words(suggestion.verdict)} "
            f"({definition.lead_type_label(suggestion.lead_type)}); to record "
            f"{_words(verdict)} ({definition.lead_type_label(chosen_type)}) instead, "
            "give a reason."
        )
    # A suggestion stands on the required answers (or on a knock-out answer); before they are
    # given, even the suggested verdict is the rep's own call: an override with a reason.
    unanswered = () if suggestion.knockout else evaluation.required_left
    if unanswered and reason is None:
        raise InputError(_questions_first(lead.id, unanswered))
    overridden = overridden or bool(unanswered)
    if disqualify_reason is not None and verdict is not Verdict.DISQUALIFY:
        raise InputError("A disqualify reason only goes with the disqualify verdict.")
    if recycle_at is not None and verdict is not Verdict.NURTURE:
        raise InputError("A recycle date only goes with the nurture verdict.")
    if recycle_at is not None and recycle_at <= at:
        raise InputError("The recycle date must be in the future.")

    if verdict is Verdict.DISQUALIFY and disqualify_reason is None:
        if suggestion.verdict is Verdict.DISQUALIFY and chosen_type is suggestion.lead_type:
            disqualify_reason = suggestion.disqualify_reason
        disqualify_reason = disqualify_reason or _DISQUALIFY_FOR_TYPE.get(
            chosen_type, DisqualifyReason.OTHER
        )
    if (
        verdict is Verdict.NURTURE
        and recycle_at is None
        and suggestion.verdict is Verdict.NURTURE
        and suggestion.recycle_days
    ):
        recycle_at = at + timedelta(days=suggestion.recycle_days)

    policy = definition.policy
    suggested_route = route_for(session, lead, verdict, policy)
    route = suggested_route
    if to:
        route = picked_by_rep(session, to, verdict)
        if suggested_route is not None and route.salesperson_id == suggested_route.salesperson_id:
            route = suggested_route  # the rep "picked" the one the policy named: keep its reason

    scores = evaluation.scores
    kept = before_verdict(lead)  # what an undo of this verdict gives the lead back
    to_stage = VERDICT_STAGE[verdict]
    # The verdict ends the call it was given on, while the claim still says how long it ran.
    ended = end_connected_call(
        session, lead.id, user_id=actor_id, at=at, duration_seconds=call_seconds
    )
    # The step's snapshot is taken as the verdict finds the lead, its event written once the
    # verdict record has its id.
    step = lifecycle.Step(
        lead,
        action=AuditAction.VERDICT_OVERRIDDEN if overridden else AuditAction.VERDICT_GIVEN,
        actor_id=actor_id,
        keep=kept,
    )
    step.move(to_stage, at=at)  # ends the rep's claim on it too
    if to_stage is Stage.QUALIFIED:
        # Sent back by sales for another try and handed off again: a hand-off of its own,
        # in a batch of its own, waiting for an answer of its own (the first one stays).
        lead.handoff_batch_id = None
    lead.lead_type = chosen_type
    lead.fit_score = scores.fit
    lead.interest_score = scores.interest
    lead.framework_score = scores.framework
    lead.definition_version_id = version_id
    if verdict is Verdict.EXISTING_ACCOUNT:
        lead.existing_account = True
    if route is not None:
        start_clock(session, lead, route, policy, at)
    record = VerdictRecord(
        lead_id=lead.id,
        verdict=verdict,
        lead_type=chosen_type,
        reason=reason if reason is not None else suggestion.reason,
        disqualify_reason=disqualify_reason,
        recycle_at=recycle_at,
        suggested_verdict=suggestion.verdict,
        suggested_lead_type=suggestion.lead_type,
        overridden=overridden,
        override_reason=reason if overridden else None,
        definition_version_id=version_id,
        fit_score=scores.fit,
        interest_score=scores.interest,
        framework_score=scores.framework,
        answers=dict(evaluation.answers),
        fired_rules=list(evaluation.fired),
        decided_by_id=actor_id,
        decided_at=at,
        salesperson_id=route.salesperson_id if route else None,
    )
    session.add(record)
    flush_or_conflict(session, lead.id)
    version = definition_versions.version_number(session, version_id)
    step.record(
        session,
        at=at,
        reason=record.reason,
        details={
            "verdict_id": record.id,
            "verdict": verdict.value,
            "lead_type": chosen_type.value,
            "suggested_verdict": suggestion.verdict.value,
            "suggested_lead_type": suggestion.lead_type.value,
            "suggested_because": suggestion.because,
            "overridden": overridden,
            "definition_version": version,
            **_routing_details(route, suggested_route, lead),
        },
    )
    info = verdict_info(record, version, user_name(session, actor_id), to_stage)
    info = replace(info, route=route, sales_due_at=lead.sales_due_at if route else None)
    return replace(info, call_seconds=ended.duration_seconds) if ended is not None else info


def _routing_details(route: Route | None, suggested: Route | None, lead: Lead) -> dict[str, Any]:
    """The verdict event's word on the salesperson: who, why, and whom the rep passed over."""
    if route is None:
        return {}
    details: dict[str, Any] = {
        "salesperson": route.name,
        "routed_because": route.why,
        "handoff_kind": route.kind,
        "sales_due_at": lead.sales_due_at.isoformat() if lead.sales_due_at else None,
    }
    if suggested is not None and suggested.salesperson_id != route.salesperson_id:
        details["salesperson_suggested"] = suggested.name
    return details


def salesperson_for(session: Session, lead_id: int, verdict: Verdict) -> Route | None:
    """Who the policy would hand the lead to on ``verdict``: shown to the rep before the
    verdict is confirmed."""
    lead = load_lead(session, lead_id)
    _version_id, definition = definition_for(session, lead)
    return route_for(session, lead, verdict, definition.policy)


def _questions_first(lead_id: int, unanswered: tuple[Question, ...]) -> str:
    named = ", ".join(f'"{question.text}"' for question in unanswered[:3])
    more = f" and {len(unanswered) - 3} more" if len(unanswered) > 3 else ""
    count = len(unanswered)
    return (
        f"Lead {lead_id}: {count} required question{'s' if count != 1 else ''} "
        f"unanswered ({named}{more}); answer them to confirm the suggestion, "
        "or override with a reason."
    )


def _words(verdict: Verdict) -> str:
    return verdict.label


def _changed_meanwhile(session: Session, lead: Lead, actor_id: int) -> str:
    last = session.execute(
        select(AuditEvent.action, User.name)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .where(AuditEvent.lead_id == lead.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    who = ""
    if last is not None and last.name:
        who = f" ({last.name}: {last.action.replace('_', ' ')})"
    return (
        f"Lead {lead.id} was changed since you opened it{who}; "
        "reload it and give the verdict again."
    )


def verdict_info(
    record: VerdictRecord, version: int | None, decided_by: str | None, stage: Stage
) -> VerdictInfo:
    return VerdictInfo(
        id=record.id,
        lead_id=record.lead_id,
        verdict=record.verdict,
        lead_type=record.lead_type,
        reason=record.reason,
        disqualify_reason=record.disqualify_reason,
        recycle_at=record.recycle_at,
        suggested_verdict=record.suggested_verdict,
        suggested_lead_type=record.suggested_lead_type,
        overridden=record.overridden,
        override_reason=record.override_reason,
        definition_version=version,
        fit_score=record.fit_score,
        interest_score=record.interest_score,
        framework_score=record.framework_score,
        answers=dict(record.answers or {}),
        fired_rules=tuple(record.fired_rules or ()),
        decided_by=decided_by,
        decided_at=record.decided_at,
        stage=stage,
    )

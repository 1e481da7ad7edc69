"""Logging a call: what happened on the phone, and what the queue does about it.

One call is one transaction: the call record, the lead's new cadence or hold, the claim
renewed or released, and an audit event. Once ``log_call`` returns, the call is stored
(SQLite runs with synchronous=FULL), so a crash a moment later cannot lose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.calling import calling_hours
from leaddesk.calling.call_row import add_call
from leaddesk.calling.ending import check_duration
from leaddesk.calling.kept_call import call_is_kept, keep_call
from leaddesk.calling.undo import before_call, can_undo
from leaddesk.definition import Policy
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import FRESH_STAGES, OPEN_STAGES, CallOutcome, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.privacy import do_not_call
from leaddesk.queue import zones
from leaddesk.queue.cadence import NO_CONTACT, day_start, plan_retry
from leaddesk.queue.claims import LEASE, claimed_by_other, holder_message, release_claim
from leaddesk.queue.policy import current_policy
from leaddesk.queue.rows import clock_text, day_and_time
from leaddesk.store.models import Assignment, CallAttempt, Lead, Person, User, VerdictRecord

MAX_NOTE = 4000
# Why a pool lead's assignment row names the rep who called it.
TAKEN_FROM_POOL = "called from the open pool"
# Outcomes after which the person was on the line: the lead is in qualification.
TALKED = frozenset({CallOutcome.CONNECTED, CallOutcome.CALLBACK, CallOutcome.NOT_INTERESTED})
# Outcomes that start a new cadence: the person was reached, so the unanswered calls before
# no longer count towards giving up on them.
CONTACT = tuple(TALKED)
# Outcomes that keep the lead out of every queue until someone decides what to do with it.
HOLDS = {
    CallOutcome.WRONG_NUMBER: "wrong_number",
    CallOutcome.BAD_NUMBER: "bad_number",
    CallOutcome.NOT_INTERESTED: "not_interested",
    CallOutcome.DO_NOT_CALL: do_not_call.HOLD,
}


@dataclass(frozen=True)
class CallResult:
    call_id: int
    lead_id: int
    outcome: CallOutcome
    at: datetime
    stage: Stage
    attempts: int
    next_attempt_at: datetime | None
    callback_at: datetime | None
    hold_reason: str | None
    claim_expires_at: datetime | None
    nurtured: bool
    message: str
    # The call a team lead's forced move cut across, kept on a lead no longer the rep's.
    kept: bool = False

    @property
    def undoable(self) -> bool:
        """Whether the rep may take this outcome back (Ctrl+Z, ``leaddesk undo-call``)."""
        return can_undo(self.outcome) and not self.kept

    @property
    def still_talking(self) -> bool:
        """The person is on the line and the lead the rep's: the questionnaire goes on."""
        return self.outcome is CallOutcome.CONNECTED and not (self.nurtured or self.kept)

    @property
    def verdict_now(self) -> bool:
        """ "Not interested" on the rep's own lead: their verdict comes next."""
        return self.outcome is CallOutcome.NOT_INTERESTED and not (self.nurtured or self.kept)

    def as_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "lead_id": self.lead_id,
            "outcome": self.outcome.value,
            "at": self.at.isoformat(),
            "stage": self.stage.value,
            "attempts": self.attempts,
            "next_attempt_at": _iso(self.next_attempt_at),
            "callback_at": _iso(self.callback_at),
            "hold": self.hold_reason,
            "claimed_until": _iso(self.claim_expires_at),
            "nurtured": self.nurtured,
            "message": self.message,
            "kept": self.kept,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def parse_outcome(text: str) -> CallOutcome:
    try:
        return CallOutcome(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(outcome.value for outcome in CallOutcome)
        message = f"'{text}' is not a call outcome; use one of {choices}"
        raise InputError(message, field="outcome") from None


def _check_input(
    outcome: CallOutcome,
    at: datetime,
    callback_at: datetime | None,
    note: str | None,
    duration_seconds: int | None,
) -> None:
    if outcome is CallOutcome.CALLBACK:
        if callback_at is None:
            raise InputError(
                "a callback needs the agreed time, e.g. 2026-11-19T14:30+01:00", field="callback"
            )
        if callback_at.tzinfo is None:
            raise InputError("give the time with its zone, e.g. 14:30+01:00", field="callback")
        if callback_at <= at:
            raise InputError("the agreed time has already passed", field="callback")
    elif callback_at is not None:
        raise InputError("only a 'callback' outcome has an agreed time", field="callback")
    if duration_seconds is not None:
        check_duration(duration_seconds)
    if note is not None and len(note) > MAX_NOTE:
        raise InputError(f"keep notes under {MAX_NOTE} characters", field="note")


def log_call(
    session: Session,
    lead_id: int,
    *,
    user_id: int,
    at: datetime,
    outcome: CallOutcome,
    callback_at: datetime | None = None,
    note: str | None = None,
    duration_seconds: int | None = None,
    any_lead: bool = False,
) -> CallResult:
    """Record a call on ``lead_id`` and move the lead on per the policy's cadence.

    ``any_lead`` lets a team lead log calls on a lead assigned to someone else.
    """
    _check_input(outcome, at, callback_at, note, duration_seconds)
    if callback_at is not None:
        callback_at = callback_at.astimezone(UTC)  # times live in UTC; shown in a zone later
    # FOR UPDATE on PostgreSQL: a second log on the same lead waits rather than racing.
    lead = session.get(Lead, lead_id, with_for_update=True)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    if not any_lead and call_is_kept(lead, user_id):
        call_id, message = keep_call(
            session,
            lead,
            user_id=user_id,
            at=at,
            outcome=outcome,
            callback_at=callback_at,
            note=note,
            duration_seconds=duration_seconds,
        )
        return CallResult(
            call_id, lead.id, outcome, at, lead.stage, lead.attempts, lead.next_attempt_at,
            lead.callback_at, lead.hold_reason, lead.claim_expires_at, False, message, kept=True,
        )  # fmt: skip
    if lead.stage not in OPEN_STAGES:
        raise Conflict(f"Lead {lead_id} is closed ({lead.stage.value}); the call was not logged.")
    if claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    if lead.assigned_to_id not in (None, user_id) and not any_lead:
        owner = session.scalar(select(User.display_name).where(User.id == lead.assigned_to_id))
        raise NotPermitted(f"Lead {lead_id} belongs to {owner}; ask your team lead to reassign it.")
    policy = current_policy(session)
    person = session.get(Person, lead.person_id)
    assert person is not None
    if callback_at is not None:
        problem = calling_hours.callback_outside_hours(
            callback_at, zones.zones_of(person.zone_key), policy, person.country, person.region
        )
        if problem is not None:
            raise InputError(problem, field="callback")

    # The call's step: what an undo of this call gives the lead back, taken now.
    step = lifecycle.Step(
        lead, action=AuditAction.CALL_LOGGED, actor_id=user_id, keep=before_call(lead)
    )
    call = add_call(
        session,
        lead_id=lead.id,
        user_id=user_id,
        at=at,
        outcome=outcome,
        callback_at=callback_at,
        note=note,
        duration_seconds=duration_seconds,
        # Only "connected" goes on while the rep qualifies; every other call is over now.
        ended_at=None if outcome is CallOutcome.CONNECTED else at,
    )
    details: dict[str, Any] = {"call_id": call.id, "outcome": outcome.value}
    if lead.assigned_to_id is None:
        _take_from_pool(session, lead, user_id=user_id, at=at)
        details["assigned_from_pool"] = True

    lead.attempts += 1
    lead.last_attempt_at = at
    lead.first_contact_at = lead.first_contact_at or at
    lead.callback_at = None
    lead.next_attempt_at = None
    nurtured = False
    if outcome in TALKED:
        lead.cadence_attempts = 0  # reached: a new cadence starts
        step.move(Stage.IN_QUALIFICATION, at=at)
    elif lead.stage in FRESH_STAGES:
        step.move(Stage.WORKING, at=at)

    if outcome is CallOutcome.CALLBACK:
        assert callback_at is not None
        lead.callback_at = lead.next_attempt_at = callback_at
        their = zones.local_time(person.zone_key, callback_at, policy)
        today_there = zones.local_time(person.zone_key, at, policy).date()
        message = f"Callback booked for {day_and_time(their, today_there)} their time."
    elif outcome is CallOutcome.CONNECTED:
        message = "Connected: the lead stays with you while you qualify."
    elif outcome in NO_CONTACT:
        cadence = _cadence_so_far(session, lead.id, at=at, policy=policy)
        plan = plan_retry(
            outcome,
            at=at,
            attempts_made=cadence.attempts,
            first_attempt_at=cadence.first_at or at,
            attempts_today=cadence.today,
            policy=policy,
        )
        details["cadence"] = plan.why
        lead.cadence_attempts = cadence.attempts
        if plan.exhausted:
            label = policy.cadence.exhausted_reason.split(":", 1)[0].strip() or "Unreachable"
            reason = f"{label}: {plan.why}, counted from {cadence.since}"
            _nurture_unreachable(session, lead, user_id=user_id, at=at, why=plan.why, reason=reason)
            nurtured = True
            days_over = (
                ""
                if cadence.attempts >= policy.cadence.max_attempts
                else f"; its {policy.cadence.within_business_days} business days are over"
            )
            message = (
                f"Moved to nurture: unreachable, no contact in {cadence.attempts} "
                f"{'try' if cadence.attempts == 1 else 'tries'} since {cadence.since}{days_over}."
            )
        else:
            lead.next_attempt_at = plan.next_attempt_at
            assert plan.next_attempt_at is not None
            # Said in the team's time and named so: the rep may sit in another zone.
            when = clock_text(plan.next_attempt_at, at, policy)
            place = policy.timezone.rsplit("/", 1)[-1].replace("_", " ")
            message = (
                f"{_said(outcome)}. Next try after {when} {place} time "
                f"(retry {cadence.attempts + 1} of {policy.cadence.max_attempts})."
            )
    elif outcome in (CallOutcome.WRONG_NUMBER, CallOutcome.BAD_NUMBER):
        lead.lead_type = LeadType.DUBIOUS
        message = "Number marked bad: the lead is dubious and out of the queue."
    elif outcome is CallOutcome.NOT_INTERESTED:
        message = "Not interested: out of the queue; give a verdict (nurture or disqualify)."
    else:
        held = _do_not_call(session, lead, person, at=at)
        details["other_leads_held"] = held
        message = "Do not call: this person is out of every queue."

    if outcome in HOLDS:
        lead.hold_reason = HOLDS[outcome]
    if outcome is CallOutcome.CONNECTED and not nurtured:
        # The rep is qualifying now: keep everyone else off this lead.
        lead.claimed_by_id = user_id
        lead.claim_expires_at = at + LEASE
    else:
        release_claim(session, lead)

    step.record(session, at=at, reason=outcome.value, details=details)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Lead {lead_id} was changed by someone else just now; reload it and log again."
        ) from None
    return CallResult(
        call_id=call.id,
        lead_id=lead.id,
        outcome=outcome,
        at=at,
        stage=lead.stage,
        attempts=lead.attempts,
        next_attempt_at=lead.next_attempt_at,
        callback_at=lead.callback_at,
        hold_reason=lead.hold_reason,
        claim_expires_at=lead.claim_expires_at,
        nurtured=nurtured,
        message=message,
    )


def _said(outcome: CallOutcome) -> str:
    return {
        CallOutcome.NO_ANSWER: "No answer",
        CallOutcome.BUSY: "Busy",
        CallOutcome.VOICEMAIL: "Voicemail",
        CallOutcome.GATEKEEPER: "Gatekeeper",
    }.get(outcome, outcome.value)


@dataclass(frozen=True)
class CadenceSoFar:
    """The unanswered calls of the lead's current cadence, this call included."""

    attempts: int
    first_at: datetime | None
    today: int
    since: str  # "the first call on Wed 18 Nov", said in the team's calendar


def _cadence_so_far(
    session: Session, lead_id: int, *, at: datetime, policy: Policy
) -> CadenceSoFar:
    """A connect or a booked callback starts a new cadence: count only the calls since the
    last one (all of them if the person was never reached)."""
    contact = session.execute(
        select(CallAttempt.id, CallAttempt.at, CallAttempt.outcome)
        .where(
            CallAttempt.lead_id == lead_id, CallAttempt.outcome.in_(CONTACT), CallAttempt.at <= at
        )
        .order_by(CallAttempt.at.desc(), CallAttempt.id.desc())
        .limit(1)
    ).first()
    calls = select(CallAttempt.at).where(
        CallAttempt.lead_id == lead_id,
        CallAttempt.outcome.in_(NO_CONTACT),
        CallAttempt.at <= at,
    )
    if contact is not None:
        calls = calls.where(CallAttempt.at >= contact.at)
    moments = list(session.scalars(calls))
    first_at = min(moments, default=None)
    today = sum(1 for moment in moments if moment >= day_start(at, policy))
    if contact is None:
        since = f"the first call on {_day(first_at or at, policy)}"
    elif contact.outcome is CallOutcome.CALLBACK:
        since = f"the callback booked on {_day(contact.at, policy)}"
    else:
        said = "connected" if contact.outcome is CallOutcome.CONNECTED else "not interested"
        since = f"the {said} call on {_day(contact.at, policy)}"
    return CadenceSoFar(len(moments), first_at, today, since)


def _day(moment: datetime, policy: Policy) -> str:
    local = moment.astimezone(policy.zone)
    return f"{local:%a} {local.day} {local:%b}"


def _take_from_pool(session: Session, lead: Lead, *, user_id: int, at: datetime) -> None:
    # Whoever calls a pool lead owns it from then on, so its retries come back to them.
    lead.assigned_to_id = user_id
    session.add(
        Assignment(
            lead_id=lead.id,
            from_user_id=None,
            to_user_id=user_id,
            by_user_id=user_id,
            at=at,
            reason=TAKEN_FROM_POOL,
        )
    )


def _nurture_unreachable(
    session: Session, lead: Lead, *, user_id: int, at: datetime, why: str, reason: str
) -> None:
    version_id = definition_versions.current_id(session)
    lifecycle.move(
        session,
        lead,
        Stage.NURTURE,
        at=at,
        action=AuditAction.NURTURED_UNREACHABLE,
        actor_id=user_id,
        reason=reason,
        details={"cadence": why, "attempts": lead.attempts},
    )
    lead.next_attempt_at = None
    lead.definition_version_id = version_id
    session.add(
        VerdictRecord(
            lead_id=lead.id,
            verdict=Verdict.NURTURE,
            lead_type=lead.lead_type,
            reason=reason,
            suggested_verdict=Verdict.NURTURE,
            suggested_lead_type=lead.lead_type,
            overridden=False,
            definition_version_id=version_id,
            fit_score=lead.fit_score,
            interest_score=lead.interest_score,
            framework_score=lead.framework_score,
            decided_by_id=user_id,
            decided_at=at,
        )
    )


def _do_not_call(session: Session, lead: Lead, person: Person, *, at: datetime) -> int:
    """Flag the person and hold every other open lead of theirs at once; how many were held."""
    return do_not_call.hold_people(session, [person.id], at=at, keep_lead_id=lead.id)

""" "Skip for now": the rep puts a lead behind the next few in their queue without calling
it (they will call it later today): a row of ``queue_skips`` the queue reads, and an audit
event as its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.errors import Conflict, InputError
from leaddesk.queue.claims import claimed_by_other, holder_message, release_claim
from leaddesk.queue.listing import candidates
from leaddesk.queue.scope import scope_for
from leaddesk.queue.skips import keep_skip
from leaddesk.store.models import Lead, Person


@dataclass(frozen=True)
class Skipped:
    lead_id: int
    behind: tuple[int, ...]  # the leads it now waits behind, in queue order
    message: str


def skip_for_now(
    session: Session, lead_id: int, *, user_id: int, at: datetime, any_owner: bool = False
) -> Skipped:
    """Put ``lead_id`` behind the next few leads of the rep's queue (the policy's
    ``[policy.queue] skip_behind``, 5 unless set); a claim the rep holds on it is let go.
    No call is logged: the cadence and the SLA run on."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise InputError(f"No lead {lead_id}.")
    if not lead.stage.is_open:
        raise Conflict(f"Lead {lead_id} is closed ({lead.stage.value}); it is in no queue.")
    if claimed_by_other(lead, user_id, at):
        raise Conflict(holder_message(session, lead))
    if not any_owner and lead.assigned_to_id not in (None, user_id):
        raise Conflict(f"Lead {lead_id} is in another rep's queue; only they can skip it.")
    if lead.claimed_by_id == user_id:
        release_claim(session, lead)
        session.flush()
    scope = scope_for(session, user_id, at)
    many = scope.policy.queue.skip_behind
    ahead = candidates(session, scope, many + 1)
    behind = tuple(other for other in ahead if other != lead_id)[:many]
    keep_skip(session, lead_id, user_id=user_id, at=at, behind=list(behind))
    audit.record(  # the skip's history; the queue reads the skip from its row
        session,
        at=at,
        actor_id=user_id,
        action=AuditAction.QUEUE_SKIPPED,
        lead_id=lead_id,
        details={"behind": list(behind)},
    )
    session.flush()
    person = session.get(Person, lead.person_id)
    who = f"{person.first_name} {person.last_name}".strip() if person else ""
    count = f"the next {len(behind)} lead{'s' if len(behind) != 1 else ''}"
    return Skipped(
        lead_id,
        behind,
        f"Skipped {who or f'lead {lead_id}'} for now: back after {count}."
        if behind
        else f"Skipped {who or f'lead {lead_id}'} for now: nobody else is due, so it stays first.",
    )

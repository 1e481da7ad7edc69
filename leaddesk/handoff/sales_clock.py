"""Chasing sales: the seeds' 24 h / 48 h rule applied to the salesperson a hand-off names.

A routed hand-off sales has not answered is flagged to the team lead and the sales manager
once the policy's ``sales_followup_hours`` (24) have passed since its clock started, and moved
to another salesperson after ``sales_escalation_hours`` (48) when the policy's sales routing
says ``move_when_late``; the move starts a new clock. Each step is an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role, Stage, Verdict
from leaddesk.handoff.records import current_policy
from leaddesk.handoff.routing import OPEN_FOR_SALES, route_for, start_clock
from leaddesk.store.models import Lead, SalesFeedback, User
from leaddesk.store.sales_answers import answers_its_handoff

# An existing customer's inquiry stays with its account owner: flagged, never moved.
WAITING_FOR_SALES = (*OPEN_FOR_SALES, Stage.EXISTING_ACCOUNT)


@dataclass(frozen=True)
class Moved:
    lead_id: int
    from_name: str
    to_name: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ChaseResult:
    at: datetime
    flagged: tuple[int, ...]
    moved: tuple[Moved, ...]
    told: tuple[str, ...]  # who a flag is for: the team leads and the sales manager
    stuck: tuple[int, ...] = ()  # late, but nobody else in sales to move them to

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "flagged": list(self.flagged),
            "moved": [move.as_json() for move in self.moved],
            "told": list(self.told),
            "stuck": list(self.stuck),
        }


def chase(session: Session, *, actor_id: int | None, at: datetime) -> ChaseResult:
    """Flag the routed hand-offs past the follow-up window and move those past escalation."""
    policy = current_policy(session)
    told = _told(session, policy.sales_routing.sales_manager)
    names: dict[int, str] = {
        user_id: name for user_id, name in session.execute(select(User.id, User.name)).all()
    }
    unanswered = (
        select(Lead)
        .outerjoin(SalesFeedback, answers_its_handoff())
        .where(
            Lead.sales_owner_id.is_not(None),
            Lead.stage.in_(WAITING_FOR_SALES),
            SalesFeedback.id.is_(None),
        )
    )
    flag_before = at - timedelta(hours=policy.sales_followup_hours)
    flagged: list[int] = []
    for lead in session.scalars(
        unanswered.where(Lead.sales_flagged_at.is_(None), Lead.sales_clock_at <= flag_before)
        .order_by(Lead.sales_clock_at, Lead.id)
        .with_for_update(of=Lead)
    ):
        lead.sales_flagged_at = at
        flagged.append(lead.id)
        audit.record(
            session,
            at=at,
            actor_id=actor_id,
            action=AuditAction.SALES_FOLLOWUP_FLAGGED,
            lead_id=lead.id,
            to_state=names.get(lead.sales_owner_id or 0),
            reason=f"no answer from sales within {policy.sales_followup_hours:g} h",
            details={"salesperson": names.get(lead.sales_owner_id or 0), "told": list(told)},
        )
    moved: list[Moved] = []
    stuck: list[int] = []
    if policy.sales_routing.move_when_late:
        move_before = at - timedelta(hours=policy.sales_escalation_hours)
        late = session.scalars(
            unanswered.where(Lead.stage.in_(OPEN_FOR_SALES), Lead.sales_clock_at <= move_before)
            .order_by(Lead.sales_clock_at, Lead.id)
            .with_for_update(of=Lead)
        ).all()
        for lead in late:
            owner = lead.sales_owner_id or 0
            route = route_for(session, lead, Verdict.HAND_OFF, policy, passing_over=(owner,))
            if route is None:
                stuck.append(lead.id)
                continue
            start_clock(session, lead, route, policy, at)
            session.flush()  # the next lead's routing counts this one as the new owner's
            moved.append(Moved(lead.id, names.get(owner, ""), route.name))
            audit.record(
                session,
                at=at,
                actor_id=actor_id,
                action=AuditAction.SALES_FOLLOWUP_MOVED,
                lead_id=lead.id,
                from_state=names.get(owner),
                to_state=route.name,
                reason=f"no answer from sales within {policy.sales_escalation_hours:g} h",
                details={"routed_because": route.why, "sales_due_at": _iso(lead.sales_due_at)},
            )
    return ChaseResult(at, tuple(flagged), tuple(moved), told, tuple(stuck))


def _told(session: Session, manager: str | None) -> tuple[str, ...]:
    leads = session.scalars(
        select(User.name)
        .where(User.role == Role.TEAM_LEAD, User.active.is_(True))
        .order_by(User.name)
    ).all()
    return (*leads, manager) if manager and manager not in leads else tuple(leads)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

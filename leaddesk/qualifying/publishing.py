"""Publishing a lead definition version, and what it means for leads nobody has worked yet.

A version that adds the marketing-qualified stage ("Basic Qualified Lead") would otherwise
only start new arrivals in it, leaving yesterday's inquiries that meet the same rule as plain
new leads. A marketer publishing the stage expects the leads still new that meet its ``when``
rule to be in it: they move now, each with its own audited step (publisher, version, rule),
and their record says when they met it. Leads already worked, and a version that keeps or
drops the stage, change nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from leaddesk import lifecycle
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Definition
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import Stage
from leaddesk.intake.scores import Scorer
from leaddesk.qualifying.facts import lead_facts
from leaddesk.store.models import Lead, Person

_CHUNK = 500


def publish(
    session: Session,
    text: str,
    *,
    source: str,
    at: datetime,
    actor_id: int | None,
    note: str | None = None,
) -> definition_versions.PublishResult:
    """Check and store ``text`` as the next version; if it adds the marketing-qualified
    stage, move the leads still new that meet its rule into it."""
    before_id = definition_versions.current_id(session)
    before = definition_versions.definition_for_version(session, before_id) if before_id else None
    result = definition_versions.publish_checked(
        session, text, source=source, at=at, actor_id=actor_id, note=note
    )
    if not result.created or (before is not None and _has_stage(before)):
        return result
    after_id = definition_versions.current_id(session)
    assert after_id is not None
    definition = definition_versions.definition_for_version(session, after_id)
    if not _has_stage(definition):
        return result
    moved = _move_new_leads(
        session, definition, version=result.version.version, at=at, actor_id=actor_id
    )
    label = definition.stage_label(Stage.MARKETING_QUALIFIED)
    return replace(result, moved_to_added_stage=moved, added_stage_label=label)


def _has_stage(definition: Definition) -> bool:
    return definition.has_stage(Stage.MARKETING_QUALIFIED)


def _move_new_leads(
    session: Session, definition: Definition, *, version: int, at: datetime, actor_id: int | None
) -> int:
    """Every lead still new (its person not erased) that meets the stage's rule on its facts
    and its fit and interest under ``definition``, moved into the stage; how many."""
    scorer = Scorer(definition)
    label = definition.stage_label(Stage.MARKETING_QUALIFIED)
    reason = f"Meets the rule for {label} in lead definition version {version}, published now"
    moved, after = 0, 0
    while True:
        leads = session.scalars(
            select(Lead)
            .join(Person, Person.id == Lead.person_id)
            .where(Lead.stage == Stage.NEW, Person.erased_at.is_(None), Lead.id > after)
            .order_by(Lead.id)
            .limit(_CHUNK)
            .options(
                selectinload(Lead.person).selectinload(Person.account),
                selectinload(Lead.account),
            )
        ).all()
        if not leads:
            return moved
        after = leads[-1].id
        for lead in leads:
            facts = lead_facts(session, lead, at)
            if not scorer.marketing_qualified(facts, scorer.score(facts)):
                continue
            lifecycle.move(
                session,
                lead,
                Stage.MARKETING_QUALIFIED,
                at=at,
                action=AuditAction.MARKETING_QUALIFIED,
                actor_id=actor_id,
                reason=reason,
                details={"automatic": True, "definition_version": version},
            )
            moved += 1

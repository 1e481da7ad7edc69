"""The desk's one write helper: permission first, one transaction, the audit event inside it
(docs/architecture.md §3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import setup_desk
from leaddesk.desk.context import SETUP_ACTOR, Actor, Audit, DeskContext
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.people.permissions import Action
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent


def _events(context: DeskContext, subject: str) -> list[tuple[str, dict[str, object]]]:
    with context.read(None) as session:
        found = session.scalars(select(AuditEvent).where(AuditEvent.subject == subject)).all()
        return [(event.action, dict(event.details or {})) for event in found]


@pytest.fixture
def context(store_location: str, clock: FixedClock) -> Iterator[DeskContext]:
    setup_desk(store_location, clock=clock).close()  # a store made, no users yet
    made = DeskContext(open_store(store_location), SETUP_ACTOR, clock)
    yield made
    made.store.close()


def test_a_write_records_its_audit_event_filled_in_by_its_block(context: DeskContext) -> None:
    event = Audit(AuditAction.BACKUP_TAKEN, "nightly")
    with context.write(Action.MANAGE_STORE, audit=event):
        event.details = {"rows": 3}
    assert _events(context, "nightly") == [("backup_taken", {"rows": 3})]


def test_a_write_that_fails_records_no_audit_event(context: DeskContext) -> None:
    with (
        pytest.raises(ValueError),
        context.write(Action.MANAGE_STORE, audit=Audit(AuditAction.BACKUP_TAKEN, "broken")),
    ):
        raise ValueError("the disk filled up")
    assert _events(context, "broken") == []


def test_a_dry_run_write_leaves_nothing_behind_not_even_its_audit_event(
    context: DeskContext,
) -> None:
    with context.write(
        Action.MANAGE_STORE, audit=Audit(AuditAction.BACKUP_TAKEN, "dry"), rollback=True
    ) as session:
        session.add(
            AuditEvent(at=context.clock(), action=AuditAction.STORE_RESTORED, subject="dry")
        )
        session.flush()
    assert _events(context, "dry") == []


def test_a_refused_write_never_runs_its_block(context: DeskContext) -> None:
    rep = DeskContext(context.store, Actor(None, "rep1", Role.QUALIFIER, "Rep"), context.clock)
    ran = []
    with (
        pytest.raises(NotPermitted),
        rep.write(Action.MANAGE_STORE, audit=Audit(AuditAction.BACKUP_TAKEN, "refused")),
    ):
        ran.append(True)
    assert ran == []
    assert _events(context, "refused") == []

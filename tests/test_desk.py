"""The desk: opening as a user, permissions checked in the core, audit events written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.people.permissions import ALLOWED, Action
from leaddesk.store.models import AuditEvent


def _team(location: str, clock: FixedClock) -> None:
    with setup_desk(location, clock=clock) as desk:
        desk.people.add("rep1", Role.QUALIFIER)
        desk.people.add("lead1", Role.TEAM_LEAD)
        desk.people.add("sales1", Role.SALES)


def test_adding_a_user_is_audited(store_location: str, clock: FixedClock) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "lead1", clock=clock) as desk:
        desk.people.add("rep2", Role.QUALIFIER, capacity=25)
        with desk.store.reading() as session:
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.subject == "user:rep2")
            ).all()
        names = {u.name: u for u in desk.people.users()}
    assert names["rep2"].capacity == 25
    assert [(e.action, e.to_state, e.at) for e in events] == [("user_added", "qualifier", clock())]
    assert events[0].actor_id is not None


def test_qualifier_cannot_add_users(store_location: str, clock: FixedClock) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "rep1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.people.add("sneaky", Role.TEAM_LEAD)
    with open_desk(store_location, "lead1") as desk:
        assert "sneaky" not in {u.name for u in desk.people.users()}


def test_team_lead_cannot_make_admins(store_location: str, clock: FixedClock) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "lead1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.people.add("root2", Role.ADMIN)


def test_unknown_user_is_named_with_the_known_ones(store_location: str, clock: FixedClock) -> None:
    _team(store_location, clock)
    with pytest.raises(InputError, match=r"No user named 'bob'.*lead1, rep1, sales1"):
        open_desk(store_location, "bob", clock=clock)


def test_same_name_twice_is_a_conflict(store_location: str, clock: FixedClock) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "lead1") as desk, pytest.raises(Conflict):
        desk.people.add("REP1", Role.QUALIFIER)


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "ünï"])
def test_unusable_login_names_are_refused(sqlite_store_path: str, name: str) -> None:
    with (
        setup_desk(sqlite_store_path) as desk,
        pytest.raises(InputError, match="is not a usable login") as refused,
    ):
        desk.people.add(name, Role.QUALIFIER)
    assert refused.value.field == "name"


def test_nobody_but_sales_may_record_an_opportunity() -> None:
    holders = {role for role, actions in ALLOWED.items() if Action.RECORD_OPPORTUNITY in actions}
    assert holders == {Role.SALES}


def test_sales_cannot_work_the_queue_or_give_verdicts() -> None:
    assert Action.WORK_QUEUE not in ALLOWED[Role.SALES]
    assert Action.GIVE_VERDICT not in ALLOWED[Role.SALES]


def test_qualifier_reads_only_their_own_open_leads(
    sqlite_store_path: str, clock: FixedClock
) -> None:
    from leaddesk.admin.demo import fill_demo
    from leaddesk.store import open_store

    store = open_store(sqlite_store_path)
    fill_demo(store, leads=300, reps=3, seed=3, now=clock())
    store.close()
    with open_desk(sqlite_store_path, "rep2", clock=clock) as desk:
        total = desk.queue.count_my_open_leads()
        page = desk.queue.my_open_leads(limit=500)
    assert total == len(page) > 0
    assert {lead.assigned_to for lead in page} == {"rep2"}
    assert all(lead.stage.is_open for lead in page)
    with open_desk(sqlite_store_path, "sales1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.queue.my_open_leads()


def test_team_database_needs_a_named_actor_once_it_has_users(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    if store_location.startswith("postgresql"):
        with pytest.raises(NotPermitted, match="--as"):
            setup_desk(store_location)
    else:
        setup_desk(store_location).close()  # whoever holds a local file owns it

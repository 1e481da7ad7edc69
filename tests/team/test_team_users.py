"""Users and capacity: deactivation returns leads to the pool; roles, capacity, territories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.store.models import AuditEvent
from leaddesk.team import user_admin
from tests.factories import Team


def test_a_deactivated_reps_open_leads_return_to_the_pool_and_they_cannot_sign_in(
    team: Team,
) -> None:
    leads = [team.lead("rep1"), team.lead("rep1")]
    team.claim(leads[1], "rep1")
    kept = team.lead("rep2")
    with team.desk("lead1") as desk:
        change = desk.people.deactivate("rep1")
    assert change.returned_to_pool == tuple(leads)
    assert [team.owner_of(i) for i in leads] == [None, None]
    assert team.get(leads[1]).claimed_by_id is None
    assert team.owner_of(kept) == "rep2"
    with pytest.raises(NotPermitted, match="deactivated"):
        open_desk(team.location, "rep1", clock=team.clock)
    with team.desk("lead1") as desk:
        assert desk.people.reactivate("rep1").user.active
    with team.store.reading() as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject == "user:rep1")
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["user_added", "user_deactivated", "user_reactivated"]


def test_role_capacity_and_territories_change_in_one_audited_step(team: Team) -> None:
    team.user("anna", display_name="Anna Berg")
    for _ in range(3):
        team.lead("anna")
    with team.desk("lead1") as desk:
        change = desk.people.change("anna", capacity=2, territories=("de, at", "DE"))
        promoted = desk.people.change("rep1", role=Role.TEAM_LEAD)
    assert change.user.capacity == 2
    assert change.user.territories == ("AT", "DE")
    assert change.changes == ("capacity 40 → 2", "territories anywhere → AT DE")
    # Said as the team lead reads it: the person's name, the role in words.
    assert change.warnings == (
        "Anna Berg holds 3 open leads, more than 2; rebalance to spread the rest.",
    )
    assert promoted.changes == ("role qualifier → team lead",)


def test_a_display_name_changes_and_the_login_stays(team: Team) -> None:
    team.user("anna", display_name="Anna Berg")
    with team.desk("lead1") as desk:
        change = desk.people.change("anna", display_name="  Anna   Lindqvist ")
        assert change.changes == ("name Anna Berg → Anna Lindqvist",)
        assert (change.user.name, change.user.display_name) == ("anna", "Anna Lindqvist")
        assert desk.people.change("anna", display_name="Anna Lindqvist").changes == ()
        with pytest.raises(InputError, match="give the name the team knows them by"):
            desk.people.change("anna", display_name="   ")
        with pytest.raises(InputError, match="keep the display name to 128 characters") as too:
            desk.people.change("anna", display_name="A" * 129)
        assert too.value.field == "display_name"
    with team.store.reading() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user_changed")).one()
    assert event.details["display_name"] == ["Anna Berg", "Anna Lindqvist"]
    with open_desk(team.location, "anna", clock=team.clock) as anna:  # signs in as before
        assert anna.actor.display_name == "Anna Lindqvist"


def test_a_rep_moved_to_sales_gives_their_leads_back_to_the_pool(team: Team) -> None:
    lead_id = team.lead("rep1")
    with team.desk("lead1") as desk:
        change = desk.people.change("rep1", role=Role.SALES)
    assert change.returned_to_pool == (lead_id,)
    assert change.user.role is Role.SALES


@pytest.mark.parametrize(
    ("act", "error", "says"),
    [
        (lambda d: d.people.deactivate("lead1"), InputError, "cannot deactivate yourself"),
        (lambda d: d.people.change("lead1", role=Role.QUALIFIER), InputError, "your own role"),
        (lambda d: d.people.change("rep1", role=Role.ADMIN), NotPermitted, "Only an admin"),
        (lambda d: d.people.deactivate("boss"), NotPermitted, "only an admin can change them"),
        (lambda d: d.people.change("rep1", capacity=-1), InputError, "not a number of open leads"),
        (lambda d: d.people.change("rep1", territories=("Germany",)), InputError, "country code"),
        (lambda d: d.people.deactivate("ghost"), InputError, "No user named 'ghost'"),
    ],
)
def test_user_changes_that_would_hurt_are_refused(
    team: Team, act: object, error: type[Exception], says: str
) -> None:
    team.user("boss", Role.ADMIN)
    with team.desk("lead1") as desk, pytest.raises(error, match=says):
        act(desk)  # type: ignore[operator]


def test_the_last_active_admin_stays(team: Team) -> None:
    team.user("boss", Role.ADMIN, display_name="Bo Ss")
    refused = pytest.raises(Conflict, match=r"^Bo Ss is the last active admin")
    with team.store.transaction() as session, refused:
        user_admin.deactivate_user(
            session, "boss", actor_id=None, actor_role=Role.ADMIN, at=team.clock()
        )

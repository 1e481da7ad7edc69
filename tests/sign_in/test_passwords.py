"""Passwords on a shared store: off until an admin sets one, then every sign-in needs its own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.people.users import UserInfo
from leaddesk.store.models import AuditEvent, User
from tests.factories import TeamLogins


def _team(location: str, clock: FixedClock) -> None:
    with setup_desk(location, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        desk.people.add("rep1", Role.QUALIFIER)
        desk.people.add("sales1", Role.SALES, display_name="Sales One")


def _given(password: str | None):  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []

    def ask(user: str, store_label: str) -> str | None:
        asked.append((user, store_label))
        return password

    ask.asked = asked  # type: ignore[attr-defined]
    return ask


def _passwords_on(location: str, clock: FixedClock) -> None:
    with open_desk(location, "admin", clock=clock) as desk:
        desk.people.set_password("admin", "admin-secret")
        desk.people.set_password("rep1", "rep1-secret")
        desk.people.set_password("sales1", "sales1-secret")


def test_a_store_without_passwords_lets_anyone_pick_any_name(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    ask = _given(None)
    with open_desk(store_location, "sales1", clock=clock, password=ask) as desk:
        assert desk.actor.name == "sales1"
        assert not desk.people.passwords_on()
    assert ask.asked == []  # nobody is asked for what the store does not have


def test_once_passwords_are_on_each_user_signs_in_with_their_own(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    _passwords_on(store_location, clock)
    ask = _given("sales1-secret")
    with open_desk(store_location, "sales1", clock=clock, password=ask) as desk:
        assert desk.actor.name == "sales1" and desk.people.passwords_on()
    assert [user for user, _ in ask.asked] == ["sales1"]
    with pytest.raises(NotPermitted, match="Wrong password for sales1"):
        open_desk(store_location, "sales1", clock=clock, password=_given("rep1-secret"))
    with pytest.raises(NotPermitted, match="needs their password"):
        open_desk(store_location, "admin", clock=clock, password=_given(None))
    with pytest.raises(NotPermitted, match="needs their password"):
        open_desk(store_location, "admin", clock=clock)


def test_a_user_without_a_password_on_a_passworded_store_is_told_to_ask_an_admin(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "admin", clock=clock) as desk:
        desk.people.set_password("admin", "admin-secret")
    with pytest.raises(NotPermitted, match=r"rep1 has no password.*users password rep1"):
        open_desk(store_location, "rep1", clock=clock, password=_given("anything1"))


# A team database has no store owner acting without --as: a store file's case only.
@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_the_store_owner_cannot_act_without_signing_in_once_passwords_are_on(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    _passwords_on(store_location, clock)
    with setup_desk(store_location, clock=clock) as desk:
        # The sign-in window may still list who can sign in ...
        assert {u.name for u in desk.people.users()} == {"admin", "rep1", "sales1"}
        # ... but nothing else, not even a password.
        with pytest.raises(NotPermitted, match="--as"):
            desk.people.add("sneaky", Role.ADMIN)
        with pytest.raises(NotPermitted, match="--as"):
            desk.people.set_password("rep1", "taken-over")


def test_admins_set_anyones_password_and_others_only_their_own(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    _passwords_on(store_location, clock)
    with open_desk(store_location, "rep1", clock=clock, password=_given("rep1-secret")) as desk:
        with pytest.raises(NotPermitted, match="only their own"):
            desk.people.set_password("sales1", "sales1-mine-now")
        desk.people.set_password("rep1", "rep1-changed")
    with pytest.raises(NotPermitted, match="Wrong password"):
        open_desk(store_location, "rep1", clock=clock, password=_given("rep1-secret"))
    open_desk(store_location, "rep1", clock=clock, password=_given("rep1-changed")).close()


def test_the_first_password_cannot_lock_every_admin_out(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    with open_desk(store_location, "admin", clock=clock) as desk:
        with pytest.raises(InputError, match=r"Give an admin a password first.*password admin"):
            desk.people.set_password("rep1", "rep1-secret")
        assert not desk.people.passwords_on()  # nothing was changed


def test_a_short_password_is_refused_with_what_to_do(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    with (
        open_desk(store_location, "admin", clock=clock) as desk,
        pytest.raises(InputError, match="at least 8 characters"),
    ):
        desk.people.set_password("admin", "short")


def test_a_password_is_stored_hashed_and_audited_without_a_trace_of_it(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock)
    _passwords_on(store_location, clock)
    with open_desk(store_location, "admin", clock=clock, password=_given("admin-secret")) as desk:
        with desk.store.reading() as session:
            stored = session.scalars(select(User.password_hash)).all()
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "password_set")
            ).all()
        users = desk.people.users()
    assert all(h and h.startswith("$argon2") and "secret" not in h for h in stored)
    assert {e.subject for e in events} == {"user:admin", "user:rep1", "user:sales1"}
    for event in events:
        assert event.details is None and "$argon2" not in repr(vars(event))
    # What the desk tells anyone about a user carries no hash.
    assert all("password" not in str(u.as_json()) for u in users)
    assert set(UserInfo.__dataclass_fields__) == {
        "id",
        "name",
        "display_name",
        "role",
        "capacity",
        "active",
        "territories",
        "timezone",
    }


def test_on_a_team_database_the_login_is_the_sign_in(team: TeamLogins, clock: FixedClock) -> None:
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.people.set_password("admin", "admin-secret")
        desk.people.set_password(team.rep, "rep-secret-1")
    ask = _given(None)
    with open_desk(team.url_for(team.rep), team.rep, clock=clock, password=ask) as desk:
        assert desk.actor.name == team.rep
    assert ask.asked == []  # signed in once, by the database login
    # Through the owner's connection (no login of their own) the password is still asked.
    with pytest.raises(NotPermitted, match="needs their password"):
        open_desk(team.owner_url, team.rep, clock=clock, password=ask)

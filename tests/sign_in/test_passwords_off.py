"""An admin turns passwords off again: every user's cleared, audited, and from then on anyone who
opens the store may pick any name; nobody else may. Real SQLite and PostgreSQL stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, User
from tests.cli_in_process import RunCli


def _given(password: str | None):  # type: ignore[no-untyped-def]
    return lambda _user, _store: password


def _passworded(location: str, clock: FixedClock) -> None:
    with setup_desk(location, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        desk.people.add("lead1", Role.TEAM_LEAD)
        desk.people.add("rep1", Role.QUALIFIER)
    with open_desk(location, "admin", clock=clock) as desk:
        for name in ("admin", "lead1", "rep1"):
            desk.people.set_password(name, f"{name}-secret")


def _hashes(location: str) -> dict[str, bool]:
    store = open_store(location)
    try:
        with store.reading() as session:
            rows = session.execute(select(User.name, User.password_hash)).tuples()
            return {name: hashed is not None for name, hashed in rows}
    finally:
        store.close()


def test_an_admin_turns_passwords_off_and_anyone_may_pick_a_name_again(
    store_location: str, clock: FixedClock
) -> None:
    _passworded(store_location, clock)
    with open_desk(store_location, "admin", clock=clock, password=_given("admin-secret")) as desk:
        assert desk.people.turn_passwords_off() == ["admin", "lead1", "rep1"]
        assert not desk.people.passwords_on()
    assert not any(_hashes(store_location).values())
    with open_desk(store_location, "rep1", clock=clock) as desk:  # nobody asked
        assert desk.actor.name == "rep1"
    store = open_store(store_location)
    with store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.PASSWORDS_TURNED_OFF)
        ).one()
        admin_id = session.scalar(select(User.id).where(User.name == "admin"))
    store.close()
    assert event.actor_id == admin_id
    assert event.details == {"cleared": ["admin", "lead1", "rep1"]}


@pytest.mark.parametrize("name", ["lead1", "rep1"])
def test_only_an_admin_may_turn_passwords_off(
    store_location: str, clock: FixedClock, name: str
) -> None:
    _passworded(store_location, clock)
    with (
        open_desk(store_location, name, clock=clock, password=_given(f"{name}-secret")) as desk,
        pytest.raises(NotPermitted, match=f"{name} may not turn passwords off; only an admin"),
    ):
        desk.people.turn_passwords_off()
    assert all(_hashes(store_location).values())


def test_turning_off_passwords_a_store_does_not_have_changes_nothing(
    store_location: str, clock: FixedClock
) -> None:
    with setup_desk(store_location, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
    with open_desk(store_location, "admin", clock=clock) as desk:
        assert desk.people.turn_passwords_off() == []
        with desk.store.reading() as session:
            events = session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == AuditAction.PASSWORDS_TURNED_OFF)
            ).all()
    assert events == []


def test_the_cli_turns_passwords_off_for_an_admin_and_refuses_a_rep_with_exit_3(
    store_location: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    _passworded(store_location, clock)
    rep_pw, admin_pw = tmp_path / "rep1.pw", tmp_path / "admin.pw"
    rep_pw.write_text("rep1-secret\n", encoding="utf-8")
    admin_pw.write_text("admin-secret\n", encoding="utf-8")
    db = ["--db", store_location]
    code, out, err = run_cli(
        *db, "users", "passwords-off", "--as", "rep1", "--password-file", str(rep_pw)
    )
    assert code == 3 and out == "" and "Traceback" not in err
    code, out, err = run_cli(
        *db, "users", "passwords-off", "--as", "admin", "--password-file", str(admin_pw)
    )
    assert (code, err) == (0, ""), err
    assert out.splitlines() == [
        "Passwords turned off: cleared for admin, lead1, rep1.",
        "No passwords on this store: anyone who opens it can pick any name.",
    ]
    code, out, err = run_cli(*db, "queue", "--as", "rep1")  # no password asked now
    assert code == 0, err

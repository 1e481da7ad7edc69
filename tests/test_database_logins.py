"""A team database that enforces the roles itself: each user's own login, in their role's group.

Real PostgreSQL: a rep works a whole day through their own login, sales records its decision
through theirs, and neither can do from a SQL prompt what their role may not.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk, setup_desk
from leaddesk.domain import CallOutcome, Role, Stage, Verdict
from leaddesk.errors import InputError, LeadDeskError, NotPermitted
from leaddesk.intake.by_hand import NewInterest
from leaddesk.leads.contact_corrections import ContactDetails
from leaddesk.store import grants
from leaddesk.store.models import Lead
from tests.cli_in_process import RunCli
from tests.factories import HAND_OFF_ANSWERS, TeamLogins, inquiries_file, plain_url


def test_a_rep_works_a_whole_day_and_sales_closes_the_loop_through_their_own_logins(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        summary = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv"))
        assert summary.counts.created == 2
        # Someone calls in: typed by hand under the same rules, through the rep's login too.
        _none, mark = desk.queue.arrivals()
        caller = desk.intake.add_lead(NewInterest(first_name="Cy", email="cy@caller.example"))
        assert caller.outcome == "created" and caller.owner_id == desk.actor.id
        assert desk.queue.arrivals(mark)[0] == []  # their own doing is not news
        assert desk.queue.callbacks_ahead() == []
        row = desk.queue.next()
        assert row is not None
        # The wrong key, taken back; the mobile number they give, saved: their login may both.
        wrong = desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER)
        desk.calls.undo(wrong.call_id)
        desk.calls.change_contact(row.lead_id, ContactDetails(phone="+1 415 555 2671"))
        desk.calls.log(row.lead_id, CallOutcome.CONNECTED)
        desk.qualifying.answer(row.lead_id, HAND_OFF_ANSWERS)
        desk.qualifying.give_verdict(
            row.lead_id, Verdict.HAND_OFF, "Budget approved; decides this quarter"
        )
        batch = desk.handoff.export(tmp_path / "out").new_batch
        assert batch is not None and batch.lead_ids == (row.lead_id,)
    feedback = tmp_path / "feedback.csv"
    feedback.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        f"{row.lead_id},accepted,006ABC,Dana Reyes,2026-11-18,,\n",
        encoding="utf-8",
    )
    with open_desk(team.url_for(team.sales), team.sales, clock=clock) as desk:
        assert desk.handoff.record(row.lead_id).qualified_by == team.rep
        assert [p.lead_id for p in desk.handoff.pending(everything=True).leads] == [row.lead_id]
        report = desk.handoff.import_feedback(feedback)
        assert report.accepted == [row.lead_id]
        with desk.store.reading() as session:
            lead = session.get(Lead, row.lead_id)
            assert lead is not None and lead.stage is Stage.ACCEPTED


def test_sales_rejections_route_leads_and_the_rep_reads_them_through_their_own_logins(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv"))
        handed = []
        for _ in range(2):
            row = desk.queue.next()
            assert row is not None
            desk.calls.log(row.lead_id, CallOutcome.CONNECTED)
            desk.qualifying.answer(row.lead_id, HAND_OFF_ANSWERS)
            desk.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Budget approved")
            handed.append(row.lead_id)
        desk.handoff.export(tmp_path / "out")
    again, later = handed
    feedback = tmp_path / "feedback.csv"
    feedback.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        f"{again},rejected,,,,wrong_person,Ask for the CFO instead\n"
        f"{later},rejected,,,,bad_timing,Budget round in March\n",
        encoding="utf-8",
    )
    with open_desk(team.url_for(team.sales), team.sales, clock=clock) as desk:
        assert desk.handoff.import_feedback(feedback).rejected == [again, later]
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        mine = {lead.lead_id: lead for lead in desk.handoff.mine().leads}
        assert mine[again].comment == "Ask for the CFO instead"
        assert mine[again].went == "back to the rep for another try"
        assert mine[later].recycle_at is not None
        with desk.store.reading() as session:
            stages = {i: session.get(Lead, i).stage for i in handed}  # type: ignore[union-attr]
    assert stages == {again: Stage.WORKING, later: Stage.NURTURE}


def test_a_verdict_undone_by_the_rep_and_reopened_by_the_team_lead_through_their_logins(
    team: TeamLogins, clock: FixedClock
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        caller = desk.intake.add_lead(NewInterest(first_name="Di", email="di@caller.example"))
        desk.calls.log(caller.lead_id, CallOutcome.CONNECTED)
        wrong = desk.qualifying.give_verdict(
            caller.lead_id, Verdict.DISQUALIFY, "pressed too early"
        )
        desk.qualifying.undo_verdict(wrong.id)
        desk.qualifying.give_verdict(caller.lead_id, Verdict.NURTURE, "no budget this year")
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        reopened = desk.team.reopen(caller.lead_id, "budget freed up after all")
    assert reopened.stage is Stage.WORKING


def _sql(url: str, *statements: str) -> None:
    """The statements in one transaction, as typed at a SQL prompt on that login."""
    with psycopg.connect(plain_url(url)) as connection:
        for statement in statements:
            connection.execute(statement)


def test_a_qualifiers_login_cannot_write_an_opportunity_even_from_a_sql_prompt(
    team: TeamLogins,
) -> None:
    rep = team.url_for(team.rep)
    with psycopg.connect(plain_url(rep)) as connection:
        # The admin, the rep, the salesperson, the team lead and the marketer.
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (5,)
    for statement in (
        "INSERT INTO opportunity_refs (lead_id, external_id) VALUES (1, 'X')",
        "DELETE FROM sales_feedback",
        "UPDATE users SET role = 'admin'",
        "DELETE FROM definition_versions",
        "UPDATE alembic_version SET version_num = 'x'",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(rep, statement)


def test_a_salespersons_login_cannot_change_a_verdict_or_its_answers(team: TeamLogins) -> None:
    sales = team.url_for(team.sales)
    for statement in ("UPDATE verdicts SET reason = 'x'", "DELETE FROM answers"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(sales, statement)


def test_a_login_acts_as_its_own_user_only(team: TeamLogins, clock: FixedClock) -> None:
    for other in (team.lead, team.sales, "admin"):
        with pytest.raises(NotPermitted, match=f"signed in to the team database as {team.rep}"):
            open_desk(team.url_for(team.rep), other, clock=clock)


def test_what_the_database_refuses_reads_as_not_permitted(
    team: TeamLogins, clock: FixedClock
) -> None:
    """Even past the app's own checks (here: straight through the store), the refusal is a
    message for the user, not a crash."""
    with (
        open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk,
        pytest.raises(NotPermitted, match="refused this to your login"),
        desk.store.transaction() as session,
    ):
        session.execute(text("UPDATE users SET capacity = 99"))


def test_a_login_follows_its_user_deactivated_and_moved_to_another_role(
    team: TeamLogins, clock: FixedClock
) -> None:
    with open_desk(team.owner_url, team.lead, clock=clock) as desk:
        desk.people.deactivate(team.rep)
    with pytest.raises(LeadDeskError, match="not permitted to log in"):
        open_desk(team.url_for(team.rep), team.rep, clock=clock)
    with open_desk(team.owner_url, team.lead, clock=clock) as desk:
        desk.people.reactivate(team.rep)
        desk.people.change(team.rep, role=Role.SALES)
    # Now in the sales group: it may write an opportunity, and no longer a verdict.
    _sql(
        team.url_for(team.rep),
        "SELECT 1 FROM opportunity_refs",
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(team.url_for(team.rep), "DELETE FROM verdicts")
    with open_desk(team.owner_url, "admin", clock=clock) as desk, desk.store.reading() as session:
        connection = session.connection()
        database = str(connection.exec_driver_sql("SELECT current_database()").scalar())
        groups = connection.exec_driver_sql(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
            (team.rep,),
        ).scalars()
        assert set(groups) == {grants.group_name(database, Role.SALES)}


def _groups(team: TeamLogins, clock: FixedClock, login: str) -> set[str]:
    with open_desk(team.owner_url, "admin", clock=clock) as desk, desk.store.reading() as session:
        found = session.connection().exec_driver_sql(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
            (login,),
        )
        return {str(name) for name in found.scalars()}


def test_a_team_lead_through_their_own_login_moves_a_colleagues_login_with_them(
    team: TeamLogins, clock: FixedClock
) -> None:
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        database = desk.store.url.database
        assert database is not None
        desk.people.change(team.rep, capacity=12)  # nothing for the login: no rights needed
        desk.people.change(team.rep, role=Role.SALES)
        assert _groups(team, clock, team.rep) == {grants.group_name(database, Role.SALES)}
        desk.people.deactivate(team.sales)
    with pytest.raises(LeadDeskError, match="not permitted to log in"):
        open_desk(team.url_for(team.sales), team.sales, clock=clock)


def test_rights_given_before_logins_could_be_moved_say_who_brings_them_up_to_date(
    team: TeamLogins, clock: FixedClock
) -> None:
    _sql(team.owner_url, f"DROP FUNCTION public.{grants.FOLLOW_FUNCTION}(text)")
    with (
        open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk,
        pytest.raises(NotPermitted, match="leaddesk users login"),
    ):
        desk.people.deactivate(team.rep)
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        assert desk.admin.set_database_login(team.sales, None) is False
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        desk.people.deactivate(team.rep)


def test_only_team_leads_and_admins_move_logins_and_never_their_own_or_an_admins(
    team: TeamLogins, clock: FixedClock
) -> None:
    function = f"public.{grants.FOLLOW_FUNCTION}"
    # A rep's or salesperson's login may not call it at all.
    for login in (team.rep, team.sales):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(team.url_for(login), f"SELECT {function}('{team.rep}')")
    lead = team.url_for(team.lead)
    # A team lead cannot make themselves sales in the users table, nor move their own login.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="its own role"):
        _sql(
            lead,
            f"UPDATE users SET role = 'sales' WHERE name = '{team.lead}'",
            f"SELECT {function}('{team.lead}')",
        )
    # Nor may a team lead's login make anyone an admin's login.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="admin"):
        _sql(
            lead,
            f"UPDATE users SET role = 'admin' WHERE name = '{team.rep}'",
            f"SELECT {function}('{team.rep}')",
        )
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        database = desk.store.url.database
        assert database is not None
    assert _groups(team, clock, team.lead) == {grants.group_name(database, Role.TEAM_LEAD)}
    assert _groups(team, clock, team.rep) == {grants.group_name(database, Role.QUALIFIER)}


def test_only_an_admin_gives_database_logins(team: TeamLogins, clock: FixedClock) -> None:
    with (
        open_desk(team.owner_url, team.lead, clock=clock) as desk,
        pytest.raises(NotPermitted, match="team lead"),
    ):
        desk.admin.set_database_login(team.rep, "another-password")


def test_a_server_login_that_is_not_this_stores_is_left_alone(
    team: TeamLogins, clock: FixedClock
) -> None:
    stranger = f"stranger-{uuid.uuid4().hex[:8]}"
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        connection.execute(f'CREATE ROLE "{stranger}" LOGIN')
    try:
        with open_desk(team.owner_url, "admin", clock=clock) as desk:
            desk.people.add(stranger, Role.QUALIFIER)
            with pytest.raises(InputError, match="another user name, or ask the server's owner"):
                desk.admin.set_database_login(stranger, "password-1")
    finally:
        with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
            connection.execute(f'DROP ROLE IF EXISTS "{stranger}"')


def test_logins_belong_to_a_team_database(
    sqlite_store_path: Path, clock: FixedClock, run_cli: RunCli
) -> None:
    with setup_desk(sqlite_store_path, clock=clock) as desk:
        desk.people.add("admin", Role.ADMIN)
        desk.people.add("rep1", Role.QUALIFIER)
    password = sqlite_store_path.parent / "password.txt"
    password.write_text("long-enough\n", encoding="utf-8")
    result = run_cli(
        *("users", "login", "rep1", "--as", "admin", "--password-file", password),
        db=sqlite_store_path,
    )
    assert result.returncode == 2, result.stderr
    assert "team database (PostgreSQL) only" in result.stderr


def test_group_names_stay_within_postgresqls_limit() -> None:
    long = "x" * 60
    names = {grants.group_name(long, role) for role in Role}
    assert len(names) == len(Role)
    assert all(len(name) <= 63 for name in names)
    assert grants.group_name("team", Role.QUALIFIER) == "leaddesk_team_qualifier"


def test_a_reps_login_adds_to_the_do_not_call_list_but_cannot_take_anyone_off_it(
    team: TeamLogins, clock: FixedClock
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        added = desk.privacy.add_do_not_call("+12125550101", "asked on a call")
    assert added.added == 1
    rep = team.url_for(team.rep)
    for statement in (
        "DELETE FROM do_not_call_entries",
        "UPDATE do_not_call_entries SET reason = 'x'",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(rep, statement)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _sql(
            team.url_for(team.sales),
            "INSERT INTO do_not_call_entries (kind, value, digest, reason, added_at) "
            "VALUES ('phone', '+1', 'x', '', now())",
        )
    with open_desk(team.owner_url, team.lead, clock=clock) as desk:
        desk.privacy.remove_do_not_call("+12125550101")


def test_the_team_leads_day_runs_through_their_own_login_under_the_row_guards(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    """Rebalancing, the sweep, publishing a definition, an erasure (which blanks the audit
    trail's words through the one door the append-only trail has) and an import taken back,
    each through the login of whoever does it."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        first = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv"))
        row = desk.queue.next()
        assert row is not None
        desk.calls.log(row.lead_id, CallOutcome.CONNECTED, note="wants a call back about pricing")
        desk.qualifying.give_verdict(row.lead_id, Verdict.NURTURE, "said their budget is frozen")
        extra = tmp_path / "more.csv"
        extra.write_text(
            "name,email,phone,company\nEve Stone,eve@stone.example,+12125550109,Stone Co\n",
            encoding="utf-8",
        )
        later = desk.intake.import_file(extra)
        desk.intake.undo(later.run_id)
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        desk.team.rebalance()
        desk.team.sweep()
        with psycopg.connect(plain_url(team.owner_url)) as connection:
            found = connection.execute(
                "SELECT source_text FROM definition_versions ORDER BY version DESC LIMIT 1"
            ).fetchone()
        assert found is not None
        edited = str(found[0]).replace('name = "', 'name = "Edited ', 1)
        assert desk.qualifying.publish_definition(edited, "edited.toml", note="tidy").created
        erased = desk.privacy.erase_person(row.lead_id, "erasure request by email")
        assert erased is not None
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        words = connection.execute(
            "SELECT reason, details FROM audit_events WHERE lead_id = %s AND action = %s",
            (row.lead_id, "call_logged"),
        ).fetchall()
        assert words and all("pricing" not in str(found) for found in words)
    assert first.counts.created == 2

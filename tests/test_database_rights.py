"""Separation of duties at the database's own door: every table × operation as each role's
login, compared with ``leaddesk.store.rights``, and the row guards tried as an attacker with a
rep's, a salesperson's and a team lead's own credentials would.

Real PostgreSQL; each statement runs in a savepoint, so a permitted one changes nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from leaddesk.clock import FixedClock
from leaddesk.desk import NewInterest, open_desk
from leaddesk.domain import CallOutcome, Role, Verdict
from leaddesk.errors import NotPermitted
from leaddesk.store import grants
from leaddesk.store.rights import RIGHTS
from leaddesk.team.reassign import LeadPick
from tests.factories import HAND_OFF_ANSWERS, TeamLogins, inquiries_file, plain_url

OPERATIONS = ("SELECT", "INSERT", "DELETE", "TRUNCATE")


def _columns(connection: psycopg.Connection) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table, column in connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ):
        found.setdefault(table, []).append(column)
    return found


def _allowed(connection: psycopg.Connection, statement: sql.Composable) -> bool:
    """Whether the server lets this login run ``statement`` (rolled back either way)."""
    try:
        with connection.transaction(force_rollback=True):
            connection.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return False
    return True


def observed(url: str, role: Role) -> dict[tuple[str, str], bool]:
    """(table, operation) → allowed, for every table and every column's UPDATE. An INSERT is
    tried with the columns ``role`` may read (copying rows needs reading them)."""
    cells: dict[tuple[str, str], bool] = {}
    with psycopg.connect(plain_url(url), autocommit=True) as connection:
        for table, columns in _columns(connection).items():
            t = sql.Identifier(table)
            readable = [c for c in columns if RIGHTS[role][table].may_read(c)] or columns
            listed = sql.SQL(", ").join(sql.Identifier(c) for c in readable)
            statements = {
                "SELECT": sql.SQL("SELECT * FROM {} LIMIT 0").format(t),
                "INSERT": sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} WHERE false").format(
                    t, listed, listed, t
                ),
                "DELETE": sql.SQL("DELETE FROM {} WHERE false").format(t),
                "TRUNCATE": sql.SQL("TRUNCATE {}").format(t),
            }
            for column in columns:
                c = sql.Identifier(column)
                statements[f"UPDATE {column}"] = sql.SQL(
                    "UPDATE {} SET {} = {} WHERE false"
                ).format(t, c, c)
            for operation, statement in statements.items():
                cells[(table, operation)] = _allowed(connection, statement)
    return cells


def expected(role: Role, cells: dict[tuple[str, str], bool]) -> dict[tuple[str, str], bool]:
    wanted: dict[tuple[str, str], bool] = {}
    for table, operation in cells:
        right = RIGHTS[role][table]
        if operation == "SELECT":  # every column
            wanted[(table, operation)] = not right.hidden
        elif operation == "INSERT":
            wanted[(table, operation)] = right.insert
        elif operation == "DELETE":
            wanted[(table, operation)] = right.delete
        elif operation == "TRUNCATE":
            wanted[(table, operation)] = False
        else:
            wanted[(table, operation)] = right.may_update(operation.removeprefix("UPDATE "))
    return wanted


def differences(role: Role, url: str) -> list[str]:
    cells = observed(url, role)
    wanted = expected(role, cells)
    return sorted(
        f"{role.value} {operation} on {table}: the server says "
        f"{'yes' if cells[(table, operation)] else 'no'}"
        for (table, operation), allowed in wanted.items()
        if cells[(table, operation)] != allowed
    )


@dataclass
class Logins:
    team: TeamLogins
    admin: str

    def of(self, role: Role) -> str:
        name = {
            Role.QUALIFIER: self.team.rep,
            Role.SALES: self.team.sales,
            Role.TEAM_LEAD: self.team.lead,
            Role.ADMIN: self.admin,
            Role.MARKETING: self.team.marketing,
        }[role]
        return self.team.url_for(name)


@pytest.fixture
def logins(team: TeamLogins, clock: FixedClock) -> Iterator[Logins]:
    admin = f"admin-{uuid.uuid4().hex[:8]}"
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.people.add(admin, Role.ADMIN)
        desk.admin.set_database_login(admin, f"pw-{admin}")
    try:
        yield Logins(team, admin)
    finally:
        with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(admin)))


def test_every_table_and_operation_is_what_the_rights_table_says_for_each_roles_login(
    logins: Logins,
) -> None:
    found = [line for role in Role for line in differences(role, logins.of(role))]
    assert found == []


def test_a_single_widened_grant_is_caught(logins: Logins) -> None:
    with psycopg.connect(plain_url(logins.team.owner_url), autocommit=True) as connection:
        database = str(connection.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
        rep_group = sql.Identifier(grants.group_name(database, Role.QUALIFIER))
        sales_group = sql.Identifier(grants.group_name(database, Role.SALES))
        connection.execute(
            sql.SQL("GRANT UPDATE (decision) ON sales_feedback TO {}").format(rep_group)
        )
        connection.execute(sql.SQL("GRANT DELETE ON audit_events TO {}").format(sales_group))
    assert differences(Role.QUALIFIER, logins.of(Role.QUALIFIER)) == [
        "qualifier UPDATE decision on sales_feedback: the server says yes"
    ]
    assert differences(Role.SALES, logins.of(Role.SALES)) == [
        "sales DELETE on audit_events: the server says yes"
    ]


# Row by row: a worked team database, then the attacks.


@dataclass
class Worked:
    team: TeamLogins
    handed_off: int  # the rep's lead, with sales now
    qualified: int  # the rep's lead, handed off by verdict, not yet exported
    colleagues: int  # an open lead the team lead gave to themselves
    rep_id: int
    lead_id: int  # the team lead's user id


@pytest.fixture
def worked(team: TeamLogins, clock: FixedClock, tmp_path: Path) -> Worked:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        done = []
        for _ in range(2):
            row = desk.queue.next()
            assert row is not None
            desk.calls.log(row.lead_id, CallOutcome.CONNECTED)
            desk.qualifying.answer(row.lead_id, HAND_OFF_ANSWERS)
            desk.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Budget approved")
            done.append(row.lead_id)
            if len(done) == 1:
                desk.handoff.export(tmp_path / "out")
        rep_id = desk.actor.id
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        lead_id, other = connection.execute(
            "SELECT u.id, l.id FROM users u, leads l WHERE u.name = %s AND l.id <> ALL(%s) "
            "ORDER BY l.id LIMIT 1",
            (team.lead, done),
        ).fetchone()  # type: ignore[misc]
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        desk.team.reassign(LeadPick(lead_ids=(other,)), to_user=team.lead, reason="I call this one")
    return Worked(team, done[0], done[1], other, rep_id, lead_id)


def _refused(url: str, *statements: str, match: str | None = None) -> None:
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=match),
        psycopg.connect(plain_url(url)) as connection,
    ):
        for statement in statements:
            connection.execute(statement)


def _run(url: str, *statements: str) -> None:
    with psycopg.connect(plain_url(url)) as connection:
        for statement in statements:
            connection.execute(statement)


def test_a_reps_login_cannot_move_any_lead_to_a_sales_stage(worked: Worked) -> None:
    rep = worked.team.url_for(worked.team.rep)
    for stage in ("accepted", "rejected"):
        for lead in (worked.handed_off, worked.qualified):
            _refused(rep, f"UPDATE leads SET stage = '{stage}' WHERE id = {lead}", match="sales")
    # Handed off only from a hand-off verdict, in a batch; qualified only with the verdict.
    _refused(rep, f"UPDATE leads SET stage = 'handed_off' WHERE id = {worked.qualified}")
    with psycopg.connect(plain_url(rep)) as connection:
        fresh = connection.execute(
            "SELECT id FROM leads WHERE stage = 'new' AND assigned_to_id IS DISTINCT FROM %s "
            "LIMIT 1",
            (worked.lead_id,),
        ).fetchone()
    if fresh is not None:
        _refused(
            rep, f"UPDATE leads SET stage = 'qualified' WHERE id = {fresh[0]}", match="verdict"
        )
    _refused(
        rep, f"UPDATE opportunity_refs SET external_id = 'x' WHERE lead_id = {worked.handed_off}"
    )


def test_a_reps_login_cannot_touch_a_colleagues_lead_or_their_rows(worked: Worked) -> None:
    rep = worked.team.url_for(worked.team.rep)
    other = worked.colleagues
    for change in (
        f"assigned_to_id = {worked.rep_id}",
        f"claimed_by_id = {worked.rep_id}, claim_expires_at = now() + interval '10 years'",
        "stage = 'disqualified'",
        "next_attempt_at = now() + interval '10 years'",
    ):
        _refused(rep, f"UPDATE leads SET {change} WHERE id = {other}", match="colleague|themselves")
    # Their calls, verdicts and answers: written by them, changed by them only.
    owner = worked.team.owner_url
    _run(
        owner,
        "INSERT INTO call_attempts (lead_id, user_id, at, outcome) "
        f"VALUES ({other}, {worked.lead_id}, now(), 'no_answer')",
    )
    _refused(rep, f"UPDATE call_attempts SET outcome = 'connected' WHERE lead_id = {other}")
    _refused(rep, f"DELETE FROM call_attempts WHERE lead_id = {other}")
    _run(
        owner,
        "INSERT INTO verdicts (lead_id, verdict, overridden, decided_by_id, decided_at) "
        f"VALUES ({other}, 'nurture', false, {worked.lead_id}, now())",
    )
    _refused(rep, f"DELETE FROM verdicts WHERE decided_by_id <> {worked.rep_id}")
    _refused(
        rep,
        "INSERT INTO verdicts (lead_id, verdict, overridden, decided_by_id, decided_at) "
        f"VALUES ({other}, 'disqualify', false, {worked.rep_id}, now())",
        match="colleague",
    )
    _refused(
        rep,
        "INSERT INTO call_attempts (lead_id, user_id, at, outcome) "
        f"VALUES ({worked.qualified}, {worked.lead_id}, now(), 'connected')",
        match="own name",
    )
    _refused(
        rep,
        "INSERT INTO answers (lead_id, question_id, value, answered_by_id, answered_at) "
        f"VALUES ({other}, 'budget_status', '\"approved\"', {worked.rep_id}, now())",
    )


def test_a_reps_login_cannot_undo_a_do_not_call(worked: Worked, clock: FixedClock) -> None:
    team = worked.team
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        desk.privacy.add_do_not_call("+12125550103", "asked on a call")
    rep = team.url_for(team.rep)
    _refused(rep, "UPDATE people SET do_not_call = false WHERE do_not_call", match="do-not-call")
    _refused(
        rep,
        "UPDATE leads SET hold_reason = NULL WHERE hold_reason = 'do_not_call'",
        match="do-not-call|colleague",
    )


def test_the_audit_trail_is_append_only_and_names_the_login_that_wrote_it(
    worked: Worked,
) -> None:
    team = worked.team
    for url in (team.url_for(team.rep), team.url_for(team.lead), team.owner_url):
        _refused(url, "UPDATE audit_events SET reason = 'x'")
        _refused(url, "DELETE FROM audit_events")
        _refused(url, "TRUNCATE audit_events")
    rep = team.url_for(team.rep)
    _refused(
        rep,
        "INSERT INTO audit_events (at, actor_id, action) "
        f"VALUES (now(), {worked.lead_id}, 'reassigned')",
        match="own name",
    )
    # Raw SQL through a rep's login shows as theirs, whatever it claims.
    _run(
        rep,
        "INSERT INTO audit_events (at, actor_id, action, db_login) "
        f"VALUES (now(), {worked.rep_id}, 'note_added', 'someone-else')",
    )
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        logins = dict(
            connection.execute(
                "SELECT action, array_agg(DISTINCT db_login) FROM audit_events "
                "WHERE action IN ('note_added', 'reassigned') "
                "GROUP BY action"
            ).fetchall()
        )
    assert logins["note_added"] == [team.rep]
    assert logins["reassigned"] == [team.lead]


def test_a_team_leads_login_cannot_make_an_admin_or_answer_for_sales(worked: Worked) -> None:
    team = worked.team
    lead = team.url_for(team.lead)
    _refused(lead, f"UPDATE users SET role = 'admin' WHERE name = '{team.lead}'", match="admin")
    _refused(lead, f"UPDATE users SET role = 'admin' WHERE name = '{team.rep}'", match="admin")
    _refused(lead, "UPDATE users SET active = false WHERE name = 'admin'", match="admin")
    _refused(lead, f"UPDATE users SET name = 'admin2' WHERE name = '{team.rep}'")
    _refused(
        lead,
        "INSERT INTO users (name, display_name, role, capacity, active, territories, "
        "created_at) VALUES ('boss', 'Boss', 'admin', 1, true, '[]', now())",
        match="admin",
    )
    _refused(lead, f"UPDATE leads SET stage = 'accepted' WHERE id = {worked.handed_off}")
    _refused(
        lead,
        "INSERT INTO sales_feedback (lead_id, decision, recorded_by_id, recorded_at) "
        f"VALUES ({worked.handed_off}, 'accepted', {worked.lead_id}, now())",
    )


def test_a_salespersons_login_answers_handed_off_leads_and_changes_nothing_else(
    worked: Worked,
) -> None:
    sales = worked.team.url_for(worked.team.sales)
    _refused(sales, f"UPDATE leads SET assigned_to_id = NULL WHERE id = {worked.handed_off}")
    _refused(sales, f"UPDATE leads SET stage = 'accepted' WHERE id = {worked.qualified}")
    _refused(sales, f"UPDATE leads SET stage = 'qualified' WHERE id = {worked.handed_off}")
    _refused(sales, "UPDATE verdicts SET reason = 'x'")
    _refused(sales, "DELETE FROM answers")
    _run(sales, f"UPDATE leads SET stage = 'accepted' WHERE id = {worked.handed_off}")


# The login is who it says.


def _with_options(url: str, options: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options={quote(options, safe='')}"


def test_a_connection_option_that_switches_role_makes_no_one_else(
    team: TeamLogins, clock: FixedClock
) -> None:
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        database = desk.store.url.database
        assert database is not None
    group = grants.group_name(database, Role.QUALIFIER)
    switched = _with_options(team.url_for(team.rep), f"-c role={group}")
    for who in (team.lead, team.rep, "admin"):
        with pytest.raises(NotPermitted, match="switched"):
            open_desk(switched, who, clock=clock)
    # Nor can it take a team lead's group it is not a member of.
    with pytest.raises(Exception, match=r"permission denied|must be able to SET ROLE"):
        _run(_with_options(team.url_for(team.rep), f"-c role={team.lead}"), "SELECT 1")


def test_pgoptions_and_set_role_make_no_one_else(
    team: TeamLogins, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        database = desk.store.url.database
        assert database is not None
    group = grants.group_name(database, Role.QUALIFIER)
    monkeypatch.setenv("PGOPTIONS", f"-c role={group}")
    with pytest.raises(NotPermitted, match="switched"):
        open_desk(team.url_for(team.rep), team.lead, clock=clock)
    monkeypatch.delenv("PGOPTIONS")
    # SET ROLE at a prompt changes nothing the guards look at: the login stays the rep.
    with psycopg.connect(plain_url(team.url_for(team.rep))) as connection:
        connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(group)))
        assert connection.execute("SELECT public.leaddesk_login_role()").fetchone() == (
            "qualifier",
        )
    assert os.environ.get("PGOPTIONS") is None


def test_a_marketing_login_reads_reports_and_lead_cards_but_no_reps_words(
    worked: Worked, clock: FixedClock
) -> None:
    marketing = worked.team.url_for(worked.team.marketing)
    for words in (
        "SELECT value FROM answers",
        "SELECT text FROM notes",
        "SELECT note FROM call_attempts",
        "SELECT reason FROM verdicts",
        "SELECT answers FROM verdicts",
        "SELECT details FROM audit_events",
    ):
        _refused(marketing, words, match="permission denied")
    _run(
        marketing, "SELECT id, outcome FROM call_attempts", "SELECT lead_id, verdict FROM verdicts"
    )
    with open_desk(marketing, worked.team.marketing, clock=clock) as desk:
        report = desk.team.report("acceptance", by="campaign")
        card = desk.queue.lead_file(worked.handed_off)
        with pytest.raises(NotPermitted, match="cannot work the call queue"):
            desk.queue.next()
    assert [(row[0], row[1]) for row in report.rows()] == [("no campaign", 3)]
    timeline = " ".join(entry.text for entry in card.timeline)
    assert "Verdict:" in timeline and "Budget approved" not in timeline


def test_a_salespersons_login_adds_a_referral_credited_to_them_and_no_other_lead(
    worked: Worked, clock: FixedClock
) -> None:
    sales = worked.team.url_for(worked.team.sales)
    with open_desk(sales, worked.team.sales, clock=clock) as desk:
        referral = desk.intake.add_lead(
            NewInterest(first_name="Grace", company="Navy Labs", email="grace@navy.example")
        )
        me = desk.actor.id
    with psycopg.connect(plain_url(worked.team.owner_url)) as connection:
        found = connection.execute(
            "SELECT source, referred_by_id, stage FROM leads WHERE id = %s", (referral.lead_id,)
        ).fetchone()
    assert found == ("sales_referral", me, "new")
    copy = (
        "INSERT INTO leads (person_id, source, arrived_at, stage, stage_changed_at, lead_type, "
        "existing_account, fit_score, interest_score, attempts, cadence_attempts, version, "
        "created_at, referred_by_id) SELECT person_id, {source}, arrived_at, {stage}, "
        "stage_changed_at, lead_type, existing_account, 0, 0, 0, 0, 1, created_at, "
        f"{{referrer}} FROM leads WHERE id = {referral.lead_id}"
    )
    for source, stage, referrer in (
        ("'web_form'", "'new'", me),  # not a referral
        ("'sales_referral'", "'nurture'", me),  # not a new lead
        ("'sales_referral'", "'new'", worked.rep_id),  # in a colleague's name
    ):
        _refused(
            sales,
            copy.format(source=source, stage=stage, referrer=referrer),
            match="own referral only",
        )


def test_meetings_are_booked_and_changed_only_by_their_rep_or_their_salesperson(
    worked: Worked, clock: FixedClock, tmp_path: Path
) -> None:
    rep = worked.team.url_for(worked.team.rep)
    sales = worked.team.url_for(worked.team.sales)
    with open_desk(rep, worked.team.rep, clock=clock) as desk:
        slot = desk.meetings.slots(worked.qualified, days=14).slots[0]
        desk.meetings.book(worked.qualified, slot.starts_at, ics_out=tmp_path / "m.ics")
    copy = (
        "INSERT INTO meetings (uid, lead_id, salesperson_id, booked_by_id, starts_at, ends_at, "
        "sequence, status, booked_at, changed_at) SELECT uid || '{tag}', {lead}, {salesperson}, "
        "{by}, starts_at + interval '1 hour', ends_at + interval '1 hour', 0, 'booked', "
        "booked_at, changed_at FROM meetings"
    )
    # A rep books only for their own leads and the pool's: not for the team lead's lead.
    mine = copy.format(
        tag="-2", lead=worked.colleagues, salesperson="salesperson_id", by=worked.rep_id
    )
    _refused(rep, mine, match="colleague")
    with psycopg.connect(plain_url(worked.team.owner_url)) as connection:
        other_sales = connection.execute(
            "INSERT INTO users (name, display_name, role, capacity, active, territories, "
            "created_at) VALUES ('sam', 'Sam', 'sales', 10, true, '[]', now()) RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
        connection.execute(
            copy.format(
                tag="-sam", lead=worked.handed_off, salesperson=other_sales, by=worked.lead_id
            )
        )
    # Sam's meeting: neither the rep (a colleague booked it for a lead that is not theirs...
    # here the team lead booked it) nor another salesperson moves it.
    _refused(
        sales,
        f"UPDATE meetings SET sequence = sequence + 1 WHERE salesperson_id = {other_sales}",
        match="only the meetings",
    )
    # The salesperson moves their own; the rep who booked it moves it too.
    _run(sales, "UPDATE meetings SET sequence = sequence + 1 WHERE uid NOT LIKE '%-sam'")
    _run(rep, "UPDATE meetings SET sequence = sequence + 1 WHERE uid NOT LIKE '%-sam'")

"""An erasure through a team lead's or admin's own database login: the admin, who may not
change answers or verdicts, still blanks the person's words in them (through the owner's
erasure function, for an erased person only); a rep's login erases nothing. Real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, Role, Verdict
from leaddesk.errors import NotPermitted
from tests.factories import HAND_OFF_ANSWERS, TeamLogins, inquiries_file, plain_url

TRACES = ("Ada", "Meyer", "spreadsheet", "not before spring", "call after 5")


@pytest.fixture
def admin(team: TeamLogins, clock: FixedClock) -> Iterator[str]:
    name = f"admin-{uuid.uuid4().hex[:8]}"
    with open_desk(team.owner_url, "admin", clock=clock) as desk:
        desk.people.add(name, Role.ADMIN)
        desk.admin.set_database_login(name, f"pw-{name}")
    try:
        yield name
    finally:
        with psycopg.connect(plain_url(team.owner_url), autocommit=True) as connection:
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _worked(team: TeamLogins, clock: FixedClock, tmp_path: Path) -> int:
    """The rep talked to Ada Meyer: a call note, a note, a free-text answer and a verdict."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        row = rep.queue.next()
        assert row is not None
        rep.calls.log(row.lead_id, CallOutcome.CONNECTED, note="Ada says call after 5")
        rep.calls.save_note(row.lead_id, "Ada Meyer prefers email")
        rep.qualifying.answer(row.lead_id, {"current_process": "a spreadsheet her team keeps"})
        rep.qualifying.give_verdict(row.lead_id, Verdict.NURTURE, "Ada: not before spring")
        return row.lead_id


def _words(team: TeamLogins) -> str:
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        rows = [
            connection.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("people", "answers", "verdicts", "notes", "call_attempts")
        ]
    return repr(rows)


def test_an_admins_own_login_erases_a_person_and_their_words_go(
    team: TeamLogins, admin: str, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = _worked(team, clock, tmp_path)
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        ada = connection.execute("SELECT email FROM people WHERE first_name = 'Ada'").fetchone()
    assert ada is not None and all(trace in _words(team) for trace in TRACES)
    with open_desk(team.url_for(admin), admin, clock=clock) as desk:
        erased = desk.privacy.erase_person(str(lead_id), "erasure request by email")
    assert (erased.notes, erased.answers) == (1, 1)
    left = _words(team)
    assert [trace for trace in TRACES if trace in left] == []


def test_the_admins_erasure_path_blanks_only_an_erased_persons_words(
    team: TeamLogins, admin: str, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = _worked(team, clock, tmp_path)
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        answer_id, verdict_id = connection.execute(
            "SELECT a.id, v.id FROM answers a JOIN verdicts v ON v.lead_id = a.lead_id "
            "WHERE a.lead_id = %s",
            (lead_id,),
        ).fetchone()  # type: ignore[misc]
    for name in (admin, team.lead, team.rep):
        with psycopg.connect(plain_url(team.url_for(name))) as connection:
            for statement in (
                f"SELECT leaddesk_erase_answer({answer_id})",
                f"SELECT leaddesk_erase_verdict({verdict_id}, NULL)",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege), connection.transaction():
                    connection.execute(statement)
    with (
        psycopg.connect(plain_url(team.url_for(admin))) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("UPDATE verdicts SET reason = ''")
    # The guards' way through for the owner's function is not a login's to take.
    with (
        psycopg.connect(plain_url(team.url_for(team.rep))) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="in its own name only"),
    ):
        connection.execute("SELECT set_config('leaddesk.erasing', 'on', false)")
        connection.execute(
            "UPDATE call_attempts SET user_id = (SELECT id FROM users WHERE role = 'admin' "
            f"ORDER BY id LIMIT 1) WHERE lead_id = {lead_id}"
        )
    assert all(trace in _words(team) for trace in TRACES)


def test_a_reps_login_erases_nobody(team: TeamLogins, clock: FixedClock, tmp_path: Path) -> None:
    lead_id = _worked(team, clock, tmp_path)
    with (
        open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep,
        pytest.raises(NotPermitted),
    ):
        rep.privacy.erase_person(str(lead_id), "erasure request by email")
    assert all(trace in _words(team) for trace in TRACES)


def test_sales_comment_is_blanked_by_an_erasure_only(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    """A team lead's login blanks sales' comment when it erases the lead's person, and not
    otherwise: at a SQL prompt it cannot take sales' words off a lead."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        row = rep.queue.next()
        assert row is not None
        rep.calls.log(row.lead_id, CallOutcome.CONNECTED)
        rep.qualifying.answer(row.lead_id, HAND_OFF_ANSWERS)
        rep.qualifying.give_verdict(row.lead_id, Verdict.HAND_OFF, "Budget approved")
        assert rep.handoff.export(tmp_path / "out").new_batch is not None
    feedback = tmp_path / "feedback.csv"
    feedback.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        f"{row.lead_id},accepted,006ABC,Dana Reyes,2026-11-18,,signs in spring\n",
        encoding="utf-8",
    )
    with open_desk(team.url_for(team.sales), team.sales, clock=clock) as sales:
        assert sales.handoff.import_feedback(feedback).accepted == [row.lead_id]
    with (
        psycopg.connect(plain_url(team.url_for(team.lead))) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="an erased person's comment"),
    ):
        connection.execute("UPDATE sales_feedback SET detail = NULL")
    assert "signs in spring" in _comments(team)
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as lead:
        lead.privacy.erase_person(str(row.lead_id), "erasure request by email")
    assert "signs in spring" not in _comments(team)


def _comments(team: TeamLogins) -> str:
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        return repr(connection.execute("SELECT detail FROM sales_feedback").fetchall())

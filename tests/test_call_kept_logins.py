"""The call a team lead's forced move cut across, through the team's own database logins: the
rep's login writes that one call (its row and audit event) and nothing more, whatever it
types at a SQL prompt. Real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, Verdict
from leaddesk.errors import NotPermitted
from leaddesk.team.reassign import LeadPick
from tests.factories import TeamLogins, inquiries_file, plain_url


def _refused(url: str, statement: str, match: str) -> None:
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=match),
        psycopg.connect(plain_url(url)) as connection,
    ):
        connection.execute(statement)


def _moved_during_calls(team: TeamLogins, clock: FixedClock, tmp_path: Path) -> list[int]:
    """Two of the rep's leads, each taken by the team lead while the rep was on its call."""
    taken = []
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        for _ in range(2):
            row = rep.queue.next()  # claimed: the rep is on the call
            assert row is not None
            with open_desk(team.url_for(team.lead), team.lead, clock=clock) as lead:
                picked = LeadPick(lead_ids=(row.lead_id,))
                lead.team.reassign(picked, to_user=team.lead, force=True)
            taken.append(row.lead_id)
    return taken


def _call_insert(lead_id: int, user_id: int) -> str:
    return (
        "INSERT INTO call_attempts (lead_id, user_id, at, outcome, ended_at) "
        f"VALUES ({lead_id}, {user_id}, now(), 'no_answer', now())"
    )


def test_a_reps_login_logs_the_call_a_forced_move_took_and_nothing_more(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    first, second = _moved_during_calls(team, clock, tmp_path)
    rep = team.url_for(team.rep)
    with open_desk(rep, team.rep, clock=clock) as desk:
        kept = desk.calls.log(first, CallOutcome.VOICEMAIL)
        assert kept.kept and f"moved to {team.lead} during your call" in kept.message
        with pytest.raises(NotPermitted):
            desk.calls.log(first, CallOutcome.NO_ANSWER)
        with pytest.raises(NotPermitted):
            desk.qualifying.give_verdict(second, Verdict.NURTURE, "no budget this year")
        me = desk.actor.id
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        calls = connection.execute(
            "SELECT c.user_id, c.outcome, l.attempts, l.stage, l.taken_from_call_id "
            "FROM call_attempts c JOIN leads l ON l.id = c.lead_id WHERE c.lead_id = %s",
            (first,),
        ).fetchall()
        events = connection.execute(
            "SELECT actor_id, db_login FROM audit_events "
            "WHERE lead_id = %s AND action = 'call_logged'",
            (first,),
        ).fetchall()
    assert calls == [(me, "voicemail", 0, "new", None)]
    assert events == [(me, team.rep)]

    # At a SQL prompt: the one call the second move took, once; nothing else of that lead.
    used = "a rep logs calls on their own leads"
    _refused(rep, _call_insert(first, me), used)  # its one call is logged already
    _refused(rep, f"UPDATE leads SET attempts = attempts + 1 WHERE id = {second}", "colleague")
    _refused(rep, f"UPDATE leads SET taken_from_call_id = {me} WHERE id = {first}", "move names")
    with psycopg.connect(plain_url(rep)) as connection:
        connection.execute(_call_insert(second, me))
    _refused(rep, _call_insert(second, me), used)
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        left = connection.execute(
            "SELECT taken_from_call_id FROM leads WHERE id = %s", (second,)
        ).fetchone()
    assert left == (None,)


def test_a_reps_login_logs_no_call_on_a_colleagues_lead_no_move_took_from_them(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        row = rep.queue.next()
        assert row is not None
        rep.queue.release(row.lead_id)
        me = rep.actor.id
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as lead:
        lead.team.reassign(LeadPick(lead_ids=(row.lead_id,)), to_user=team.lead)
    _refused(team.url_for(team.rep), _call_insert(row.lead_id, me), "colleague")

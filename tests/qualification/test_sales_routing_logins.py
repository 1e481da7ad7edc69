"""On a team database the rep's own login names the salesperson only through a verdict."""

from __future__ import annotations

import psycopg
import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, Verdict
from leaddesk.intake.by_hand import NewInterest
from tests.factories import HAND_OFF_ANSWERS, TeamLogins, plain_url


def _sql(url: str, statement: str) -> None:
    """One statement committed on that login (a deferred guard refuses at the commit)."""
    connection = psycopg.connect(plain_url(url))
    try:
        connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_a_reps_login_names_the_salesperson_only_through_a_verdict(
    team: TeamLogins, clock: FixedClock
) -> None:
    rep = team.url_for(team.rep)
    with open_desk(rep, team.rep, clock=clock) as desk:
        caller = desk.intake.add_lead(NewInterest(first_name="Di", email="di@caller.example"))
        desk.calls.log(caller.lead_id, CallOutcome.CONNECTED)
        desk.qualifying.answer(caller.lead_id, HAND_OFF_ANSWERS)
        given = desk.qualifying.give_verdict(caller.lead_id, Verdict.HAND_OFF, "Budget approved")
        other = desk.intake.add_lead(NewInterest(first_name="Ed", email="ed@caller.example"))
    assert given.route is not None and given.route.name == team.sales
    salesperson = f"(SELECT id FROM users WHERE name = '{team.sales}')"
    for statement in (
        f"UPDATE leads SET sales_owner_id = NULL WHERE id = {caller.lead_id}",
        f"UPDATE leads SET sales_due_at = now() + interval '9 days' WHERE id = {caller.lead_id}",
        f"UPDATE leads SET sales_owner_id = {salesperson} WHERE id = {other.lead_id}",
        # Qualified and named in one go, without the verdict that says so.
        f"UPDATE leads SET stage = 'qualified', sales_owner_id = {salesperson} "
        f"WHERE id = {other.lead_id}",
        f"UPDATE leads SET stage = 'accepted' WHERE id = {caller.lead_id}",
        f"INSERT INTO opportunity_refs (lead_id, external_id) VALUES ({caller.lead_id}, 'X')",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(rep, statement)
    with open_desk(team.url_for(team.sales), team.sales, clock=clock) as desk:
        waiting = desk.handoff.pending(everything=True).leads
    assert [(p.lead_id, p.salesperson) for p in waiting] == [(caller.lead_id, team.sales)]


def test_a_team_leads_login_chases_a_late_hand_off(team: TeamLogins, clock: FixedClock) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        caller = desk.intake.add_lead(NewInterest(first_name="Fe", email="fe@caller.example"))
        desk.calls.log(caller.lead_id, CallOutcome.CONNECTED)
        desk.qualifying.answer(caller.lead_id, HAND_OFF_ANSWERS)
        desk.qualifying.give_verdict(caller.lead_id, Verdict.HAND_OFF, "Budget approved")
    clock.advance(hours=25)
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        assert desk.handoff.chase().flagged == (caller.lead_id,)
        assert [p.level for p in desk.handoff.pending().leads] == ["escalated"]

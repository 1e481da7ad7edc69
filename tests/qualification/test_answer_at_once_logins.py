"""On a team database a salesperson's own login answers a hand-off routed to them before any
export (handed off in a batch of one with the answer), and nothing more: not a colleague's
routed lead, not a hand-off without its answer."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Role, SalesDecision, Stage, Verdict
from leaddesk.errors import NotPermitted
from leaddesk.handoff import Decision
from leaddesk.intake.by_hand import NewInterest
from leaddesk.store import open_store
from leaddesk.store.models import Lead, User
from tests.factories import HAND_OFF_ANSWERS, TeamLogins, plain_url


def _handed_off_by_rep(desk: Desk, first: str) -> int:
    caller = desk.intake.add_lead(NewInterest(first_name=first, email=f"{first}@caller.example"))
    desk.calls.log(caller.lead_id, CallOutcome.CONNECTED)
    desk.qualifying.answer(caller.lead_id, HAND_OFF_ANSWERS)
    desk.qualifying.give_verdict(caller.lead_id, Verdict.HAND_OFF, "Budget approved")
    return caller.lead_id


def _batch_of_one(url: str, lead_id: int) -> None:
    """A batch of one added by this login and the lead moved into it, in one transaction."""
    connection = psycopg.connect(plain_url(url))
    try:
        connection.execute(
            "INSERT INTO handoff_batches (code, created_by_id, created_at, scope, lead_count, "
            "folder, files) VALUES (%s, (SELECT id FROM users WHERE name = session_user), "
            'now(), \'own\', 1, NULL, \'{"kind": "answered", "status": "complete"}\')',
            (f"answered-by-hand-{lead_id}",),
        )
        connection.execute(
            "UPDATE leads SET stage = 'handed_off', handoff_batch_id = (SELECT id FROM "
            "handoff_batches WHERE code = %s) WHERE id = %s",
            (f"answered-by-hand-{lead_id}", lead_id),
        )
        connection.commit()
    finally:
        connection.close()


def test_a_salespersons_login_answers_only_their_own_routed_lead_before_export(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    colleague = f"{team.sales}-2"
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as desk:
        exported = _handed_off_by_rep(desk, "ge")
        desk.handoff.export(tmp_path)
        mine, theirs, unanswered = (_handed_off_by_rep(desk, n) for n in ("di", "ed", "fe"))
    with open_desk(team.owner_url, "admin", clock=clock) as admin:
        admin.people.add(colleague, Role.SALES)
    store = open_store(team.owner_url)
    try:
        with store.transaction() as session:
            lead = session.get(Lead, theirs)
            assert lead is not None
            lead.sales_owner_id = session.query(User.id).filter_by(name=colleague).scalar()
    finally:
        store.close()
    url = team.url_for(team.sales)
    with open_desk(url, team.sales, clock=clock) as desk:
        assert desk.handoff.record_decision(Decision(mine, SalesDecision.ACCEPTED, "006OWN"))
        with pytest.raises(NotPermitted, match=f"routed to {colleague}"):
            desk.handoff.record_decision(Decision(theirs, SalesDecision.ACCEPTED, "006NOT"))
    for lead_id in (theirs, unanswered):  # a colleague's; mine but with no answer
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _batch_of_one(url, lead_id)
    connection = psycopg.connect(plain_url(url))
    try:
        for statement in (
            f"UPDATE leads SET stage = 'accepted' WHERE id = {unanswered}",
            # An answer on an exported lead leaves it in its batch.
            f"UPDATE leads SET stage = 'accepted', handoff_batch_id = NULL WHERE id = {exported}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
            connection.rollback()
    finally:
        connection.close()
    store = open_store(team.owner_url)
    try:
        with store.reading() as session:
            leads = session.scalars(select(Lead).where(Lead.id.in_((mine, theirs, unanswered))))
            stages = {lead.id: lead.stage for lead in leads}
    finally:
        store.close()
    assert stages == {mine: Stage.ACCEPTED, theirs: Stage.QUALIFIED, unanswered: Stage.QUALIFIED}

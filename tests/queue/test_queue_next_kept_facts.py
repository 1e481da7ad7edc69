"""`next` on SQLite keeps the queue's facts (policy, zone keys, no skips) between calls and
claims with them at once; the claim's audit row is written only if they still hold, so a
zone new to the store or a skip made in between is honoured by the very next `next`, and a
claim made on old facts is rolled back, never kept."""

from __future__ import annotations

from datetime import timedelta

from queue_helpers import NEW_YORK, Team, add_lead
from sqlalchemy import func, select

from leaddesk.store.models import AuditEvent, Lead

CHICAGO = "America/Chicago"  # 09:00 there at the tests' noon: inside calling hours


def _claims(team: Team) -> tuple[list[int], int]:
    with team.store.reading() as s:
        claimed = s.scalars(select(Lead.id).where(Lead.claimed_by_id.is_not(None))).all()
        noted = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "claim_taken")
        )
    return sorted(claimed), int(noted or 0)


def test_next_takes_a_lead_in_a_zone_new_to_the_store_since_its_last_call(team: Team) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        first = add_lead(s, now=now, owner=rep, zone=NEW_YORK, sla_in=timedelta(minutes=10))
        add_lead(s, now=now, owner=rep, zone=NEW_YORK, sla_in=timedelta(hours=1))
    with team.desk("rep1") as desk:
        taken = desk.queue.next()  # reads the facts and keeps them
        with team.store.transaction() as s:
            newcomer = add_lead(s, now=now, owner=rep, zone=CHICAGO, sla_in=timedelta(minutes=5))
        again = desk.queue.next()
    assert taken is not None and taken.lead_id == first.id
    assert again is not None and again.lead_id == newcomer.id and again.zones == (CHICAGO,)
    # The claim made on the old zones was rolled back: two claims, two audit rows.
    assert _claims(team) == (sorted([first.id, newcomer.id]), 2)


def test_next_finds_a_lead_once_the_store_gains_its_zone_after_an_empty_queue(
    team: Team,
) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.desk("rep1") as desk:
        assert desk.queue.next() is None  # nothing at all: the facts are kept all the same
        with team.store.transaction() as s:
            newcomer = add_lead(s, now=now, owner=rep, zone=CHICAGO)
        taken = desk.queue.next()
        assert desk.queue.next() is None
    assert taken is not None and taken.lead_id == newcomer.id
    assert _claims(team) == ([newcomer.id], 1)


def test_a_skip_from_another_window_of_the_rep_is_honoured_by_the_next_next(team: Team) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        ids = [
            add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=10 + n)).id for n in range(8)
        ]
    with team.desk("rep1") as desk, team.desk("rep1") as other:
        held = desk.queue.next()
        assert held is not None and held.lead_id == ids[0]
        desk.queue.release(ids[0])
        other.queue.skip(ids[0])  # the same rep, through another desk (a CLI, a script)
        taken = desk.queue.next()
    assert taken is not None and taken.lead_id == ids[1]
    assert _claims(team)[0] == [ids[1]]

"""A person in a time zone the store has never held is in the queue at once: SQLite keeps the
store's zone keys in a table filled by triggers (migration 0028), PostgreSQL walks its index."""

from __future__ import annotations

from datetime import timedelta

from queue_helpers import NEW_YORK, Team, add_lead
from sqlalchemy import update

from leaddesk.store.models import Person

CHICAGO = "America/Chicago"  # 09:00 there at the tests' noon: inside calling hours


def test_a_person_in_a_zone_new_to_the_store_is_called_first_when_due_first(team: Team) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=rep, zone=NEW_YORK, sla_in=timedelta(hours=1))
    with team.desk("rep1") as desk:
        assert [row.zones for row in desk.queue.page()] == [(NEW_YORK,)]  # the zones, read
        with team.store.transaction() as s:
            newcomer = add_lead(s, now=now, owner=rep, zone=CHICAGO, sla_in=timedelta(minutes=5))
        assert desk.queue.page()[0].lead_id == newcomer.id
        claimed = desk.queue.next()
    assert claimed is not None and claimed.lead_id == newcomer.id
    assert claimed.zones == (CHICAGO,)


def test_a_person_moved_to_a_zone_new_to_the_store_is_called_in_its_hours(team: Team) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=rep, zone=NEW_YORK, sla_in=timedelta(hours=1))
        moving = add_lead(s, now=now, owner=rep, zone=None, sla_in=timedelta(minutes=5))
        person_id = moving.person_id
    with team.desk("rep1") as desk:
        desk.queue.page()
        # A correction of their number puts them in a zone nobody in the store had.
        with team.store.transaction() as s:
            s.execute(update(Person).where(Person.id == person_id).values(zone_key=CHICAGO))
        first = desk.queue.next()
    assert first is not None and first.lead_id == moving.id and first.zones == (CHICAGO,)

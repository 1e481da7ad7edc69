"""Queue rows are filled without their dataclasses' ``__init__`` (leaddesk.queue.ordering.filled):
each must still carry every field, and equal the row the ``__init__`` would make."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from queue_helpers import Team, add_lead

from leaddesk.queue import QueueRow
from leaddesk.queue.listing import ROW_COLUMNS, facts_of
from leaddesk.queue.ordering import LeadFacts


def test_a_queue_row_and_its_facts_carry_every_field_as_their_init_makes_them(
    team: Team,
) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=20))
        add_lead(s, now=now, owner=rep, callback_at=now - timedelta(minutes=5))
    with team.desk("rep1") as desk:
        rows = desk.queue.page()
    assert len(rows) == 2
    for row in rows:
        assert set(vars(row)) == {field.name for field in dataclasses.fields(QueueRow)}
        assert dataclasses.replace(row) == row  # the same row through QueueRow.__init__
    facts = facts_of(list(range(len(ROW_COLUMNS) + 1)))  # a row as the queue selects it
    assert set(vars(facts)) == {field.name for field in dataclasses.fields(LeadFacts)}


def test_a_rows_why_line_and_json_facts_are_worded_when_asked_as_at_the_read(
    team: Team,
) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=20))
        add_lead(s, now=now, owner=rep, callback_at=now - timedelta(minutes=5))
    with team.desk("rep1") as desk:
        rows = desk.queue.page()
    team.clock.advance(minutes=30)  # asked later: still as they stood when read
    assert all("reason" not in vars(row) and "facts" not in vars(row) for row in rows)
    new = next(row for row in rows if row.callback_at is None)
    callback = next(row for row in rows if row.callback_at is not None)
    assert new.reason == "new web inquiry, 20 min left to call" == new.reason_at(now)
    assert new.facts["minutes_left"] == 20
    assert new.facts["time_zones"] == ["America/New_York"]
    assert callback.reason.endswith("their time, 5 min late")
    assert callback.facts["minutes_late"] == 5
    assert callback.as_json()["facts"] == callback.facts

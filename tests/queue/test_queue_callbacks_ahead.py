"""The callbacks a rep booked, soonest first, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import Team, add_lead

from leaddesk.cli import main as cli
from leaddesk.domain import Stage
from leaddesk.errors import InputError, NotPermitted


def test_booked_callbacks_come_soonest_first_late_ones_at_the_top(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    talked = Stage.IN_QUALIFICATION
    with team.store.transaction() as s:
        in_two_days = add_lead(
            s, now=now, owner=rep, callback_at=now + timedelta(days=2), stage=talked
        ).id
        late = add_lead(
            s, now=now, owner=rep, callback_at=now - timedelta(minutes=30), stage=talked
        ).id
        soon = add_lead(
            s, now=now, owner=rep, callback_at=now + timedelta(hours=1), stage=talked
        ).id
        add_lead(s, now=now, owner=rep, callback_at=now + timedelta(days=10), stage=talked)
        add_lead(s, now=now, owner=team.ids["rep2"], callback_at=now + timedelta(hours=2))
        add_lead(s, now=now, owner=rep, stage=Stage.NURTURE, callback_at=now + timedelta(hours=3))
    with team.desk("rep1") as desk:
        rows = desk.queue.callbacks_ahead()
        assert [row.lead_id for row in rows] == [late, soon, in_two_days]
        assert len(desk.queue.callbacks_ahead(days=30)) == 4
        with pytest.raises(InputError):
            desk.queue.callbacks_ahead(days=0)
    # 10:00 in New York: the late one was at 09:30 their time, the next at 11:00.
    assert rows[0].reason == "callback at 09:30 their time, 30 min late"
    assert rows[1].reason == "callback at 11:00 their time"
    assert rows[2].reason.startswith("callback at Fri 10:00 their time")
    assert cli(["--db", team.location, "callbacks", "--as", "rep1", "--json"]) == 0
    shown = capsys.readouterr().out
    assert f'"lead_id": {soon}' in shown


def test_only_someone_with_a_queue_has_callbacks(team: Team) -> None:
    with team.desk("sales1") as desk, pytest.raises(NotPermitted):
        desk.queue.callbacks_ahead()

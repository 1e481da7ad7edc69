"""What came into a rep's queue while they were busy, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import Team, add_lead, add_many_leads

from leaddesk.domain import CallOutcome, Stage
from leaddesk.errors import NotPermitted
from leaddesk.queue import Band
from leaddesk.queue.arrivals import MOST, arrival_notice
from leaddesk.team.reassign import LeadPick


def test_a_callback_is_news_when_its_time_comes_and_only_once(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        lead = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(minutes=40),
            first_name="Greta",
        ).id
    with team.desk("rep1") as desk:
        nothing, mark = desk.queue.arrivals()
        assert nothing == []
        team.clock.advance(minutes=20)  # it shows 15 min before its time: not yet
        early, mark = desk.queue.arrivals(mark)
        assert early == []
        team.clock.advance(minutes=6)
        due, mark = desk.queue.arrivals(mark)
        assert [row.lead_id for row in due] == [lead]
        assert due[0].band is Band.CALLBACK
        notice = arrival_notice(due, team.clock())
        assert notice is not None
        assert notice.startswith("In your queue now: Greta Caller")
        assert "callback at 10:40 their time" in notice
        team.clock.advance(minutes=1)
        again, _mark = desk.queue.arrivals(mark)
        assert again == []


def test_a_lead_a_team_lead_moves_to_the_rep_is_news_to_them_not_to_others(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        moved = add_lead(s, now=now, owner=team.ids["rep2"], sla_in=timedelta(minutes=50)).id
    with team.desk("rep1") as rep1, team.desk("rep2") as rep2, team.desk("lead1") as lead:
        _none, mark1 = rep1.queue.arrivals()
        _none, mark2 = rep2.queue.arrivals()
        team.clock.advance(minutes=1)
        lead.team.reassign(LeadPick(lead_ids=(moved,)), to_user="rep1", reason="rep2 is out")
        team.clock.advance(minutes=1)
        came, _mark = rep1.queue.arrivals(mark1)
        assert [row.lead_id for row in came] == [moved]
        notice = arrival_notice(came, team.clock())
        assert notice is not None and "new web inquiry, 48 min left to call" in notice
        assert rep2.queue.arrivals(mark2)[0] == []


def test_new_pool_leads_are_news_where_reps_call_from_the_pool(team: Team) -> None:
    now = team.clock()
    with team.desk("rep1") as desk:
        _none, mark = desk.queue.arrivals()
        with team.store.transaction() as s:
            first = add_lead(s, now=now, owner=None, sla_in=timedelta(minutes=30)).id
            second = add_lead(s, now=now, owner=None, sla_in=timedelta(minutes=90)).id
            add_lead(s, now=now, owner=None, do_not_call=True)
            add_lead(s, now=now, owner=team.ids["rep2"])  # a colleague's: not news here
        team.clock.advance(minutes=1)
        came, _mark = desk.queue.arrivals(mark)
    assert [row.lead_id for row in came] == [first, second]
    notice = arrival_notice(came, team.clock())
    assert notice is not None and notice.endswith("; also 1 new inquiry")


def test_what_the_rep_did_themselves_or_cannot_call_now_is_not_news(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        called = add_lead(s, now=now, owner=rep).id
        asleep = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(minutes=30),
            zone="Asia/Tokyo",  # 00:30 there when it comes due
        ).id
        retry = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.WORKING,
            attempts=1,
            next_attempt_at=now + timedelta(minutes=10),
        ).id
    with team.desk("rep1") as desk:
        _none, mark = desk.queue.arrivals()
        claimed = desk.queue.next()
        assert claimed is not None and claimed.lead_id == called
        desk.calls.log(called, CallOutcome.CALLBACK, callback_at=now + timedelta(minutes=45))
        team.clock.advance(minutes=20)
        came, _mark = desk.queue.arrivals(mark)
    # The retry is routine, the Tokyo callback falls in their night; the rep's own callback
    # comes due only at 10:30 (15 min before 10:45).
    assert [row.lead_id for row in came] == []
    assert {asleep, retry}.isdisjoint(row.lead_id for row in came)


def test_only_someone_with_a_queue_may_ask(team: Team) -> None:
    with team.desk("sales1") as desk, pytest.raises(NotPermitted):
        desk.queue.arrivals()


def test_many_arrivals_are_counted_by_kind_in_one_line(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.desk("rep1") as desk:
        _none, mark = desk.queue.arrivals()
        with team.store.transaction() as s:
            for n in range(3):
                add_lead(
                    s,
                    now=now,
                    owner=rep,
                    stage=Stage.IN_QUALIFICATION,
                    callback_at=now + timedelta(minutes=20 + n),
                )
            for _ in range(2):
                add_lead(s, now=now, owner=None)
        team.clock.advance(minutes=10)
        came, _mark = desk.queue.arrivals(mark)
    assert [row.band for row in came] == [Band.CALLBACK] * 3 + [Band.NEW] * 2
    notice = arrival_notice(came, team.clock())
    assert notice is not None
    assert notice.endswith("; also 2 callbacks due and 2 new inquiries")
    assert arrival_notice([], team.clock()) is None


def test_a_flood_of_new_pool_leads_is_said_without_a_number_it_cannot_vouch_for(
    team: Team,
) -> None:
    now = team.clock()
    with team.desk("rep1") as desk:
        _none, mark = desk.queue.arrivals()
        add_many_leads(team.store, MOST + 20, now=now, owner=None)
        team.clock.advance(minutes=1)
        came, _mark = desk.queue.arrivals(mark)
    assert len(came) == MOST
    notice = arrival_notice(came, team.clock())
    assert notice is not None and notice.endswith(f"; also {MOST - 1} or more other leads")

"""The queue's order and who is left out, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_helpers import NEW_YORK, Team, add_lead

from leaddesk.domain import Stage
from leaddesk.errors import NotPermitted
from leaddesk.queue import Band


def _ids(team: Team, user: str = "rep1", **kwargs: object) -> list[int]:
    with team.desk(user) as desk:
        return [row.lead_id for row in desk.queue.page(**kwargs)]  # type: ignore[arg-type]


def test_due_callback_outranks_fresh_inquiry_and_bands_keep_their_order(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        rest = add_lead(s, now=now, owner=rep, stage=Stage.IN_QUALIFICATION, attempts=1).id
        retry = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.WORKING,
            attempts=2,
            next_attempt_at=now - timedelta(minutes=5),
        ).id
        fresh = add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=18)).id
        callback = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(minutes=10),
        ).id
    with team.desk("rep1") as desk:
        rows = desk.queue.page()
    assert [r.lead_id for r in rows] == [callback, fresh, retry, rest]
    assert [r.band for r in rows] == [Band.CALLBACK, Band.NEW, Band.RETRY, Band.OTHER]
    assert rows[0].reason.startswith("callback at ")
    assert rows[1].reason == "new web inquiry, 18 min left to call"
    assert rows[2].reason == "retry 3 of 6"
    assert rows[3].reason == "talked before, no verdict yet (fit 50, interest 50)"


def test_new_inquiries_go_by_deadline_and_a_breach_says_by_how_much(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        later = add_lead(s, now=now, owner=rep, sla_in=timedelta(hours=1)).id
        breached = add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=-65)).id
        sooner = add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=5)).id
        undated = add_lead(s, now=now, owner=rep, sla_in=None).id
    with team.desk("rep1") as desk:
        rows = desk.queue.page()
    assert [r.lead_id for r in rows] == [breached, sooner, later, undated]
    assert rows[0].reason == "new web inquiry, call overdue by 1 h 5 min"
    assert rows[0].facts["minutes_overdue"] == 65
    assert rows[3].reason == "new web inquiry, no call deadline set"


def test_a_rows_reason_is_worded_again_for_a_later_moment(team: Team) -> None:
    """A row read once says what is true later: the deadline passes, the callback runs late,
    and what does not depend on the clock reads the same."""
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        fresh = add_lead(s, now=now, owner=rep, sla_in=timedelta(minutes=18)).id
        callback = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(minutes=10),
        ).id
        retry = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.WORKING,
            attempts=2,
            next_attempt_at=now - timedelta(minutes=5),
        ).id
        unknown = add_lead(s, now=now, owner=rep, zone=None, sla_in=timedelta(hours=1)).id
    with team.desk("rep1") as desk:
        rows = {row.lead_id: row for row in desk.queue.page()}
    later = now + timedelta(minutes=30, seconds=30)
    assert rows[fresh].reason == "new web inquiry, 18 min left to call"
    assert rows[fresh].reason_at(now) == rows[fresh].reason
    assert rows[fresh].reason_at(later) == "new web inquiry, call overdue by 12 min"
    assert rows[fresh].reason_at(now + timedelta(minutes=18, seconds=20)) == (
        "new web inquiry, call overdue by 1 min"
    )
    assert rows[callback].reason == "callback at 10:10 their time"
    assert rows[callback].reason_at(later) == "callback at 10:10 their time, 20 min late"
    assert rows[retry].reason_at(later) == rows[retry].reason == "retry 3 of 6"
    assert rows[unknown].reason_at(later) == (
        "new web inquiry, 29 min left to call; their time zone is unknown, so the team's is used"
    )


def test_the_rest_goes_by_fit_and_interest(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        low = add_lead(s, now=now, owner=rep, stage=Stage.WORKING, fit=20, interest=30).id
        high = add_lead(s, now=now, owner=rep, stage=Stage.IN_QUALIFICATION, fit=80, interest=70).id
        mid = add_lead(s, now=now, owner=rep, stage=Stage.WORKING, fit=60, interest=40).id
    assert _ids(team) == [high, mid, low]


def test_excluded_leads_never_appear(team: Team) -> None:
    now, rep, other = team.clock(), team.ids["rep1"], team.ids["rep2"]
    with team.store.transaction() as s:
        shown = add_lead(s, now=now, owner=rep).id
        add_lead(s, now=now, owner=rep, do_not_call=True)
        add_lead(s, now=now, owner=rep, erased=True)
        add_lead(s, now=now, owner=rep, stage=Stage.NURTURE)
        add_lead(s, now=now, owner=rep, stage=Stage.QUALIFIED)
        add_lead(s, now=now, owner=rep, hold="wrong_number")
        add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.WORKING,
            attempts=1,
            next_attempt_at=now + timedelta(hours=2),
        )
        add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(hours=3),
        )
        # 10:00 in New York is 00:00 in Sydney: outside their calling hours.
        add_lead(s, now=now, owner=rep, zone="Australia/Sydney")
        add_lead(s, now=now, owner=other)
        add_lead(
            s,
            now=now,
            owner=None,
            claimed_by=other,
            claim_expires_at=now + timedelta(minutes=5),
        )
    assert _ids(team) == [shown]


def test_expired_claim_of_a_colleague_no_longer_hides_a_lead(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead = add_lead(
            s,
            now=now,
            owner=None,
            claimed_by=team.ids["rep2"],
            claim_expires_at=now - timedelta(seconds=1),
        ).id
    assert _ids(team) == [lead]


def test_pool_leads_show_for_every_rep_and_own_leads_only_for_their_owner(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        pool = add_lead(s, now=now, owner=None, sla_in=timedelta(minutes=30)).id
        mine = add_lead(s, now=now, owner=team.ids["rep1"], sla_in=timedelta(minutes=40)).id
        theirs = add_lead(s, now=now, owner=team.ids["rep2"], sla_in=timedelta(minutes=10)).id
    assert _ids(team, "rep1") == [pool, mine]
    assert _ids(team, "rep2") == [theirs, pool]


def test_multi_zone_number_is_callable_only_when_every_zone_is(team: Team) -> None:
    now = team.clock()  # 15:00 UTC: 07:00 in Los Angeles, 10:00 in New York
    with team.store.transaction() as s:
        east = add_lead(s, now=now, owner=team.ids["rep1"], zone=NEW_YORK).id
        add_lead(s, now=now, owner=team.ids["rep1"], zone="America/Los_Angeles|America/New_York")
    assert _ids(team) == [east]
    team.clock.advance(hours=1)  # 08:00 in Los Angeles
    assert len(_ids(team)) == 2


def test_unknown_zone_uses_the_teams_and_the_row_says_so(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=team.ids["rep1"], zone=None)
    with team.desk("rep1") as desk:
        (row,) = desk.queue.page()
    assert row.reason.endswith("their time zone is unknown, so the team's is used")
    assert row.zones == (NEW_YORK,) and not row.zone_known
    assert row.local_time.hour == 10
    team.clock.advance(hours=12)  # 22:00 in New York
    assert _ids(team) == []


def test_rows_page_through_without_gaps_or_repeats(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        for minutes in range(23):
            add_lead(s, now=now, owner=team.ids["rep1"], sla_in=timedelta(minutes=minutes))
    whole = _ids(team, limit=50)
    pages = [_ids(team, limit=5, offset=start) for start in range(0, 25, 5)]
    assert len(whole) == 23
    assert [i for page in pages for i in page] == whole


def test_band_and_source_filters(team: Team) -> None:
    now, rep = team.clock(), team.ids["rep1"]
    with team.store.transaction() as s:
        webinar = add_lead(s, now=now, owner=rep, source="webinar").id
        add_lead(s, now=now, owner=rep, source="web_form")
        callback = add_lead(
            s,
            now=now,
            owner=rep,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now - timedelta(minutes=1),
        ).id
    assert _ids(team, source="webinar") == [webinar]
    assert _ids(team, band=Band.CALLBACK) == [callback]


def test_queue_json_row_carries_what_a_dialer_needs(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        add_lead(s, now=now, owner=team.ids["rep1"])
    with team.desk("rep1") as desk:
        (row,) = desk.queue.page()
    data = row.as_json()
    for key in (
        "lead_id",
        "person",
        "company",
        "phone",
        "local_time",
        "band",
        "reason",
        "score",
        "sla_due",
        "attempts",
        "assigned_to",
    ):
        assert key in data
    assert data["phone"].startswith("+1212555")
    assert data["assigned_to"] == "rep1"
    assert data["local_time"].startswith("2026-11-18T10:00-05:00")


@pytest.mark.parametrize("who", ["admin", "sales1"])
def test_roles_without_a_queue_are_refused(team: Team, who: str) -> None:
    with team.desk(who) as desk, pytest.raises(NotPermitted):
        desk.queue.page()
    with team.desk(who) as desk, pytest.raises(NotPermitted):
        desk.queue.next()

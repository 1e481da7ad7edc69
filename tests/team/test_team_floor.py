"""The team view says what each rep is doing now: on a call since when, or their last call."""

from __future__ import annotations

from leaddesk.domain import CallOutcome
from leaddesk.team.team_view import LONGEST_CALL
from tests.factories import Team


def _rep(team: Team, name: str) -> tuple[str, int, int]:
    with team.desk("lead1") as desk:
        view = desk.team.view()
    rep = next(r for r in view.reps if r.name == name)
    row = next(r for r in view.rows() if r[0] == name)
    return str(row[1]), rep.calls_today, rep.connects_today


def test_a_rep_on_a_call_shows_for_how_long_then_their_last_call(team: Team) -> None:
    first = team.lead("rep1")
    second = team.lead("rep1")
    assert _rep(team, "rep1") == ("no calls today", 0, 0)
    with team.desk("rep1") as rep:
        rep.queue.next()
        rep.calls.log(first, CallOutcome.NO_ANSWER, duration_seconds=25)
        team.clock.advance(minutes=2)
        rep.queue.next()
        talk = rep.calls.log(second, CallOutcome.CONNECTED, duration_seconds=20)
        team.clock.advance(minutes=12, seconds=30)
        assert _rep(team, "rep1") == ("on a call, 12 min", 2, 1)
        rep.calls.end(talk.call_id, duration_seconds=12 * 60 + 50)
    # The team's zone is New York; the call began at 10:02 there.
    assert _rep(team, "rep1") == ("last call 10:02", 2, 1)
    assert _rep(team, "rep2") == ("no calls today", 0, 0)


def test_a_call_left_open_by_a_closed_window_stops_counting_as_on_a_call(team: Team) -> None:
    lead = team.lead("rep2")
    with team.desk("rep2") as rep:
        rep.queue.next()
        rep.calls.log(lead, CallOutcome.CONNECTED, duration_seconds=15)
    team.clock.advance(seconds=LONGEST_CALL.total_seconds() + 60)
    now, calls, connects = _rep(team, "rep2")
    assert now == "last call 10:00" and (calls, connects) == (1, 1)


def test_the_team_json_carries_the_floor(team: Team) -> None:
    lead = team.lead("rep1")
    with team.desk("rep1") as rep:
        rep.queue.next()
        rep.calls.log(lead, CallOutcome.CONNECTED, duration_seconds=15)
    team.clock.advance(minutes=3)
    with team.desk("lead1") as desk:
        shown = next(r for r in desk.team.view().as_json()["reps"] if r["rep"] == "rep1")
    assert shown["calls_today"] == 1 and shown["connects_today"] == 1
    assert shown["on_call_since"] == shown["last_call_at"] is not None


def test_a_rep_whose_hold_on_the_lead_lapsed_is_no_longer_on_a_call(team: Team) -> None:
    lead = team.lead("rep1")
    with team.desk("rep1") as rep:
        rep.queue.next()
        rep.calls.log(lead, CallOutcome.CONNECTED, duration_seconds=15)
        team.clock.advance(minutes=10)
        assert _rep(team, "rep1")[0] == "on a call, 10 min"
        rep.queue.renew_claim(lead)  # a window on the call renews its hold every few minutes
        team.clock.advance(minutes=14)
        assert _rep(team, "rep1")[0] == "on a call, 24 min"
        team.clock.advance(minutes=2)  # nothing renewed it: no window is on this call
        assert _rep(team, "rep1")[0] == "last call 10:00"

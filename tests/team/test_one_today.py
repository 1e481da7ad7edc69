"""One "today" everywhere: the rep's status bar, the team console, the workload report and
the CLI count the team's day (midnight to midnight in the policy's zone), whatever the clock
of the machine reading them; and the SLA-breach count is the queue's overdue rows."""

from __future__ import annotations

from datetime import date

from leaddesk.domain import CallOutcome
from leaddesk.store.models import Lead, Person
from leaddesk.team.reports import RepWorkload
from tests.factories import Team


def _log(team: Team, rep: str, outcome: CallOutcome = CallOutcome.NO_ANSWER) -> None:
    lead = team.lead(rep)
    with team.desk(rep) as desk:
        desk.calls.log(lead, outcome, duration_seconds=30)


def test_a_late_evening_call_belongs_to_yesterday_in_every_view(team: Team) -> None:
    # 03:00 UTC on Wednesday is 22:00 on Tuesday in New York, the team's zone.
    team.clock.advance(hours=-12)
    _log(team, "rep1")
    team.clock.advance(hours=12)  # Wednesday 10:00 in New York
    _log(team, "rep1", CallOutcome.CONNECTED)
    _log(team, "rep1")

    with team.desk("rep1") as rep:
        day = rep.calls.my_day()
    with team.desk("lead1") as lead:
        view = lead.team.view()
        wednesday = date(2026, 11, 18)
        report = lead.team.report("workload", since=wednesday, until=wednesday)
    row = next(r for r in view.reps if r.name == "rep1")
    worked = next(i for i in report.items if isinstance(i, RepWorkload) and i.rep == "rep1")

    assert day.timezone == view.timezone == "America/New_York"
    assert day.day_start == view.day_start
    assert (day.calls, day.connects) == (row.calls_today, row.connects_today) == (2, 1)
    assert worked.calls == 2


def test_the_last_call_is_shown_in_the_team_zone_and_the_zone_is_named(team: Team) -> None:
    _log(team, "rep2")  # 15:00 UTC, 10:00 in New York
    team.clock.advance(minutes=5)
    with team.desk("lead1") as lead:
        view = lead.team.view()
    rep = next(r for r in view.reps if r.name == "rep2")
    assert rep.now_text() == "last call 10:00"
    assert "now (America/New_York)" in view.headers
    assert next(r for r in view.rows() if r[0] == "rep2")[1] == "last call 10:00"


def test_the_sla_breach_count_is_the_queue_overdue_rows(team: Team) -> None:
    overdue = team.lead("rep1", hours_ago=5)
    held = team.lead("rep1", hours_ago=5, hold_reason="paused")
    booked = team.lead("rep1", hours_ago=5, callback_at=team.at(hours=3))
    later = team.lead("rep1", hours_ago=5, next_attempt_at=team.at(hours=1))
    barred = team.lead("rep1", hours_ago=5)
    team.lead("rep1", hours_ago=1)  # still inside its deadline
    with team.store.transaction() as session:
        lead = session.get(Lead, barred)
        assert lead is not None
        person = session.get(Person, lead.person_id)
        assert person is not None
        person.do_not_call = True

    with team.desk("rep1") as rep:
        breaches = rep.calls.my_day().sla_breaches
        rows = rep.queue.page(limit=100)
    with team.desk("lead1") as lead:
        row = next(r for r in lead.team.view().reps if r.name == "rep1")

    shown_overdue = [r.lead_id for r in rows if r.sla_due_at and r.sla_due_at < team.clock()]
    assert shown_overdue == [overdue]
    assert breaches == row.sla_breaches == 1
    assert {held, booked, later, barred}.isdisjoint(shown_overdue)

"""Report figures against a small store written by hand, with answers worked out on paper.

The team's days are New York days (the shipped policy): 2026-11-16 starts at 05:00 UTC.
The clock is 2026-11-18 15:00 UTC; the period is 2026-11-16 to 2026-11-18.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from leaddesk.domain import CallOutcome, LeadType, SalesDecision, Stage, Verdict
from leaddesk.store.models import (
    Assignment,
    CallAttempt,
    HandoffBatch,
    Lead,
    SalesFeedback,
    User,
    VerdictRecord,
)
from leaddesk.team.reports import Report
from tests.factories import Team

SINCE, UNTIL = date(2026, 11, 16), date(2026, 11, 18)


def t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def store(team: Team) -> Team:
    def lead(owner: str | None, arrived: datetime, source: str, **fields: object) -> int:
        hours_ago = (team.clock() - arrived).total_seconds() / 3600
        return team.lead(owner, hours_ago=hours_ago, source=source, **fields)

    ids = team.ids
    # Before the period in New York (23:30 on the 15th), worked by rep1, callback today.
    l0 = lead(
        "rep1",
        t(16, 4, 30),
        "web_form",
        stage=Stage.WORKING,
        first_contact_at=t(16, 4, 50),
        last_attempt_at=t(16, 4, 50),
        callback_at=t(18, 20),
    )
    l1 = lead(
        "rep1",
        t(16, 14),
        "web_form",
        stage=Stage.ACCEPTED,
        first_contact_at=t(16, 14, 10),
        lead_type=LeadType.SALES_WORTHY,
    )
    l2 = lead(
        "rep2",
        t(16, 15),
        "web_form",
        stage=Stage.REJECTED,
        first_contact_at=t(16, 18),
        lead_type=LeadType.SALES_WORTHY,
    )
    l3 = lead(
        "rep1",
        t(17, 14),
        "purchased_list",
        stage=Stage.DISQUALIFIED,
        first_contact_at=t(17, 14, 30),
        lead_type=LeadType.DUBIOUS,
    )
    l4 = lead("rep2", t(17, 16), "purchased_list")  # never reached, past its SLA
    lead(None, t(18, 14), "purchased_list")  # never reached, SLA not due yet (pool)
    l6 = lead(
        "rep1",
        t(18, 12),
        "webinar",
        stage=Stage.QUALIFIED,
        first_contact_at=t(18, 13, 30),
        lead_type=LeadType.SALES_WORTHY,
    )
    l7 = lead(
        "rep2",
        t(17, 13),
        "webinar",
        stage=Stage.DISQUALIFIED,
        first_contact_at=t(17, 13, 20),
        lead_type=LeadType.UNWORTHY,
    )
    # Closed as bad data before its SLA deadline: needed no call, left out of SLA figures.
    l8 = lead("rep1", t(17, 10), "web_form", stage=Stage.DISQUALIFIED, closed_at=t(17, 10, 30))
    # Arrived long before; handed off in the period by rep1's verdict, sales has not answered.
    l9 = lead(
        "rep2",
        t(10, 14),
        "web_form",
        stage=Stage.HANDED_OFF,
        stage_changed_at=t(17, 15),
        first_contact_at=t(10, 15),
    )
    with team.store.transaction() as session:
        batch = HandoffBatch(code="b1", created_by_id=ids["rep1"], created_at=t(17, 15))
        session.add(batch)
        session.flush()
        for lead_id in (l1, l2, l9):
            session.get(Lead, lead_id).handoff_batch_id = batch.id  # type: ignore[union-attr]
        verdicts = [
            (l1, Verdict.HAND_OFF, "rep1", t(16, 14, 30)),
            (l2, Verdict.HAND_OFF, "rep2", t(16, 18, 20)),
            (l3, Verdict.DISQUALIFY, "rep1", t(17, 14, 40)),
            (l6, Verdict.HAND_OFF, "rep1", t(18, 13, 45)),
            (l7, Verdict.DISQUALIFY, "rep2", t(17, 13, 50)),
            (l8, Verdict.DISQUALIFY, "rep1", t(17, 10, 30)),
            (l9, Verdict.HAND_OFF, "rep1", t(12, 15)),
        ]
        for lead_id, verdict, who, at in verdicts:
            session.add(
                VerdictRecord(
                    lead_id=lead_id, verdict=verdict, decided_by_id=ids[who], decided_at=at
                )
            )
        session.add(
            SalesFeedback(
                lead_id=l1,
                batch_id=batch.id,
                decision=SalesDecision.ACCEPTED,
                recorded_by_id=ids["lead1"],
                recorded_at=t(18, 13),
            )
        )
        session.add(
            SalesFeedback(
                lead_id=l2,
                batch_id=batch.id,
                decision=SalesDecision.REJECTED,
                reason="no_budget",
                recorded_by_id=ids["lead1"],
                recorded_at=t(18, 14),
            )
        )
        for lead_id, who, at, outcome, seconds in (
            (l0, "rep1", t(15, 20), CallOutcome.NO_ANSWER, 25),  # before the period
            (l0, "rep1", t(16, 12), CallOutcome.NO_ANSWER, 30),
            (l1, "rep1", t(16, 14, 10), CallOutcome.CONNECTED, 745),  # 12 min on the line
            (l4, "rep2", t(17, 17), CallOutcome.NO_ANSWER, 20),
        ):
            session.add(
                CallAttempt(
                    lead_id=lead_id,
                    user_id=ids[who],
                    at=at,
                    outcome=outcome,
                    duration_seconds=seconds,
                )
            )
        session.add(
            Assignment(
                lead_id=l4,
                from_user_id=None,
                to_user_id=ids["rep2"],
                by_user_id=ids["lead1"],
                at=t(17, 12),
            )
        )
    return team


def report(team: Team, name: str) -> Report:
    with team.desk("lead1") as desk:
        return desk.team.report(name, since=SINCE, until=UNTIL)


def test_funnel_counts_how_far_the_periods_leads_got(store: Team) -> None:
    result = report(store, "funnel")
    assert [(s.step, s.leads, s.pct_of_arrived) for s in result.items] == [
        ("arrived", 8, 100.0),
        ("contacted", 5, 62.5),
        ("qualified", 3, 37.5),
        ("handed_off", 2, 25.0),
        ("accepted", 1, 12.5),
    ]
    assert result.period.start == t(16, 5)


def test_throughput_buckets_events_into_the_teams_days(store: Team) -> None:
    result = report(store, "throughput")
    assert result.rows() == [
        ("2026-11-16", 2, 2, 2, 0, 0),
        ("2026-11-17", 4, 2, 0, 3, 0),
        ("2026-11-18", 2, 1, 1, 0, 1),
    ]
    assert result.csv_text().splitlines()[:2] == [
        "day,new,contacted,qualified,handed off,accepted by sales",
        "2026-11-16,2,2,2,0,0",
    ]


def test_speed_to_lead_distribution_and_sla_compliance(store: Team) -> None:
    result = report(store, "sla")
    assert result.rows() == [
        ("within 15 min", 1, 12.5),
        ("15-60 min", 2, 25.0),
        ("1-2 h", 1, 12.5),
        ("2-4 h", 1, 12.5),
        ("4-24 h", 0, 0.0),
        ("over 24 h", 0, 0.0),
        ("not reached yet", 3, 37.5),
    ]
    assert result.summary == {
        "leads": 8,
        "sla_met": 4,
        "sla_breached": 2,
        "sla_not_due_yet": 1,
        "sla_compliance_pct": 66.7,
        "median_minutes_to_first_call": 30.0,
    }


def test_sla_compliance_is_not_given_before_any_deadline_came(store: Team) -> None:
    """A week with no lead whose deadline has come says nothing of compliance (not 0 %)."""
    with store.desk("lead1") as desk:
        quiet = desk.team.report("sla", since=date(2026, 10, 5), until=date(2026, 10, 11))
    assert quiet.summary["sla_met"] == quiet.summary["sla_breached"] == 0
    assert quiet.summary["sla_compliance_pct"] is None


def test_sources_show_which_bring_dubious_and_unworthy_leads(store: Team) -> None:
    assert report(store, "sources").rows() == [
        ("purchased_list", 3, 2, 0, 0, 1, 0, 1, 0, 33.3, 0, 0, ""),
        ("web_form", 3, 0, 2, 0, 1, 0, 0, 0, 0.0, 1, 1, "No budget: 1"),
        ("webinar", 2, 0, 1, 0, 1, 0, 0, 1, 50.0, 0, 0, ""),
    ]


def test_agreement_credits_the_rep_who_gave_the_hand_off_verdict(store: Team) -> None:
    result = report(store, "agreement")
    assert result.rows() == [("rep1", 2, 1, 0, 1, 100.0), ("rep2", 1, 0, 1, 0, 0.0)]
    assert result.summary == {"team_agreement_pct": 50.0}


def test_workload_per_rep(store: Team) -> None:
    assert report(store, "workload").rows() == [
        # rep, open now, capacity, used %, received, calls, connects, talk min, verdicts
        ("rep1", 1, 40, 2.5, 0, 2, 1, 12, 4),
        ("rep2", 1, 40, 2.5, 1, 1, 0, 0, 2),
    ]


def test_reports_name_reps_as_the_team_knows_them(store: Team) -> None:
    """A team lead reads "Ada Byron", not a login; the figures stay with the same rep."""
    with store.store.transaction() as session:
        session.get(User, store.ids["rep1"]).display_name = "Ada Byron"  # type: ignore[union-attr]
    assert report(store, "workload").rows()[0] == ("Ada Byron", 1, 40, 2.5, 0, 2, 1, 12, 4)
    assert report(store, "agreement").rows()[0] == ("Ada Byron", 2, 1, 0, 1, 100.0)


def test_team_view_per_rep_pool_and_sales_wait(store: Team) -> None:
    with store.desk("lead1") as desk:
        view = desk.team.view()
    assert view.rows() == [
        # rep, now, calls today, open, capacity, used %, callbacks today, SLA breaches,
        # untouched, verdicts today, this week (rep1's open lead waits for its callback
        # tonight: not untouched)
        ("rep1", "no calls today", 0, 1, 40, 2, 1, 0, 0, 1, 4),
        ("rep2", "no calls today", 0, 1, 40, 2, 0, 1, 0, 0, 2),
    ]
    assert (view.pool.open_leads, view.pool.sla_breaches, view.pool.untouched) == (1, 0, 0)
    wait = view.awaiting_sales
    assert (wait.waiting, wait.past_follow_up, wait.past_escalation) == (1, 1, 0)
    assert view.day_start == t(18, 5)
    assert view.week_start == t(16, 5)


def test_a_period_that_ends_before_it_starts_is_refused(store: Team) -> None:
    from leaddesk.errors import InputError

    with (
        store.desk("lead1") as desk,
        pytest.raises(InputError, match="is after the period's last day") as refused,
    ):
        desk.team.report("funnel", since=UNTIL, until=SINCE)
    assert refused.value.field == "since"


def test_the_funnel_counts_a_lead_rung_without_an_answer_as_called_not_reached(
    team: Team,
) -> None:
    # Two of today's leads: one rung with no answer, one who picked up; one not called yet.
    rung, spoke, _waiting = (team.lead("rep1", hours_ago=0.5) for _ in range(3))
    with team.desk("rep1") as rep:
        rep.calls.log(rung, CallOutcome.NO_ANSWER)
        rep.calls.log(spoke, CallOutcome.CONNECTED)
    today = team.clock().astimezone(ZoneInfo("America/New_York")).date()
    with team.desk("lead1") as desk:
        result = desk.team.report("funnel", since=today, until=today)
    assert [row[:2] for row in result.rows()][:2] == [("Arrived", 3), ("Called", 2)]

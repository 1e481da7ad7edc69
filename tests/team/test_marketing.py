"""Marketing's side of issue 19: a read-only role that sees which sources and campaigns bring
leads sales accepts, with no call queue and no rep's words; and a salesperson's referral,
credited to them in the sources report.

The store is written by hand (figures worked out on paper), once on SQLite and once on
PostgreSQL. The clock is 2026-11-18 15:00 UTC; every lead arrived on the 17th or 18th.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.definition import versions
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, LeadType, Role, SalesDecision, Source, Stage, Verdict
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff import crm_feedback
from leaddesk.handoff.feedback import Decision, Problem, check_row, read_amount
from leaddesk.store.models import (
    CallAttempt,
    HandoffBatch,
    Lead,
    Note,
    OpportunityRef,
    SalesFeedback,
    VerdictRecord,
)
from tests.cli_in_process import RunCli
from tests.factories import Team

SINCE, UNTIL = date(2026, 11, 16), date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 15, tzinfo=UTC)


@pytest.fixture
def marketing(store_location: str) -> Iterator[Team]:
    team = Team(store_location, FixedClock(NOW))
    team.user("lead1", Role.TEAM_LEAD)
    team.user("rep1")
    team.user("sales1", Role.SALES, display_name="Sam Seller")
    team.user("mkt1", Role.MARKETING)
    yield team
    team.store.close()


def _lead(team: Team, hours_ago: float, source: str, campaign: str | None, **fields: Any) -> int:
    return team.lead("rep1", hours_ago=hours_ago, source=source, campaign=campaign, **fields)


def _handed(team: Team, lead_id: int, decision: SalesDecision | None, cents: int | None) -> None:
    """The lead went to sales in a batch; sales answered ``decision`` (an opportunity worth
    ``cents`` when accepted)."""
    with team.store.transaction() as session:
        batch = HandoffBatch(
            code=f"b{lead_id}", created_by_id=team.ids["rep1"], created_at=NOW - timedelta(hours=2)
        )
        session.add(batch)
        session.flush()
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.handoff_batch_id = batch.id
        lead.lead_type = LeadType.SALES_WORTHY
        lead.stage = Stage.HANDED_OFF if decision is None else Stage(decision.value)
        if decision is None:
            return
        opportunity = None
        if decision is SalesDecision.ACCEPTED:
            opportunity = OpportunityRef(
                lead_id=lead_id,
                external_id=f"006-{lead_id}",
                amount_cents=cents,
                recorded_by_id=team.ids["sales1"],
                recorded_at=NOW,
            )
            session.add(opportunity)
            session.flush()
        session.add(
            SalesFeedback(
                lead_id=lead_id,
                batch_id=batch.id,
                decision=decision,
                reason="no_budget" if decision is SalesDecision.REJECTED else None,
                opportunity_id=opportunity.id if opportunity else None,
                recorded_by_id=team.ids["sales1"],
                recorded_at=NOW,
            )
        )


@pytest.fixture
def worked(marketing: Team) -> Team:
    """Six webinar leads over two campaigns and two web-form leads:

    * webinar / Spring launch: 3 handed off, 2 accepted (12,500 and 7,500.50), 1 rejected;
      1 dubious. Reached after 1 h and 3 h.
    * webinar / Partner days: 1 handed off and accepted (no amount); 1 unworthy.
    * web_form / no campaign: 1 unqualified interest, 1 still new.
    """
    team = marketing
    spring = [_lead(team, 20, "webinar", "Spring launch") for _ in range(3)]
    dubious = _lead(team, 20, "webinar", "Spring launch", lead_type=LeadType.DUBIOUS)
    partner = _lead(team, 10, "webinar", "Partner days")
    _lead(team, 10, "webinar", "Partner days", lead_type=LeadType.UNWORTHY)
    _lead(team, 5, "web_form", None, lead_type=LeadType.UNQUALIFIED_INTEREST)
    _lead(team, 5, "web_form", None)
    _handed(team, spring[0], SalesDecision.ACCEPTED, 1_250_000)
    _handed(team, spring[1], SalesDecision.ACCEPTED, 750_050)
    _handed(team, spring[2], SalesDecision.REJECTED, None)
    _handed(team, partner, SalesDecision.ACCEPTED, None)
    with team.store.transaction() as session:
        for lead_id, hours in ((spring[0], 1), (dubious, 3)):
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.first_contact_at = lead.arrived_at + timedelta(hours=hours)
    return team


def test_a_marketing_user_sees_accept_rate_by_source_and_by_campaign(worked: Team) -> None:
    with worked.desk("mkt1") as desk:
        by_source = desk.team.report("acceptance", since=SINCE, until=UNTIL)
        by_campaign = desk.team.report("acceptance", since=SINCE, until=UNTIL, by="campaign")
    assert by_source.headers[0] == "source" and by_source.headers[9] == "% accepted"
    # source, leads, % dubious, % unworthy, % unqualified, % sales-worthy, % handed off,
    # accepted, rejected, % accepted, hours to first call, opportunity amount
    assert by_source.rows() == [
        ("web_form", 2, 0.0, 0.0, 50.0, 0.0, 0.0, 0, 0, None, None, None),
        ("webinar", 6, 16.7, 16.7, 0.0, 66.7, 66.7, 3, 1, 75.0, 2.0, 20000.5),
    ]
    assert by_campaign.headers[0] == "campaign"
    assert by_campaign.rows() == [
        ("Partner days", 2, 0.0, 50.0, 0.0, 50.0, 50.0, 1, 0, 100.0, None, None),
        ("Spring launch", 4, 25.0, 0.0, 0.0, 75.0, 75.0, 2, 1, 66.7, 2.0, 20000.5),
        ("no campaign", 2, 0.0, 0.0, 50.0, 0.0, 0.0, 0, 0, None, None, None),
    ]


def test_the_sources_report_is_cut_by_campaign_and_definition_version(worked: Team) -> None:
    with worked.desk("lead1") as desk:
        by_campaign = desk.team.report("sources", since=SINCE, until=UNTIL, by="campaign")
        by_version = desk.team.report("sources", since=SINCE, until=UNTIL, by="version")
        with pytest.raises(InputError, match="funnel report is not cut by campaign"):
            desk.team.report("funnel", since=SINCE, until=UNTIL, by="campaign")
    spring = next(row for row in by_campaign.rows() if row[0] == "Spring launch")
    assert spring[1] == 4 and spring[10:12] == (2, 1)  # leads; accepted, rejected by sales
    # No lead here was judged under a version: all in one row, said so.
    assert [(row[0], row[1]) for row in by_version.rows()] == [("no verdict yet", 8)]


def test_the_acceptance_report_cuts_by_the_version_the_lead_was_judged_under(
    marketing: Team,
) -> None:
    with marketing.store.reading() as session:
        current = versions.current_id(session)
    judged = _lead(marketing, 3, "webinar", None, definition_version_id=current)
    _handed(marketing, judged, SalesDecision.ACCEPTED, None)
    _lead(marketing, 3, "webinar", None)
    with marketing.desk("mkt1") as desk:
        rows = desk.team.report("acceptance", since=SINCE, until=UNTIL, by="version").rows()
    assert [(row[0], row[1], row[7], row[9]) for row in rows] == [
        ("no verdict yet", 1, 0, None),
        ("v1", 1, 1, 100.0),
    ]


def test_marketing_is_refused_a_call_queue_with_exit_3_saying_what_it_can_do(
    worked: Team, run_cli: RunCli
) -> None:
    for command in (["queue"], ["next"]):
        result = run_cli(*command, "--as", "mkt1", db=worked.location)
        assert result.returncode == 3, result.stderr
        assert "mkt1 is in marketing and cannot work the call queue." in result.stderr
        assert "leaddesk report acceptance --by campaign" in result.stderr
    with worked.desk("mkt1") as desk, pytest.raises(NotPermitted):
        desk.queue.next()


def test_marketing_reads_accept_rate_by_campaign_from_the_command_line(
    worked: Team, run_cli: RunCli
) -> None:
    result = run_cli(
        "report", "acceptance", "--by", "campaign", "--since", "2026-11-16", "--as", "mkt1",
        "--json", db=worked.location,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {row["campaign"]: row for row in json.loads(result.stdout)["rows"]}
    assert rows["Spring launch"]["% accepted"] == 66.7
    assert rows["Spring launch"]["opportunity amount"] == 20000.5


def test_a_marketing_users_lead_card_shows_no_reps_words(worked: Team) -> None:
    lead_id = worked.lead("rep1", hours_ago=2, source="webinar")
    with worked.store.transaction() as session:
        session.add(
            CallAttempt(
                lead_id=lead_id, user_id=worked.ids["rep1"], at=NOW, outcome=CallOutcome.NO_ANSWER,
                note="Their budget is 40k, said the CFO",
            )
        )  # fmt: skip
        session.add(
            Note(
                lead_id=lead_id, user_id=worked.ids["rep1"], created_at=NOW, updated_at=NOW,
                text="Private: going through a divorce",
            )
        )  # fmt: skip
        session.add(
            VerdictRecord(
                lead_id=lead_id, verdict=Verdict.NURTURE, reason="No budget until their merger",
                decided_by_id=worked.ids["rep1"], decided_at=NOW,
            )
        )  # fmt: skip
    earlier = worked.lead("rep1", hours_ago=30, source="web_form", stage=Stage.NURTURE)
    with worked.store.transaction() as session:
        before, now = session.get(Lead, earlier), session.get(Lead, lead_id)
        assert before is not None and now is not None
        before.person_id = now.person_id  # the same person came back
        session.add(
            VerdictRecord(
                lead_id=earlier, verdict=Verdict.NURTURE, reason="Call after the merger closes",
                decided_by_id=worked.ids["rep1"], decided_at=NOW - timedelta(hours=20),
            )
        )  # fmt: skip
    with worked.desk("mkt1") as desk:
        card = desk.queue.lead_file(lead_id)
    with worked.desk("lead1") as desk:
        full = desk.queue.lead_file(lead_id)
    said = " ".join(entry.text for entry in card.timeline)
    assert "Call: no answer" in said and "Verdict:" in said
    for words in ("40k", "divorce", "merger"):
        assert words not in said
        assert words in " ".join(entry.text for entry in full.timeline)
    assert [e.outcome for e in card.earlier] == ["Nurture"]
    assert [e.outcome for e in full.earlier] == ["Nurture: Call after the merger closes"]


def test_a_salespersons_referral_is_credited_to_them_in_the_sources_report(
    marketing: Team, run_cli: RunCli
) -> None:
    result = run_cli(
        "add-lead", "--as", "sales1", "--first-name", "Grace", "--last-name", "Hopper",
        "--company", "Navy Labs", "--email", "grace@navy.example", "--json",
        db=marketing.location,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lead_id = json.loads(result.stdout)["lead_id"]
    with marketing.store.reading() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert (lead.source, lead.referred_by_id) == (
            Source.SALES_REFERRAL,
            marketing.ids["sales1"],
        )
    _handed(marketing, lead_id, SalesDecision.ACCEPTED, 500_000)
    marketing.lead("rep1", hours_ago=1, source="webinar")  # nobody's referral
    shown = run_cli("lead", str(lead_id), "--as", "lead1", db=marketing.location)
    assert "referred by Sam Seller" in shown.stdout
    # The command line ran on today's clock: the report reads the last 30 days up to today.
    with open_desk(marketing.location, "lead1") as desk:
        report = desk.team.report("sources", by="referrer")
    assert report.headers[0] == "referrer"
    # referrer, leads, still open, qualified, …, accepted by sales, rejected by sales
    assert [(row[0], row[1], row[3], row[10], row[11]) for row in report.rows()] == [
        ("Sam Seller", 1, 1, 1, 0)
    ]


def test_a_referral_goes_by_the_policy_and_not_to_a_rep_the_salesperson_names(
    marketing: Team, run_cli: RunCli
) -> None:
    result = run_cli(
        "add-lead", "--as", "sales1", "--first-name", "Ada", "--email", "ada@x.example",
        "--for", "rep1", db=marketing.location,
    )  # fmt: skip
    assert result.returncode == 2
    assert "A referral goes to the rep the policy picks; leave out --for." in result.stderr


def test_an_import_gives_its_campaign_to_rows_without_one(
    marketing: Team, run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "fair.csv"
    path.write_text(
        "First Name,Last Name,Email,Campaign\n"
        "Ada,Byron,ada@engines.example,\n"
        "Alan,Turing,alan@bletchley.example,Autumn webinar\n",
        encoding="utf-8",
    )
    result = run_cli(
        "import", path, "--source", "trade_show", "--campaign", "Fair 2026", "--as", "lead1",
        db=marketing.location,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with marketing.store.reading() as session:
        campaigns = sorted(session.scalars(select(Lead.campaign)).all(), key=str)
    assert campaigns == ["Autumn webinar", "Fair 2026"]


def test_an_opportunitys_amount_is_read_as_sales_writes_it() -> None:
    assert read_amount("12,500.50") == 1_250_050
    assert read_amount("$ 9 900") == 990_000
    assert read_amount("") is None
    assert read_amount("about ten grand") == (
        "'about ten grand' is not an amount like 12500 or 12,500.50"
    )
    assert isinstance(read_amount("-5"), str)
    row = {"lead_id": "7", "decision": "accepted", "opportunity_id": "006X", "amount": "1,000"}
    decision = check_row(row, 2)
    assert isinstance(decision, Decision) and decision.amount_cents == 100_000
    rejected = check_row({**row, "decision": "rejected", "opportunity_id": "", "reason": "x"}, 3)
    assert isinstance(rejected, Problem) and rejected.field == "amount"
    deal = {"record_id": "91", "deal_stage": "won", "amount": "4500", "create_date": "2026-11-18"}
    assert crm_feedback._hubspot_deals(deal)["amount"] == "4500"  # type: ignore[index]


def test_users_add_makes_a_marketing_user(marketing: Team, run_cli: RunCli) -> None:
    added = run_cli("users", "add", "mkt2", "--role", "marketing", "--as", "lead1",
                    db=marketing.location)  # fmt: skip
    assert added.returncode == 0, added.stderr
    refused = run_cli("next", "--as", "mkt2", db=marketing.location)
    assert refused.returncode == 3 and "mkt2 is in marketing" in refused.stderr

"""What sales did in HubSpot comes back as their answers: a lead object they qualified is
accepted with the deal they made as its opportunity (and its amount), one they disqualified
is rejected with the reason mapped to LeadDesk's; only what changed since the last pull."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from fake_hubspot import TOKEN, FakeHubSpot
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import SalesDecision
from leaddesk.sync.hubspot import HubSpotConnector
from leaddesk.sync.team_settings import default_settings


def test_sales_answers_in_hubspot_come_back_as_accepted_with_the_deal_or_rejected(
    hubspot_team: str, clock: FixedClock, hubspot: FakeHubSpot, certificate: tuple[Path, Path]
) -> None:
    won = hand_off(hubspot_team, clock)
    lost = hand_off(hubspot_team, clock, first="Grace", email="grace@acme.example")
    ignored = hand_off(hubspot_team, clock, first="Ada", email="ada@acme.example")
    with open_desk(hubspot_team, "rep1", clock=clock) as desk:
        assert len(desk.sync.run().sent) == 3
    [won_lead], [lost_lead] = hubspot.leads_for(won), hubspot.leads_for(lost)
    deal = hubspot.sales_qualify(won_lead, "60000", at="2030-01-10T09:00:00Z")
    hubspot.sales_disqualify(lost_lead, "No budget", "Frozen until Q3", at="2030-01-11T09:00:00Z")

    settings = replace(
        default_settings("hubspot"), api_url=hubspot.base, ca_bundle=str(certificate[0])
    )
    pulling = HubSpotConnector(settings, TOKEN, sleep=[].append)
    answers = {d.lead_id: d for d in pulling.pull(None)}
    assert set(answers) == {won, lost} and ignored not in answers
    accepted, rejected = answers[won], answers[lost]
    assert (accepted.decision, accepted.opportunity_id, accepted.owner) == (
        SalesDecision.ACCEPTED,
        deal,
        "75",
    )
    assert accepted.amount_cents == 6_000_000 and str(accepted.on) == "2030-01-10"
    assert (rejected.decision, rejected.reason) == (SalesDecision.REJECTED, "no_budget")
    assert rejected.comment == "No budget; Frozen until Q3"

    later = pulling.pull(datetime(2030, 1, 11, tzinfo=UTC))
    assert [d.lead_id for d in later] == [lost]  # only what changed since


def test_a_portal_without_the_leads_object_has_nothing_to_pull(
    hubspot: FakeHubSpot, certificate: tuple[Path, Path]
) -> None:
    settings = replace(
        default_settings("hubspot"),
        api_url=hubspot.base,
        ca_bundle=str(certificate[0]),
        leads_object=False,
    )
    assert HubSpotConnector(settings, TOKEN).pull(None) == []
    assert not hubspot.seen

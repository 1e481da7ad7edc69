"""``sync pull``: what sales did in Salesforce comes back to the rep's lead card. Converted →
accepted with its opportunity id; turned down → rejected with the reason and comment; every
page of the answer read; the cursor asks only for what changed since; a crash between the
answers and the cursor leaves neither; qualifiers are refused; answers on records no lead here
carries are listed, not applied."""

from __future__ import annotations

from datetime import datetime

import pytest
from fake_salesforce import EXTERNAL_ID, FakeSalesforce
from sqlalchemy import select
from sync_scenarios import hand_off

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Stage
from leaddesk.errors import NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import Lead, OpportunityRef, SalesFeedback, SyncSetting
from leaddesk.sync import pulling
from tests.cli_in_process import RunCli


def sent(team: str, clock: FixedClock, salesforce: FakeSalesforce, **lead: str) -> str:
    """A rep's hand-off, sent to Salesforce by the rep's window; the Salesforce Lead's id."""
    lead_id = hand_off(team, clock, **lead)
    with open_desk(team, "rep1", clock=clock) as desk:
        run = desk.sync.run()
    assert [s.lead_id for s in run.sent] == [lead_id], run
    return str(run.sent[0].crm_id)


def lead_id_of(salesforce: FakeSalesforce, salesforce_id: str) -> int:
    return int(salesforce.leads[salesforce_id][EXTERNAL_ID])


def stage_and_feedback(team: str, lead_id: int) -> tuple[Stage, SalesFeedback | None]:
    store = open_store(team)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            feedback = session.query(SalesFeedback).filter_by(lead_id=lead_id).one_or_none()
            return lead.stage, feedback
    finally:
        store.close()


def pulled_until(team: str) -> datetime | None:
    store = open_store(team)
    try:
        with store.reading() as session:
            return session.query(SyncSetting).one().pulled_until
    finally:
        store.close()


@pytest.fixture
def sales_clock(salesforce: FakeSalesforce, clock: FixedClock) -> FixedClock:
    """Salesforce stamps its changes on the test's clock."""
    salesforce.now = clock
    return clock


def test_a_lead_sales_converts_shows_as_accepted_with_its_opportunity_on_the_reps_card(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce, run_cli: RunCli
) -> None:
    salesforce_id = sent(synced_team, sales_clock, salesforce)
    lead_id = lead_id_of(salesforce, salesforce_id)
    sales_clock.advance(hours=2)
    opportunity = salesforce.convert(salesforce_id, owner="Jane Smith", amount=48000.5)

    code, out, err = run_cli("sync", "pull", "--as", "sales1", db=synced_team)

    assert code == 0, err
    assert "From Salesforce: 1 accepted, 0 rejected, 0 unchanged" in out
    code, card, err = run_cli("lead", str(lead_id), "--as", "rep1", db=synced_team)
    assert code == 0, err
    assert f"Sales accepted: opportunity {opportunity} (owner Salesforce: Jane Smith)" in card
    stage, _feedback = stage_and_feedback(synced_team, lead_id)
    assert stage is Stage.ACCEPTED
    store = open_store(synced_team)
    try:
        with store.reading() as session:  # the Opportunity's amount, read through the Lead
            worth = session.scalar(
                select(OpportunityRef.amount_cents).where(OpportunityRef.lead_id == lead_id)
            )
    finally:
        store.close()
    assert worth == 4_800_050
    code, out, err = run_cli("sync", "status", "--as", "sales1", db=synced_team)
    assert code == 0 and "Sales' answers read back up to" in out, err


def test_a_lead_sales_turns_down_comes_back_rejected_with_reason_and_comment(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    salesforce.add_field("Unqualified_Reason__c")
    salesforce.add_field("Sales_Comment__c")
    with open_desk(synced_team, "admin1", clock=sales_clock) as admin:
        admin.sync.setup(
            "salesforce", reason_field="Unqualified_Reason__c", comment_field="Sales_Comment__c"
        )
    timing = sent(synced_team, sales_clock, salesforce)
    odd = sent(synced_team, sales_clock, salesforce, email="kim.lee@acme.example", first="Kim")
    salesforce.turn_down(
        timing,
        "Unqualified",
        Unqualified_Reason__c="Bad timing",
        Sales_Comment__c="Budget frozen until Q3",
    )
    salesforce.turn_down(odd, "Disqualified", Unqualified_Reason__c="Student project")

    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        run = desk.sync.pull()

    assert sorted(run.rejected) == sorted(
        [lead_id_of(salesforce, timing), lead_id_of(salesforce, odd)]
    )
    stage, feedback = stage_and_feedback(synced_team, lead_id_of(salesforce, timing))
    assert stage is Stage.NURTURE  # the definition routes "Bad timing" back to nurture
    assert feedback is not None
    assert (feedback.reason, feedback.detail) == ("bad_timing", "Budget frozen until Q3")
    _stage, feedback = stage_and_feedback(synced_team, lead_id_of(salesforce, odd))
    assert feedback is not None
    assert (feedback.reason, feedback.detail) == ("other", "Salesforce said: Student project")


def test_every_page_of_sales_answers_is_read(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    ids = [
        sent(synced_team, sales_clock, salesforce, email=f"p{n}@acme.example", first=f"P{n}")
        for n in range(3)
    ]
    for salesforce_id in ids:
        salesforce.convert(salesforce_id)
    salesforce.page_size = 1

    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        run = desk.sync.pull()

    assert (run.read, len(run.accepted)) == (3, 3)
    pages = [s for s in salesforce.seen if s.path.rsplit("/", 2)[-2] == "query" and not s.query]
    assert len(pages) == 2  # one a page: the first answer, then two nextRecordsUrl pages


def test_a_second_pull_asks_only_for_what_changed_since_the_first(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    first = sent(synced_team, sales_clock, salesforce)
    salesforce.convert(first)
    sales_clock.advance(hours=1)
    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        assert len(desk.sync.pull().accepted) == 1
    assert pulled_until(synced_team) == sales_clock() - pulling.OVERLAP

    sales_clock.advance(hours=1)
    second = sent(synced_team, sales_clock, salesforce, email="kim.lee@acme.example")
    salesforce.convert(second)
    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        run = desk.sync.pull()

    assert (run.accepted, run.unchanged, run.read) == ([lead_id_of(salesforce, second)], [], 1)
    queries = [s.query for s in salesforce.seen if "SystemModstamp" in s.query]
    assert "SystemModstamp+%3E" not in queries[0] and "SystemModstamp+%3E" in queries[-1]
    assert pulled_until(synced_team) == sales_clock() - pulling.OVERLAP


def test_a_crash_between_the_answers_and_the_cursor_records_neither(
    synced_team: str,
    sales_clock: FixedClock,
    salesforce: FakeSalesforce,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    salesforce_id = sent(synced_team, sales_clock, salesforce)
    salesforce.convert(salesforce_id)

    def power_cut(*_args: object) -> None:
        raise RuntimeError("the power went")

    monkeypatch.setattr(pulling, "advance_pull", power_cut)
    with open_desk(synced_team, "sales1", clock=sales_clock) as desk, pytest.raises(RuntimeError):
        desk.sync.pull()

    lead_id = lead_id_of(salesforce, salesforce_id)
    assert stage_and_feedback(synced_team, lead_id) == (Stage.HANDED_OFF, None)
    assert pulled_until(synced_team) is None
    monkeypatch.undo()
    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        assert desk.sync.pull().accepted == [lead_id]  # the next pull does it all


def test_qualifiers_and_admins_cannot_pull_sales_answers(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce, run_cli: RunCli
) -> None:
    salesforce.convert(sent(synced_team, sales_clock, salesforce))
    for user in ("rep1", "lead1", "admin1"):
        code, _out, err = run_cli("sync", "pull", "--as", user, db=synced_team)
        assert code == 3, err
        assert "cannot pull sales' answers" in err and "Traceback" not in err
    with open_desk(synced_team, "rep1", clock=sales_clock) as desk, pytest.raises(NotPermitted):
        desk.sync.pull()
    assert not [s for s in salesforce.seen if "SystemModstamp" in s.query]  # never asked


def test_answers_on_records_no_lead_here_carries_are_listed_not_applied(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce, run_cli: RunCli
) -> None:
    ours = sent(synced_team, sales_clock, salesforce)
    stranger = salesforce.add_lead(
        {
            EXTERNAL_ID: "999999",
            "LastName": "Other",
            "Company": "Elsewhere",
            "SystemModstamp": sales_clock(),
        }
    )
    salesforce.convert(ours)
    salesforce.convert(stranger)

    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        first = desk.sync.pull()
    assert first.accepted == [lead_id_of(salesforce, ours)]
    assert [p.message.split(":")[0] for p in first.unmatched] == [f"Salesforce record {stranger}"]

    code, out, err = run_cli("sync", "pull", "--as", "sales1", db=synced_team)

    assert code == 0, err  # read again (the cursor's margin): the same answers change nothing
    assert "From Salesforce: 0 accepted, 0 rejected, 1 unchanged" in out
    assert f"not recorded: Salesforce record {stranger}: no lead here carries this id" in out


def test_a_lead_matched_by_its_salesforce_id_when_the_leaddesk_id_is_not_ours(
    synced_team: str, sales_clock: FixedClock, salesforce: FakeSalesforce
) -> None:
    retyped = sent(synced_team, sales_clock, salesforce)
    huge = sent(synced_team, sales_clock, salesforce, email="kim.lee@acme.example")
    ids = [lead_id_of(salesforce, retyped), lead_id_of(salesforce, huge)]
    salesforce.leads[retyped][EXTERNAL_ID] = f"LD-{ids[0]}"  # typed over in the org
    salesforce.leads[huge][EXTERNAL_ID] = "98765432109876543210"
    salesforce.convert(retyped)
    salesforce.convert(huge)

    with open_desk(synced_team, "sales1", clock=sales_clock) as desk:
        assert sorted(desk.sync.pull().accepted) == sorted(ids)


def test_the_files_sync_has_nothing_to_pull(
    team: str, clock: FixedClock, tmp_path: object, run_cli: RunCli
) -> None:
    with open_desk(team, "admin1", clock=clock) as admin:
        admin.sync.setup("files", folder=str(tmp_path))
    code, out, err = run_cli("sync", "pull", "--as", "sales1", db=team)
    assert code == 0, err
    assert "leaddesk feedback FILE" in out

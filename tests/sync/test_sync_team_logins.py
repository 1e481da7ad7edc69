"""On a team database where each person signs in with their own login, the rep's verdict
queues the hand-off and the rep's window sends it: the grants and row guards allow exactly
that (the admin's settings stay the admin's)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from sync_scenarios import SALES_WORTHY, add_lead

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role, Stage, Verdict
from leaddesk.errors import NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import HandoffBatch, Lead, SyncOutboxRow, SyncSetting
from tests import postgres_server
from tests.factories import plain_url, team_database


def test_a_reps_own_login_queues_and_sends_but_cannot_change_the_settings(
    postgres_url: str | None,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    if not postgres_url:
        pytest.skip(postgres_server.why_none())
    with team_database(postgres_url, clock) as names:
        with open_desk(postgres_url, "admin", clock=clock) as admin:
            admin.sync.setup(
                "salesforce",
                login_url=salesforce.base,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                ca_bundle=str(certificate[0]),
            )
        lead_id = add_lead(postgres_url, clock, rep=names.rep)
        with open_desk(names.url_for(names.rep), names.rep, clock=clock) as rep:
            rep.qualifying.answer(lead_id, SALES_WORTHY)
            rep.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, "Ready for sales")
            run = rep.sync.run()
            assert [s.lead_id for s in run.sent] == [lead_id]
            with pytest.raises(NotPermitted), rep.store.transaction() as session:
                session.query(SyncSetting).update({"connector": "files"})
        assert len(salesforce.leads_for(lead_id)) == 1


def _sql(url: str, *statements: str) -> None:
    """Statements in one transaction on that login, committed."""
    connection = psycopg.connect(plain_url(url))
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_a_reps_login_hands_off_what_its_sync_sent_and_nothing_more(
    postgres_url: str | None,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    if not postgres_url:
        pytest.skip(postgres_server.why_none())
    with team_database(postgres_url, clock) as names:
        colleague = f"{names.rep}-2"
        with open_desk(postgres_url, "admin", clock=clock) as admin:
            admin.sync.setup(
                "salesforce",
                login_url=salesforce.base,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                ca_bundle=str(certificate[0]),
            )
            admin.people.add(colleague, Role.QUALIFIER)
            admin.admin.set_database_login(colleague, f"pw-{colleague}")
        try:
            sent, waiting, forged = (
                add_lead(postgres_url, clock, rep=names.rep, email=f"{who}@acme.example")
                for who in ("sent", "waiting", "forged")
            )
            with open_desk(names.url_for(names.rep), names.rep, clock=clock) as rep:
                rep.qualifying.answer(sent, SALES_WORTHY)
                rep.qualifying.give_verdict(sent, Verdict.HAND_OFF, "Ready for sales")
            # The colleague's window sends the rep's hand-off: it is handed off by that login.
            with open_desk(names.url_for(colleague), colleague, clock=clock) as desk:
                assert [s.lead_id for s in desk.sync.run().sent] == [sent]
            with open_desk(names.url_for(names.rep), names.rep, clock=clock) as rep:
                for lead_id in (waiting, forged):
                    rep.qualifying.answer(lead_id, SALES_WORTHY)
                    rep.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, "Ready for sales")
            store = open_store(postgres_url)
            try:
                with store.transaction() as session:
                    lead = session.get(Lead, sent)
                    assert lead is not None and lead.stage is Stage.HANDED_OFF
                    batch = session.get(HandoffBatch, lead.handoff_batch_id)
                    assert batch is not None and batch.code.startswith("salesforce-")
                    # As if the CRM had it: the sync's step on it would be allowed...
                    session.query(SyncOutboxRow).filter_by(lead_id=forged).update(
                        {"status": "sent", "crm_id": "00Q000000000099"}
                    )
            finally:
                store.close()
            crm_batch = batch.id
            url = names.url_for(colleague)
            for statement in (
                # ...but not on a lead the CRM does not have,
                f"UPDATE leads SET stage = 'handed_off', handoff_batch_id = {crm_batch} "
                f"WHERE id = {waiting}",
                # nor with anything else changed on the way,
                f"UPDATE leads SET stage = 'handed_off', handoff_batch_id = {crm_batch}, "
                f"assigned_to_id = NULL WHERE id = {forged}",
                # nor on to sales' answer.
                f"UPDATE leads SET stage = 'accepted' WHERE id = {sent}",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    _sql(url, statement)
            _sql(
                url,
                f"UPDATE leads SET stage = 'handed_off', handoff_batch_id = {crm_batch} "
                f"WHERE id = {forged}",
            )
        finally:
            _sql(postgres_url, f'DROP ROLE IF EXISTS "{colleague}"')


def test_a_salespersons_login_pulls_answers_and_a_reps_login_cannot(
    postgres_url: str | None,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
) -> None:
    if not postgres_url:
        pytest.skip(postgres_server.why_none())
    salesforce.now = clock
    with team_database(postgres_url, clock) as names:
        with open_desk(postgres_url, "admin", clock=clock) as admin:
            admin.sync.setup(
                "salesforce",
                login_url=salesforce.base,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                ca_bundle=str(certificate[0]),
            )
        lead_id = add_lead(postgres_url, clock, rep=names.rep)
        with open_desk(names.url_for(names.rep), names.rep, clock=clock) as rep:
            rep.qualifying.answer(lead_id, SALES_WORTHY)
            rep.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, "Ready for sales")
            [sent] = rep.sync.run().sent
            opportunity = salesforce.convert(str(sent.crm_id))
            with pytest.raises(NotPermitted):
                rep.sync.pull()
        for statement in (
            "UPDATE sync_settings SET pulled_until = now()",  # a rep's login moves no cursor
            f"UPDATE leads SET stage = 'accepted' WHERE id = {lead_id}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                _sql(names.url_for(names.rep), statement)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # only the cursor is sales'
            _sql(names.url_for(names.sales), "UPDATE sync_settings SET connector = 'files'")

        with open_desk(names.url_for(names.sales), names.sales, clock=clock) as sales:
            assert sales.sync.pull().accepted == [lead_id]
            card = sales.queue.lead_file(lead_id)
        assert card.stage is Stage.ACCEPTED
        assert card.sales_answer is not None and opportunity in card.sales_answer


def test_a_salespersons_own_login_moving_a_synced_meeting_queues_it_again(
    postgres_url: str | None,
    clock: FixedClock,
    salesforce: FakeSalesforce,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    if not postgres_url:
        pytest.skip(postgres_server.why_none())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where invitations go
    with team_database(postgres_url, clock) as names:
        with open_desk(postgres_url, "admin", clock=clock) as admin:
            admin.sync.setup(
                "salesforce",
                login_url=salesforce.base,
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                ca_bundle=str(certificate[0]),
            )
        lead_id = add_lead(postgres_url, clock, rep=names.rep)
        with open_desk(names.url_for(names.rep), names.rep, clock=clock) as rep:
            rep.qualifying.answer(lead_id, SALES_WORTHY)
            rep.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, to=names.sales)
            free = rep.meetings.slots(lead_id, with_=names.sales).slots
            rep.meetings.book(lead_id, free[0].starts_at, with_=names.sales)
            assert [s.lead_id for s in rep.sync.run().sent] == [lead_id]
        clock.advance(minutes=10)
        with open_desk(names.url_for(names.sales), names.sales, clock=clock) as sales:
            sales.meetings.move(lead_id, free[3].starts_at)  # grants: the outbox row's queue
        store = open_store(postgres_url)
        try:
            with store.reading() as session:
                row = session.query(SyncOutboxRow).filter_by(lead_id=lead_id).one()
                assert (row.status, row.queued_at) == ("waiting", clock())
        finally:
            store.close()
        # The salesperson's login may queue the row again, and nothing more there.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _sql(names.url_for(names.sales), "UPDATE sync_outbox SET crm_id = 'x'")

"""On a team database where each person signs in with their own login, the rep's verdict
queues the hand-off and the rep's window sends it: the grants and row guards allow exactly
that (the admin's settings stay the admin's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_salesforce import CLIENT_ID, CLIENT_SECRET, FakeSalesforce
from sync_scenarios import SALES_WORTHY, add_lead

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Verdict
from leaddesk.errors import NotPermitted
from leaddesk.store.models import SyncSetting
from tests import postgres_server
from tests.factories import team_database


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

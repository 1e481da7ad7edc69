"""The meeting booked on the call travels with the hand-off: the CRM CSV's columns, the JSON
Lines record, the Salesforce Lead's description, and the salesperson's own list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.handoff.records import read_record
from leaddesk.store.models import Lead, Person, User
from leaddesk.sync.salesforce_fields import description
from tests.cli_in_process import RunCli
from tests.handoff.handoff_helpers import Team, make_team


@pytest.fixture
def handoff_team(store_location: str) -> Iterator[Team]:
    # Wednesday 18 November 2026, 15:00 UTC: the rep books Thursday 10:00 London time.
    team = make_team(store_location, FixedClock(datetime.fromisoformat("2026-11-18T15:00Z")))
    with team.store.transaction() as session:
        sales = session.scalar(select(User).where(User.name == "sales1"))
        assert sales is not None
        sales.timezone = "Europe/Berlin"
    yield team
    team.store.close()


def booked_lead(team: Team, tmp_path: Path) -> int:
    lead_id = team.qualified_lead("rep1")
    with team.store.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        person = session.get(Person, lead.person_id)
        assert person is not None
        person.zone_key = "Europe/London"
    with team.desk("rep1") as desk:
        desk.meetings.book(
            lead_id,
            datetime(2026, 11, 19, 10, 0),
            with_="sales1",
            decision_maker="Jane Roe, CFO",
            others=("Raj Patel, IT", "Mo Chen, procurement"),
            ics_out=tmp_path / "invite.ics",
        )
    return lead_id


def test_the_crm_csv_and_the_jsonl_carry_the_meeting(handoff_team: Team, tmp_path: Path) -> None:
    lead_id = booked_lead(handoff_team, tmp_path)
    plain = handoff_team.qualified_lead("rep1", first="Grace")
    with handoff_team.desk("rep1") as desk:
        batch = desk.handoff.export(tmp_path / "out").new_batch
    assert batch is not None
    text = (batch.folder / f"{batch.code}.csv").read_text(encoding="utf-8-sig")
    rows = {int(r["LeadDesk Lead ID"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[lead_id]["Meeting At"] == "2026-11-19 10:00 Europe/London"
    assert rows[lead_id]["Meeting At (UTC)"] == "2026-11-19T10:00:00Z"
    assert rows[lead_id]["Meeting With"] == "Sales1"
    assert rows[lead_id]["Decision Maker"] == "Jane Roe, CFO"
    assert rows[lead_id]["Others Involved"] == "Raj Patel, IT; Mo Chen, procurement"
    assert rows[plain]["Meeting At"] == "" and rows[plain]["Decision Maker"] == ""
    lines = (batch.folder / f"{batch.code}.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["lead_id"]: r for r in map(json.loads, lines)}
    meeting = records[lead_id]["meeting"]
    assert meeting["start_utc"] == "2026-11-19T10:00:00Z"
    assert meeting["prospect_time"] == "2026-11-19T10:00:00+00:00"
    assert meeting["salesperson_time"] == "2026-11-19T11:00:00+01:00"
    assert (meeting["salesperson"], meeting["sequence"]) == ("sales1", 0)
    assert meeting["others_involved"] == ["Raj Patel, IT", "Mo Chen, procurement"]
    assert records[plain]["meeting"] is None


def test_the_salesforce_description_and_the_salespersons_list_show_it(
    handoff_team: Team, tmp_path: Path
) -> None:
    lead_id = booked_lead(handoff_team, tmp_path)
    with handoff_team.desk("rep1") as desk:
        desk.handoff.export(tmp_path / "out")
    with handoff_team.store.reading() as session:
        record = read_record(session, lead_id)
    assert record is not None and record.meeting is not None
    said = description(record)
    assert "Meeting booked on the call: Thu 19 Nov 10:00 (Europe/London) with Sales1" in said
    assert "Decision maker at the meeting: Jane Roe, CFO" in said
    assert "Others involved: Raj Patel, IT; Mo Chen, procurement" in said
    with handoff_team.desk("sales1") as desk:
        mine = desk.meetings.mine()
    assert [(m.lead_id, m.when) for m in mine] == [(lead_id, "Thu 19 Nov 10:00 (Europe/London)")]


def test_handoff_show_gives_the_salesperson_the_meeting_booked_on_the_call(
    handoff_team: Team, tmp_path: Path, run_cli: RunCli
) -> None:
    """The salesperson reading a hand-off from the command line sees the meeting the rep
    booked, in the prospect's time and their own, with who decides and who else comes."""
    lead_id = booked_lead(handoff_team, tmp_path)
    with handoff_team.desk("rep1") as desk:
        desk.handoff.export(tmp_path / "out")
    shown = run_cli("handoff", "show", str(lead_id), "--as", "sales1", db=handoff_team.location)
    assert shown.returncode == 0, shown.stderr
    assert (
        "Meeting booked on the call: Thu 19 Nov 10:00 (Europe/London) with Sales1 "
        "(their time Thu 19 Nov 11:00)"
    ) in shown.stdout
    assert "Decision maker: Jane Roe, CFO" in shown.stdout
    assert "Others involved: Raj Patel, IT; Mo Chen, procurement" in shown.stdout
    with handoff_team.desk("rep1") as desk:
        desk.meetings.cancel(lead_id, ics_out=tmp_path / "cancel.ics")
    shown = run_cli("handoff", "show", str(lead_id), "--as", "sales1", db=handoff_team.location)
    assert "Meeting cancelled: Thu 19 Nov 10:00 (Europe/London) is off" in shown.stdout
    assert "Meeting booked on the call" not in shown.stdout

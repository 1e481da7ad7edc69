"""The workload dashboard's "received": every way a lead reaches a rep counts, on a real store.

A lead reaches a rep when an import hands it to them (the policy's round robin), when they
call it from the open pool, and when a team lead moves it to them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from leaddesk.domain import CallOutcome
from leaddesk.store.models import Lead
from leaddesk.team.reassign import LeadPick
from tests.factories import Team

INQUIRIES = (
    "name,email,phone,company\n"
    "Ada Meyer,ada@meyer.example,+1 212 555 0101,Meyer Labs\n"
    "Ben Ortiz,ben@ortiz.example,+1 303 555 0102,Ortiz Tools\n"
    "Cai Lund,cai@lund.example,+1 415 555 0103,Lund Bikes\n"
)


def _imported_owners(team: Team) -> dict[int, str | None]:
    with team.store.reading() as session:
        ids = session.scalars(
            select(Lead.id).where(Lead.import_key.is_not(None)).order_by(Lead.id)
        ).all()
    return {lead_id: team.owner_of(lead_id) for lead_id in ids}


def test_received_counts_imports_calls_from_the_pool_and_moves(team: Team, tmp_path: Path) -> None:
    sheet = tmp_path / "webinar.csv"
    sheet.write_text(INQUIRIES, encoding="utf-8")
    with team.desk("lead1") as lead1:
        assert lead1.intake.import_file(sheet, source="webinar").counts.assigned == 3
    owners = _imported_owners(team)
    # Round robin, least loaded first: rep1, rep2, rep1.
    assert sorted(owners.values(), key=str) == ["rep1", "rep1", "rep2"]
    pool_lead = team.lead(None, hours_ago=1)
    team.clock.advance(minutes=20)
    with team.desk("rep2") as rep2:
        rep2.calls.log(pool_lead, CallOutcome.NO_ANSWER)
    moved = min(lead for lead, owner in owners.items() if owner == "rep1")
    today = team.clock().date()
    team.clock.advance(minutes=20)
    with team.desk("lead1") as lead1:
        lead1.team.reassign(LeadPick(lead_ids=(moved,)), to_user="rep2", reason="rep1 is at a fair")
        report = lead1.team.report("workload", since=today, until=today)
        yesterday = lead1.team.report(
            "workload", since=today - timedelta(days=1), until=today - timedelta(days=1)
        )
        timeline = lead1.queue.lead_file(moved).timeline

    figures = {row.rep: (row.open_now, row.received) for row in report.items}
    # rep1: two from the import. rep2: one from the import, the pool lead, the moved lead.
    assert figures == {"rep1": (1, 2), "rep2": (3, 3)}
    assert {row.rep: row.received for row in yesterday.items} == {"rep1": 0, "rep2": 0}
    said = [entry.text for entry in timeline if entry.kind == "assignment"]
    assert said == [
        "Reassigned to rep2 — rep1 is at a fair",
        "Assigned to rep1 — Imported from webinar.csv (round robin)",
    ]

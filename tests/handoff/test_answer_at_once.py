"""Sales answers a hand-off routed to them at once, before any end-of-day export: the lead is
handed off in a batch of one ("answered in LeadDesk") and the answer applied, in one
transaction; another salesperson's routed lead is theirs alone to answer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from handoff_helpers import Team, write_feedback
from sqlalchemy import select

from leaddesk.audit.actions import AuditAction
from leaddesk.domain import Role, SalesDecision, Stage
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff import Decision
from leaddesk.lifecycle import STAGE_ACTIONS
from leaddesk.store.models import AuditEvent, HandoffBatch, Lead, SalesFeedback, User
from tests.cli_in_process import RunCli


def routed_lead(team: Team, salesperson: str = "sales1") -> int:
    """A lead rep1 handed off, routed at the verdict to ``salesperson`` (not exported)."""
    lead_id = team.qualified_lead("rep1")
    with team.store.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.sales_owner_id = team.ids[salesperson]
        lead.sales_clock_at = team.clock() - timedelta(hours=2)
        lead.sales_due_at = team.clock() + timedelta(hours=2)
    return lead_id


def add_salesperson(team: Team, name: str = "sales2") -> None:
    with team.desk("admin") as desk:
        desk.people.add(name, Role.SALES)
    with team.store.reading() as session:
        team.ids[name] = session.scalar(select(User.id).where(User.name == name)) or 0


def test_a_salesperson_accepts_a_lead_routed_to_them_before_any_export(
    team: Team, out_dir: Path
) -> None:
    lead_id = routed_lead(team)
    with team.desk("sales1") as desk:
        changed = desk.handoff.record_decision(
            Decision(lead_id, SalesDecision.ACCEPTED, "006NOW0000000001")
        )
    assert changed is True
    lead = team.lead(lead_id)
    assert lead.stage is Stage.ACCEPTED and lead.handoff_batch_id is not None
    with team.store.reading() as session:
        batch = session.get(HandoffBatch, lead.handoff_batch_id)
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.lead_id == lead_id, AuditEvent.action.in_(STAGE_ACTIONS))
                .order_by(AuditEvent.id)
            )
        )
    assert batch is not None
    assert batch.code.startswith("answered-20261118-") and batch.code.endswith(f"-{lead_id}")
    assert (batch.folder, batch.lead_count, batch.created_by_id) == (None, 1, team.ids["sales1"])
    assert batch.files == {
        "status": "complete",
        "kind": "answered",
        "label": "answered in LeadDesk",
    }
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in events] == [
        (AuditAction.HANDED_OFF_AT_ONCE, "qualified", "handed_off", team.ids["sales1"]),
        (AuditAction.SALES_FEEDBACK, "handed_off", "accepted", team.ids["sales1"]),
    ]
    with team.desk("rep1") as desk:
        assert desk.handoff.export(out_dir).nothing_to_hand_off
        [mine] = desk.handoff.mine().leads
    assert (mine.status, mine.batch, mine.opportunity_id) == (
        "accepted",
        batch.code,
        "006NOW0000000001",
    )


def test_a_reject_before_export_sends_the_lead_where_the_reason_says(team: Team) -> None:
    lead_id = routed_lead(team)
    with team.desk("sales1") as desk:
        desk.handoff.record_decision(
            Decision(lead_id, SalesDecision.REJECTED, reason="no_budget", comment="Next year")
        )
        assert desk.handoff.pending(everything=True).leads == ()
    assert team.lead(lead_id).stage is Stage.NURTURE


def test_another_salespersons_routed_lead_is_refused_and_left_as_it_was(
    team: Team, tmp_path: Path, run_cli: RunCli
) -> None:
    add_salesperson(team)
    lead_id = routed_lead(team, "sales2")
    with team.desk("sales1") as desk, pytest.raises(NotPermitted, match="routed to sales2"):
        desk.handoff.record_decision(Decision(lead_id, SalesDecision.ACCEPTED, "006NOTMINE"))
    file = write_feedback(tmp_path / "answers.csv", [f"{lead_id},accepted,006NOTMINE,,,,"])
    code, out, _err = run_cli("feedback", str(file), "--as", "sales1", db=team.location)
    assert code == 3
    assert f"lead {lead_id} is routed to sales2; only they answer it before it is exported" in out
    lead = team.lead(lead_id)
    assert (lead.stage, lead.handoff_batch_id) == (Stage.QUALIFIED, None)
    with team.store.reading() as session:
        assert session.scalar(select(SalesFeedback.id)) is None
        assert session.scalar(select(HandoffBatch.id)) is None


def test_a_qualified_lead_routed_to_nobody_still_waits_for_its_batch(team: Team) -> None:
    lead_id = team.qualified_lead("rep1")
    with team.desk("sales1") as desk, pytest.raises(InputError, match="not been handed to sales"):
        desk.handoff.record_decision(Decision(lead_id, SalesDecision.ACCEPTED, "006EARLY"))
    assert team.lead(lead_id).stage is Stage.QUALIFIED


def test_the_feedback_file_answers_a_routed_lead_before_export(
    team: Team, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = routed_lead(team)
    file = write_feedback(tmp_path / "answers.csv", [f"{lead_id},rejected,,,,wrong_person,"])
    code, out, err = run_cli("feedback", str(file), "--as", "sales1", db=team.location)
    assert (code, err) == (0, ""), out
    assert "1 decision recorded (0 accepted, 1 rejected)" in out
    assert team.lead(lead_id).stage is Stage.WORKING


def test_a_batch_answered_in_leaddesk_has_no_folder_to_check_or_write_again(
    team: Team, tmp_path: Path, run_cli: RunCli
) -> None:
    lead_id = routed_lead(team)
    with team.desk("sales1") as desk:
        desk.handoff.record_decision(Decision(lead_id, SalesDecision.ACCEPTED, "006NOW"))
    with team.store.reading() as session:
        code = session.scalar(select(HandoffBatch.code))
    assert code is not None
    with team.desk("lead1") as desk, pytest.raises(InputError, match="answered its lead in"):
        desk.handoff.rewrite(code)
    result, _out, err = run_cli("verify-handoff", str(tmp_path / code))
    assert result == 2 and f"Batch {code} has no folder: sales answered its lead" in err

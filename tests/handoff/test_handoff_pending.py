"""The black box, opened: handed-off leads sales has not answered within the policy window."""

from __future__ import annotations

from pathlib import Path

import pytest
from handoff_helpers import Team, write_feedback

from leaddesk.definition import default_definition_path
from leaddesk.definition import versions as definition_versions
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff import decision_from_form


def test_unanswered_leads_turn_overdue_then_escalated_and_leave_when_answered(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    mine = [team.qualified_lead("rep1") for _ in range(2)]
    theirs = team.qualified_lead("rep2")
    with team.desk("lead1") as desk:
        desk.handoff.export(out_dir, team=True)
        fresh = desk.handoff.pending()
        assert (fresh.leads, fresh.waiting_within_window) == ((), 3)
        team.clock.advance(hours=25)
        late = desk.handoff.pending()
        assert [(p.lead_id, p.level) for p in late.leads] == [
            (i, "overdue") for i in [*mine, theirs]
        ]
        assert late.leads[0].hours_waiting == 25.0
        team.clock.advance(hours=24)
        assert {p.level for p in desk.handoff.pending().leads} == {"escalated"}
    with team.desk("rep1") as desk:
        assert [p.lead_id for p in desk.handoff.pending().leads] == mine
    with team.desk("sales1") as desk:
        desk.handoff.import_feedback(
            write_feedback(tmp_path / "fb.csv", [f"{mine[0]},accepted,006A,,,,"])
        )
        after = desk.handoff.pending()
    assert [p.lead_id for p in after.leads] == [mine[1], theirs]
    assert (after.accepted, after.rejected) == (1, 0)


def test_windows_come_from_the_published_definition(team: Team, out_dir: Path) -> None:
    text = default_definition_path("bant").read_text(encoding="utf-8")
    text = text.replace("sales_followup_hours = 24", "sales_followup_hours = 4")
    text = text.replace("sales_escalation_hours = 48", "sales_escalation_hours = 8")
    with team.store.transaction() as session:
        definition_versions.publish(
            session, text, source="fast.toml", at=team.clock(), actor_id=None
        )
    lead = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
        team.clock.advance(hours=5)
        report = desk.handoff.pending()
    assert (report.followup_hours, report.escalation_hours) == (4, 8)
    assert [(p.lead_id, p.level) for p in report.leads] == [(lead, "overdue")]


def test_sales_work_list_holds_every_unanswered_hand_off_and_takes_one_answer(
    team: Team, out_dir: Path
) -> None:
    first, second = team.qualified_lead("rep1"), team.qualified_lead("rep2")
    with team.desk("lead1") as desk:
        desk.handoff.export(out_dir, team=True)
    team.clock.advance(hours=30)
    third = team.qualified_lead("rep1")
    with team.desk("lead1") as desk:
        desk.handoff.export(out_dir, team=True)
    team.clock.advance(hours=1)
    with team.desk("sales1") as desk:
        listed = desk.handoff.pending(everything=True)
        assert [(p.lead_id, p.level) for p in listed.leads] == [
            (first, "overdue"),
            (second, "overdue"),
            (third, "waiting"),
        ]
        assert (listed.late, listed.waiting_within_window) == (2, 1)
        with pytest.raises(InputError, match=r"^an accepted lead needs") as refused:
            decision_from_form({"lead_id": str(first), "decision": "accepted"})
        assert refused.value.field == "opportunity_id"
        with pytest.raises(InputError, match=r"^'maybe' is not one of") as refused:
            desk.handoff.record_decision(
                decision_from_form(
                    {"lead_id": str(first), "decision": "rejected", "reason": "maybe"}
                )
            )
        assert refused.value.field == "reason"
        taken = decision_from_form(
            {"lead_id": str(first), "decision": "accepted", "opportunity_id": " 006B ", "owner": ""}
        )
        assert desk.handoff.record_decision(taken) is True
        refused = decision_from_form(
            {"lead_id": str(second), "decision": "rejected", "reason": "bad_timing"}
        )
        assert desk.handoff.record_decision(refused) is True
        assert [p.lead_id for p in desk.handoff.pending(everything=True).leads] == [third]
        record = desk.handoff.record(third)
        assert record.lead_id == third and record.qualified_by == "rep1" and record.summary
    with team.desk("rep1") as desk:
        with pytest.raises(NotPermitted):
            desk.handoff.record_decision(taken)
        assert desk.handoff.record(third).lead_id == third  # their own
        with pytest.raises(NotPermitted):
            desk.handoff.record(second)  # qualified by rep2
    fresh = team.qualified_lead("rep1")
    with team.desk("sales1") as desk, pytest.raises(InputError, match="not been handed off"):
        desk.handoff.record(fresh)

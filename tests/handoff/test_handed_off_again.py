"""A lead sales sent back to the rep for another try can be handed off again: the second
hand-off is one of its own (its own batch, waiting for an answer of its own), and sales' first
answer stays on the lead's file, in the reports and in the journal."""

from __future__ import annotations

from pathlib import Path

from handoff_helpers import Team, write_feedback
from sqlalchemy import select
from test_sales_answer_routes import handed_off, publish_team_definition, reject

from leaddesk.domain import CallOutcome, SalesDecision, Stage, Verdict
from leaddesk.handoff import Decision
from leaddesk.store.models import SalesFeedback


def answers(team: Team, lead_id: int) -> list[tuple[str, int | None]]:
    with team.store.reading() as session:
        rows = session.scalars(
            select(SalesFeedback).where(SalesFeedback.lead_id == lead_id).order_by(SalesFeedback.id)
        )
        return [(row.decision.value, row.batch_id) for row in rows]


def sent_back_and_qualified_again(team: Team, out_dir: Path) -> tuple[int, int, int]:
    """A lead handed off, rejected "wrong person" back to rep1, called and handed off again;
    returns the lead, its first batch and the second hand-off's verdict."""
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir / "first", 1)
    first_batch = team.lead(lead_id).handoff_batch_id
    assert first_batch is not None
    reject(team, lead_id, "wrong_person", "Ada left; ask for her successor")
    team.clock.advance(hours=2)
    with team.desk("rep1") as desk:
        desk.calls.log(lead_id, CallOutcome.CONNECTED)
        again = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    return lead_id, first_batch, again.id


def test_a_lead_sent_back_to_the_rep_is_handed_off_again_and_answered_again(
    team: Team, out_dir: Path
) -> None:
    lead_id, first_batch, _verdict = sent_back_and_qualified_again(team, out_dir)
    lead = team.lead(lead_id)
    assert (lead.stage, lead.handoff_batch_id) == (Stage.QUALIFIED, None)
    with team.desk("rep1") as desk:
        second = desk.handoff.export(out_dir / "second")
    assert second.new_batch is not None and second.new_batch.lead_ids == (lead_id,)
    lead = team.lead(lead_id)
    assert lead.stage is Stage.HANDED_OFF
    assert lead.handoff_batch_id not in (None, first_batch)
    with team.desk("lead1") as desk:
        waiting = [row.lead_id for row in desk.handoff.pending(everything=True).leads]
    assert lead_id in waiting  # the first answer does not answer the second hand-off
    with team.desk("sales1") as desk:
        decision = Decision(lead_id, SalesDecision.ACCEPTED, opportunity_id="006000000000042")
        assert desk.handoff.record_decision(decision) is True
    assert answers(team, lead_id) == [
        ("rejected", first_batch),
        ("accepted", lead.handoff_batch_id),
    ]
    assert team.lead(lead_id).stage is Stage.ACCEPTED
    with team.desk("rep1") as desk:
        file = desk.queue.lead_file(lead_id)
        [mine] = [row for row in desk.handoff.mine().leads if row.lead_id == lead_id]
    said = [entry.text for entry in file.timeline if entry.kind == "feedback"]
    assert len(said) == 2 and "Ada left" in said[1] and "006000000000042" in said[0]
    assert mine.status == "accepted"


def test_undoing_the_second_hand_off_puts_the_lead_back_with_sales_first_answer(
    team: Team, out_dir: Path
) -> None:
    lead_id, first_batch, verdict_id = sent_back_and_qualified_again(team, out_dir)
    with team.desk("rep1") as desk:
        desk.qualifying.undo_verdict(verdict_id)
        file = desk.queue.lead_file(lead_id)
    lead = team.lead(lead_id)
    assert (lead.stage, lead.handoff_batch_id) == (Stage.IN_QUALIFICATION, first_batch)
    assert file.sales_answer is not None and "Ada left" in file.sales_answer


def test_the_first_feedback_file_again_does_not_answer_the_second_hand_off(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir / "first", 1)
    first = write_feedback(tmp_path / "fb.csv", [f"{lead_id},rejected,,,,wrong_person,Try Bo"])
    with team.desk("sales1") as desk:
        assert desk.handoff.import_feedback(first).rejected == [lead_id]
    with team.desk("rep1") as desk:
        desk.calls.log(lead_id, CallOutcome.CONNECTED)
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
        desk.handoff.export(out_dir / "second")
    with team.desk("sales1") as desk:
        again = desk.handoff.import_feedback(first)
    assert (again.rejected, again.unchanged) == ([], [lead_id])
    assert team.lead(lead_id).stage is Stage.HANDED_OFF
    assert len(answers(team, lead_id)) == 1

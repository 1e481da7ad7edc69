"""Sales' answer in front of the rep (issue #19): the reject reasons are the definition's and
route the lead as it says; the rep who qualified it reads the answer on the lead's file and in
My hand-offs; stages are said in the definition's words."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from handoff_helpers import Team, write_feedback

from leaddesk.definition import DEFAULT_REJECT_REASONS, default_definition_path, load_definition
from leaddesk.domain import CallOutcome, SalesDecision, Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.files.resources import resource_path
from leaddesk.handoff import Decision
from leaddesk.store.models import Lead, SalesFeedback
from tests.cli_in_process import RunCli

REASONS = """
[reject_reasons.too_small]
label = "Too small for us"
route = "marketing"

[reject_reasons.wrong_person]
label = "Wrong person"
route = "rep"

[reject_reasons.bad_timing]
label = "Bad timing"
route = "nurture"
recycle_days = 30
"""


def team_definition() -> str:
    """The shipped BANT with the team's own reject reasons and its own name for qualified."""
    text = default_definition_path().read_text(encoding="utf-8")
    text = text[: text.index("# Why sales may reject a lead")] + REASONS
    return text.replace('label = "Sales-qualified (SQL)"', 'label = "Basic Qualified Lead"')


def publish_team_definition(team: Team) -> None:
    with team.desk("lead1") as desk:
        desk.qualifying.publish_definition(team_definition(), "team.toml", note="our reasons")


def handed_off(team: Team, out_dir: Path, count: int, rep: str = "rep1") -> list[int]:
    ids = [team.qualified_lead(rep) for _ in range(count)]
    with team.desk(rep) as desk:
        desk.handoff.export(out_dir)
    team.clock.advance(hours=3)
    return ids


def reject(team: Team, lead_id: int, reason: str, comment: str | None = None) -> None:
    with team.desk("sales1") as desk:
        decision = Decision(lead_id, SalesDecision.REJECTED, reason=reason, comment=comment)
        assert desk.handoff.record_decision(decision) is True


def answer_row(team: Team, lead_id: int) -> SalesFeedback:
    with team.store.reading() as session:
        found = session.query(SalesFeedback).filter_by(lead_id=lead_id).one()
        session.expunge(found)
        return found


def test_a_reason_routed_to_nurture_comes_back_on_its_recycle_date(
    team: Team, out_dir: Path
) -> None:
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir, 1)
    answered_at = team.clock()
    reject(team, lead_id, "bad_timing", "Budget round closes in March")
    assert team.lead(lead_id).stage is Stage.NURTURE
    answer = answer_row(team, lead_id)
    assert (answer.route, answer.recycle_at) == ("nurture", answered_at + timedelta(days=30))
    with team.desk("lead1") as desk:
        assert desk.team.sweep().recycled == ()  # not due yet
        team.clock.advance(days=30, minutes=1)
        [back] = desk.team.sweep().recycled
    assert back.nurtured_lead_id == lead_id and back.new_lead_id is not None
    new = team.lead(back.new_lead_id)
    assert new.stage is Stage.NEW and new.assigned_to_id == team.ids["rep1"]
    assert new.inquiry == "Back from nurture: sales said bad timing"


def test_a_reason_routed_to_the_rep_puts_the_lead_back_in_their_queue(
    team: Team, out_dir: Path
) -> None:
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir, 1)
    reject(team, lead_id, "Wrong person", "Ada left; ask for her successor")  # by its label
    lead = team.lead(lead_id)
    assert lead.stage is Stage.WORKING and lead.closed_at is None
    assert lead.assigned_to_id == team.ids["rep1"]
    assert answer_row(team, lead_id).route == "rep"
    with team.desk("rep1") as desk:
        assert lead_id in [row.lead_id for row in desk.queue.page(limit=50)]
        # The rep tries again: a call, and this time a verdict of their own.
        desk.calls.log(lead_id, CallOutcome.CONNECTED)
        desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "Successor starts in January")
    assert team.lead(lead_id).stage is Stage.NURTURE


def test_a_reason_routed_to_marketing_ends_the_lead_as_rejected(team: Team, out_dir: Path) -> None:
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir, 1)
    reject(team, lead_id, "too_small")
    lead = team.lead(lead_id)
    assert lead.stage is Stage.REJECTED and lead.closed_at == team.clock()
    assert (answer_row(team, lead_id).route, answer_row(team, lead_id).recycle_at) == (
        "marketing",
        None,
    )


def test_a_reason_the_definition_does_not_list_is_refused_naming_its_reasons(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    publish_team_definition(team)
    a, b = handed_off(team, out_dir, 2)
    with team.desk("sales1") as desk:
        with pytest.raises(InputError, match="'no_budget' is not one of") as refused:
            desk.handoff.record_decision(Decision(a, SalesDecision.REJECTED, reason="no_budget"))
        assert refused.value.field == "reason"
        assert "too_small, wrong_person, bad_timing" in str(refused.value)
        assert [r.key for r in desk.handoff.reject_reasons()] == [
            "too_small",
            "wrong_person",
            "bad_timing",
        ]
        report = desk.handoff.import_feedback(
            write_feedback(tmp_path / "fb.csv", [f"{b},rejected,,,,no_budget,"])
        )
    assert [(p.row, p.field) for p in report.problems] == [(2, "reason")]
    assert team.lead(a).stage is Stage.HANDED_OFF and team.lead(b).stage is Stage.HANDED_OFF


def test_the_default_reasons_include_the_definition_and_the_wrong_person() -> None:
    shipped = load_definition(default_definition_path()).reject_reasons
    labels = {reason.label for reason in shipped}
    assert {"Does not meet the definition", "Wrong person"} <= labels
    assert {r.key for r in DEFAULT_REJECT_REASONS} == {r.key for r in shipped}


def test_the_rep_reads_sales_comment_in_my_handoffs_and_on_the_leads_file(
    team: Team, out_dir: Path
) -> None:
    publish_team_definition(team)
    waiting, taken, refused = handed_off(team, out_dir, 3)
    theirs = handed_off(team, out_dir, 1, rep="rep2")[0]
    with team.desk("rep1") as desk:
        mark = desk.handoff.answers_mark()
    with team.desk("sales1") as desk:
        desk.handoff.record_decision(
            Decision(taken, SalesDecision.ACCEPTED, "006OPP1", owner="Dana Reyes")
        )
    reject(team, refused, "bad_timing", "Call again after their budget round")
    reject(team, theirs, "too_small")
    with team.desk("rep1") as desk:
        mine = desk.handoff.mine()
        news, _later = desk.handoff.answers_since(mark)
        file = desk.queue.lead_file(refused)
        rejected_only = desk.handoff.mine(status="rejected")
    by_id = {lead.lead_id: lead for lead in mine.leads}
    assert set(by_id) == {waiting, taken, refused}  # rep2's hand-off is not theirs
    assert (mine.count("waiting"), mine.count("accepted"), mine.count("rejected")) == (1, 1, 1)
    assert by_id[waiting].status == "waiting" and by_id[waiting].answered_at is None
    assert by_id[taken].opportunity_id == "006OPP1" and by_id[taken].answered_by == "Sales1"
    said = by_id[refused]
    assert (said.status, said.reason, said.comment) == (
        "rejected",
        "Bad timing",
        "Call again after their budget round",
    )
    assert said.went == "back to nurture" and said.answered_at == team.clock()
    assert said.stage == "Nurture"
    assert [lead.lead_id for lead in rejected_only.leads] == [refused]
    assert [lead.lead_id for lead in news] == [taken, refused]
    assert file.sales_answer is not None
    assert file.sales_answer.startswith("Sales rejected: Bad timing (back to nurture")
    assert file.sales_answer.endswith("— Call again after their budget round")
    [entry] = [e for e in file.timeline if e.kind == "feedback"]
    assert entry.who == "Sales1" and entry.text == file.sales_answer


def test_handoff_mine_prints_the_answer_and_its_json(
    team: Team, out_dir: Path, run_cli: RunCli
) -> None:
    [lead_id] = handed_off(team, out_dir, 1)
    reject(team, lead_id, "wrong_person", "Ada moved to another company")
    code, out, err = run_cli("handoff", "mine", "--as", "rep1", db=team.location)
    assert code == 0, err
    assert f"#{lead_id}" in out
    assert "Rejected: Wrong person (back to the rep for another try)" in out
    assert "Ada moved to another company" in out and "Answered by Sales1" in out
    code, out, err = run_cli("handoff", "mine", "--as", "rep1", "--json", db=team.location)
    data = json.loads(out)
    assert data["counts"] == {"waiting": 0, "accepted": 0, "rejected": 1}
    [lead] = data["leads"]
    assert (lead["reason"], lead["comment"], lead["answered_by"]) == (
        "Wrong person",
        "Ada moved to another company",
        "Sales1",
    )
    code, out, err = run_cli("handoff", "mine", "--as", "rep2", db=team.location)
    assert code == 0 and "No hand-offs of yours yet" in out


def test_stages_show_in_the_definitions_words_on_the_file_lead_and_the_export(
    team: Team, out_dir: Path, run_cli: RunCli
) -> None:
    publish_team_definition(team)
    lead_id = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        assert desk.queue.lead_file(lead_id).stage_label == "Basic Qualified Lead"
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    code, out, err = run_cli("lead", str(lead_id), "--as", "rep1", db=team.location)
    assert code == 0, err
    assert "Stage: Handed to sales" in out and "handed_off" not in out
    assert "Verdict: Hand off to sales → Basic Qualified Lead" in out
    [jsonl] = [path for path in batch.paths if str(path).endswith(".jsonl")]
    record = json.loads(Path(jsonl).read_text(encoding="utf-8").splitlines()[0])
    assert record["qualification"]["stage"] == "Basic Qualified Lead"
    assert record["qualification"]["lead_type_label"] == "Sales-worthy"


def test_an_answer_recorded_before_routes_existed_still_reads(team: Team, out_dir: Path) -> None:
    [lead_id] = handed_off(team, out_dir, 1)
    reject(team, lead_id, "duplicate")
    with team.store.transaction() as session:  # as a store upgraded from 0012 holds it
        answer = session.query(SalesFeedback).filter_by(lead_id=lead_id).one()
        answer.route = None
        answer.reason = "reason_gone_from_the_definition"
    with team.desk("rep1") as desk:
        [lead] = desk.handoff.mine().leads
        file = desk.queue.lead_file(lead_id)
    assert lead.reason == "reason gone from the definition" and lead.went is None
    assert file.sales_answer == "Sales rejected: reason gone from the definition"
    assert team.lead(lead_id).stage is Stage.REJECTED


def test_reports_count_a_routed_rejection_as_handed_off_and_rejected_in_the_definitions_words(
    team: Team, out_dir: Path
) -> None:
    publish_team_definition(team)
    back_to_nurture, back_to_rep = handed_off(team, out_dir, 2)
    reject(team, back_to_nurture, "bad_timing")
    reject(team, back_to_rep, "wrong_person")
    with team.desk("lead1") as desk:
        funnel = {step.step: step for step in desk.team.report("funnel").items}
        [source] = desk.team.report("sources").items
    assert funnel["qualified"].label == "Basic Qualified Lead"
    assert (funnel["qualified"].leads, funnel["handed_off"].leads) == (2, 2)
    assert (source.qualified, source.rejected_by_sales, source.nurture) == (2, 2, 0)
    assert dict(source.rejection_reasons) == {"Bad timing": 1, "Wrong person": 1}


def _with_ids(sample: str, ids: list[int], to: Path) -> Path:
    """The shipped sample with its LeadDesk ids 1, 2, 3 pointing at this store's leads."""
    text = resource_path("samples", sample).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("LeadDesk Lead ID")
    for row in rows[1:]:
        row[column] = str(ids[int(row[column]) - 1])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    to.write_text(buffer.getvalue(), encoding="utf-8")
    return to


def test_a_salesforce_converted_leads_report_is_read_as_sales_answers(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    ids = handed_off(team, out_dir, 3)
    file = _with_ids("salesforce_converted_leads.csv", ids, tmp_path / "report.csv")
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(file)
    assert (report.accepted, report.rejected, report.problems) == ([ids[0]], [ids[1]], [])
    assert team.lead(ids[1]).stage is Stage.NURTURE  # bad timing, as the definition routes it
    assert team.lead(ids[2]).stage is Stage.HANDED_OFF  # still being worked in Salesforce
    with team.desk("rep1") as desk:
        by_id = {lead.lead_id: lead for lead in desk.handoff.mine().leads}
    assert by_id[ids[0]].opportunity_id == "0065g00000Xy12AAAB"
    assert by_id[ids[0]].answer == "Accepted: opportunity 0065g00000Xy12AAAB"


def test_hubspot_deals_and_leads_exports_are_read_as_sales_answers(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    ids = handed_off(team, out_dir, 3)
    deals = _with_ids("hubspot_deals.csv", ids, tmp_path / "deals.csv")
    leads = _with_ids("hubspot_leads.csv", ids, tmp_path / "leads.csv")
    with team.desk("sales1") as desk:
        assert desk.handoff.import_feedback(deals).accepted == [ids[0]]
        assert desk.handoff.import_feedback(leads).rejected == [ids[1]]
        assert desk.handoff.import_feedback(leads).applied == 0  # again: nothing changes
    assert team.lead(ids[1]).stage is Stage.WORKING  # wrong person: back to the rep
    with team.desk("rep1") as desk:
        by_id = {lead.lead_id: lead for lead in desk.handoff.mine().leads}
    assert by_id[ids[0]].opportunity_id == "18234560011"
    assert by_id[ids[1]].comment == "Grace moved on; ask for the new CTO"
    assert by_id[ids[2]].status == "waiting"


def test_a_crm_row_without_its_leaddesk_id_is_named_and_not_applied(
    team: Team, out_dir: Path, tmp_path: Path
) -> None:
    [lead_id] = handed_off(team, out_dir, 1)
    file = tmp_path / "deals.csv"
    file.write_text(
        "Record ID,Deal Name,Deal Stage,LeadDesk Lead ID\n"
        f"101,A deal,Appointment Scheduled,{lead_id}\n"
        "102,Someone else's deal,Qualified To Buy,\n",
        encoding="utf-8",
    )
    with team.desk("sales1") as desk:
        report = desk.handoff.import_feedback(file)
    assert report.accepted == [lead_id]
    assert [(p.row, p.field) for p in report.problems] == [(3, "lead_id")]


def test_the_feedback_template_names_the_teams_reasons_and_its_rows_import(
    team: Team, out_dir: Path, run_cli: RunCli
) -> None:
    shipped = [reason.key for reason in DEFAULT_REJECT_REASONS]
    code, out, _ = run_cli("handoff", "template", db=team.location)
    assert code == 0 and all(key in out for key in shipped)
    assert "not_meeting_definition" in out and "wrong_person" in out
    publish_team_definition(team)
    [lead_id] = handed_off(team, out_dir, 1)
    code, out, err = run_cli("handoff", "template", "--as", "sales1", db=team.location)
    assert code == 0, err
    assert "too_small, wrong_person, bad_timing." in " ".join(
        line.lstrip("# ") for line in out.splitlines() if line.startswith("#")
    )
    assert "no_budget" not in out
    # The template, filled in with a reason it names, is a feedback file.
    filled = out_dir / "answers.csv"
    filled.write_text(out + f"{lead_id},rejected,,,,too_small,Fifty seats is below our floor,\n")
    code, _, err = run_cli("feedback", str(filled), "--as", "sales1", db=team.location)
    assert code == 0, err
    assert answer_row(team, lead_id).reason == "too_small"


def test_handoff_mine_names_the_salesperson_and_a_filtered_list_counts_only_itself(
    team: Team, out_dir: Path, run_cli: RunCli
) -> None:
    """The rep reads whom each lead went to (sales as a whole when no one was named); with
    --status the first line counts what is listed, not "0 waiting, 0 rejected" beside
    hand-offs that are waiting or rejected."""
    waiting, taken, refused = (team.qualified_lead("rep1") for _ in range(3))
    with team.store.transaction() as session:
        for lead_id in (waiting, taken):
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.sales_owner_id = team.ids["sales1"]
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
    with team.desk("sales1") as desk:
        desk.handoff.record_decision(Decision(taken, SalesDecision.ACCEPTED, "006OPP7"))
    reject(team, refused, "bad_timing", "After the budget round")
    with team.desk("rep1") as desk:
        owners = {lead.lead_id: lead.salesperson for lead in desk.handoff.mine().leads}
    assert owners == {waiting: "Sales1", taken: "Sales1", refused: None}
    code, out, err = run_cli(
        "handoff", "mine", "--as", "rep1", "--status", "accepted", db=team.location
    )
    assert code == 0, err
    assert out.splitlines()[0] == "1 accepted hand-off of rep1."
    assert "Handed off to Sales1 " in out and "006OPP7" in out
    code, out, err = run_cli("handoff", "mine", "--as", "rep1", db=team.location)
    assert out.splitlines()[0] == "3 hand-offs of rep1: 1 waiting, 1 accepted, 1 rejected."
    assert out.count("Handed off to Sales1 ") == 2 and out.count("Handed off to sales ") == 1

"""The end-of-day batch: what is in it, whose leads, inert cells, and a manifest that verifies."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from handoff_helpers import Team, files_in
from openpyxl import load_workbook
from sqlalchemy import func, select

from leaddesk.domain import Stage, Verdict
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.handoff import HandoffCancelled, verify_batch
from leaddesk.handoff.render import SALESFORCE_COLUMNS
from leaddesk.store.models import AuditEvent, HandoffBatch, Lead, StoreIdentity


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_batch_holds_the_reps_own_waiting_leads_in_crm_columns(team: Team, out_dir: Path) -> None:
    mine = [team.qualified_lead("rep1"), team.qualified_lead("rep1", first="Grace")]
    theirs = team.qualified_lead("rep2")
    team.qualified_lead("rep1", latest=Verdict.NURTURE)  # verdict changed: not for sales

    with team.desk("rep1") as desk:
        result = desk.handoff.export(out_dir)
    batch = result.new_batch
    assert batch is not None
    assert batch.lead_ids == tuple(mine)
    with team.store.reading() as session:
        store = session.scalars(select(StoreIdentity.code)).one()
    assert batch.code == f"handoff-20261118-rep1-{store}-{batch.batch_id}"
    assert files_in(out_dir) == sorted(
        [f"{batch.code}.csv", f"{batch.code}.jsonl", "manifest.json"]
    )

    rows = read_csv(batch.folder / f"{batch.code}.csv")
    assert list(rows[0])[: len(SALESFORCE_COLUMNS)] == list(SALESFORCE_COLUMNS)
    assert [int(r["LeadDesk Lead ID"]) for r in rows] == mine
    first = rows[0]
    assert first["Status"] == "Qualified"
    assert first["Company"] == "Analytical Engines Ltd"
    assert first["Qualified By"] == "rep1"
    assert first["Qualified At"] == "2026-11-18T13:00:00Z"
    assert first["Lead Definition Version"] == "1"
    assert first["Budget"] == "Yes, approved; USD 50000"
    assert first["Authority"] == "They sign off themselves"
    assert first["Timeline"] == "Within 3 months"
    assert (first["Fit Score"], first["Interest Score"]) == ("72", "80")
    assert "Meets BANT" in first["Qualification Summary"]
    assert "\n" not in first["Qualification Summary"]
    assert not any("opportunit" in column.lower() for column in rows[0])

    lines = (batch.folder / f"{batch.code}.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["lead_id"] for r in records] == mine
    assert records[0]["answers"]["budget_status"] == "approved"
    assert records[0]["notes"][0]["text"] == "Wants a call on Thursday"
    assert records[0]["calls"]["count"] == 1
    assert records[0]["source"]["source"] == "web_form"

    manifest = json.loads((batch.folder / "manifest.json").read_text())
    assert manifest["counts"]["leads"] == 2
    assert manifest["created_by"] == "rep1"
    assert manifest["definition_version"] == 1
    assert set(manifest["files"]) == {f"{batch.code}.csv", f"{batch.code}.jsonl"}
    assert verify_batch(batch.folder).ok

    assert {team.lead(i).stage for i in mine} == {Stage.HANDED_OFF}
    assert team.lead(theirs).stage is Stage.QUALIFIED
    assert team.lead(theirs).handoff_batch_id is None
    with team.store.reading() as session:
        handed = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "handed_off")
        )
    assert handed == 2


def test_second_export_finds_nothing(team: Team, out_dir: Path) -> None:
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        assert desk.handoff.export(out_dir).new_batch is not None
        again = desk.handoff.export(out_dir)
    assert again.nothing_to_hand_off


def test_a_lead_in_a_batch_keeps_its_verdict(team: Team, out_dir: Path) -> None:
    lead_id = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
        assert batch is not None and lead_id in batch.lead_ids
        with pytest.raises(Conflict, match="already closed"):
            desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY, reason="changed my mind")
        with pytest.raises(Conflict):
            desk.qualifying.answer(lead_id, {"budget": "none"})
        assert desk.qualifying.verdict_history(lead_id)[-1].verdict.verdict is Verdict.HAND_OFF
    with team.store.reading() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.handoff_batch_id == batch.batch_id


def test_team_lead_exports_the_team_and_reps_cannot(team: Team, out_dir: Path) -> None:
    ids = [team.qualified_lead("rep1"), team.qualified_lead("rep2")]
    with team.desk("rep1") as desk, pytest.raises(NotPermitted):
        desk.handoff.export(out_dir, team=True)
    with team.desk("lead1") as desk:
        preview = desk.handoff.preview(team=True)
        assert [p.lead_id for p in preview.leads] == ids
        batch = desk.handoff.export(out_dir, team=True).new_batch
    assert batch is not None and batch.lead_ids == tuple(ids)
    with team.store.reading() as session:
        row = session.get(HandoffBatch, batch.batch_id)
        assert row is not None and row.scope == "team"


def test_sales_cannot_export(team: Team, out_dir: Path) -> None:
    team.qualified_lead("rep1")
    with team.desk("sales1") as desk, pytest.raises(NotPermitted):
        desk.handoff.export(out_dir)


def test_last_name_and_company_are_never_empty(team: Team, out_dir: Path) -> None:
    team.qualified_lead("rep1", first="Cher", last="", company=None, email="cher@studio.example")
    team.qualified_lead("rep1", first="", last="", company=None, email="")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    rows = read_csv(batch.folder / f"{batch.code}.csv")
    assert [(r["FirstName"], r["LastName"], r["Company"]) for r in rows] == [
        ("", "Cher", "studio.example"),
        ("", "Unknown", "Not provided"),
    ]


HOSTILE = '=HYPERLINK("http://evil.example","x")'


def test_no_cell_can_start_a_formula_in_csv_or_xlsx(team: Team, out_dir: Path) -> None:
    team.qualified_lead(
        "rep1",
        first=HOSTILE,
        last="+SUM(1,2)",
        company="@cmd|' /C calc'!A0",
        title="-2+3",
        phone="+4915112345678",
        answers={"current_process": "\t=1+1", "budget_status": "approved"},
    )
    team.qualified_lead("rep1", phone="=1+2")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir, xlsx=True).new_batch
    assert batch is not None
    rows = read_csv(batch.folder / f"{batch.code}.csv")
    assert rows[0]["FirstName"] == "'" + HOSTILE
    assert rows[0]["LastName"] == "'+SUM(1,2)"
    assert rows[0]["Company"].startswith("'@")
    assert rows[0]["Title"] == "'-2+3"
    assert rows[0]["Phone"] == "+4915112345678"  # a plain number stays dialable
    assert rows[0]["MobilePhone"] == "+4915112345678"
    assert rows[1]["Phone"] == "'=1+2"
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "-", "@", "\t", "\r", "\n")), column
            if column not in ("Phone", "MobilePhone"):
                assert not cell.startswith("+"), column

    book = load_workbook(batch.folder / f"{batch.code}.xlsx")
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + HOSTILE in [cell.value for cell in cells]
    assert verify_batch(batch.folder).ok


def test_lost_files_are_written_again_identically(team: Team, out_dir: Path) -> None:
    team.qualified_lead("rep1")
    team.qualified_lead("rep1", first="Grace")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir, xlsx=True).new_batch
        assert batch is not None
        original = {p.name: p.read_bytes() for p in batch.paths}
        for path in batch.paths:
            path.unlink()
        team.clock.advance(days=3)
        again = desk.handoff.rewrite(batch.code)
    assert again.same_as_before
    assert again.files == batch.files
    assert {p.name: p.read_bytes() for p in again.paths} == original
    assert verify_batch(again.folder).ok


def test_verify_reports_a_changed_missing_or_half_written_file(team: Team, out_dir: Path) -> None:
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    csv_path = batch.folder / f"{batch.code}.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"Ada", b"=Ad"))
    (batch.folder / f"{batch.code}.jsonl").unlink()
    (batch.folder / f".{batch.code}.csv.abc.tmp").write_text("half")
    problems = verify_batch(batch.folder).problems
    assert any("csv: changed since export" in p for p in problems)
    assert any("jsonl: missing" in p for p in problems)
    assert any("interrupted write" in p for p in problems)


@pytest.mark.parametrize(
    ("manifest", "says"),
    [
        ("{not json", "not JSON (line 1), so not a LeadDesk handoff manifest"),
        ("[1, 2, 3]", "no list of files with a lead count"),
        ('{"files": {"a.csv": "abc"}, "counts": {"leads": 1}}', "a.csv is listed without"),
        ('{"files": {"../x.csv": {"sha256": "0"}}, "counts": {"leads": 1}}', "not a plain file"),
        ('{"files": {}, "counts": {"leads": 1}, "lead_ids": ["7"]}', "not a list of lead numbers"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
    ids=["not-json", "a-list", "no-digest", "outside-the-folder", "lead-ids", "too-deep"],
)
def test_a_manifest_that_is_not_one_is_reported_in_words(
    tmp_path: Path, manifest: str, says: str
) -> None:
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    report = verify_batch(tmp_path)
    assert not report.ok
    assert [problem for problem in report.problems if says in problem]
    assert not any("list indices" in p or "KeyError" in p for p in report.problems)


def test_preview_progress_and_cancel(team: Team, out_dir: Path) -> None:
    ids = [team.qualified_lead("rep1") for _ in range(3)]
    steps: list[tuple[int, int, str]] = []
    with team.desk("rep1") as desk:
        assert [p.lead_id for p in desk.handoff.preview().leads] == ids
        with pytest.raises(HandoffCancelled):
            desk.handoff.export(
                out_dir,
                progress=lambda done, total, step: steps.append((done, total, step)),
                cancelled=lambda: any(step == "writing" for *_, step in steps),
            )
        assert files_in(out_dir) == []
        assert [p.lead_id for p in desk.handoff.preview().leads] == ids
        assert {team.lead(i).handoff_batch_id for i in ids} == {None}
        steps.clear()
        batch = desk.handoff.export(
            out_dir, progress=lambda done, total, step: steps.append((done, total, step))
        ).new_batch
    assert batch is not None and batch.lead_ids == tuple(ids)
    assert (3, 3, "reading") in steps
    assert steps[-1] == (3, 3, "writing")

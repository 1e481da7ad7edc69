"""The handoff commands as a script runs them: exit codes, paths, JSON, one-line refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.store import open_store
from leaddesk.store.models import HandoffBatch, Lead, SalesFeedback, User
from tests.cli_in_process import RunCli


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = open_store(path)
    try:
        fill_demo(store, leads=1500, reps=3, now=datetime(2026, 11, 18, 15, tzinfo=UTC))
    finally:
        store.close()
    return path


def test_fresh_demo_has_work_for_every_rep_and_answered_batches(demo_store: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 18, 15, tzinfo=UTC))
    store = open_store(demo_store)
    with store.reading() as session:
        reps = session.scalars(select(User.name).where(User.role == "qualifier")).all()
        answered_batches = session.scalar(
            select(func.count(func.distinct(Lead.handoff_batch_id)))
            .select_from(SalesFeedback)
            .join(Lead, Lead.id == SalesFeedback.lead_id)
        )
        batches = session.scalar(select(func.count()).select_from(HandoffBatch))
    store.close()
    assert batches and 0 < answered_batches < batches  # some answered, some still waiting
    for rep in reps:
        with open_desk(demo_store, rep, clock=clock) as desk:
            assert desk.handoff.preview().count >= 2, rep


def test_export_verify_feedback_and_pending_end_to_end(
    demo_store: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo_store.read_bytes())
    out = tmp_path / "out"

    exported = run_cli("export", "--as", "rep1", "--out", str(out), "--xlsx", db=db)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("Handed off: batch handoff-")
    folder = next(out.iterdir())
    assert str(folder / "manifest.json") in exported.stdout

    nothing = run_cli("export", "--as", "rep1", "--out", str(out), db=db)
    assert nothing.returncode == 0 and "Nothing to hand off" in nothing.stdout

    verified = run_cli("verify-handoff", str(folder), "--json", db=db)
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"] is True

    team = json.loads(
        run_cli("export", "--as", "lead1", "--team", "--out", str(out), "--json", db=db).stdout
    )
    assert team["batches"] and not team["nothing_to_hand_off"]

    manifest = json.loads((folder / "manifest.json").read_text())
    first, second = manifest["lead_ids"][:2]
    feedback = tmp_path / "fb.csv"
    feedback.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        f"{first},accepted,006XYZ,Dana Reyes,2026-11-18,,\n"
        f"{second},rejected,,,,bad_timing,Call again in spring\n"
        "424242,accepted,006NOPE,,,,\n"
    )
    shown = run_cli("handoff", "show", str(first), "--as", "sales1", db=db)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"Lead {first}: ") and "qualified this lead on" in shown.stdout
    as_json = json.loads(
        run_cli("handoff", "show", str(first), "--as", "sales1", "--json", db=db).stdout
    )
    assert as_json["lead_id"] == first and as_json["qualified_by"] == "rep1"
    assert run_cli("handoff", "show", str(first), "--as", "rep2", db=db).returncode == 3
    everything = json.loads(
        run_cli("handoff", "pending", "--all", "--as", "sales1", "--json", db=db).stdout
    )
    assert first in [lead["lead_id"] for lead in everything["leads"]]

    # A file none of whose rows can be recorded is bad input as a whole: exit 2, nothing kept.
    unusable = tmp_path / "unusable.csv"
    unusable.write_text(
        "lead_id,decision,opportunity_id,owner,date,reason,comment\n"
        "424242,accepted,006NOPE,,,,\n"
        f"{first},accepted,006XYZ,Dana Reyes,2026-11-180,,\n",
        encoding="utf-8",
    )
    refused = run_cli("feedback", str(unusable), "--as", "sales1", db=db)
    assert refused.returncode == 2, refused.stdout
    assert "0 decisions recorded" in refused.stdout and "Not applied (2):" in refused.stdout
    recorded = run_cli("feedback", str(feedback), "--as", "sales1", "--json", db=db)
    assert recorded.returncode == 0, recorded.stderr
    report = json.loads(recorded.stdout)
    assert (report["accepted"], report["rejected"]) == ([first], [second])
    assert [(p["row"], p["kind"]) for p in report["problems"]] == [(4, "unknown_lead")]

    again = run_cli("feedback", str(feedback), "--as", "sales1", db=db)
    assert again.stdout.splitlines()[:2] == [
        f"{feedback}: 0 decisions recorded (0 accepted, 0 rejected); 2 already recorded.",
        "Not applied (1):",
    ]

    pending = run_cli("handoff", "pending", "--as", "lead1", "--json", db=db)
    assert pending.returncode == 0, pending.stderr
    assert json.loads(pending.stdout)["counts"]["escalated"] > 0
    text = run_cli("handoff", "pending", "--as", "rep1", db=db)
    assert text.returncode == 0 and text.stdout.startswith("Sales owes an answer on")

    (folder / "manifest.json").write_text(
        (folder / "manifest.json").read_text().replace('"leads": ', '"leads": 1')
    )
    broken = run_cli("verify-handoff", str(folder), db=db)
    assert broken.returncode == 2 and "rows, manifest says" in broken.stdout
    assert broken.stdout.startswith(f"{folder}: 3 problems:\n")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["export", "--as", "rep1", "--team"], 3, "cannot export the team's handoff batch"),
        (
            ["export", "--as", "sales1"],
            3,
            "sales1 is a salesperson and cannot export handoff batches.",
        ),
        (["feedback", "missing.csv", "--as", "sales1"], 2, "cannot read it"),
        (["handoff", "rewrite", "handoff-nope", "--as", "rep1"], 2, "No handoff batch"),
    ],
)
def test_refusals_are_one_line_with_an_exit_code(
    demo_store: Path, tmp_path: Path, args: list[str], code: int, says: str, run_cli: RunCli
) -> None:
    db = tmp_path / "copy.sqlite3"
    db.write_bytes(demo_store.read_bytes())
    result = (
        run_cli(*args, "--out", str(tmp_path), db=db)
        if args[0] == "export"
        else run_cli(*args, db=db)
    )
    assert result.returncode == code, result.stderr
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1

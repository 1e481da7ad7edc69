"""A failure at any step of an export leaves no batch or a whole one; exporting again loses
and duplicates nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from handoff_helpers import Team, files_in
from sqlalchemy import select

from leaddesk.domain import Stage
from leaddesk.handoff import Scope, export, reservation, verify_batch
from leaddesk.handoff import batch_export as export_module
from leaddesk.handoff.selection import COMPLETE, WRITING, batch_status
from leaddesk.store.models import HandoffBatch, Lead


class Injected(RuntimeError):
    pass


# Every step export passes through, as (step, file suffix); "" matches any file.
STEPS = [
    ("reserve", ""),
    ("render", ""),
    ("write", ".csv"),
    ("fsync", ".csv"),
    ("write", ".jsonl"),
    ("write", ".xlsx"),
    ("fsync", "manifest.json"),
    ("rename", ".csv"),
    ("rename", ".xlsx"),
    ("rename", "manifest.json"),
    ("sync-folder", ""),
    ("complete", ""),
]


def fail_at(step: str, suffix: str):  # type: ignore[no-untyped-def]
    def checkpoint(name: str) -> None:
        kind, _, file = name.partition(":")
        if kind == step and file.endswith(suffix):
            raise Injected(name)

    return checkpoint


def batches(team: Team) -> list[HandoffBatch]:
    with team.store.reading() as session:
        return list(session.scalars(select(HandoffBatch).order_by(HandoffBatch.id)))


def run_export(team: Team, out_dir: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return export(
        team.store,
        actor_id=team.ids["rep1"],
        out_dir=out_dir,
        scope=Scope.OWN,
        xlsx=True,
        at=team.clock(),
        **kwargs,  # type: ignore[arg-type]
    )


def assert_every_lead_in_exactly_one_complete_batch(team: Team, ids: list[int]) -> None:
    rows = {lead.id: lead for lead in team.leads()}
    assert {rows[i].stage for i in ids} == {Stage.HANDED_OFF}
    found = batches(team)
    assert all(batch_status(b) == COMPLETE for b in found)
    held = Counter(rows[i].handoff_batch_id for i in ids)
    assert sum(b.lead_count for b in found) == len(ids)
    for batch in found:
        assert held[batch.id] == batch.lead_count
        assert batch.folder is not None
        assert verify_batch(Path(batch.folder)).ok, verify_batch(Path(batch.folder)).problems


@pytest.mark.parametrize(("step", "suffix"), STEPS, ids=[f"{s}{x}" for s, x in STEPS])
def test_failure_leaves_no_batch_and_the_next_export_takes_every_lead(
    team: Team, out_dir: Path, step: str, suffix: str
) -> None:
    ids = [team.qualified_lead("rep1") for _ in range(3)]
    with pytest.raises(Injected):
        run_export(team, out_dir, checkpoint=fail_at(step, suffix))
    assert batches(team) == []
    assert {(lead.stage, lead.handoff_batch_id) for lead in team.leads()} == {
        (Stage.QUALIFIED, None)
    }
    assert files_in(out_dir) == []

    result = run_export(team, out_dir)
    assert result.new_batch is not None and result.new_batch.lead_ids == tuple(ids)
    assert_every_lead_in_exactly_one_complete_batch(team, ids)


KILLED_AT = [STEPS[1], STEPS[2], STEPS[8], STEPS[9], STEPS[11]]


@pytest.mark.parametrize(("step", "suffix"), KILLED_AT, ids=[f"{s}{x}" for s, x in KILLED_AT])
def test_killed_export_is_finished_by_the_next_one(
    team: Team, out_dir: Path, monkeypatch: pytest.MonkeyPatch, step: str, suffix: str
) -> None:
    """The process dies mid-export, so nothing gets undone: the next export completes it."""
    ids = [team.qualified_lead("rep1") for _ in range(3)]
    monkeypatch.setattr(export_module, "_abandon", lambda *a, **k: None)
    with pytest.raises(Injected):
        run_export(team, out_dir, checkpoint=fail_at(step, suffix))
    monkeypatch.undo()
    [stuck] = batches(team)
    assert batch_status(stuck) == WRITING
    later = team.qualified_lead("rep1")  # qualified after the crash: goes in a new batch
    team.clock.advance(hours=1)

    result = run_export(team, out_dir)
    finished, fresh = result.batches
    assert finished.finished_earlier_run and finished.batch_id == stuck.id
    assert finished.lead_ids == tuple(ids)
    assert fresh.lead_ids == (later,)
    assert_every_lead_in_exactly_one_complete_batch(team, [*ids, later])
    leftovers = [name for name in files_in(out_dir) if name.endswith(".tmp")]
    assert leftovers == []


def test_finished_batch_has_the_files_it_would_have_had(
    team: Team, out_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Content comes from the batch row, not the clock: a late finish writes the same bytes."""
    for _ in range(2):
        team.qualified_lead("rep1")
    monkeypatch.setattr(export_module, "_abandon", lambda *a, **k: None)
    with pytest.raises(Injected):
        run_export(team, out_dir, checkpoint=fail_at("complete", ""))
    monkeypatch.undo()
    [stuck] = batches(team)
    assert stuck.folder is not None
    before = {p.name: p.read_bytes() for p in Path(stuck.folder).iterdir()}
    team.clock.advance(days=2)
    run_export(team, out_dir)
    after = {p.name: p.read_bytes() for p in Path(stuck.folder).iterdir()}
    assert after == before


def test_a_lead_another_export_took_is_not_taken_twice(
    team: Team, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reservation is a conditional update: a lead already in a batch stays there."""
    ids = [team.qualified_lead("rep1") for _ in range(2)]
    first = run_export(team, out_dir).new_batch
    assert first is not None
    more = team.qualified_lead("rep1")

    def selection_that_saw_an_old_snapshot(scope, actor_id):  # type: ignore[no-untyped-def]
        return select(Lead.id).where(Lead.id.in_([*ids, more])).order_by(Lead.id)

    monkeypatch.setattr(reservation, "waiting_leads", selection_that_saw_an_old_snapshot)
    second = run_export(team, out_dir).new_batch
    assert second is not None and second.lead_ids == (more,)
    assert_every_lead_in_exactly_one_complete_batch(team, [*ids, more])
    # The files were rendered again for the one lead taken, not for the three it saw.
    assert verify_batch(second.folder).ok
    lines = next(p for p in second.paths if p.suffix == ".jsonl").read_text().splitlines()
    assert len(lines) == 1

"""Hand-off batches of two stores never take each other's names, and an export never
replaces a file it did not write, nor writes into a folder others can change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from handoff_helpers import Team, files_in, make_team
from sqlalchemy import select

from leaddesk.admin.backup_restore import restore_backup
from leaddesk.cli import main
from leaddesk.domain import Stage
from leaddesk.errors import InputError
from leaddesk.handoff import verify_batch
from leaddesk.store import open_store
from leaddesk.store.identity import store_code
from leaddesk.store.models import HandoffBatch, StoreIdentity
from tests.one_store import sqlite_only


def code_of(team: Team) -> str | None:
    with team.store.reading() as session:
        return session.scalar(select(StoreIdentity.code))


def next_batch_name(team: Team, rep: str = "rep1") -> str:
    """The name the next export will give its batch (a fresh store's first batch)."""
    with team.store.transaction() as session:
        code = store_code(session, at=team.clock())
    return f"handoff-20261118-{rep}-{code}-1"


def export(team: Team, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", team.location, "export", "--as", "rep1", "--out", str(out)])
    return code, capsys.readouterr().err


def nothing_handed_off(team: Team, ids: list[int]) -> None:
    assert {(team.lead(i).stage, team.lead(i).handoff_batch_id) for i in ids} == {
        (Stage.QUALIFIED, None)
    }
    with team.store.reading() as session:
        assert session.scalars(select(HandoffBatch)).all() == []


def test_two_stores_exporting_to_one_folder_keep_both_batches_whole(
    team: Team, sqlite_template: Path, tmp_path: Path, out_dir: Path
) -> None:
    other_path = tmp_path / "other.sqlite3"
    shutil.copyfile(sqlite_template, other_path)
    other = make_team(str(other_path), team.clock)
    try:
        mine = [team.qualified_lead("rep1") for _ in range(2)]
        theirs = [other.qualified_lead("rep1", first="Grace") for _ in range(3)]
        with team.desk("rep1") as desk:
            first = desk.handoff.export(out_dir).new_batch
        with other.desk("rep1") as desk:
            second = desk.handoff.export(out_dir).new_batch
        assert first is not None and second is not None
        # Same day, same rep name, same batch number: the stores' own codes tell them apart.
        assert first.batch_id == second.batch_id == 1
        assert first.code != second.code and first.folder != second.folder
        assert first.code.endswith(f"-{code_of(team)}-1")
        assert second.code.endswith(f"-{code_of(other)}-1")
        for batch, ids in ((first, mine), (second, theirs)):
            report = verify_batch(batch.folder)
            assert report.ok, report.problems
            assert report.lead_count == len(ids)
    finally:
        other.store.close()


def test_a_store_keeps_its_code_and_a_restore_brings_it_along(
    team: Team, tmp_path: Path, out_dir: Path
) -> None:
    assert code_of(team) is None  # made the first time a name needs it
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
    code = code_of(team)
    assert code is not None and len(code) == 8
    team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        later = desk.handoff.export(out_dir).new_batch
    assert later is not None and later.code.endswith(f"-{code}-2")
    with team.desk("admin") as desk:
        backup = desk.admin.take_backup(tmp_path / "team.ldbackup.gz").path
    restored = tmp_path / "restored.sqlite3"
    restore_backup(restored, backup, at=team.clock())
    copy = open_store(restored)
    try:
        with copy.reading() as session:
            assert session.scalar(select(StoreIdentity.code)) == code
    finally:
        copy.close()


# What the export does with files in its folder: SQLite is enough.
@sqlite_only
@pytest.mark.parametrize("planted", ["a file", "a link"])
def test_an_export_never_replaces_a_file_it_did_not_write(
    team: Team, tmp_path: Path, out_dir: Path, planted: str
) -> None:
    ids = [team.qualified_lead("rep1") for _ in range(2)]
    folder = out_dir / next_batch_name(team)
    folder.mkdir(parents=True)
    outside = tmp_path / "precious.json"
    outside.write_text("keep me", encoding="utf-8")
    manifest = folder / "manifest.json"
    if planted == "a file":
        manifest.write_text('{"theirs": true}', encoding="utf-8")
    else:
        manifest.symlink_to(outside)
    with team.desk("rep1") as desk, pytest.raises(InputError) as refused:
        desk.handoff.export(out_dir)
    assert refused.value.exit_code == 2
    assert f"{manifest} is there already and this export did not write it" in str(refused.value)
    # Their file is as it was, nothing of ours is left beside it, and no lead was handed off.
    assert outside.read_text(encoding="utf-8") == "keep me"
    if planted == "a file":
        assert manifest.read_text(encoding="utf-8") == '{"theirs": true}'
    else:
        assert manifest.is_symlink()
    assert [p.name for p in folder.iterdir()] == ["manifest.json"]
    nothing_handed_off(team, ids)
    # Once it is moved away, the export goes through (PostgreSQL numbers the batch anew).
    manifest.unlink()
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None and batch.lead_ids == tuple(ids)
    assert verify_batch(batch.folder).ok


NOBODY = 65534


# The folder's permissions, not the store: SQLite is enough.
@sqlite_only
@pytest.mark.parametrize("mode", [0o777, 0o1777], ids=["world-writable", "sticky"])
def test_an_export_refuses_a_folder_anyone_can_write_to(
    team: Team, out_dir: Path, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    ids = [team.qualified_lead("rep1")]
    out_dir.mkdir()
    out_dir.chmod(mode)
    code, err = export(team, out_dir, capsys)
    assert code == 2
    assert f"{out_dir}: anyone on this computer can write in it" in err
    assert "an export goes only into a folder of your own" in err
    assert files_in(out_dir) == [] and list(out_dir.iterdir()) == []
    nothing_handed_off(team, ids)


# The folder's owner, not the store: SQLite is enough.
@sqlite_only
def test_an_export_refuses_another_users_folder(
    team: Team, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    ids = [team.qualified_lead("rep1")]
    out_dir.mkdir()
    os.chown(out_dir, NOBODY, -1)
    code, err = export(team, out_dir, capsys)
    assert code == 2
    assert f"{out_dir}: belongs to nobody, who could swap files in it" in err
    nothing_handed_off(team, ids)


# What a rewrite does with files in its folder: SQLite is enough.
@sqlite_only
def test_a_rewrite_replaces_only_its_own_files(
    team: Team, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        batch = desk.handoff.export(out_dir).new_batch
    assert batch is not None
    csv_file = batch.folder / f"{batch.code}.csv"
    # Its own file, unchanged: written again in place.
    assert main(["--db", team.location, "handoff", "rewrite", batch.code, "--as", "rep1"]) == 0
    # Someone else's file under its name: refused, and left alone.
    csv_file.unlink()
    csv_file.write_text("not ours", encoding="utf-8")
    assert main(["--db", team.location, "handoff", "rewrite", batch.code, "--as", "rep1"]) == 2
    assert "is there already and this export did not write it" in capsys.readouterr().err
    assert csv_file.read_text(encoding="utf-8") == "not ours"
    assert team.lead(lead).stage == Stage.HANDED_OFF

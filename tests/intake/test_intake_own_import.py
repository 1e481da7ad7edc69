"""A rep's own import stays theirs unless they choose the team's assignment policy, and the
summary says who got how many new leads."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.errors import InputError
from leaddesk.store import Store
from leaddesk.store.models import Assignment, Lead, User
from tests.intake.test_intake_import import person_rows, write_csv


def _owners(store: Store) -> dict[str, int]:
    with store.reading() as session:
        rows = session.execute(
            select(User.name, Lead.id)
            .select_from(Lead)
            .outerjoin(User, User.id == Lead.assigned_to_id)
        ).all()
    owners: dict[str, int] = {}
    for name, _lead in rows:
        owners[name or "pool"] = owners.get(name or "pool", 0) + 1
    return owners


def _display(store: Store, name: str) -> str:
    with store.reading() as session:
        shown = session.scalar(select(User.display_name).where(User.name == name))
    assert shown
    return shown


def test_a_reps_own_import_stays_theirs_even_over_capacity(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.people.change("rep1", capacity=2)
    with open_desk(store_location, "rep1", clock=clock) as rep1:
        preview = rep1.intake.import_file(
            write_csv(tmp_path / "fair.csv", person_rows(5)), dry_run=True
        )
        summary = rep1.intake.import_file(write_csv(tmp_path / "fair.csv", person_rows(5)))
    rep1_name = _display(store, "rep1")
    assert preview.assigned_to == summary.assigned_to == {rep1_name: 5}
    assert summary.kept_for == rep1_name
    assert (summary.counts.assigned, summary.counts.pool) == (5, 0)
    assert _owners(store) == {"rep1": 5}
    with store.reading() as session:
        reasons = set(session.scalars(select(Assignment.reason)))
    assert reasons == {"Imported from fair.csv (their own import)"}


def test_a_rep_may_choose_to_share_their_import_by_the_policy(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(store_location, "rep1", clock=clock) as rep1:
        summary = rep1.intake.import_file(
            write_csv(tmp_path / "list.csv", person_rows(4)), keep_mine=False
        )
    assert summary.kept_for is None
    assert summary.assigned_to == {_display(store, "rep1"): 2, _display(store, "rep2"): 2}
    assert _owners(store) == {"rep1": 2, "rep2": 2}


def test_a_team_leads_import_says_who_got_how_many(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.people.change("rep2", capacity=1)
        summary = lead1.intake.import_file(write_csv(tmp_path / "list.csv", person_rows(5)))
        assert summary.kept_for is None
        assert summary.assigned_to == {_display(store, "rep1"): 4, _display(store, "rep2"): 1}
        assert summary.as_json()["assigned_to"] == summary.assigned_to
        with pytest.raises(InputError, match="only a rep's own import can be kept"):
            lead1.intake.import_file(
                write_csv(tmp_path / "more.csv", person_rows(2)), keep_mine=True
            )

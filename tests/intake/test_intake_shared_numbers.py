"""A number two different people have (a switchboard) is flagged on both (#21 item 2): the
person already in the store learns it in the same import that brings the second one, their
lead card and `leaddesk lead` say so, and undoing that import takes it back. Real SQLite and
PostgreSQL stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.store import Store
from leaddesk.store.models import Lead, Person
from tests.cli_in_process import RunCli
from tests.intake.test_intake_trust import write_csv

BOARD = "+1 212 555 0100"
E164 = "+12125550100"


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def lead_of(store: Store, first_name: str) -> Lead:
    with store.reading() as session:
        return session.scalars(
            select(Lead).join(Person).where(Person.first_name == first_name)
        ).one()


def shared_lines(desk: Desk, lead_id: int) -> list[str]:
    return [
        value
        for label, value in desk.queue.lead_file(lead_id).from_the_file
        if label == "Shared number"
    ]


def test_a_stored_person_is_flagged_when_a_new_person_shares_their_number(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    before = lead_of(store, "Ada")
    assert "shared_phone" not in (before.extra or {})

    grace = ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", "A demo"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [grace]))
    assert (summary.counts.created, summary.counts.shared_phone) == (1, 1)

    flagged = lead_of(store, "Ada")
    assert flagged.extra is not None
    assert flagged.extra["shared_phone"] == {E164: ["Grace Hopper"]}
    assert flagged.version == before.version + 1  # an edit a rep's open card notices
    assert shared_lines(lead1, flagged.id) == [f"{E164}, also Grace Hopper's"]
    assert shared_lines(lead1, lead_of(store, "Grace").id) == [f"{E164}, also Ada Lovelace's"]


def test_a_third_person_on_the_switchboard_is_added_to_the_flag_of_each_earlier_one(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = [
        ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", ""],
        ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""],
    ]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", first))
    alan = ["Alan", "Turing", "alan@engines.example", "", BOARD, "Engines", ""]  # as his mobile
    lead1.intake.import_file(write_csv(tmp_path / "second.csv", [alan]))
    assert shared_lines(lead1, lead_of(store, "Ada").id) == [
        f"{E164}, also Grace Hopper, Alan Turing's"
    ]
    assert shared_lines(lead1, lead_of(store, "Grace").id) == [
        f"{E164}, also Ada Lovelace, Alan Turing's"
    ]
    assert shared_lines(lead1, lead_of(store, "Alan").id) == [
        f"{E164}, also Ada Lovelace, Grace Hopper's"
    ]


def test_interest_and_a_shared_number_in_one_import_both_reach_the_stored_lead(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    start = lead_of(store, "Ada").interest_score
    rows = [
        ["Ada", "Lovelace", "ada@engines.example", "", "", "Engines", "A demo"],
        ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""],
    ]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", rows))
    assert (summary.counts.attached, summary.counts.created) == (1, 1)
    flagged = lead_of(store, "Ada")
    assert flagged.interest_score > start
    assert flagged.extra is not None and flagged.extra["shared_phone"] == {E164: ["Grace Hopper"]}
    assert len(flagged.extra["import_keys"]) == 1  # the attached row's, kept as before


def test_undoing_the_import_takes_the_flag_off_the_stored_person(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    grace = ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [grace]))
    assert summary.run_id is not None
    undone = lead1.intake.undo(summary.run_id)
    assert undone.leads_removed == 1
    assert "shared_phone" not in (lead_of(store, "Ada").extra or {})
    assert shared_lines(lead1, lead_of(store, "Ada").id) == []


def test_undoing_the_import_that_brought_a_person_takes_their_name_off_the_others_notes(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    first = lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    grace = ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""]
    lead1.intake.import_file(write_csv(tmp_path / "second.csv", [grace]))
    alan = ["Alan", "Turing", "alan@engines.example", "", BOARD, "Engines", ""]  # as his mobile
    lead1.intake.import_file(write_csv(tmp_path / "third.csv", [alan]))
    assert first.run_id is not None
    assert lead1.intake.undo(first.run_id).people_removed == 1
    assert shared_lines(lead1, lead_of(store, "Grace").id) == [f"{E164}, also Alan Turing's"]
    assert shared_lines(lead1, lead_of(store, "Alan").id) == [f"{E164}, also Grace Hopper's"]


def test_a_dry_run_flags_nobody(store: Store, lead1: Desk, tmp_path: Path) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    grace = ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""]
    preview = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [grace]), dry_run=True)
    assert preview.counts.shared_phone == 1
    assert "shared_phone" not in (lead_of(store, "Ada").extra or {})


def test_the_lead_command_shows_the_shared_number_on_both_people(
    store: Store, store_location: str, lead1: Desk, tmp_path: Path, run_cli: RunCli
) -> None:
    ada = ["Ada", "Lovelace", "ada@engines.example", BOARD, "", "Engines", "Pricing"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ada]))
    grace = ["Grace", "Hopper", "grace@engines.example", BOARD, "", "Engines", ""]
    export = write_csv(tmp_path / "second.csv", [grace])
    code, _out, err = run_cli("import", str(export), "--as", "lead1", db=store_location)
    assert code == 0, err
    for name, other in (("Ada", "Grace Hopper"), ("Grace", "Ada Lovelace")):
        lead_id = lead_of(store, name).id
        code, out, err = run_cli("lead", str(lead_id), "--as", "lead1", db=store_location)
        assert code == 0, err
        assert f"  Shared number: {E164}, also {other}'s" in out.splitlines()

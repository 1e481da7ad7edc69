"""A batch's files made a chunk at a time as its records are read (handoff/as_read.py) are the
files made from the whole batch at once, also when later records bring other columns."""

from __future__ import annotations

from dataclasses import replace

import pytest
from handoff_helpers import Team

from leaddesk.handoff.as_read import FilesAsRead
from leaddesk.handoff.records import AxisAnswer, HandoffRecord, records_as_of
from leaddesk.handoff.render import BatchFacts, hashed_batch
from tests.one_store import sqlite_only


def _records(team: Team, count: int) -> list[HandoffRecord]:
    ids = [team.qualified_lead("rep1", first=f"Ada{n}") for n in range(count)]
    with team.store.reading() as session:
        return records_as_of(session, ids, team.clock())


def _facts(team: Team) -> BatchFacts:
    return BatchFacts(
        batch_id=1,
        code="handoff-test-1",
        created_by="rep1",
        created_at=team.clock(),
        scope="own",
        definition_version=1,
        xlsx=False,
    )


def _in_chunks(records: list[HandoffRecord], facts: BatchFacts) -> FilesAsRead:
    as_read = FilesAsRead(facts)
    for start in range(0, len(records), 2):
        as_read.add(records[start : start + 2])
    return as_read


# Rendering alone: the store only supplies the records.
@sqlite_only
def test_files_made_as_read_are_the_files_made_at_once(team: Team) -> None:
    records = _records(team, 5)
    facts = _facts(team)
    as_read = _in_chunks(records, facts)
    assert as_read.csv_rows(records) is not None  # the rows made while reading are used
    assert hashed_batch(records, facts, as_read) == hashed_batch(records, facts)


@sqlite_only  # rendering alone, as above
@pytest.mark.parametrize("change", ["marketing qualified", "another axis"])
def test_rows_are_made_again_when_later_records_bring_other_columns(
    team: Team, change: str
) -> None:
    records = _records(team, 5)
    last = records[-1]
    if change == "marketing qualified":
        records[-1] = replace(last, marketing_qualified=("Basic Qualified Lead", team.clock()))
    else:
        records[-1] = replace(last, axes=(*last.axes, AxisAnswer("Champion", "The CFO")))
    facts = _facts(team)
    as_read = _in_chunks(records, facts)
    assert as_read.csv_rows(records) is None
    files, digests = hashed_batch(records, facts, as_read)
    assert (files, digests) == hashed_batch(records, facts)
    header = files[f"{facts.code}.csv"].decode("utf-8-sig").splitlines()[0]
    assert ("Marketing Qualified" if change == "marketing qualified" else "Champion") in header

"""A batch's records are read a chunk at a time in a fixed number of queries, never lead by
lead (issue #24: an export read each lead's rows one by one)."""

from __future__ import annotations

from typing import Any

from handoff_helpers import Team
from sqlalchemy import event

from leaddesk.handoff.records import HandoffRecord, records_as_of


def _read_counting(team: Team, lead_ids: list[int]) -> tuple[int, list[HandoffRecord]]:
    statements = 0

    def counted(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(team.store.engine, "before_cursor_execute", counted)
    try:
        with team.store.reading() as session:
            records = records_as_of(session, lead_ids, team.clock())
    finally:
        event.remove(team.store.engine, "before_cursor_execute", counted)
    return statements, records


def test_a_batch_is_read_in_the_same_few_queries_however_many_leads_it_holds(
    team: Team,
) -> None:
    one = [team.qualified_lead("rep1")]
    many = one + [
        team.qualified_lead(
            "rep2", first=f"Lead{n}", email=f"lead{n}@example.com", phone=f"+44207946000{n}"
        )
        for n in range(1, 6)
    ]
    for_one, [alone] = _read_counting(team, one)
    for_many, records = _read_counting(team, many)
    assert for_many == for_one <= 10
    assert [record.lead_id for record in records] == sorted(many)
    assert records[0] == alone  # the same record, read alone or with others
    assert {record.qualified_by for record in records} == {"rep1", "rep2"}

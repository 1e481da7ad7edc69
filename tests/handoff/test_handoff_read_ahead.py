"""A big batch's records read one chunk ahead on a second thread (handoff/read_ahead.py) are
the records read on one thread, and a failure on either side ends both."""

from __future__ import annotations

import threading

import pytest
from handoff_helpers import Team
from sqlalchemy import update

from leaddesk.handoff import read_ahead, records
from leaddesk.handoff.read_ahead import records_read_ahead
from leaddesk.handoff.records import records_as_of
from leaddesk.store.models import VerdictRecord


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of two leads: seven leads make four chunks, enough for the read-ahead path.
    monkeypatch.setattr(records, "CHUNK", 2)


def _seven_leads(team: Team) -> list[int]:
    return [
        team.qualified_lead(f"rep{1 + n % 2}", first=f"Ada{n}", email=f"ada{n}@example.com")
        for n in range(7)
    ]


def test_read_ahead_gives_the_same_records_in_the_same_order(
    team: Team, small_chunks: None
) -> None:
    ids = _seven_leads(team)
    with team.store.transaction() as session:
        # Some verdicts carry their answers (two alike, decoded once), the others' are read
        # from the answers the rep gave.
        for lead_id, budget in zip(ids[:3], ("approved", "approved", "none"), strict=True):
            session.execute(
                update(VerdictRecord)
                .where(VerdictRecord.lead_id == lead_id)
                .values(answers={"budget_status": budget, "timeline": "3_months"})
            )
    cutoff = team.clock()
    with team.store.reading() as session:
        one_thread = records_as_of(session, ids, cutoff)
    ahead = records_read_ahead(team.store, list(reversed(ids)), cutoff)
    assert [record.lead_id for record in ahead] == sorted(ids)
    assert ahead == one_thread
    assert ahead[0].notes and ahead[0].calls is not None
    assert ahead[0].answers == {"budget_status": "approved", "timeline": "3_months"}
    assert ahead[2].answers["budget_status"] == "none"
    assert ahead[3].answers["best_time"] == "Thursday 10:00 with the CFO"


def test_a_failed_read_reaches_the_caller_and_the_thread_ends(
    team: Team, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seven_leads(team)
    real = read_ahead.read_chunk
    calls: list[int] = []

    def second_chunk_fails(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk went away")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(read_ahead, "read_chunk", second_chunk_fails)
    before = threading.active_count()
    with pytest.raises(RuntimeError, match="the disk went away"):
        records_read_ahead(team.store, ids, team.clock())
    assert threading.active_count() == before


def test_a_failure_while_records_are_made_stops_the_reading(
    team: Team, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seven_leads(team)

    def cannot_make(*_args: object, **_kwargs: object) -> object:
        raise ValueError("a record that cannot be made")

    monkeypatch.setattr(read_ahead, "make_record", cannot_make)
    before = threading.active_count()
    with pytest.raises(ValueError, match="cannot be made"):
        records_read_ahead(team.store, ids, team.clock())
    assert threading.active_count() == before

"""An empty queue says why: no leads at all, or when the next one comes due."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from queue_helpers import Team, add_lead
from test_queue_cli import AT

from leaddesk.domain import Stage
from tests.cli_in_process import RunCli

LONDON = ZoneInfo("Europe/London")


def test_an_empty_store_says_there_are_no_leads_yet(team: Team) -> None:
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        outlook = desk.queue.outlook()
    assert outlook.open_leads == 0
    assert outlook.words(team.clock(), LONDON) == "No leads to call yet."


def test_nothing_due_now_names_the_next_callback_or_try(team: Team) -> None:
    now = team.clock()
    rep1 = team.ids["rep1"]
    with team.store.transaction() as session:
        add_lead(
            session,
            now=now,
            owner=rep1,
            stage=Stage.WORKING,
            attempts=1,
            next_attempt_at=now + timedelta(hours=3),
        )
        add_lead(
            session,
            now=now,
            owner=rep1,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(hours=2, minutes=30),
        )
        add_lead(session, now=now, owner=team.ids["rep2"], callback_at=now + timedelta(hours=1))
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        outlook = desk.queue.outlook()
    assert outlook.open_leads == 2  # rep2's lead is not rep1's to call
    # 15:00 UTC + 2 h 30 is 17:30 in London (November: no summer time).
    assert outlook.words(now, LONDON) == "Nothing due now — next callback at 17:30."


def test_leads_waiting_only_for_calling_hours_are_counted(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as session:
        add_lead(session, now=now, owner=team.ids["rep1"], zone="Asia/Tokyo")  # 00:00 there
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        words = desk.queue.outlook().words(now, UTC)
    assert words == "Nothing due now: your open lead waits for their calling hours."


def test_the_cli_queue_on_an_empty_store_says_how_to_import(
    sqlite_team: Team, run_cli: RunCli
) -> None:
    result = run_cli("queue", "--as", "rep1", "--at", AT, db=Path(sqlite_team.location))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "No leads to call yet. Import a list: leaddesk import FILE --as rep1"
    )

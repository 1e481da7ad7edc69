"""The lead pane's data: this interest, the person's earlier leads, the timeline; notes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import InputError, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, Lead
from tests.conftest import NOON


@pytest.fixture
def demo_path(
    demo_made: Callable[[int, int, int], Path], tmp_path: Path, clock: FixedClock
) -> Path:
    assert clock() == NOON  # the demo was filled at the tests' own noon
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_made(1500, 2, 4), path)
    return path


def test_repeat_interest_shows_the_earlier_lead_and_how_it_ended(
    demo_path: Path, clock: FixedClock
) -> None:
    store = open_store(demo_path)
    with store.reading() as session:
        person_id = session.scalar(
            select(Lead.person_id).group_by(Lead.person_id).having(func.count() > 1).limit(1)
        )
        newest = session.scalar(
            select(Lead.id).where(Lead.person_id == person_id).order_by(Lead.arrived_at.desc())
        )
    store.close()
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        file = desk.queue.lead_file(newest)
    assert file.earlier, "the person's earlier lead is listed"
    assert all(e.lead_id != newest for e in file.earlier)
    assert all(e.outcome for e in file.earlier)
    assert file.timeline[-1].kind == "arrived"


def test_notes_save_as_typed_and_show_on_the_timeline(demo_path: Path, clock: FixedClock) -> None:
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        lead_id = desk.queue.my_open_leads(limit=1)[0].lead_id
        note_id = desk.calls.save_note(lead_id, "Asked about")
        clock.advance(seconds=2)
        assert desk.calls.save_note(lead_id, "Asked about volume pricing", note_id) == note_id
    # a new desk (as after a crash or restart) sees the last save
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        notes = [e for e in desk.queue.lead_file(lead_id).timeline if e.kind == "note"]
        with desk.store.reading() as session:
            added = session.scalar(
                select(func.count()).where(
                    AuditEvent.action == "note_added", AuditEvent.lead_id == lead_id
                )
            )
    assert [(n.text, n.who) for n in notes] == [("Asked about volume pricing", "Rep 1")]
    assert added == 1


def test_only_the_author_changes_a_note(demo_path: Path, clock: FixedClock) -> None:
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        lead_id = desk.queue.my_open_leads(limit=1)[0].lead_id
        note_id = desk.calls.save_note(lead_id, "mine")
    with open_desk(demo_path, "rep2", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.calls.save_note(lead_id, "not yours", note_id)
    with open_desk(demo_path, "sales1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.calls.save_note(lead_id, "sales cannot log on the desk")


def test_unknown_lead_is_a_clear_error(demo_path: Path, clock: FixedClock) -> None:
    with (
        open_desk(demo_path, "rep1", clock=clock) as desk,
        pytest.raises(InputError, match="999999"),
    ):
        desk.queue.lead_file(999999)


def test_my_day_counts_todays_calls_and_verdicts(demo_path: Path, clock: FixedClock) -> None:
    from datetime import timedelta

    from leaddesk.domain import CallOutcome, Verdict
    from leaddesk.store.models import CallAttempt, User, VerdictRecord

    store = open_store(demo_path)
    with store.transaction() as session:
        rep = session.scalar(select(User.id).where(User.name == "rep2"))
        lead_id = session.scalar(select(Lead.id).where(Lead.assigned_to_id == rep).limit(1))
        now = clock()
        for minutes, outcome in ((5, CallOutcome.NO_ANSWER), (15, CallOutcome.CONNECTED)):
            session.add(
                CallAttempt(
                    lead_id=lead_id,
                    user_id=rep,
                    at=now - timedelta(minutes=minutes),
                    outcome=outcome,
                    duration_seconds=600 if outcome is CallOutcome.CONNECTED else 10,
                )
            )
        session.add(
            VerdictRecord(
                lead_id=lead_id, verdict=Verdict.NURTURE, decided_by_id=rep, decided_at=now
            )
        )
        before = session.scalar(
            select(func.count()).where(
                CallAttempt.user_id == rep, CallAttempt.at >= now.replace(hour=0)
            )
        )
    store.close()
    with open_desk(demo_path, "rep2", clock=clock) as desk:
        day = desk.calls.my_day("UTC")
    assert day.calls == before
    assert day.connects >= 1 and day.talk_minutes >= 10
    assert day.verdicts.get("nurture", 0) >= 1


def test_a_booked_callback_shows_on_the_timeline_in_the_persons_time(
    demo_path: Path, clock: FixedClock
) -> None:
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        lead = desk.queue.next()
        assert lead is not None
        zone = ZoneInfo(lead.zones[0])
        # Tomorrow at 10:30 where the person is: inside any calling hours.
        tomorrow = (clock().astimezone(zone) + timedelta(days=1)).date()
        agreed = datetime.combine(tomorrow, time(10, 30), tzinfo=zone)
        if agreed.weekday() >= 5:
            agreed += timedelta(days=7 - agreed.weekday())
        desk.calls.log(lead.lead_id, CallOutcome.CALLBACK, callback_at=agreed)
        calls = [e for e in desk.queue.lead_file(lead.lead_id).timeline if e.kind == "call"]
    assert calls[0].text.endswith(f"callback agreed for {agreed:%a %d %b} 10:30 their time")


def test_others_at_the_same_company_show_with_their_latest_lead(
    demo_path: Path, clock: FixedClock
) -> None:
    store = open_store(demo_path)
    with store.reading() as session:
        account_id = session.scalar(
            select(Lead.account_id)
            .where(Lead.account_id.is_not(None))
            .group_by(Lead.account_id)
            .having(func.count(func.distinct(Lead.person_id)) > 2)
            .limit(1)
        )
        lead_id, person_id = session.execute(
            select(Lead.id, Lead.person_id).where(Lead.account_id == account_id).limit(1)
        ).one()
        expected = set(
            session.scalars(
                select(Lead.person_id).where(
                    Lead.account_id == account_id, Lead.person_id != person_id
                )
            )
        )
        latest = {
            pid: session.scalar(
                select(Lead.id)
                .where(Lead.person_id == pid, Lead.account_id == account_id)
                .order_by(Lead.arrived_at.desc(), Lead.id.desc())
                .limit(1)
            )
            for pid in expected
        }
    store.close()
    with open_desk(demo_path, "rep1", clock=clock) as desk:
        file = desk.queue.lead_file(lead_id)
    shown = {colleague.person_id: colleague for colleague in file.colleagues}
    assert set(shown) <= expected and person_id not in shown
    assert len(shown) == min(len(expected), 20)
    assert all(shown[pid].lead_id == latest[pid] for pid in shown)
    arrivals = [colleague.arrived_at for colleague in file.colleagues]
    assert arrivals == sorted(arrivals, reverse=True)  # latest first
    assert all(c.outcome for c in file.colleagues)


def test_sales_read_the_leads_handed_to_them_not_the_ones_being_qualified(
    demo_path: Path, clock: FixedClock
) -> None:
    from leaddesk.domain import OPEN_STAGES, WITH_SALES

    store = open_store(demo_path)
    with store.reading() as session:
        handed = session.scalar(select(Lead.id).where(Lead.stage.in_(WITH_SALES)).limit(1))
        qualifying = session.scalar(select(Lead.id).where(Lead.stage.in_(OPEN_STAGES)).limit(1))
    store.close()
    assert handed is not None and qualifying is not None
    with open_desk(demo_path, "sales1", clock=clock) as sales:
        assert sales.queue.lead_file(handed).lead_id == handed
        with pytest.raises(NotPermitted, match="has not been handed to sales"):
            sales.queue.lead_file(qualifying)

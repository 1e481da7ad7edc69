"""The core behind the rep's workspace: lead search by name, company, email or phone, and
callbacks refused outside the person's calling hours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from leaddesk.calling.calling_hours import callback_outside_hours
from leaddesk.clock import FixedClock
from leaddesk.definition import Policy
from leaddesk.desk import open_desk
from leaddesk.domain import OPEN_STAGES, CallOutcome
from leaddesk.errors import InputError
from leaddesk.queue.search import ENDED, search_terms
from leaddesk.store import open_store


@pytest.fixture
def demo_location(demo_filled: Callable[[int, int, int], str]) -> str:
    return demo_filled(300, 2, 5)


def test_search_finds_the_same_lead_by_each_thing_a_rep_knows(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        target = desk.queue.page(limit=20)[7]
        lead = desk.queue.lead_file(target.lead_id)
        assert lead.email and lead.phone and lead.company
        for text in (
            lead.last_name[:3].upper(),
            f"{lead.first_name} {lead.last_name[:2]}",
            lead.company[:4].lower(),
            lead.email[:6],
            lead.phone[:8],
            lead.phone,
        ):
            found = desk.queue.search(text)
            assert target.lead_id in [row.lead_id for row in found], text
            assert all(row.stage in OPEN_STAGES for row in found)
            assert all(row.assigned_to in (None, "rep1") for row in found)


def test_search_leaves_out_other_reps_leads_and_says_why_a_lead_is_not_callable(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep2", clock=clock) as other:
        # One of rep2's own (their queue also lists the open pool, which rep1 may search).
        theirs = next(row for row in other.queue.page(limit=50) if row.assigned_to == "rep2")
        their_file = other.queue.lead_file(theirs.lead_id)
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        found = desk.queue.search(their_file.email or their_file.last_name)
        assert theirs.lead_id not in [row.lead_id for row in found]
        row = desk.queue.page(limit=1)[0]
        desk.calls.log(row.lead_id, CallOutcome.NO_ANSWER)
        again = [
            r
            for r in desk.queue.search(desk.queue.lead_file(row.lead_id).last_name)
            if r.lead_id == row.lead_id
        ]
        if again:  # unless the cadence already sent it to nurture
            assert again[0].reason.startswith("not callable now: next attempt not due")


def test_a_lead_number_finds_that_lead_open_or_closed_if_the_rep_may_see_it(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep2", clock=clock) as other:
        theirs = next(row for row in other.queue.page(limit=50) if row.assigned_to == "rep2")
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        mine = desk.queue.page(limit=1)[0]
        assert [row.lead_id for row in desk.queue.search(f"#{mine.lead_id}")] == [mine.lead_id]
        assert [row.lead_id for row in desk.queue.search(f"# {mine.lead_id}")] == [mine.lead_id]
        assert desk.queue.search(f"#{theirs.lead_id}") == []  # a colleague's
        assert desk.queue.search("#99999999") == []
        desk.calls.log(mine.lead_id, CallOutcome.DO_NOT_CALL)
        held = desk.queue.search(f"#{mine.lead_id}")
        assert held[0].reason == "not callable now: do not call"
    with open_desk(demo_location, "lead1", clock=clock) as lead:
        assert [row.lead_id for row in lead.queue.search(f"#{theirs.lead_id}")] == [theirs.lead_id]


def test_a_too_short_search_finds_nothing_rather_than_everyone(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        assert desk.queue.search("a") == []
        assert desk.queue.search("   ") == []


def test_search_terms_read_phones_emails_and_names() -> None:
    assert search_terms("+49 30 1234").phones == ("+49301234",)
    assert "+12125550100" in search_terms("(212) 555-0100").phones
    assert search_terms("Anna@Example.com").email == "anna@example.com"
    terms = search_terms("Anna Schmidt")
    assert terms.words == ("anna", "schmidt") and terms.company == "anna schmidt"


def test_callback_outside_the_persons_calling_hours_is_refused(
    demo_location: str, clock: FixedClock
) -> None:
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        row = desk.queue.next()
        assert row is not None
        zone = ZoneInfo(row.zones[0])
        tomorrow = (clock() + timedelta(days=1)).astimezone(zone)
        night = tomorrow.replace(hour=2, minute=30, second=0, microsecond=0)
        with pytest.raises(InputError, match="outside their calling hours"):
            desk.calls.log(row.lead_id, CallOutcome.CALLBACK, callback_at=night)
        morning = tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
        result = desk.calls.log(row.lead_id, CallOutcome.CALLBACK, callback_at=morning)
        assert result.callback_at == morning.astimezone(result.callback_at.tzinfo)  # type: ignore[union-attr]


def test_a_number_spanning_zones_must_be_inside_hours_in_each() -> None:
    policy = Policy()
    from datetime import datetime

    # 20:30 in New York is 17:30 in Los Angeles (fine) but the reverse pair is not.
    at = datetime(2026, 11, 19, 20, 30, tzinfo=ZoneInfo("America/New_York"))
    assert callback_outside_hours(at, ("America/New_York", "America/Los_Angeles"), policy) is None
    late = datetime(2026, 11, 19, 21, 30, tzinfo=ZoneInfo("America/New_York"))
    problem = callback_outside_hours(late, ("America/Los_Angeles", "America/New_York"), policy)
    assert problem is not None and "America/New_York" in problem


def test_a_search_can_find_closed_leads_after_the_open_ones_saying_how_they_ended(
    demo_location: str, clock: FixedClock
) -> None:
    from sqlalchemy import select

    from leaddesk.store.models import Lead, Person, User

    store = open_store(demo_location)
    with store.reading() as session:
        rep1 = session.scalar(select(User.id).where(User.name == "rep1"))
        lead_id, email, stage, last_name = session.execute(
            select(Lead.id, Person.email, Lead.stage, Person.last_name)
            .join(Person, Person.id == Lead.person_id)
            .where(
                Lead.assigned_to_id == rep1,
                Lead.stage.not_in(OPEN_STAGES),
                Person.email.is_not(None),
            )
            .limit(1)
        ).one()
        theirs_id, theirs_email = session.execute(
            select(Lead.id, Person.email)
            .join(Person, Person.id == Lead.person_id)
            .where(
                Lead.assigned_to_id != rep1,
                Lead.assigned_to_id.is_not(None),
                Lead.stage.not_in(OPEN_STAGES),
                Person.email.is_not(None),
            )
            .limit(1)
        ).one()
    store.close()
    with open_desk(demo_location, "rep1", clock=clock) as desk:
        assert lead_id not in [row.lead_id for row in desk.queue.search(email)]  # open ones only
        everything = desk.queue.search(last_name, closed=True)  # others of that name too
        still_open = [row.stage in OPEN_STAGES for row in everything]
        assert everything and still_open == sorted(still_open, reverse=True)  # open first
        found = [row for row in desk.queue.search(email, closed=True) if row.lead_id == lead_id]
        assert len(found) == 1
        assert found[0].reason == f"closed: {ENDED[stage]}"
        assert all(
            row.lead_id != theirs_id for row in desk.queue.search(theirs_email, closed=True)
        )  # a colleague's past leads stay theirs
    with open_desk(demo_location, "lead1", clock=clock) as lead:
        assert theirs_id in [row.lead_id for row in lead.queue.search(theirs_email, closed=True)]

"""The sweep: untouched leads flagged at 24 business hours, moved at 48 when the policy says so.

The clock stands on Wednesday 18 November 2026, 10:00 in New York (the team's zone, open
Monday to Friday 09:00-17:00, US holidays off): 24 business hours back is Friday 13 November
10:00 (120 wall hours), 48 is Monday 9 November 10:00 (216 wall hours: Veterans Day is off).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from leaddesk.definition import versions as definition_versions
from leaddesk.files.resources import resource_path
from leaddesk.store.models import Assignment, AuditEvent, Lead, Note
from tests.factories import Team


def _enable_auto_reassign(team: Team, *extra: str) -> None:
    """Switch moving on, with ``extra`` lines ("max_per_run = 2") in [policy.auto_reassign]."""
    text = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
    assert "enabled = false" in text
    settings = "\n".join(("enabled = true", *extra))
    with team.store.transaction() as session:
        definition_versions.publish(
            session,
            text.replace("enabled = false", settings, 1),
            source="auto.toml",
            at=team.clock(),
            actor_id=team.ids["lead1"],
        )


def test_leads_nobody_touched_for_a_day_are_flagged_and_nothing_else(team: Team) -> None:
    stale = team.lead("rep1", hours_ago=130)
    stale_pool = team.lead(None, hours_ago=130)
    called = team.lead("rep1", hours_ago=130, last_attempt_at=team.at(hours=-2))
    young = team.lead("rep1", hours_ago=100)  # since Saturday: 17 business hours
    held = team.lead("rep1", hours_ago=130, hold_reason="do_not_call")
    on_call = team.lead("rep1", hours_ago=130)
    team.claim(on_call, "rep1")
    with team.desk("lead1") as desk:
        result = desk.team.sweep()
        assert desk.team.sweep().flagged == ()  # flagged once
    assert result.flagged == (stale, stale_pool)
    assert result.moved == ()  # moving is off in the shipped definition
    assert team.get(stale).flagged_untouched_at == team.clock()
    for lead_id in (called, young, held, on_call):
        assert team.get(lead_id).flagged_untouched_at is None


def test_the_flag_comes_off_once_the_lead_is_called(team: Team) -> None:
    stale = team.lead("rep1", hours_ago=130)
    with team.desk("lead1") as desk:
        desk.team.sweep()
        team.clock.advance(hours=1)
        with team.store.transaction() as session:
            lead = session.get(Lead, stale)
            assert lead is not None
            lead.last_attempt_at = team.clock()
        assert desk.team.sweep().unflagged == (stale,)
    assert team.get(stale).flagged_untouched_at is None


def test_after_48_hours_a_reps_untouched_lead_moves_to_the_rep_with_most_room(team: Team) -> None:
    _enable_auto_reassign(team)
    team.user("rep3", capacity=10)
    team.lead("rep2")  # rep2 has 39 free, rep3 10: rep2 has the most room
    stale = team.lead("rep1", hours_ago=300)
    pooled = team.lead(None, hours_ago=300)
    handed_on = team.lead("rep1", hours_ago=300)
    with team.store.transaction() as session:  # it changed hands 10 hours ago: a fresh clock
        session.add(
            Assignment(
                lead_id=handed_on,
                to_user_id=team.ids["rep1"],
                by_user_id=team.ids["lead1"],
                at=team.at(hours=-10),
            )
        )
    with team.desk("lead1") as desk:
        result = desk.team.sweep()
    assert [(m.lead_id, m.from_user, m.to_user) for m in result.moved] == [(stale, "rep1", "rep2")]
    assert team.owner_of(stale) == "rep2"
    assert team.get(stale).flagged_untouched_at is None  # the new owner starts afresh
    assert team.owner_of(pooled) is None
    assert team.owner_of(handed_on) == "rep1"
    with team.store.reading() as session:
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reassigned", AuditEvent.lead_id == stale)
        )
    assert event is not None
    assert event.reason == "Untouched for 48 business hours: moved to a rep with room"
    assert event.details == {"automatic": True}


def _flagged(team: Team, lead_id: int) -> bool:
    return team.get(lead_id).flagged_untouched_at is not None


def test_untouched_counts_business_hours_so_a_friday_afternoon_inquiry_waits_the_weekend(
    team: Team,
) -> None:
    # Friday 20 November, 16:30 in New York.
    team.clock.now = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
    friday = team.lead("rep1", hours_ago=0)
    with team.desk("lead1") as desk:
        team.clock.now = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # Sunday 15:00
        assert desk.team.sweep().flagged == ()
        # Half an hour on Friday, then Monday to Wednesday of Thanksgiving week (the holiday is
        # Thursday): 24 business hours end Wednesday 16:30.
        team.clock.now = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)  # Wednesday 16:00
        assert desk.team.sweep().flagged == ()
        team.clock.now = datetime(2026, 11, 25, 21, 45, tzinfo=UTC)  # Wednesday 16:45
        assert desk.team.sweep().flagged == (friday,)


def test_a_note_or_a_callback_or_retry_ahead_is_a_touch(team: Team) -> None:
    noted = team.lead("rep1", hours_ago=130)
    with team.store.transaction() as session:
        session.add(
            Note(
                lead_id=noted,
                user_id=team.ids["rep1"],
                created_at=team.at(hours=-3),
                updated_at=team.at(hours=-3),
                text="Asked for the brochure by email",
            )
        )
    # Thursday: a callback booked for Friday, a retry due tomorrow.
    callback = team.lead("rep1", hours_ago=300, callback_at=team.at(hours=48))
    retry = team.lead("rep1", hours_ago=300, next_attempt_at=team.at(hours=20))
    stale = team.lead("rep1", hours_ago=300)
    _enable_auto_reassign(team)
    with team.desk("lead1") as desk:
        team.clock.advance(hours=24)  # Thursday 10:00
        result = desk.team.sweep()
    assert result.flagged == (stale,)
    assert [move.lead_id for move in result.moved] == [stale]
    for lead_id in (noted, callback, retry):
        assert not _flagged(team, lead_id) and team.owner_of(lead_id) == "rep1"


def test_a_flag_comes_off_when_a_callback_is_booked_ahead(team: Team) -> None:
    stale = team.lead("rep1", hours_ago=130)
    with team.desk("lead1") as desk:
        assert desk.team.sweep().flagged == (stale,)
        with team.store.transaction() as session:
            lead = session.get(Lead, stale)
            assert lead is not None
            lead.callback_at = team.at(hours=30)
        assert desk.team.sweep().unflagged == (stale,)


def test_one_sweep_moves_at_most_the_policys_number_and_says_how_many_wait(team: Team) -> None:
    _enable_auto_reassign(team, "max_per_run = 2")
    stale = [team.lead("rep1", hours_ago=300 + n) for n in range(5)]
    with team.desk("lead1") as desk:
        first = desk.team.sweep()
        second = desk.team.sweep()
        third = desk.team.sweep()
    # Oldest first: the lead that arrived longest ago moves first.
    assert [m.lead_id for m in first.moved] == [stale[4], stale[3]]
    assert (len(first.moved), first.waiting) == (2, 3)
    assert (len(second.moved), second.waiting) == (2, 1)
    assert (len(third.moved), third.waiting) == (1, 0)


def test_a_lead_the_sweep_moved_rests_the_policys_business_days(team: Team) -> None:
    _enable_auto_reassign(team, "rest_business_days = 10")
    team.user("rep3")
    stale = team.lead("rep1", hours_ago=300)
    with team.desk("lead1") as desk:
        (move,) = desk.team.sweep().moved
        first_owner = team.owner_of(stale)
        assert move.to_user == first_owner != "rep1"
        # To Saturday 28 November: Thanksgiving off, still past 48 business hours untouched.
        team.clock.advance(days=10)
        again = desk.team.sweep()
        assert again.moved == () and again.resting == 1
        assert team.owner_of(stale) == first_owner
        team.clock.advance(days=7)  # eleven business days and more since the move
        later = desk.team.sweep()
    assert [m.lead_id for m in later.moved] == [stale] and later.resting == 0


def _events(team: Team) -> int:
    with team.store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_a_dry_run_says_what_the_sweep_would_do_and_changes_nothing(team: Team) -> None:
    _enable_auto_reassign(team)
    stale = team.lead("rep1", hours_ago=300)
    events = _events(team)
    with team.desk("lead1") as desk:
        preview = desk.team.sweep(dry_run=True)
        assert preview.dry_run and preview.flagged == (stale,)
        assert [m.lead_id for m in preview.moved] == [stale]
        assert team.owner_of(stale) == "rep1" and not _flagged(team, stale)
        assert _events(team) == events
        done = desk.team.sweep()
    assert not done.dry_run and [m.lead_id for m in done.moved] == [stale]
    assert team.owner_of(stale) != "rep1" and _events(team) > events

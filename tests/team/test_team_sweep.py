"""The sweep: untouched leads flagged at 24 h, moved at 48 h when the policy says so."""

from __future__ import annotations

from sqlalchemy import select
from team_builder import Team

from leaddesk import definition_versions
from leaddesk.resources import resource_path
from leaddesk.store.models import Assignment, AuditEvent, Lead


def _enable_auto_reassign(team: Team) -> None:
    text = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
    assert "enabled = false" in text
    with team.store.transaction() as session:
        definition_versions.publish(
            session,
            text.replace("enabled = false", "enabled = true", 1),
            source="auto.toml",
            at=team.clock(),
            actor_id=team.ids["lead1"],
        )


def test_leads_nobody_touched_for_a_day_are_flagged_and_nothing_else(team: Team) -> None:
    stale = team.lead("rep1", hours_ago=30)
    stale_pool = team.lead(None, hours_ago=30)
    called = team.lead("rep1", hours_ago=30, last_attempt_at=team.at(hours=-2))
    young = team.lead("rep1", hours_ago=10)
    held = team.lead("rep1", hours_ago=30, hold_reason="do_not_call")
    on_call = team.lead("rep1", hours_ago=30)
    team.claim(on_call, "rep1")
    with team.desk("lead1") as desk:
        result = desk.sweep()
        assert desk.sweep().flagged == ()  # flagged once
    assert result.flagged == (stale, stale_pool)
    assert result.moved == ()  # moving is off in the shipped definition
    assert team.get(stale).flagged_untouched_at == team.clock()
    for lead_id in (called, young, held, on_call):
        assert team.get(lead_id).flagged_untouched_at is None


def test_the_flag_comes_off_once_the_lead_is_called(team: Team) -> None:
    stale = team.lead("rep1", hours_ago=30)
    with team.desk("lead1") as desk:
        desk.sweep()
        team.clock.advance(hours=1)
        with team.store.transaction() as session:
            lead = session.get(Lead, stale)
            assert lead is not None
            lead.last_attempt_at = team.clock()
        assert desk.sweep().unflagged == (stale,)
    assert team.get(stale).flagged_untouched_at is None


def test_after_48_hours_a_reps_untouched_lead_moves_to_the_rep_with_most_room(team: Team) -> None:
    _enable_auto_reassign(team)
    team.user("rep3", capacity=10)
    team.lead("rep2")  # rep2 has 39 free, rep3 10: rep2 has the most room
    stale = team.lead("rep1", hours_ago=50)
    pooled = team.lead(None, hours_ago=50)
    handed_on = team.lead("rep1", hours_ago=50)
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
        result = desk.sweep()
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
    assert event.reason == "Untouched for 48 hours: moved to a rep with room"
    assert event.details == {"automatic": True}

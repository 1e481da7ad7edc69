"""Reassigning leads: by id, the N oldest, an absent rep's, claims, and stale previews."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from leaddesk.domain import CallOutcome, Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.store.models import Assignment, AuditEvent, Lead
from leaddesk.team.reassign import LeadPick
from tests.factories import Team


def _events(team: Team, action: str) -> list[AuditEvent]:
    with team.store.reading() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def test_reassigned_leads_show_in_the_receivers_queue_with_history_and_audit(team: Team) -> None:
    first, second = team.lead("rep1"), team.lead("rep1")
    before = team.get(first).version
    with team.desk("lead1") as desk:
        result = desk.team.reassign(
            LeadPick(lead_ids=(first, second)), to_user="rep2", reason="rep1 off sick"
        )
    assert [m.lead_id for m in result.moved] == [first, second]
    with team.desk("rep2") as desk:
        assert {lead.lead_id for lead in desk.queue.my_open_leads()} == {first, second}
    assert team.get(first).version == before + 1
    events = _events(team, "reassigned")
    assert [(e.lead_id, e.from_state, e.to_state, e.reason) for e in events] == [
        (first, "rep1", "rep2", "rep1 off sick"),
        (second, "rep1", "rep2", "rep1 off sick"),
    ]
    with team.store.reading() as session:
        history = session.execute(
            select(
                Assignment.lead_id,
                Assignment.from_user_id,
                Assignment.to_user_id,
                Assignment.by_user_id,
            )
        ).all()
    assert sorted(history) == [
        (first, team.ids["rep1"], team.ids["rep2"], team.ids["lead1"]),
        (second, team.ids["rep1"], team.ids["rep2"], team.ids["lead1"]),
    ]


def test_moving_the_n_oldest_takes_the_longest_waiting_first(team: Team) -> None:
    newest = team.lead("rep1", hours_ago=1)
    oldest = team.lead("rep1", hours_ago=30)
    middle = team.lead("rep1", hours_ago=5)
    with team.desk("lead1") as desk:
        preview = desk.team.preview_reassign(LeadPick(from_user="rep1", count=2), to_user="rep2")
        assert [m.lead_id for m in preview.moves] == [oldest, middle]
        desk.team.apply_reassign(preview)
    assert [team.owner_of(i) for i in (oldest, middle, newest)] == ["rep2", "rep2", "rep1"]


def test_an_absent_reps_leads_go_to_the_pool_when_no_receiver_is_named(team: Team) -> None:
    open_leads = [team.lead("rep1"), team.lead("rep1")]
    closed = team.lead("rep1", stage=Stage.NURTURE)
    with team.desk("lead1") as desk:
        result = desk.team.reassign(LeadPick(from_user="rep1"), to_user=None)
    assert result.preview.to_user is None
    assert [team.owner_of(i) for i in open_leads] == [None, None]
    assert team.owner_of(closed) == "rep1"  # history stays with who worked it


def test_a_lead_on_a_call_is_not_taken_without_force(team: Team) -> None:
    free, busy = team.lead("rep1"), team.lead("rep1")
    team.claim(busy, "rep1")
    with team.desk("lead1") as desk, pytest.raises(Conflict, match=r"on a call with rep1.*--force"):
        desk.team.reassign(LeadPick(lead_ids=(free, busy)), to_user="rep2")
    assert [team.owner_of(free), team.owner_of(busy)] == ["rep1", "rep1"]  # all or nothing
    assert _events(team, "reassigned") == []


def test_forcing_takes_the_lead_clears_the_claim_and_says_so(team: Team) -> None:
    busy = team.lead("rep1")
    team.claim(busy, "rep1")
    with team.desk("lead1") as desk:
        result = desk.team.reassign(LeadPick(lead_ids=(busy,)), to_user="rep2", force=True)
    assert [m.lead_id for m in result.forced] == [busy]
    lead = team.get(busy)
    assert (team.owner_of(busy), lead.claimed_by_id, lead.claim_expires_at) == ("rep2", None, None)
    [event] = _events(team, "reassigned")
    assert event.details == {"taken_from_call_with": "rep1"}


def test_a_move_after_the_call_happens_once_the_lease_ends(team: Team) -> None:
    busy = team.lead("rep1")
    team.claim(busy, "rep1", minutes=10)
    with team.desk("lead1") as desk:
        result = desk.team.reassign(LeadPick(lead_ids=(busy,)), to_user="rep2", after_call=True)
        assert [m.lead_id for m in result.after_call] == [busy]
        assert team.owner_of(busy) == "rep1"
        assert desk.team.sweep().moved_after_call == ()  # still on the call
        team.clock.advance(minutes=11)
        assert desk.team.sweep().moved_after_call == (busy,)
    assert team.owner_of(busy) == "rep2"
    assert team.get(busy).extra is None


@pytest.mark.parametrize("ends", ["release", "no_answer"])
def test_a_move_after_the_call_happens_as_soon_as_the_rep_lets_go(team: Team, ends: str) -> None:
    busy = team.lead("rep1")
    with team.desk("rep1") as rep:
        rep.queue.renew_claim(busy)  # the rep has it open, on the phone
        with team.desk("lead1") as lead:
            lead.team.reassign(LeadPick(lead_ids=(busy,)), to_user="rep2", after_call=True)
        assert team.owner_of(busy) == "rep1"
        if ends == "release":
            rep.queue.release(busy)
        else:
            rep.calls.log(busy, CallOutcome.NO_ANSWER)
    assert team.owner_of(busy) == "rep2"  # no sweep needed
    assert team.get(busy).extra is None
    with team.store.reading() as session:
        moves = session.scalars(select(Assignment).where(Assignment.lead_id == busy)).all()
    assert len(moves) == 1


def test_a_connected_call_keeps_the_lead_until_it_ends(team: Team) -> None:
    busy = team.lead("rep1")
    with team.desk("rep1") as rep:
        rep.queue.renew_claim(busy)
        with team.desk("lead1") as lead:
            lead.team.reassign(LeadPick(lead_ids=(busy,)), to_user="rep2", after_call=True)
        rep.calls.log(busy, CallOutcome.CONNECTED)
        assert team.owner_of(busy) == "rep1"  # still qualifying: not taken from under them
        rep.queue.release(busy)
    assert team.owner_of(busy) == "rep2"


def test_a_reps_verdict_after_the_preview_makes_the_move_refuse(team: Team) -> None:
    lead_id = team.lead("rep1")
    with team.desk("lead1") as desk:
        preview = desk.team.preview_reassign(LeadPick(lead_ids=(lead_id,)), to_user="rep2")
        with (
            team.store.transaction() as session
        ):  # the rep's verdict lands meanwhile (ORM: version bump)
            lead = session.get(Lead, lead_id)
            assert lead is not None
            lead.stage = Stage.QUALIFIED
        with pytest.raises(Conflict, match=f"Lead {lead_id} changed"):
            desk.team.apply_reassign(preview)
    assert team.owner_of(lead_id) == "rep1"
    with team.store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Assignment)) == 0


@pytest.mark.parametrize(
    ("pick", "to", "says"),
    [
        (LeadPick(lead_ids=(999,)), "rep2", "No lead 999"),
        (LeadPick(), "rep2", "Say which leads"),
        (LeadPick(from_user="rep1"), "nobody", "No user named 'nobody'"),
        (LeadPick(from_user="rep1"), "sales1", "has no call queue"),
        (LeadPick(from_user="rep1", count=0), "rep2", "give a number of leads from 1"),
    ],
)
def test_bad_requests_are_refused_with_a_plain_message(
    team: Team, pick: LeadPick, to: str, says: str
) -> None:
    from leaddesk.domain import Role

    team.user("sales1", Role.SALES)
    team.lead("rep1")
    with team.desk("lead1") as desk, pytest.raises(InputError, match=says) as refused:
        desk.team.reassign(pick, to_user=to)
    assert refused.value.field == ("count" if pick.count is not None else None)


def test_closed_leads_do_not_move(team: Team) -> None:
    done = team.lead("rep1", stage=Stage.HANDED_OFF)
    with team.desk("lead1") as desk, pytest.raises(InputError, match=r"closed .handed off"):
        desk.team.reassign(LeadPick(lead_ids=(done,)), to_user="rep2")


def test_preview_warns_about_capacity_and_territory(team: Team) -> None:
    team.user("rep3", capacity=1, territories=["DE"])
    leads = (team.lead("rep1", country="US"), team.lead("rep1", country="DE"))
    with team.desk("lead1") as desk:
        preview = desk.team.preview_reassign(LeadPick(lead_ids=leads), to_user="rep3")
    assert preview.warnings == (
        "rep3 would hold 2 open leads (capacity 1).",
        "1 of these leads are outside rep3's territories (DE).",
    )

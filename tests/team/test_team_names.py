"""Moves and rebalances name people as the team knows them (display names), not by sign-in name.

The sign-in name stays where it is what a user types (``--to rep2``) or what the audit trail
records; everything said about a person in a preview, a warning or a refusal uses their name.
"""

from __future__ import annotations

import pytest

from leaddesk.errors import Conflict, InputError
from leaddesk.people.users import find_user
from leaddesk.team.reassign import LeadPick
from tests.factories import Team

NAMES = {"rep1": "Rosa Diaz", "rep2": "Tom Berg", "rep3": "Ines Ode"}


@pytest.fixture
def named(team: Team) -> Team:
    team.user("rep3", capacity=1, territories=["DE"])
    with team.store.transaction() as session:
        for login, shown in NAMES.items():
            user = find_user(session, login)
            assert user is not None
            user.display_name = shown
    return team


def _no_logins(*texts: str) -> None:
    for text in texts:
        assert not any(login in text for login in NAMES), text


def test_a_reassign_preview_and_its_refusal_name_people(named: Team) -> None:
    us, de, busy = (named.lead("rep1", country=c) for c in ("US", "DE", "DE"))
    already = named.lead("rep3", country="DE")
    named.claim(busy, "rep1")
    with named.desk("lead1") as desk:
        preview = desk.team.preview_reassign(
            LeadPick(lead_ids=(us, de, busy, already)), to_user="rep3"
        )
        with pytest.raises(Conflict) as refused:
            desk.team.apply_reassign(preview)
    assert preview.to_user == "rep3" and preview.to_display_name == "Ines Ode"
    assert {(m.from_display_name, m.to_display_name) for m in preview.moves} == {
        ("Rosa Diaz", "Ines Ode")
    }
    assert [m.on_call_display_name for m in preview.moves] == [None, None, "Rosa Diaz"]
    assert preview.warnings == (
        f"Lead {busy} is on a call with Rosa Diaz right now.",
        "Ines Ode would hold 4 open leads (capacity 1).",
        "1 of these leads are outside Ines Ode's territories (DE).",
    )
    assert preview.skipped == (f"Lead {already} is already with Ines Ode.",)
    assert f"Lead {busy} is on a call with Rosa Diaz right now." in refused.value.message
    _no_logins(*preview.warnings, *preview.skipped, refused.value.message)


def test_a_spread_and_a_rebalance_name_people(named: Team) -> None:
    first, second, busy = (named.lead("rep1", hours_ago=h) for h in (3, 2, 1))
    named.claim(busy, "rep1")
    with named.desk("lead1") as desk:
        plan = desk.team.plan_spread("rep1")
    assert plan.reason == "Spread while Rosa Diaz is away"
    assert [u.why for u in plan.unplaced] == ["on a call with Rosa Diaz right now"]
    assert {m.lead_id: m.to_display_name for m in plan.moves} == {
        first: "Tom Berg",
        second: "Tom Berg",
    }
    assert {r.name: r.display_name for r in plan.reps} == {"rep2": "Tom Berg", "rep3": "Ines Ode"}
    _no_logins(plan.reason, *(u.why for u in plan.unplaced))


def test_refusing_a_receiver_names_them(named: Team) -> None:
    named.lead("rep1")
    with named.store.transaction() as session:
        gone = find_user(session, "rep2")
        assert gone is not None
        gone.active = False
    with named.desk("lead1") as desk, pytest.raises(InputError) as refused:
        desk.team.reassign(LeadPick(from_user="rep1"), to_user="rep2")
    assert refused.value.message == "Tom Berg is deactivated; pick an active rep or the pool."

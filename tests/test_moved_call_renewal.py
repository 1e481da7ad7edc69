"""A team lead force-moves the lead of a rep's call in progress: the window's next renewal of
the claim says what happened and what to do (the call is kept), in the core's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict, MovedDuringCall
from leaddesk.team.reassign import LeadPick
from tests.factories import EVERYONE, Team, TeamLogins, inquiries_file


def test_renewing_the_claim_on_a_lead_moved_during_the_call_says_the_call_is_kept(
    store_location: str, clock: FixedClock
) -> None:
    team = Team(store_location, clock, EVERYONE, display_name=lambda name: name.title())
    lead_id = team.lead("rep1")
    with team.desk("rep1") as rep, team.desk("lead1") as lead:
        assert rep.queue.renew_claim(lead_id)  # the rep is on the call
        lead.team.reassign(LeadPick(lead_ids=(lead_id,)), to_user="rep2", force=True)
        with pytest.raises(MovedDuringCall) as refused:
            rep.queue.renew_claim(lead_id)
        assert refused.value.message == (
            f"Your team lead moved lead {lead_id} to Rep2 during this call; log the call as "
            "usual, it is kept on the lead."
        )
        assert isinstance(refused.value, Conflict) and refused.value.exit_code == 4
        # As it says: the call is logged as usual and kept; after that the lead is simply
        # another rep's.
        assert rep.calls.log(lead_id, CallOutcome.NO_ANSWER).kept
        with pytest.raises(Conflict, match="assigned to another rep") as later:
            rep.queue.renew_claim(lead_id)
        assert not isinstance(later.value, MovedDuringCall)
    team.store.close()


def test_a_reps_own_team_login_is_told_its_moved_call_is_kept(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    """On a team database the rep's own login reads who the lead went to (real PostgreSQL)."""
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
        row = rep.queue.next()  # claimed: the rep is on the call
        assert row is not None
        with open_desk(team.url_for(team.lead), team.lead, clock=clock) as lead:
            lead.team.reassign(LeadPick(lead_ids=(row.lead_id,)), to_user=team.lead, force=True)
            now_with = lead.actor.display_name
        with pytest.raises(MovedDuringCall, match=f"moved lead {row.lead_id} to {now_with} "):
            rep.queue.renew_claim(row.lead_id)

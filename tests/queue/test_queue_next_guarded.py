"""`next` on SQLite claims on the driver's connection alone, unless a window guards the
store's writes: a window another took over cannot claim, the CLI (no window) still can."""

from __future__ import annotations

import pytest
from queue_helpers import Team, add_lead
from sqlalchemy import select

from leaddesk.sign_in.windows import WindowTakenOver
from leaddesk.store.models import AuditEvent, Lead


def test_next_in_a_window_taken_over_is_refused_and_the_cli_still_claims(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        for _ in range(3):
            add_lead(s, now=now, owner=team.ids["rep1"])
    first = team.desk("rep1")
    first.people.claim_window()
    mine = first.queue.next()  # the window's own claim, through the guard
    with team.desk("rep1") as second:
        second.people.claim_window(take_over=True)
        with pytest.raises(WindowTakenOver):
            first.queue.next()
        with team.desk("rep1") as cli:
            taken = cli.queue.next()
    first.close()
    assert mine is not None and taken is not None
    assert taken.lead_id != mine.lead_id
    with team.store.reading() as session:
        claimed = session.scalars(select(Lead.id).where(Lead.claimed_by_id.is_not(None))).all()
        noted = session.scalars(
            select(AuditEvent.lead_id).where(AuditEvent.action == "claim_taken")
        ).all()
    assert sorted(claimed) == sorted(noted) == sorted([mine.lead_id, taken.lead_id])

"""A crash mid-call loses no answer that was saved, and leaves no half-saved one behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest
from qualification_scenarios import add_lead, set_up_team
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Stage
from leaddesk.store.models import AuditEvent

# Two answers saved, then the process dies hard while a third is being written.
CALL_THEN_CRASH = textwrap.dedent(
    """
    import os, signal, sys
    from leaddesk.qualifying import qualification
    from leaddesk.desk import open_desk

    location, lead_id = sys.argv[1], int(sys.argv[2])
    desk = open_desk(location, "rep1")
    desk.qualifying.answer(lead_id, {"contact_check": "yes"})
    desk.qualifying.answer(lead_id, {"pain_level": "major", "decision_role": "decision_maker"})
    assert desk.actor.id is not None
    with desk.store.transaction() as session:
        qualification.answer(
            session, lead_id=lead_id, answers={"timeline": "3_months"},
            actor_id=desk.actor.id, at=desk.clock(),
        )
        session.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is how a crash is simulated")
def test_killed_mid_qualification_keeps_every_saved_answer(
    store_location: str, clock: FixedClock
) -> None:
    set_up_team(store_location, clock)
    lead_id = add_lead(store_location, clock)
    crashed = subprocess.run(
        [sys.executable, "-c", CALL_THEN_CRASH, store_location, str(lead_id)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    with open_desk(store_location, "rep1", clock=clock) as desk:
        state = desk.qualifying.evaluate(lead_id)
        with desk.store.reading() as session:
            saves = session.scalar(
                select(func.count()).where(
                    AuditEvent.lead_id == lead_id, AuditEvent.action == "answers_saved"
                )
            )
    assert state.answers == {
        "contact_check": "yes",
        "pain_level": "major",
        "decision_role": "decision_maker",
    }
    assert state.stage is Stage.IN_QUALIFICATION
    assert saves == 2
    # The rep picks up on the next call where the last one ended.
    with open_desk(store_location, "rep1", clock=clock) as desk:
        resumed = desk.qualifying.answer(lead_id, {"timeline": "3_months"})
    assert resumed.answers["timeline"] == "3_months"

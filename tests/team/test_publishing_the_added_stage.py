"""Publishing a version that adds the marketing-qualified stage moves the leads still new that
meet its rule into it, each step audited, and `definition publish` says how many; leads
already worked stay where they are, and publishing the same text again moves nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, Stage
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent
from tests.cli_in_process import RunCli
from tests.factories import small_team
from tests.intake.test_intake_import import ADA, BOB
from tests.team.test_marketing_qualified_stage import (
    CARL,
    LABEL,
    TEAM,
    WITH_STAGE,
    _import,
    _lead_of,
)


def _steps_into_the_stage(location: str) -> list[AuditEvent]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(
                session.scalars(
                    select(AuditEvent).where(AuditEvent.action == AuditAction.MARKETING_QUALIFIED)
                )
            )
    finally:
        store.close()


def test_publishing_the_stage_moves_the_new_leads_meeting_its_rule_into_it_audited(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _import(store_location, clock, tmp_path / "in.csv", [ADA, BOB, CARL])
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.log(_lead_of(store_location, "Carl").id, CallOutcome.NO_ANSWER)
    clock.advance(minutes=10)

    with open_desk(store_location, "lead1", clock=clock) as desk:
        result = desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
        again = desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
    assert (result.moved_to_added_stage, result.added_stage_label) == (1, LABEL)
    assert (again.created, again.moved_to_added_stage) == (False, 0)

    ada, bob = _lead_of(store_location, "Ada"), _lead_of(store_location, "Bob")
    assert (ada.stage, ada.marketing_qualified_at) == (Stage.MARKETING_QUALIFIED, clock())
    assert (bob.stage, bob.marketing_qualified_at) == (Stage.NEW, None)  # a webinar sign-up
    assert _lead_of(store_location, "Carl").stage is Stage.WORKING  # a rep has worked it
    (step,) = _steps_into_the_stage(store_location)
    assert (step.lead_id, step.from_state, step.to_state) == (ada.id, "new", "marketing_qualified")
    assert step.reason is not None and f"{LABEL} in lead definition version" in step.reason
    with open_desk(store_location, "rep1", clock=clock) as rep:
        timeline = rep.queue.lead_file(ada.id).timeline
    assert [entry.text for entry in timeline if entry.text.startswith(LABEL)] == [
        f"{LABEL}: met the lead definition's rule"
    ]


def test_a_version_that_keeps_the_stage_moves_nobody(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    with open_desk(store_location, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
    # Arrived new under a rule it did not meet; a looser rule later is for new arrivals.
    _import(store_location, clock, tmp_path / "in.csv", [BOB])
    looser = WITH_STAGE.replace('source = "web_form", ', "")
    with open_desk(store_location, "lead1", clock=clock) as desk:
        result = desk.qualifying.publish_definition(looser, "team.toml")
    assert (result.created, result.moved_to_added_stage, result.added_stage_label) == (
        True,
        0,
        None,
    )
    assert _lead_of(store_location, "Bob").stage is Stage.NEW


def test_definition_publish_says_how_many_leads_moved_into_the_stage(
    sqlite_store_path: Path, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    location = str(sqlite_store_path)
    with small_team(location, clock, TEAM):
        pass
    _import(location, clock, tmp_path / "in.csv", [ADA, BOB])
    (tmp_path / "team.toml").write_text(WITH_STAGE, encoding="utf-8")
    code, out, err = run_cli(
        "definition", "publish", str(tmp_path / "team.toml"), "--as", "lead1", db=sqlite_store_path
    )
    assert code == 0, err
    assert f"1 lead still new meets its rule for {LABEL} and moved into it." in out

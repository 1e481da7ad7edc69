"""Qualifiers never create opportunities: every path they could try is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from handoff_helpers import Team, write_feedback
from sqlalchemy import func, select

from leaddesk.domain import SalesDecision, Stage
from leaddesk.errors import NotPermitted
from leaddesk.handoff import Decision, import_feedback, import_feedback_file, record_decision
from leaddesk.store.models import OpportunityRef, SalesFeedback
from tests.cli_in_process import RunCli

NOT_SALES = ["rep1", "lead1", "admin"]


@pytest.fixture
def handed(team: Team, out_dir: Path, tmp_path: Path) -> tuple[int, Path]:
    lead = team.qualified_lead("rep1")
    with team.desk("rep1") as desk:
        desk.handoff.export(out_dir)
    return lead, write_feedback(tmp_path / "fb.csv", [f"{lead},accepted,006EVIL,Me,,,"])


def assert_nothing_recorded(team: Team, lead: int) -> None:
    with team.store.reading() as session:
        assert session.scalar(select(func.count()).select_from(OpportunityRef)) == 0
        assert session.scalar(select(func.count()).select_from(SalesFeedback)) == 0
    assert team.lead(lead).stage is Stage.HANDED_OFF


@pytest.mark.parametrize("who", NOT_SALES)
def test_desk_refuses_feedback_and_opportunities(
    team: Team, handed: tuple[int, Path], who: str
) -> None:
    lead, file = handed
    with team.desk(who) as desk:
        with pytest.raises(NotPermitted):
            desk.handoff.import_feedback(file)
        with pytest.raises(NotPermitted):
            desk.handoff.record_decision(Decision(lead, SalesDecision.ACCEPTED, "006EVIL"))
    assert_nothing_recorded(team, lead)


@pytest.mark.parametrize("who", NOT_SALES)
def test_the_service_below_the_desk_refuses_too(
    team: Team, handed: tuple[int, Path], who: str
) -> None:
    lead, file = handed
    actor = team.ids[who]
    with pytest.raises(NotPermitted):
        import_feedback_file(team.store, actor_id=actor, path=file, at=team.clock())
    with pytest.raises(NotPermitted), team.store.transaction() as session:
        import_feedback(
            session,
            actor_id=actor,
            decisions=[Decision(lead, SalesDecision.ACCEPTED, "006EVIL")],
            at=team.clock(),
        )
    with pytest.raises(NotPermitted), team.store.transaction() as session:
        record_decision(
            session,
            actor_id=actor,
            decision=Decision(lead, SalesDecision.ACCEPTED, "006EVIL"),
            at=team.clock(),
        )
    with pytest.raises(NotPermitted), team.store.transaction() as session:
        import_feedback(session, actor_id=None, decisions=[], at=team.clock())
    assert_nothing_recorded(team, lead)


def test_cli_feedback_as_a_qualifier_exits_3(
    team: Team, handed: tuple[int, Path], run_cli: RunCli
) -> None:
    lead, file = handed
    for who in NOT_SALES:
        result = run_cli("feedback", file, "--as", who, db=team.location)
        assert result.returncode == 3, result.stderr
        assert "cannot record sales feedback" in result.stderr
    assert_nothing_recorded(team, lead)

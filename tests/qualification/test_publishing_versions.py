"""Publishing the lead definition: checked in full, team lead or admin only, never changed after."""

from __future__ import annotations

import pytest
from qualification_scenarios import broken_bant, reworded_bant, set_up_team, template_text
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.definition import DefinitionError
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, DefinitionVersion


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _version_count(location: str) -> int:
    store = open_store(location)
    try:
        with store.reading() as session:
            return session.scalar(select(func.count()).select_from(DefinitionVersion)) or 0
    finally:
        store.close()


def test_team_lead_and_admin_publish_templates_as_numbered_versions(
    team: str, clock: FixedClock
) -> None:
    with open_desk(team, "lead1", clock=clock) as desk:
        champ = desk.qualifying.publish_definition(
            template_text("champ"), "champ.toml", note="Try CHAMP"
        )
        anum = desk.qualifying.publish_definition(template_text("anum"), "anum.toml")
    with open_desk(team, "admin1", clock=clock) as desk:
        meddic = desk.qualifying.publish_definition(template_text("meddic"), "meddic.toml")
        shown = desk.qualifying.definition()
        second = desk.qualifying.definition(2)
    assert [r.version.version for r in (champ, anum, meddic)] == [2, 3, 4]
    assert all(r.created for r in (champ, anum, meddic))
    assert (shown.published.version, shown.definition.framework) == (4, "MEDDIC")
    assert (second.definition.framework, second.published.note) == ("CHAMP", "Try CHAMP")
    assert second.published.published_by == "lead1"
    store = open_store(team)
    with store.reading() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "definition_published")
            .order_by(AuditEvent.id)
        ).all()
    store.close()
    assert [(e.from_state, e.to_state) for e in events] == [
        (None, "1"),
        ("1", "2"),
        ("2", "3"),
        ("3", "4"),
    ]


def test_publishing_the_current_text_again_changes_nothing(team: str, clock: FixedClock) -> None:
    with open_desk(team, "lead1", clock=clock) as desk:
        again = desk.qualifying.publish_definition(template_text("bant"), "bant.toml")
    assert (again.created, again.version.version) == (False, 1)
    assert _version_count(team) == 1


@pytest.mark.parametrize("user", ["rep1", "sales1"])
def test_only_team_leads_and_admins_publish(team: str, clock: FixedClock, user: str) -> None:
    with (
        open_desk(team, user, clock=clock) as desk,
        pytest.raises(NotPermitted, match="cannot publish the lead definition"),
    ):
        desk.qualifying.publish_definition(template_text("champ"), "champ.toml")
    assert _version_count(team) == 1


def test_broken_definition_is_refused_with_its_line_and_the_store_is_unchanged(
    team: str, clock: FixedClock
) -> None:
    text, line = broken_bant()
    with open_desk(team, "lead1", clock=clock) as desk:
        with pytest.raises(DefinitionError) as raised:
            desk.qualifying.publish_definition(text, "team-bant.toml")
        assert desk.qualifying.definition().published.version == 1
    assert raised.value.problems[0].line == line
    assert str(raised.value.problems[0]).startswith(f"team-bant.toml:{line}: rules[")
    assert "pain_levle" in raised.value.message
    assert _version_count(team) == 1


def test_toml_syntax_error_is_refused_with_its_line(team: str, clock: FixedClock) -> None:
    text = template_text("bant").replace('name = "BANT (default)"', 'name = "BANT (default)', 1)
    with open_desk(team, "lead1", clock=clock) as desk, pytest.raises(DefinitionError) as raised:
        desk.qualifying.publish_definition(text, "typo.toml")
    assert raised.value.problems[0].line == 8
    assert _version_count(team) == 1


def test_a_published_version_can_never_be_changed(team: str, clock: FixedClock) -> None:
    store = open_store(team)
    try:
        with pytest.raises(Conflict, match="cannot be changed"), store.transaction() as session:
            row = session.scalar(select(DefinitionVersion))
            assert row is not None
            row.source_text = "# rewritten history"
        with pytest.raises(Conflict, match="cannot be deleted"), store.transaction() as session:
            row = session.scalar(select(DefinitionVersion))
            session.delete(row)
        with store.reading() as session:
            kept = session.scalar(select(DefinitionVersion.source_text))
    finally:
        store.close()
    assert kept == template_text("bant")


def test_diff_names_the_reworded_question_against_the_current_version(
    team: str, clock: FixedClock
) -> None:
    with open_desk(team, "rep1", clock=clock) as desk:
        diff = desk.qualifying.definition_diff(reworded_bant(), "bant-v2.toml")
        same = desk.qualifying.definition_diff(template_text("bant"), "bant.toml")
    assert diff.current is not None and diff.current.version == 1
    assert any("pain_level" in change for change in diff.changes)
    assert any("What does this problem cost you each month?" in c for c in diff.changes)
    assert same.changes == ()


def test_unknown_version_names_the_versions_there_are(team: str, clock: FixedClock) -> None:
    with (
        open_desk(team, "rep1", clock=clock) as desk,
        pytest.raises(InputError, match=r"No lead-definition version 7 \(the store has versions 1"),
    ):
        desk.qualifying.definition(7)


def test_a_versions_definition_is_parsed_once_and_reused(team: str, clock: FixedClock) -> None:
    store = open_store(team)
    try:
        with store.reading() as session:
            version_id = definition_versions.current_id(session)
            assert version_id is not None
            first = definition_versions.definition_for_version(session, version_id)
            again = definition_versions.definition_for_version(session, version_id)
    finally:
        store.close()
    assert first is again
    assert first.source == "definition version 1"

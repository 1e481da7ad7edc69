"""An import undone after reps only looked at its leads, through the team's own database logins:
the team lead's login and a rep's (their own import) both take the leads, their skips and the
looks' leads away, while the audit trail keeps the looks and stays append-only for everything
else. A rep still cannot undo a team lead's import. Real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from leaddesk.audit.actions import LOOK_ACTIONS
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.store.guards import LOOK_EVENTS
from tests.factories import TeamLogins, inquiries_file, plain_url


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(plain_url(url)) as connection:
        return list(connection.execute(query).fetchall())


def _refused(url: str, statement: str, match: str) -> None:
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=match),
        psycopg.connect(plain_url(url)) as connection,
    ):
        connection.execute(statement)


def _looked_at(url: str, name: str, clock: FixedClock) -> set[int]:
    """``name`` claims the top of their queue and skips it, then claims the next and lets it
    go: the leads they looked at."""
    with open_desk(url, name, clock=clock) as desk:
        first = desk.queue.next()
        assert first is not None
        desk.queue.skip(first.lead_id)
        second = desk.queue.next()
        assert second is not None and second.lead_id != first.lead_id
        assert desk.queue.release(second.lead_id)
    return {first.lead_id, second.lead_id}


_LOOKS = (
    "SELECT id, lead_id FROM audit_events "
    f"WHERE action IN ({', '.join(repr(action) for action in LOOK_EVENTS)}) ORDER BY id"
)


def test_the_trail_lets_through_exactly_the_looks_the_undo_takes_along() -> None:
    assert sorted(LOOK_EVENTS) == sorted(action.value for action in LOOK_ACTIONS)


def test_a_team_leads_login_undoes_an_import_its_rep_only_looked_at(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    lead_url = team.url_for(team.lead)
    with open_desk(lead_url, team.lead, clock=clock) as desk:
        run = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
    assert run.run_id is not None and run.counts.created == 3
    looked = _looked_at(team.url_for(team.rep), team.rep, clock)
    looks = _rows(team.owner_url, _LOOKS)
    assert {lead for _, lead in looks} == looked
    assert len(_rows(team.owner_url, "SELECT id FROM queue_skips")) == 1

    with open_desk(lead_url, team.lead, clock=clock) as desk:
        undone = desk.intake.undo(run.run_id)

    assert (undone.leads_removed, undone.looked_at) == (3, 2)
    assert _rows(team.owner_url, "SELECT id FROM leads") == []
    assert _rows(team.owner_url, "SELECT id FROM queue_skips") == []
    assert _rows(team.owner_url, _LOOKS) == [(event, None) for event, _ in looks]


def test_a_reps_login_undoes_its_own_import_after_looking_at_it(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    rep_url = team.url_for(team.rep)
    with open_desk(rep_url, team.rep, clock=clock) as desk:
        run = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
    assert run.run_id is not None
    _looked_at(rep_url, team.rep, clock)
    with open_desk(rep_url, team.rep, clock=clock) as desk:
        assert desk.intake.undo(run.run_id).leads_removed == 3
        assert desk.queue.page(limit=10) == []
    assert _rows(team.owner_url, "SELECT id FROM queue_skips") == []
    assert [lead for _, lead in _rows(team.owner_url, _LOOKS)] == [None] * 4


def test_a_rep_still_cannot_undo_nor_take_worked_leads_or_looks_away_at_the_database(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    lead_url, rep_url = team.url_for(team.lead), team.url_for(team.rep)
    with open_desk(lead_url, team.lead, clock=clock) as desk:
        run = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
    assert run.run_id is not None
    skipped, released = sorted(_looked_at(rep_url, team.rep, clock))
    with open_desk(rep_url, team.rep, clock=clock) as desk:
        with pytest.raises(NotPermitted, match="started by someone else"):
            desk.intake.undo(run.run_id)  # only looked at, but not the rep's import
        desk.calls.log(released, CallOutcome.NO_ANSWER)
    with open_desk(lead_url, team.lead, clock=clock) as desk, pytest.raises(Conflict) as refused:
        desk.intake.undo(run.run_id)
    assert "1 lead(s) from inquiries.csv have calls since the import" in refused.value.message
    assert len(_rows(team.owner_url, "SELECT id FROM leads")) == 3

    # At a SQL prompt: the worked lead stays; a look's event keeps its lead while it is there.
    _refused(rep_url, f"DELETE FROM leads WHERE id = {released}", "nobody has worked yet")
    detach = f"UPDATE audit_events SET lead_id = NULL WHERE lead_id = {skipped}"
    _refused(rep_url, detach, "permission denied for table audit_events")
    _refused(team.owner_url, detach, "append-only")  # only the lead's removal clears it
    # A lead with any event but a look keeps it, even for the store's owner.
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        connection.execute(
            "INSERT INTO audit_events (at, action, lead_id) "
            f"VALUES (now(), 'contact_changed', {skipped})"
        )
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
        psycopg.connect(plain_url(team.owner_url)) as connection,
    ):
        connection.execute(f"DELETE FROM assignments WHERE lead_id = {skipped}")
        connection.execute(f"DELETE FROM leads WHERE id = {skipped}")
    assert len(_rows(team.owner_url, "SELECT id FROM leads")) == 3

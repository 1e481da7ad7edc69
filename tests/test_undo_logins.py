"""An import undone after reps only looked at its leads and the sweep only flagged them as
untouched, through the team's own database logins: the team lead's login and a rep's (their own
import) both take the leads, their skips and the looks' and flags' leads away, while the audit
trail keeps the looks and flags and stays append-only for everything else. A rep still cannot
undo a team lead's import. A team store at 0033 lets the flags through once upgraded. Real
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import psycopg
import pytest

from leaddesk.audit.actions import LOOK_ACTIONS, NOT_WORK_ACTIONS, UNTOUCHED_FLAG_ACTIONS
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.store import guards, open_store
from leaddesk.store.guards import NOT_WORK_EVENTS
from leaddesk.store.migrations import SCHEMA_HEAD
from leaddesk.store.plpgsql import literal
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


def _events(actions: Iterable[str]) -> str:
    listed = ", ".join(repr(str(action)) for action in sorted(actions))
    return f"SELECT id, lead_id FROM audit_events WHERE action IN ({listed}) ORDER BY id"


_LOOKS = _events(action.value for action in LOOK_ACTIONS)
_FLAGS = _events(action.value for action in UNTOUCHED_FLAG_ACTIONS)


def _swept(url: str, name: str, clock: FixedClock) -> set[int]:
    """Nobody touches the leads for 26 business hours; ``name``'s sweep flags them."""
    clock.advance(hours=122)
    with open_desk(url, name, clock=clock) as desk:
        return set(desk.team.sweep().flagged)


def test_the_trail_lets_through_exactly_the_events_the_undo_takes_along() -> None:
    assert sorted(NOT_WORK_EVENTS) == sorted(action.value for action in NOT_WORK_ACTIONS)


def test_a_team_leads_login_undoes_an_import_its_rep_only_looked_at_and_the_sweep_flagged(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    lead_url = team.url_for(team.lead)
    with open_desk(lead_url, team.lead, clock=clock) as desk:
        run = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 3))
    assert run.run_id is not None and run.counts.created == 3
    flagged = _swept(lead_url, team.lead, clock)
    looked = _looked_at(team.url_for(team.rep), team.rep, clock)
    looks, flags = _rows(team.owner_url, _LOOKS), _rows(team.owner_url, _FLAGS)
    assert {lead for _, lead in looks} == looked
    assert len(flagged) == 3 and {lead for _, lead in flags} == flagged
    assert len(_rows(team.owner_url, "SELECT id FROM queue_skips")) == 1

    with open_desk(lead_url, team.lead, clock=clock) as desk:
        undone = desk.intake.undo(run.run_id)

    assert (undone.leads_removed, undone.looked_at, undone.flagged) == (3, 2, 3)
    assert _rows(team.owner_url, "SELECT id FROM leads") == []
    assert _rows(team.owner_url, "SELECT id FROM queue_skips") == []
    assert _rows(team.owner_url, _LOOKS) == [(event, None) for event, _ in looks]
    assert _rows(team.owner_url, _FLAGS) == [(event, None) for event, _ in flags]


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
    assert len(_swept(lead_url, team.lead, clock)) == 3
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
    # Nor does the sweep's flag lose its lead while the lead is there.
    unflag = (
        "UPDATE audit_events SET lead_id = NULL "
        f"WHERE action = 'flagged_untouched' AND lead_id = {released}"
    )
    _refused(rep_url, unflag, "permission denied for table audit_events")
    _refused(team.owner_url, unflag, "append-only")
    # A lead with any event but a look or a flag keeps it, even for the store's owner.
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


def test_a_team_store_at_0033_lets_flagged_leads_go_with_an_undone_import_once_upgraded(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    lead_url = team.url_for(team.lead)
    with open_desk(lead_url, team.lead, clock=clock) as desk:
        run = desk.intake.import_file(inquiries_file(tmp_path / "inquiries.csv", 2))
    assert run.run_id is not None
    flagged = sorted(_swept(lead_url, team.lead, clock))
    assert len(flagged) == 2
    # The store as 0033 left it: the trail's guard lets only a look's event lose its lead.
    (guard,) = (
        sql
        for sql in guards._AUDIT_SQL
        if "leaddesk_audit_append_only()" in sql and "OLD.action IN" in sql
    )
    looks_only = ", ".join(literal(action.value) for action in sorted(LOOK_ACTIONS))
    old_guard = guard.replace(guards._NOT_WORK, looks_only)
    assert old_guard != guard
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        connection.execute(old_guard)
        connection.execute("UPDATE alembic_version SET version_num = '0033'")
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
        psycopg.connect(plain_url(team.owner_url)) as connection,
    ):
        connection.execute(f"DELETE FROM assignments WHERE lead_id = {flagged[0]}")
        connection.execute(f"DELETE FROM leads WHERE id = {flagged[0]}")

    open_store(team.owner_url).close()  # its owner opens it: upgraded

    assert _rows(team.owner_url, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    with open_desk(lead_url, team.lead, clock=clock) as desk:
        undone = desk.intake.undo(run.run_id)
    assert (undone.leads_removed, undone.flagged) == (2, 2)
    assert [lead for _, lead in _rows(team.owner_url, _FLAGS)] == [None, None]

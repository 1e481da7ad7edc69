"""How many statements `next` and a queue page send: each is a round trip on a team's
PostgreSQL store, so the count is what a rep on a far server waits for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from queue_helpers import Team, add_lead
from sqlalchemy import event, select

from leaddesk.queue import Band
from leaddesk.store import Store
from leaddesk.store.models import AuditEvent, Lead


@contextmanager
def counted(store: Store) -> Iterator[list[str]]:
    """What ``store`` sends (the desk's own: it opens the store anew, with its own engine)."""
    sent: list[str] = []
    engine = store.engine
    if store.is_sqlite:
        # `next` and the page run on the driver's cursor (leaddesk/store/driver_statements.py),
        # past SQLAlchemy's events: SQLite's own trace sees every statement.
        def trace(dbapi_connection: Any, *_rest: Any) -> None:
            dbapi_connection.set_trace_callback(sent.append)

        def untrace(dbapi_connection: Any, *_rest: Any) -> None:
            dbapi_connection.set_trace_callback(None)

        event.listen(engine, "checkout", trace)
        event.listen(engine, "checkin", untrace)
        try:
            yield sent
        finally:
            event.remove(engine, "checkout", trace)
            event.remove(engine, "checkin", untrace)
        return

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


# SQLite's BEGIN IMMEDIATE, COMMIT, a read's ROLLBACK and the claim's sync level are the
# driver's own; PostgreSQL's BEGIN is not sent as one (psycopg sends it with the first
# statement's round trip).
_NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")


def _sent_by(store: Store, work: Callable[[], object]) -> list[str]:
    work()  # the first call reads the definition and builds the statements; not counted
    with counted(store) as sent:
        work()
    return [statement for statement in sent if not statement.startswith(_NOT_COUNTED)]


def _limit(team: Team, statements: int) -> int:
    """PostgreSQL reads every band in one statement; SQLite (no round trips) band by band,
    stopping once enough leads are found: one statement more per band at most."""
    if team.store.url.get_backend_name() == "postgresql":
        return 3
    return statements + len(Band)


def test_next_claims_in_three_statements_with_its_audit_row(team: Team) -> None:
    now = team.clock()
    rep = team.ids["rep1"]
    with team.store.transaction() as s:
        ids = [add_lead(s, now=now, owner=rep).id for _ in range(3)]
    with team.desk("rep1") as desk:
        sent = _sent_by(desk.store, desk.queue.next)
    assert 3 <= len(sent) <= _limit(team, 3), sent
    with team.store.reading() as s:
        claimed = s.scalars(select(Lead.id).where(Lead.claimed_by_id == rep)).all()
        audited = s.scalars(select(AuditEvent.lead_id).where(AuditEvent.action == "claim_taken"))
        assert sorted(claimed) == ids[:2] == sorted(audited.all())


def test_a_queue_page_is_three_statements(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        for _ in range(5):
            add_lead(s, now=now, owner=team.ids["rep1"])
    with team.desk("rep1") as desk:
        sent = _sent_by(desk.store, lambda: desk.queue.page(limit=50))
        assert len(desk.queue.page(limit=50)) == 5
    assert 3 <= len(sent) <= _limit(team, 2), sent

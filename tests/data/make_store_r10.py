"""How tests/data/store-r10.sqlite3 was made: a store at schema 0010, where a team lead's move
of a lead a rep was calling still waited in the lead's extra fields (``move_after_call``) and
only the audit trail said which leads had one.

Kept for the record; the committed file is what the migration test opens. Re-running it
makes an equivalent store, e.g. ``python tests/data/make_store_r10.py /tmp/store-r10.sqlite3``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from leaddesk.domain import Role, Stage
from leaddesk.store import open_store
from leaddesk.store.migrations import upgrade
from leaddesk.store.models import AuditEvent, Lead, Person, User

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def main(path: str) -> None:
    store = open_store(path, migrate=False)
    upgrade(store, "0010")
    with store.transaction() as session:
        users = [
            User(name=name, display_name=shown, role=role, capacity=40, created_at=AT)
            for name, shown, role in (
                ("lead1", "Lead One", Role.TEAM_LEAD),
                ("rep1", "Rep One", Role.QUALIFIER),
                ("rep2", "Rep Two", Role.QUALIFIER),
            )
        ]
        session.add_all(users)
        session.flush()
        lead1, rep1, rep2 = users
        person = Person(first_name="Ana", last_name="Silva", country="US", created_at=AT)
        lead = Lead(
            person=person,
            source="web_form",
            arrived_at=AT - timedelta(hours=2),
            stage=Stage.WORKING,
            stage_changed_at=AT - timedelta(hours=1),
            assigned_to_id=rep1.id,
            claimed_by_id=rep1.id,
            claim_expires_at=AT + timedelta(minutes=15),
            extra={
                "department": "Operations",
                "move_after_call": {
                    "to": rep2.id,
                    "by": lead1.id,
                    "reason": "Rep Two covers Ohio",
                    "at": AT.isoformat(),
                },
            },
            created_at=AT - timedelta(hours=2),
        )
        session.add(lead)
        session.flush()
        session.add(
            AuditEvent(
                at=AT,
                actor_id=lead1.id,
                action="reassign_after_call",
                lead_id=lead.id,
                from_state="rep1",
                to_state="rep2",
                reason="Rep Two covers Ohio",
                details={"on_call_with": "rep1"},
            )
        )
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])

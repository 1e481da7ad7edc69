""" "Skip for now" gets a table of its own instead of being read back from the audit trail.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 17:00:00

The queue read a rep's live skips from their ``queue_skipped`` audit events of the last 12
hours. Each skip is now a row (the lead, the rep, when, the leads it waits behind), one per
rep and lead, the latest winning; the audit event is still written, as history. The skips of
the 12 hours before a store's newest one move in, so an upgrade keeps today's skips.
"""

import json
from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from leaddesk.store.types import UTCDateTime

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LASTS = timedelta(hours=12)  # leaddesk.queue.skips.SKIP_LASTS when this was written


def upgrade() -> None:
    op.create_table(
        "queue_skips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("skipped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("behind", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_queue_skips_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_queue_skips_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_skips")),
        sa.UniqueConstraint("user_id", "lead_id", name=op.f("uq_queue_skips_user_id_lead_id")),
    )
    _move_live_skips(op.get_bind())


def _move_live_skips(connection: sa.Connection) -> None:
    at = UTCDateTime()  # as the models read and write instants, on either store
    events = sa.table(
        "audit_events",
        sa.column("id"),
        sa.column("at", at),
        sa.column("actor_id"),
        sa.column("lead_id"),
        sa.column("action"),
        sa.column("details"),
    )
    skipped = events.c.action == "queue_skipped"
    newest = connection.scalar(sa.select(sa.func.max(events.c.at)).where(skipped))
    if newest is None:
        return
    since = newest - _LASTS
    rows = connection.execute(
        sa.select(events.c.actor_id, events.c.lead_id, events.c.at, events.c.details)
        .where(
            skipped,
            events.c.at > since,
            events.c.actor_id.is_not(None),
            events.c.lead_id.is_not(None),
        )
        .order_by(events.c.at, events.c.id)
    ).all()
    latest: dict[tuple[int, int], dict[str, object]] = {}
    for user_id, lead_id, when, raw in rows:  # the latest skip of a lead wins
        details = json.loads(raw) if isinstance(raw, str) else raw
        behind = details.get("behind", []) if isinstance(details, dict) else []
        latest[(user_id, lead_id)] = {
            "lead_id": lead_id,
            "user_id": user_id,
            "skipped_at": when,
            "behind": json.dumps([int(other) for other in behind]),
        }
    if latest:
        table = sa.table(
            "queue_skips",
            sa.column("lead_id"),
            sa.column("user_id"),
            sa.column("skipped_at", at),
            sa.column("behind"),
        )
        connection.execute(sa.insert(table), list(latest.values()))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

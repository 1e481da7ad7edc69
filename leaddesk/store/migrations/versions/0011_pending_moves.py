"""Moves waiting for a call to end get their own table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:40:00

A team lead's move of a lead a rep was calling was kept in the lead's extra fields, and the
sweep found such leads again by reading the audit trail. Each waiting move is now a row of
its own; the ones waiting in a store being upgraded move into it.
"""

import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = "move_after_call"  # where leads.extra held a waiting move


def upgrade() -> None:
    op.create_table(
        "pending_moves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"], name=op.f("fk_pending_moves_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_pending_moves_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"], ["users.id"], name=op.f("fk_pending_moves_to_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_moves")),
        sa.UniqueConstraint("lead_id", name=op.f("uq_pending_moves_lead_id")),
    )
    _move_waiting_moves(op.get_bind())


def _move_waiting_moves(connection: sa.Connection) -> None:
    """Moves still waiting in leads.extra become rows; the audit trail names the leads."""
    leads = sa.table("leads", sa.column("id"), sa.column("extra"), sa.column("version"))
    events = sa.table("audit_events", sa.column("lead_id"), sa.column("action"))
    pending = sa.table(
        "pending_moves",
        sa.column("lead_id"),
        sa.column("to_user_id"),
        sa.column("by_user_id"),
        sa.column("reason"),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    named = sa.select(events.c.lead_id).where(events.c.action == "reassign_after_call")
    rows = connection.execute(
        sa.select(leads.c.id, leads.c.extra).where(leads.c.id.in_(named.distinct()))
    ).all()
    for lead_id, raw in rows:
        extra = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(extra, dict) or _KEY not in extra:
            continue
        waiting = extra.pop(_KEY) or {}
        connection.execute(
            sa.insert(pending).values(
                lead_id=lead_id,
                to_user_id=waiting.get("to"),
                by_user_id=waiting.get("by"),
                reason=str(waiting.get("reason") or "Reassigned by the team lead"),
                at=datetime.fromisoformat(waiting["at"]),
            )
        )
        connection.execute(
            sa.update(leads)
            .where(leads.c.id == lead_id)
            .values(extra=_dumps(extra) if extra else None)
        )


def _dumps(extra: dict[str, object]) -> str:
    return json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str)  # as JSONText


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""A rep's look at a lead (a claim, its release, a skip) no longer keeps an import from being
undone: its audit event stays when the lead goes, without the lead.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 22:00:00

``audit_events.lead_id`` now clears itself (ON DELETE SET NULL) when its lead is removed, which
only an undone import does. On PostgreSQL the append-only trail lets exactly that change
through, and only for the events of a look (``leaddesk.audit.actions.LOOK_ACTIONS``; 0034 adds
the sweep's untouched flag): a lead with any other event still cannot be removed, whoever asks.
SQLite copies the table once to change the key.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = "fk_audit_events_lead_id_leads"


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(_KEY, type_="foreignkey")
        batch_op.create_foreign_key(_KEY, "leads", ["lead_id"], ["id"], ondelete="SET NULL")
    if connection.dialect.name == "postgresql":
        from leaddesk.store import guards

        guards.install_audit_guard(connection)


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

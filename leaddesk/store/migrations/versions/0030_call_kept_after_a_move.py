"""The rep whose call a team lead's forced move took a lead from, so that call is still logged.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 14:10:00

A team lead may move a lead while a rep is on the phone with it (``reassign --force``). The
rep's outcome of that call came too late: the lead was no longer theirs and the call was
lost. ``leads.taken_from_call_id`` names that rep until they log the one call (or the lead
moves again); the call log and the team database's guards let them write that call and
nothing more. Leads stored before have nobody there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place; a batch would copy every lead.
        op.execute("ALTER TABLE leads ADD COLUMN taken_from_call_id INTEGER REFERENCES users (id)")
    else:
        op.add_column("leads", sa.Column("taken_from_call_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_leads_taken_from_call_id_users", "leads", "users", ["taken_from_call_id"], ["id"]
        )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""The audit trail names the login that wrote each event, and a team database keeps it
append-only.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:00:00

On PostgreSQL a trigger stamps every new event with the session's login and refuses any
change or removal, the store's owner included, except the words an erasure blanks. SQLite
gets the column only: a shared file is protected by who may write it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from leaddesk.store import guards

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_login", sa.String(length=64), nullable=True))
    guards.install_audit_guard(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""Passwords on shared stores, and one window per person per store.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:30:00

A store several people share as one SQLite file had a profile picker: anyone could pick any
name. Users may now carry a password hash, and each person's open window holds a lease (with
a heartbeat) so a second window of the same person is refused or takes over.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=256), nullable=True))
    op.create_table(
        "window_leases",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_window_leases_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_window_leases")),
    )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

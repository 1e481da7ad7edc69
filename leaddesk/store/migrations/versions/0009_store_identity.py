"""A store's own identity: a code made once per store, kept by backups and restores.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:00:00

Hand-off batches were named by day, user and batch number, so two stores exporting to one
folder could produce the same name and one replaced the other's files. The batch name now
carries the store's code. The row is made the first time a store needs it, not here, so a
restore can put the backed-up store's own code into the new store.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_identity")),
        sa.UniqueConstraint("code", name=op.f("uq_store_identity_code")),
    )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

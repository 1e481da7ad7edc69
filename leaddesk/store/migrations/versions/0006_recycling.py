"""Recycling: when a nurtured lead came back on its recycle date.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 18:00:00

A nurture verdict carries a recycle date from the lead definition; the sweep brings the
person back as a new lead once it passes and notes here that it did, so it happens once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recycled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""Talk time: when a connected call ended.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:00:00

A rep logs "connected" when the person picks up and then qualifies on the line, so the call's
length is known only when it ends. Calls stored before this revision were over when they were
logged, with the length they were logged with: they are ended then, so none of them reads as a
call a closed window left open.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("call_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE call_attempts SET ended_at = at"))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""Calls still on the line are found by an index of their own.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 06:00:00

The rep's window looks for the connected calls a closed window left open when it opens and
every minute. Only a connected call not yet ended has no ``ended_at`` (every other outcome
ends as it is logged), so a partial index on those few rows answers the look without walking
the rep's last two days of calls.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("ended_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_call_attempts_open",
        "call_attempts",
        ["user_id", "at"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_call_attempts_open", table_name="call_attempts")

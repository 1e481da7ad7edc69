"""The team's do-not-call list: numbers and emails to honour before anyone is imported.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

Until now a person became do-not-call only when a rep logged that outcome on a call. The
list holds what comes from outside (opt-out emails, a registry scrub, a suppression list)
and the one-way digests of people erased at their request.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "do_not_call_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_do_not_call_entries_added_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_do_not_call_entries")),
        sa.UniqueConstraint("digest", name=op.f("uq_do_not_call_entries_digest")),
    )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

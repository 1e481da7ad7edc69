"""An index of the verdicts that name a salesperson, by salesperson and id.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 13:20:00

Round robin hands the next lead to the salesperson whose last hand-off is oldest: the newest
verdict of each salesperson. Without an index that read walked every verdict of the store
(84 ms at 1,000,000 leads and 620,000 verdicts, while the rep waits to see who gets the
lead). Most verdicts name no salesperson (nurture, disqualify), so the index holds only
those that do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    where = sa.text("salesperson_id IS NOT NULL")
    op.create_index(
        "ix_verdicts_salesperson",
        "verdicts",
        ["salesperson_id", "id"],
        unique=False,
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

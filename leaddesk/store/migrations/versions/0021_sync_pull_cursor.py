"""The team's sync remembers how far it has read sales' answers back from the CRM.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07 05:30:00

``leaddesk sync pull`` asks the CRM only for records changed since the last pull; the moment
it read up to is kept on the team's sync settings row, advanced in the same transaction that
records the answers (a crash leaves both or neither). A store without a pull yet has none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pulled_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

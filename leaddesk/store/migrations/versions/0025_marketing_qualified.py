"""A stage the team adds in its lead definition: marketing-qualified ("Basic Qualified Lead").

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 12:00:00

A definition with ``[stages.marketing_qualified]`` starts a new lead that meets its rule in
that stage, an open one before working (docs/architecture.md §4). Each lead keeps when it
became marketing-qualified, so the funnel counts it after it moves on. The stage is a value
of the ``stage`` column, which has no CHECK constraint (``models._enum``): nothing to rebuild.

On a team database with logins the row guards list the stages a new lead may start in and
the open stages a rep's verdict names a salesperson from; they are made again here with the
new stage in those lists (``leaddesk.store.row_guards``). No index lists stages by value.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): SQLite adds a nullable column in place, and the
    # search index's triggers on leads stay as they are.
    op.add_column(
        "leads", sa.Column("marketing_qualified_at", sa.DateTime(timezone=True), nullable=True)
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        from leaddesk.store import grants, guards

        if grants.has_grants(connection):
            guards.install_login_guards(connection, grants.login_groups(connection))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

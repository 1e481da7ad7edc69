"""A rep's own login may no longer remove a colleague's "skip for now".

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 20:00:00

On a team database with logins, the guard on ``queue_skips`` checked only INSERT and UPDATE, so
a rep could delete a colleague's skip at a SQL prompt and pull a lead they had put off back to
the top of their queue. The guard now covers DELETE too; a skip going with its lead (ON DELETE
CASCADE, as when an import is taken back) is still let through (``leaddesk.store.row_guards``).
Nothing else changes: the guards are made again where the store has logins.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        from leaddesk.store import grants, guards

        if grants.has_grants(connection):
            guards.install_login_guards(connection, grants.login_groups(connection))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

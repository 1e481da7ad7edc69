"""A team lead's or admin's login may blank sales' comment on a lead only when its person is
erased.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-08 04:30:00

The guard on ``sales_feedback`` let a team lead or admin blank the comment sales wrote on any
lead, the way an erasure does, whether or not the lead's person was being erased: at a SQL
prompt a team lead could take sales' words off a lead. The erasure marks the person erased
before it blanks their words (``leaddesk.privacy.erasure``); the guard now asks for that mark
(``leaddesk.store.row_guards``). Nothing else changes: the guards are made again where the store
has logins.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
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

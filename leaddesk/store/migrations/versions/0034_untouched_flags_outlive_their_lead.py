"""The sweep's untouched flag (put on or taken off) no longer keeps an import from being undone:
like a look, its audit event stays when the lead goes, without the lead.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-08 03:00:00

The flag records that nobody worked the lead, the opposite of work. On PostgreSQL the
append-only trail's guard is put in again, letting the foreign key clear the lead of a
``flagged_untouched`` or ``untouched_flag_cleared`` event as well as a look's
(``leaddesk.audit.actions.NOT_WORK_ACTIONS``); a lead with any other event still cannot be
removed, whoever asks. SQLite has no such guard: nothing to change.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        from leaddesk.store import guards

        guards.install_audit_guard(connection)


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

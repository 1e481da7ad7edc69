"""Rep workspace: name and email prefix indexes for lead search; a rep's day by who and when.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00

Company search uses the existing accounts.name_key index and phone search the existing
people.phone index; names and emails are matched case-insensitively, hence lower().
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_people_first_name_lower", "people", [sa.text("lower(first_name)")])
    op.create_index("ix_people_last_name_lower", "people", [sa.text("lower(last_name)")])
    op.create_index("ix_people_email_lower", "people", [sa.text("lower(email)")])
    # The status bar's day summary: a rep's calls and verdicts since midnight.
    op.create_index("ix_call_attempts_user_at", "call_attempts", ["user_id", "at"])
    op.create_index("ix_verdicts_decided_by_at", "verdicts", ["decided_by_id", "decided_at"])


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""A lead keeps the tries of its current cadence.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 00:45:00

The queue said "retry 5 of 6" for a lead reached twice before, counting every call ever. The
cadence counts from the last contact (a connect, a booked callback, a "not interested"), so a
lead now keeps the unanswered calls since then, and the queue reads it without counting calls.
An upgraded store counts them once from its call history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in leaddesk.queue.cadence and leaddesk.calling.call_log when this was written.
_NO_CONTACT = ("no_answer", "busy", "voicemail", "gatekeeper")
_CONTACT = ("connected", "callback", "not_interested")


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cadence_attempts", sa.Integer(), nullable=False, server_default="0")
        )
    _count_from_history(op.get_bind())


def _count_from_history(connection: sa.Connection) -> None:
    """Each lead's unanswered calls since its last contact (all of them if never reached)."""
    leads = sa.table("leads", sa.column("id"), sa.column("cadence_attempts"))
    calls = sa.table(
        "call_attempts", sa.column("lead_id"), sa.column("at"), sa.column("outcome")
    ).alias("c")
    contact = sa.table(
        "call_attempts", sa.column("lead_id"), sa.column("at"), sa.column("outcome")
    ).alias("k")
    later_contact = (
        sa.select(contact.c.lead_id)
        .where(
            contact.c.lead_id == calls.c.lead_id,
            contact.c.outcome.in_(_CONTACT),
            contact.c.at > calls.c.at,
        )
        .exists()
    )
    unanswered = (
        sa.select(sa.func.count())
        .select_from(calls)
        .where(
            calls.c.lead_id == leads.c.id,
            calls.c.outcome.in_(_NO_CONTACT),
            ~later_contact,
        )
        .scalar_subquery()
    )
    connection.execute(sa.update(leads).values(cadence_attempts=unanswered))


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

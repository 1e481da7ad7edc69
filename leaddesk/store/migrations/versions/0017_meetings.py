"""Meetings booked on the call, and the salespeople's calendars they are booked into.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 05:00:00

A rep books the salesperson's free slot while the prospect is on the line. ``sales_calendars``
keeps each salesperson's working hours and the calendar (ICS) they gave, read for busy times;
``meetings`` keeps each booking with the invitation's stable UID and SEQUENCE. ``held_start``
is the start of a meeting still on (None once cancelled): unique per salesperson, so two reps
cannot book the same slot, on SQLite and PostgreSQL alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sales_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("calendar_text", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("day_start", sa.String(length=5), nullable=True),
        sa.Column("day_end", sa.String(length=5), nullable=True),
        sa.Column("weekdays", sa.String(length=16), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sales_calendars_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_sales_calendars_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_calendars")),
        sa.UniqueConstraint("user_id", name=op.f("uq_sales_calendars_user_id")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=128), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("salesperson_id", sa.Integer(), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_lead_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("prospect_zone", sa.String(length=64), nullable=True),
        sa.Column("decision_maker", sa.Text(), nullable=True),
        sa.Column("others", sa.Text(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_meetings_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["salesperson_id"], ["users.id"], name=op.f("fk_meetings_salesperson_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["users.id"], name=op.f("fk_meetings_booked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_meetings_changed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_meetings_uid")),
        sa.UniqueConstraint(
            "salesperson_id", "held_start", name=op.f("uq_meetings_salesperson_id_held_start")
        ),
        sa.UniqueConstraint("held_lead_id", name=op.f("uq_meetings_held_lead_id")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index(
            "ix_meetings_salesperson_starts", ["salesperson_id", "starts_at"], unique=False
        )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

"""Call queue: the person's calling zone(s), a hold on uncallable leads, per-band indexes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00

Existing people get their zone key from their phone number (or the zone already stored), so
calling hours apply to leads that were in the store before the queue existed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("zone_key", sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f("ix_people_zone_key"), ["zone_key"], unique=False)

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hold_reason", sa.String(length=32), nullable=True))
        batch_op.create_index(
            "ix_leads_queue_callbacks", ["assigned_to_id", "stage", "callback_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_queue_new", ["assigned_to_id", "stage", "sla_due_at"], unique=False
        )
        batch_op.create_index(
            "ix_leads_queue_due", ["assigned_to_id", "stage", "next_attempt_at"], unique=False
        )

    _fill_zone_keys()


def _fill_zone_keys() -> None:
    # A frozen copy of the rule in leaddesk.queue.zones at the time of this revision, so the
    # migration keeps doing the same thing whatever that module becomes.
    import phonenumbers
    from phonenumbers import timezone as phone_zones

    people = sa.table(
        "people",
        sa.column("id", sa.Integer),
        sa.column("phone", sa.String),
        sa.column("timezone", sa.String),
        sa.column("zone_key", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(people.c.id, people.c.phone, people.c.timezone).where(
            sa.or_(people.c.phone.is_not(None), people.c.timezone.is_not(None))
        )
    ).all()
    updates = []
    for person_id, phone, zone in rows:
        zones: tuple[str, ...] = ()
        if zone:
            zones = (zone,)
        elif phone:
            try:
                number = phonenumbers.parse(phone, None)
            except phonenumbers.NumberParseException:
                number = None
            if number is not None:
                found = phone_zones.time_zones_for_number(number)
                zones = tuple(z for z in found if z != phone_zones.UNKNOWN_TIMEZONE)
        # A toll-free or country-wide number "is" in dozens of zones: that says nothing.
        if zones and len(set(zones)) <= 8:
            updates.append({"pid": person_id, "key": "|".join(sorted(set(zones)))})
    if updates:
        connection.execute(
            people.update()
            .where(people.c.id == sa.bindparam("pid"))
            .values(zone_key=sa.bindparam("key")),
            updates,
        )


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

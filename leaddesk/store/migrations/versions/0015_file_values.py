"""What an import kept beyond a lead's fields is searchable: other numbers, the CRM's record id
and the extra columns' values, one indexed row per value.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 02:30:00

Search walks indexes only (0004); these values sat in the lead's JSON ``extra``, which no index
reaches. An upgraded store fills the table from the leads it has.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2_000


def upgrade() -> None:
    op.create_table(
        "lead_file_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_lead_file_values_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_file_values")),
        sa.UniqueConstraint("value", "lead_id", name=op.f("uq_lead_file_values_value_lead_id")),
    )
    op.create_index(
        op.f("ix_lead_file_values_lead_id"), "lead_file_values", ["lead_id"], unique=False
    )
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    leads = sa.table("leads", sa.column("id"), sa.column("extra"))
    values = sa.table("lead_file_values", sa.column("value"), sa.column("lead_id"))
    rows: list[dict[str, Any]] = []
    for lead_id, extra in connection.execute(
        sa.select(leads.c.id, leads.c.extra).where(leads.c.extra.is_not(None))
    ):
        rows.extend({"value": value, "lead_id": lead_id} for value in _values(extra))
        if len(rows) >= _BATCH:
            connection.execute(sa.insert(values), rows)
            rows = []
    if rows:
        connection.execute(sa.insert(values), rows)


def _values(extra: Any) -> Iterator[str]:
    """As leaddesk.leads.from_the_file.searchable_values when this was written."""
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            return
    if not isinstance(extra, dict):
        return
    found: set[str] = set()
    for key in ("mobile", "direct_line"):
        if isinstance(extra.get(key), str):
            found.add(extra[key])
    columns = extra.get("columns")
    if isinstance(columns, dict):
        found.update(v for v in columns.values() if isinstance(v, str))
    shown = {" ".join(value.casefold().split())[:128] for value in found}
    yield from (value for value in shown if len(value) >= 2)


def downgrade() -> None:
    raise NotImplementedError("LeadDesk migrations are forward only; restore the backup instead")

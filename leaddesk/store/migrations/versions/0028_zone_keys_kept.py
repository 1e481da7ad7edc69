"""SQLite keeps the store's distinct zone keys in a small table, so the queue need not walk
its people for them.

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-07 11:40:00

Every queue page and every `next` asks which zone keys the store holds (whose calling hours
it is now). Walking the people's zone-key index for them (one probe a key) cost about 0.2 ms
of a 1,000,000-lead store's pages each time, more than the claim itself. ``zone_keys`` holds
each key once, added by triggers when a person is added or their zone changes, so every
writer (an import, a correction, a restore) keeps it without knowing it is there. A key
nobody holds any more stays: a key in the list that matches nobody changes nothing. It is
derived, like the search index: no model, left out of backups, filled again by the triggers
on a restore. PostgreSQL keeps its walk (in shared buffers, in the queue's one statement).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEEP = "INSERT OR IGNORE INTO zone_keys (key) VALUES (new.zone_key)"
_STATEMENTS = (
    "CREATE TABLE zone_keys (key VARCHAR NOT NULL PRIMARY KEY) WITHOUT ROWID",
    f"""CREATE TRIGGER zone_keys_person_added AFTER INSERT ON people
    WHEN new.zone_key IS NOT NULL BEGIN
        {_KEEP};
    END""",
    f"""CREATE TRIGGER zone_keys_person_moved AFTER UPDATE OF zone_key ON people
    WHEN new.zone_key IS NOT NULL BEGIN
        {_KEEP};
    END""",
    # The keys the store holds now, one index probe each (as the queue found them before).
    """INSERT INTO zone_keys (key)
    WITH RECURSIVE walk(k) AS (
        SELECT min(zone_key) FROM people
        UNION ALL
        SELECT (SELECT min(zone_key) FROM people WHERE zone_key > walk.k) FROM walk
        WHERE walk.k IS NOT NULL
    )
    SELECT k FROM walk WHERE k IS NOT NULL""",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS zone_keys_person_added")
    op.execute("DROP TRIGGER IF EXISTS zone_keys_person_moved")
    op.execute("DROP TABLE IF EXISTS zone_keys")

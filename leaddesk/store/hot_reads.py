"""Small reads every search and queue page makes, straight through the database driver.

A statement through SQLAlchemy costs ~40 µs of Python around ~5 µs of SQLite; for a read
that returns a row of plain values, the driver's own cursor (inside the session's
transaction) does the same work without it. Raw SQL lives here, in ``store/``.
"""

from __future__ import annotations

from leaddesk.store.driver_reads import Reads

_NEWEST_DEFINITION = "SELECT id, digest FROM definition_versions ORDER BY version DESC LIMIT 1"


def newest_definition(connection: Reads) -> tuple[int, str] | None:
    """(id, digest) of the newest published lead definition; None before the first."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_NEWEST_DEFINITION)
        found = cursor.fetchone()
    finally:
        cursor.close()
    return (found[0], found[1]) if found is not None else None

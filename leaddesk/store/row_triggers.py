"""SQLite's per-row insert triggers set aside while a bulk writer inserts many rows, and their
work done once for all of them after, in the same transaction (docs/architecture.md §3).

Two triggers keep derived tables as rows arrive: the search index (0019) for each new lead and
the store's zone keys (0028) for each new person. Fired once a row (the search index's only
to find itself paused), each gives the row a trigger program and a statement journal in a
temporary file: about 20 µs a row on the 1,000,000-lead store, more than the insert itself
(7 µs a person, 10 µs a lead). A chunk of an import (or a restore) drops them, inserts, makes
them again from their own stored SQL, and fills what they would have filled with one statement
each. All of it is in the writer's transaction: a failure
rolls the drop back with the rows, and the triggers are made again even if the insert fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection

from leaddesk.store import search_fill

_ZONE_KEYS = """
    INSERT OR IGNORE INTO zone_keys (key)
    SELECT DISTINCT zone_key FROM people
    WHERE zone_key IS NOT NULL AND id IN (SELECT value FROM json_each(?))
"""

# Table -> (its insert trigger, the statement doing that trigger's work for many row ids).
_SET_ASIDE = {
    "leads": ("lead_search_lead_added", search_fill.FILL),
    "people": ("zone_keys_person_added", _ZONE_KEYS),
}


# Below this many rows the triggers simply fire: dropping and re-making them costs ~1 ms and
# makes every other open connection read the schema again, more than a few rows' triggers cost.
WORTH_SETTING_ASIDE = 200


def sets_aside(table_name: str, columns: Sequence[str]) -> bool:
    """Whether inserts into this table (with these columns) have a trigger worth setting
    aside: the rows' ids must be given, for the trigger's work to be done after."""
    return table_name in _SET_ASIDE and "id" in columns


@contextmanager
def set_aside(connection: Connection, table_name: str, ids: Sequence[int]) -> Iterator[None]:
    """Rows ``ids`` of ``table_name`` inserted inside go in without its insert trigger, and
    get that trigger's work in one statement at the end. A store without the trigger (an older
    backup being restored) is written as it is."""
    name, fill = _SET_ASIDE[table_name]
    found = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).first()
    if found is None:
        yield
        return
    connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        connection.exec_driver_sql(found[0])
    connection.exec_driver_sql(fill, (json.dumps(list(ids)),))

"""The models name each partial index's condition in its ``info`` (``leaddesk.store.models``):
the migrated store, SQLite and PostgreSQL alike, holds each index with exactly that condition,
and every other index of the models without one."""

from __future__ import annotations

import re
import subprocess
import sys

from sqlalchemy import text

from leaddesk.store import open_store
from leaddesk.store.models import WHERE, Base


def _condition(definition: str) -> str | None:
    """The WHERE of a CREATE INDEX as either database writes it, in one spelling."""
    found = re.search(r"\bWHERE\b(.*)$", definition, flags=re.IGNORECASE | re.DOTALL)
    if found is None:
        return None
    return re.sub(r"[\s()\"]", "", found.group(1)).lower()


def test_each_store_holds_the_models_partial_indexes(store_location: str) -> None:
    store = open_store(store_location)
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            made = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            )
        else:
            made = connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
            )
        conditions = {name: _condition(definition) for name, definition in made}
    store.close()

    partial = 0
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            expected = index.info.get(WHERE)
            assert index.name in conditions, index.name
            wanted = None if expected is None else _condition(f"WHERE {expected}")
            assert conditions[index.name] == wanted, index.name
            partial += expected is not None
    assert partial == 6  # leads 4, calls still open 1, verdicts by salesperson 1


def test_importing_the_models_loads_no_database_dialect() -> None:
    script = (
        "import sys, leaddesk.store.models\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"

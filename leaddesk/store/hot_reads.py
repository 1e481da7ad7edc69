"""Small reads every search and queue page makes: the newest published lead definition's
id and digest (its policy is then taken from a cache), through the driver's cursor on SQLite
(leaddesk/store/driver_statements.py)."""

from __future__ import annotations

from sqlalchemy import select

from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import DefinitionVersion

_NEWEST_DEFINITION = DriverStatement(
    select(DefinitionVersion.id, DefinitionVersion.digest)
    .order_by(DefinitionVersion.version.desc())
    .limit(1)
)


def newest_definition(where: InTransaction) -> tuple[int, str] | None:
    """(id, digest) of the newest published lead definition; None before the first."""
    found = _NEWEST_DEFINITION.rows(where, {})
    return (found[0][0], found[0][1]) if found else None

"""The queue's facts `next` keeps between calls on SQLite, and the audit row that checks them.

Every `next` needs the policy in force, the store's zone keys and the rep's skips; they change
when a definition is published, a person in a new zone arrives or the rep skips a lead, which
is seldom. On SQLite `next` keeps them per store and rep and claims with them at once; the
claim's audit row is written only if they still hold: its INSERT … SELECT carries the check
(the newest definition is the same, no zone key was added, the rep has no live skip),
read in the claim's own transaction, so the check adds no statement. When it fails, nothing
is written, the claim is rolled back and `next` reads the facts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, exists, func, insert, select

from leaddesk.audit.actions import AuditAction
from leaddesk.queue import zones
from leaddesk.queue.claims import LEASE
from leaddesk.queue.ordering import filled
from leaddesk.queue.scope import QueueScope, live_skips
from leaddesk.queue.skips import SKIP_LASTS
from leaddesk.store import Store
from leaddesk.store.driver_statements import DriverStatement, InTransaction
from leaddesk.store.models import AuditEvent, DefinitionVersion
from leaddesk.store.types import JSONText, UTCDateTime


@dataclass(frozen=True)
class Marks:
    """What the facts were read from: the newest definition's id, how many zone keys."""

    version_id: int | None
    zone_count: int


@dataclass(frozen=True)
class KeptFacts:
    """A rep's queue facts as last read (no skips: with skips, `next` reads them each time)."""

    scope: QueueScope
    keys: tuple[str, ...]
    marks: Marks

    def scope_at(self, at: datetime) -> QueueScope:
        """The scope at ``at``: whose calling hours it is then, from the kept zone keys."""
        calling = zones.calling_zones_of(list(self.keys), at, self.scope.policy)
        # As ``dataclasses.replace`` would, without its __init__ (every `next` makes one).
        return filled(QueueScope, {**self.scope.__dict__, "at": at, "calling": calling})


def kept_for(store: Store, user_id: int) -> KeptFacts | None:
    found = store.kept.get((__name__, user_id))
    return found if isinstance(found, KeptFacts) else None


def keep(store: Store, where: InTransaction, scope: QueueScope) -> Marks:
    """Keep ``scope`` (read in the open transaction of ``where``, without skips) for the rep's
    next calls; the marks it was read under."""
    version_id, keys = _MARKS.rows(where, {})[0]
    kept = tuple(keys.split("\n")) if keys else ()
    marks = Marks(version_id, len(kept))
    store.kept[(__name__, scope.user_id)] = KeptFacts(scope, kept, marks)
    return marks


def forget(store: Store, user_id: int) -> None:
    store.kept.pop((__name__, user_id), None)


def note_claim(where: InTransaction, lead_id: int, scope: QueueScope, marks: Marks) -> bool:
    """The claim's audit row, written only if the facts ``scope`` was read with still hold;
    False (nothing written) when they changed."""
    user_id, at = scope.user_id, scope.at
    params: dict[str, Any] = {
        "lead_id": lead_id,
        "user_id": user_id,
        "audit_at": at,
        "at": at,
        "since": at - SKIP_LASTS,
        "action": AuditAction.CLAIM_TAKEN.value,
        "to_state": f"claimed:{user_id}",
        "details": {"until": (at + LEASE).isoformat()},
        "version_id": marks.version_id,
        "zone_count": marks.zone_count,
    }
    return _checked_note().changed(where, params) == 1


def _newest_definition() -> Any:
    newest = select(DefinitionVersion.id).order_by(DefinitionVersion.version.desc()).limit(1)
    return newest.scalar_subquery()


def _zone_keys_text() -> Any:
    """The kept zone keys in key order, one text (SQLite keeps them in ``zone_keys``)."""
    ordered = select(zones.KEPT_ZONE_KEYS.c.key).order_by(zones.KEPT_ZONE_KEYS.c.key).subquery()
    return select(func.group_concat(ordered.c.key, "\n")).scalar_subquery()


_MARKS = DriverStatement(select(_newest_definition(), _zone_keys_text()))


@cache
def _checked_note() -> DriverStatement:
    values: list[Any] = [
        bindparam("audit_at", type_=UTCDateTime()),
        bindparam("user_id", type_=Integer),
        bindparam("action"),
        bindparam("to_state"),
        bindparam("details", type_=JSONText()),
        bindparam("lead_id", type_=Integer),
    ]
    still = (
        _newest_definition().is_not_distinct_from(bindparam("version_id", type_=Integer)),
        # Keys are only ever added (migration 0028), so the same count is the same keys.
        select(func.count()).select_from(zones.KEPT_ZONE_KEYS).scalar_subquery()
        == bindparam("zone_count", type_=Integer),
        ~exists().where(*live_skips()),
    )
    columns = ["at", "actor_id", "action", "to_state", "details", "lead_id"]
    return DriverStatement(insert(AuditEvent).from_select(columns, select(*values).where(*still)))

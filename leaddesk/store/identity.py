"""This store's own code, for names that must not clash with another store's (hand-off
batches written to a folder several stores export to)."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaddesk.store.models import StoreIdentity

_ONLY_ROW = 1


def store_code(session: Session, *, at: datetime) -> str:
    """The store's code (8 hex digits), made and kept the first time it is asked for."""
    held = session.scalar(select(StoreIdentity.code).where(StoreIdentity.id == _ONLY_ROW))
    if held is not None:
        return held
    try:
        with session.begin_nested():
            session.add(StoreIdentity(id=_ONLY_ROW, code=secrets.token_hex(4), created_at=at))
    except IntegrityError:
        pass  # another export on this store made it a moment ago: that one is the code
    made = session.scalar(select(StoreIdentity.code).where(StoreIdentity.id == _ONLY_ROW))
    assert made is not None
    return made

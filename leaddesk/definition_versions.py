"""Published lead-definition versions: immutable, numbered, stamped on every verdict."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.errors import InputError
from leaddesk.resources import resource_path
from leaddesk.store.models import DefinitionVersion

DEFAULT_DEFINITION = "bant.toml"


@dataclass(frozen=True)
class PublishedVersion:
    version: int
    name: str
    framework: str
    digest: str
    published_at: datetime
    source_text: str


def _published(row: DefinitionVersion) -> PublishedVersion:
    return PublishedVersion(
        version=row.version,
        name=row.name,
        framework=row.framework,
        digest=row.digest,
        published_at=row.published_at,
        source_text=row.source_text,
    )


def _header(text: str, source: str) -> tuple[str, str]:
    try:
        head = tomllib.loads(text).get("definition", {})
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: {exc}") from exc
    return str(head.get("name", "Lead definition")), str(head.get("framework", "BANT"))


def publish(
    session: Session,
    text: str,
    *,
    source: str,
    at: datetime,
    actor_id: int | None,
    note: str | None = None,
) -> PublishedVersion:
    """Store ``text`` as the next version. Publishing identical text again is a no-op."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    latest = current(session)
    if latest is not None and latest.digest == digest:
        return latest
    name, framework = _header(text, source)
    number = (session.scalar(select(func.max(DefinitionVersion.version))) or 0) + 1
    row = DefinitionVersion(
        version=number,
        name=name,
        framework=framework,
        source_text=text,
        digest=digest,
        published_by_id=actor_id,
        published_at=at,
        note=note,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action="definition_published",
        subject=f"definition:{number}",
        to_state=str(number),
        details={"name": name, "framework": framework, "source": source, "sha256": digest},
    )
    return _published(row)


def current(session: Session) -> PublishedVersion | None:
    row = session.scalar(select(DefinitionVersion).order_by(DefinitionVersion.version.desc()))
    return _published(row) if row else None


def current_id(session: Session) -> int | None:
    return session.scalar(
        select(DefinitionVersion.id).order_by(DefinitionVersion.version.desc()).limit(1)
    )


def ensure_default(session: Session, *, at: datetime) -> PublishedVersion:
    """A new store starts on the shipped BANT definition as version 1."""
    existing = current(session)
    if existing is not None:
        return existing
    path = resource_path("definitions", DEFAULT_DEFINITION)
    return publish(
        session, path.read_text(encoding="utf-8"), source=str(path), at=at, actor_id=None
    )

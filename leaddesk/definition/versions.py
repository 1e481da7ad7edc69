"""Published lead-definition versions: immutable, numbered, stamped on every verdict.

A file is checked in full before it is stored, so a version in the store always runs. Old
versions stay readable forever: a verdict made under version 1 shows version 1's questions.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Definition, definition_digest, diff_definitions, parse_definition
from leaddesk.errors import Conflict, InputError
from leaddesk.files.resources import resource_path
from leaddesk.store.models import DefinitionVersion, User

DEFAULT_DEFINITION = "bant.toml"
_CACHE_SIZE = 16


@dataclass(frozen=True)
class PublishedVersion:
    version: int
    name: str
    framework: str
    digest: str
    published_at: datetime
    source_text: str
    id: int = 0
    published_by: str | None = None  # the publisher's login
    note: str | None = None
    published_by_name: str | None = None  # how the team knows them (their display name)

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "framework": self.framework,
            "sha256": self.digest,
            "published_at": self.published_at.isoformat(),
            "published_by": self.published_by,
            "note": self.note,
        }


@dataclass(frozen=True)
class PublishResult:
    version: PublishedVersion
    created: bool  # False when the text was already the current version
    # A version that adds the marketing-qualified stage: how many leads still new met its rule
    # and moved into it, and its label ("Basic Qualified Lead"); 0 and None otherwise.
    moved_to_added_stage: int = 0
    added_stage_label: str | None = None


@dataclass(frozen=True)
class DefinitionDiff:
    """What would change for reps if ``text`` were published over the current version."""

    current: PublishedVersion | None
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ShownDefinition:
    """A published version with the definition it holds, as ``definition show`` prints it."""

    published: PublishedVersion
    definition: Definition

    def as_json(self) -> dict[str, Any]:
        return {**self.published.as_json(), "definition": self.definition.to_dict()}


Publisher = tuple[str | None, str | None]  # login, display name


def _published(row: DefinitionVersion, publisher: Publisher = (None, None)) -> PublishedVersion:
    return PublishedVersion(
        version=row.version,
        name=row.name,
        framework=row.framework,
        digest=row.digest,
        published_at=row.published_at,
        source_text=row.source_text,
        id=row.id,
        published_by=publisher[0],
        note=row.note,
        published_by_name=publisher[1],
    )


def _source_name(version: int) -> str:
    return f"definition version {version}"


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
    return publish_checked(
        session, text, source=source, at=at, actor_id=actor_id, note=note
    ).version


def publish_checked(
    session: Session,
    text: str,
    *,
    source: str,
    at: datetime,
    actor_id: int | None,
    note: str | None = None,
) -> PublishResult:
    """Check ``text`` fully, then store it as the next version.

    A broken file raises DefinitionError listing every problem with its line, and the store
    is left as it was. Identical text to the current version changes nothing.
    """
    # Parse before anything else: a version that cannot run must never reach the store.
    definition = parse_definition(text, source)
    digest = definition_digest(text)
    latest = current(session)
    if latest is not None and latest.digest == digest:
        return PublishResult(latest, created=False)
    number = (session.scalar(select(func.max(DefinitionVersion.version))) or 0) + 1
    row = DefinitionVersion(
        version=number,
        name=definition.name,
        framework=definition.framework,
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
        action=AuditAction.DEFINITION_PUBLISHED,
        subject=f"definition:{number}",
        from_state=str(latest.version) if latest else None,
        to_state=str(number),
        reason=note,
        details={
            "name": definition.name,
            "framework": definition.framework,
            "source": source,
            "sha256": digest,
        },
    )
    return PublishResult(_published(row, _user_name(session, actor_id)), created=True)


def current(session: Session) -> PublishedVersion | None:
    row = session.scalar(select(DefinitionVersion).order_by(DefinitionVersion.version.desc()))
    return _published(row, _user_name(session, row.published_by_id)) if row else None


def current_id(session: Session) -> int | None:
    return session.scalar(
        select(DefinitionVersion.id).order_by(DefinitionVersion.version.desc()).limit(1)
    )


def show(session: Session, version: int | None = None) -> PublishedVersion:
    """One published version by number, or the current one."""
    if version is None:
        latest = current(session)
        if latest is None:
            raise InputError("No lead definition is published yet. Run: leaddesk init")
        return latest
    row = session.scalar(select(DefinitionVersion).where(DefinitionVersion.version == version))
    if row is None:
        newest = session.scalar(select(func.max(DefinitionVersion.version)))
        known = f"versions 1 to {newest}" if newest else "no versions yet"
        raise InputError(f"No lead-definition version {version} (the store has {known}).")
    return _published(row, _user_name(session, row.published_by_id))


def show_definition(session: Session, version: int | None = None) -> ShownDefinition:
    published = show(session, version)
    return ShownDefinition(published, definition_for_version(session, published.id))


def versions(session: Session) -> list[PublishedVersion]:
    names: dict[int, Publisher] = {
        user_id: (name, shown)
        for user_id, name, shown in session.execute(
            select(User.id, User.name, User.display_name)
        ).tuples()
    }
    rows = session.scalars(select(DefinitionVersion).order_by(DefinitionVersion.version))
    return [_published(row, names.get(row.published_by_id or -1, (None, None))) for row in rows]


def diff_against_current(session: Session, text: str, *, source: str) -> DefinitionDiff:
    """Plain-words differences between ``text`` and the current version (checked first)."""
    proposed = parse_definition(text, source)
    latest = current(session)
    if latest is None:
        return DefinitionDiff(None, ())
    return DefinitionDiff(
        latest, tuple(diff_definitions(definition_for_version(session, latest.id), proposed))
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


# -- the parsed definition of a version, cached ------------------------------------------------

# Parsing a definition takes milliseconds; evaluating a lead happens on every answer. Versions
# never change, so (version number, digest) identifies the parsed result for any store.
_parsed: OrderedDict[tuple[int, str], Definition] = OrderedDict()


def definition_for_version(session: Session, version_id: int) -> Definition:
    """The parsed Definition of the version with primary key ``version_id``."""
    head = session.execute(
        select(DefinitionVersion.version, DefinitionVersion.digest).where(
            DefinitionVersion.id == version_id
        )
    ).first()
    if head is None:
        raise InputError(f"No lead-definition version with id {version_id}.")
    key = (head.version, head.digest)
    cached = _parsed.get(key)
    if cached is not None:
        _parsed.move_to_end(key)
        return cached
    text = session.scalar(
        select(DefinitionVersion.source_text).where(DefinitionVersion.id == version_id)
    )
    assert text is not None
    definition = parse_definition(text, _source_name(head.version))
    _parsed[key] = definition
    while len(_parsed) > _CACHE_SIZE:
        _parsed.popitem(last=False)
    return definition


def version_number(session: Session, version_id: int | None) -> int | None:
    if version_id is None:
        return None
    return session.scalar(
        select(DefinitionVersion.version).where(DefinitionVersion.id == version_id)
    )


def _user_name(session: Session, user_id: int | None) -> Publisher:
    if user_id is None:
        return None, None
    row = session.execute(select(User.name, User.display_name).where(User.id == user_id)).first()
    return (row[0], row[1]) if row is not None else (None, None)


# Published versions are the record verdicts point at; changing one would rewrite history.
@event.listens_for(DefinitionVersion, "before_update")
def _refuse_update(*_: object) -> None:
    raise Conflict("A published lead-definition version cannot be changed; publish a new one.")


@event.listens_for(DefinitionVersion, "before_delete")
def _refuse_delete(*_: object) -> None:
    raise Conflict("A published lead-definition version cannot be deleted.")

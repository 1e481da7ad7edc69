"""The queue's policy: the ``[policy]`` section of the currently published lead definition."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from leaddesk.definition import Definition, Policy
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import Stage
from leaddesk.store.driver_statements import DriverConnection, InTransaction
from leaddesk.store.hot_reads import newest_definition

# Published versions never change, so a digest always means the same policy. Every queue
# read asks for the policy; one small query instead of re-reading the definition.
_by_digest: dict[str, Policy] = {}
# The definition's name for its added stage ("Basic Qualified Lead"), kept beside each policy
# read here (by the policy's identity: a cached policy stands for one published version).
_added_stage: dict[int, tuple[Policy, str]] = {}


def current_definition(session: Session) -> Definition | None:
    """The published definition now in force (parsed once per version, then cached)."""
    version_id = definition_versions.current_id(session)
    if version_id is None:
        return None
    return definition_versions.definition_for_version(session, version_id)


def current_policy(session: Session) -> Policy:
    """The policy in force; the reference defaults before any definition is published."""
    head = newest_definition(session.connection())
    if head is None:
        return Policy()
    return policy_of(session, *head)


def policy_on(where: InTransaction) -> Policy:
    """``current_policy`` for a quick read (a search), with no Session of its own."""
    head = newest_definition(where)
    return policy_of(where, *head) if head is not None else Policy()


def policy_of(where: InTransaction, version_id: int | None, digest: str | None) -> Policy:
    """The policy of the published version with this id and digest (read once per digest);
    the reference defaults for none. A Session is made only the first time a version is met:
    on ``where``'s connection, or, on the driver's connection alone, in a read of its own (a
    published version never changes)."""
    if version_id is None or digest is None:
        return Policy()
    cached = _by_digest.get(digest)
    if cached is None:
        if isinstance(where, Connection):  # `next` and the page have no session
            with Session(bind=where) as reading:  # joins the connection's transaction
                return policy_of(reading, version_id, digest)
        if isinstance(where, DriverConnection):
            with Session(where.engine) as reading, reading.begin():
                return policy_of(reading, version_id, digest)
        definition = definition_versions.definition_for_version(where, version_id)
        cached = definition.policy
        if len(_by_digest) > 64:
            _by_digest.clear()
            _added_stage.clear()
        _by_digest[digest] = cached
        if definition.has_stage(Stage.MARKETING_QUALIFIED):
            _added_stage[id(cached)] = (cached, definition.stage_label(Stage.MARKETING_QUALIFIED))
    return cached


def marketing_qualified_label(policy: Policy) -> str:
    """What the version ``policy`` came from calls its marketing-qualified stage; LeadDesk's
    own words when it has none (a lead left in the stage after a version without it)."""
    kept = _added_stage.get(id(policy))
    if kept is not None and kept[0] is policy:
        return kept[1]
    return Stage.MARKETING_QUALIFIED.label.capitalize()

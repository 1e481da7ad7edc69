"""How a report cuts the period's leads: by source (the default), by campaign, by the lead
definition version they were judged under, or by the salesperson who referred them.

Marketing asks "which campaign brings leads sales accept?", the team "did the new definition
version change what sales accepts?", sales "what became of my referrals?": one column each.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, cast, func, literal
from sqlalchemy.orm import aliased

from leaddesk.errors import InputError
from leaddesk.store.models import DefinitionVersion, Lead, User

_Statement = TypeVar("_Statement", bound=Select[Any])

NO_CAMPAIGN = "no campaign"
NOT_JUDGED = "no verdict yet"


class By(StrEnum):
    SOURCE = "source"
    CAMPAIGN = "campaign"
    VERSION = "version"
    REFERRER = "referrer"

    @property
    def heading(self) -> str:
        return {By.VERSION: "definition version"}.get(self, self.value)


def parse_by(text: str | None) -> By:
    """``--by``'s word; none is by source."""
    if text is None or not text.strip():
        return By.SOURCE
    try:
        return By(text.strip().lower())
    except ValueError:
        choices = ", ".join(by.value for by in By)
        raise InputError(
            f"Cannot cut a report by '{text}'; use one of {choices}.", field="by"
        ) from None


@dataclass(frozen=True)
class Cut:
    """The column a report groups by, and what its select needs to reach it."""

    by: By
    key: ColumnElement[str]

    def apply(self, statement: _Statement) -> _Statement:
        """``statement`` (selecting from leads) with the joins and filter the cut needs."""
        statement = statement.select_from(Lead)
        if self.by is By.VERSION:
            return statement.outerjoin(
                DefinitionVersion, DefinitionVersion.id == Lead.definition_version_id
            )
        if self.by is By.REFERRER:
            return statement.join(_REFERRER, _REFERRER.id == Lead.referred_by_id)
        return statement


_REFERRER = aliased(User, name="referrer")


def cut(by: By) -> Cut:
    if by is By.CAMPAIGN:
        key: ColumnElement[str] = func.coalesce(Lead.campaign, literal(NO_CAMPAIGN))
        return Cut(by, key.label("cut"))
    if by is By.VERSION:
        version = cast(DefinitionVersion.version, String)
        key = func.coalesce(literal("v") + version, literal(NOT_JUDGED))
        return Cut(by, key.label("cut"))
    if by is By.REFERRER:
        return Cut(by, _REFERRER.display_name.label("cut"))
    return Cut(by, Lead.source.label("cut"))

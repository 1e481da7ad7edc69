"""What every team report shares (docs/architecture.md §1): the period it covers, whole days in
the team's time zone, and the table it gives (``Report``), which a chart, a CSV file or JSON read.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session

from leaddesk.domain import Stage
from leaddesk.errors import InputError
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.store.models import Lead, User

QUALIFIED_OR_LATER = (Stage.QUALIFIED, Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED)
HANDED_OFF_OR_LATER = (Stage.HANDED_OFF, Stage.ACCEPTED, Stage.REJECTED)


def was_marketing_qualified() -> ColumnElement[int]:
    """1 for a lead that was marketing-qualified (the definition's added stage), wherever it
    went since; else 0."""
    return case((Lead.marketing_qualified_at.is_not(None), 1), else_=0)


def marketing_qualified_label(session: Session, span: Period) -> str | None:
    """The column the lead reports add for the definition's own stage, in its words ("Basic
    Qualified Lead"): shown when the current definition has the stage, or while leads of the
    period were in it under an earlier version; None otherwise (the reports as before)."""
    definition = current_definition(session)
    if definition is not None and definition.has_stage(Stage.MARKETING_QUALIFIED):
        return definition.stage_label(Stage.MARKETING_QUALIFIED)
    some = session.scalar(
        select(Lead.id)
        .where(
            Lead.arrived_at >= span.start,
            Lead.arrived_at < span.end,
            Lead.marketing_qualified_at.is_not(None),
        )
        .limit(1)
    )
    if some is None:
        return None
    if definition is not None:
        return definition.stage_label(Stage.MARKETING_QUALIFIED)
    return Stage.MARKETING_QUALIFIED.label.capitalize()


def went_to_sales() -> ColumnElement[int]:
    """1 for a lead sales got (in a finished batch), wherever sales' answer sent it since
    (a rejection can send it back to nurture or to the rep); else 0."""
    return case((Lead.handoff_batch_id.is_not(None) & (Lead.stage != Stage.QUALIFIED), 1), else_=0)


DEFAULT_DAYS = 30
MAX_DAYS = 731
# A spreadsheet reads a cell starting with one of these as a formula; such text gets a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


class ReportRow(Protocol):
    def row(self) -> tuple[object, ...]: ...


@dataclass(frozen=True)
class Period:
    since: date
    until: date  # inclusive
    timezone: str

    @property
    def start(self) -> datetime:
        return midnight(self.since, self.timezone)

    @property
    def end(self) -> datetime:
        return midnight(self.until + timedelta(days=1), self.timezone)

    def days(self) -> list[date]:
        count = (self.until - self.since).days + 1
        return [self.since + timedelta(days=n) for n in range(count)]

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class Report:
    """One dashboard's table: ``headers`` and ``rows()``; ``items`` keep the typed rows."""

    name: str
    title: str
    period: Period
    headers: tuple[str, ...]
    items: tuple[Any, ...]
    summary: dict[str, Any] = field(default_factory=dict)

    def rows(self) -> list[tuple[object, ...]]:
        return [item.row() for item in self.items]

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.headers)
        for row in self.rows():
            writer.writerow([_cell(value) for value in row])
        return out.getvalue()

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "title": self.title,
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "timezone": self.period.timezone,
            "headers": list(self.headers),
            "rows": [dict(zip(self.headers, row, strict=True)) for row in self.rows()],
            "summary": dict(self.summary),
        }


def period(session: Session, *, since: date | None, until: date | None, at: datetime) -> Period:
    """The asked-for days, by default the last 30 up to today, in the team's time zone."""
    zone = current_policy(session).timezone
    today = at.astimezone(ZoneInfo(zone)).date()
    last = until or today
    first = since or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InputError(f"{first} is after the period's last day, {last}", field="since")
    if (last - first).days >= MAX_DAYS:
        raise InputError("Pick a period of at most two years.")
    return Period(first, last, zone)


def midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))


def by_day(span: Period, moments: Sequence[datetime] | Any) -> Counter[date]:
    return Counter(span.local_day(moment) for moment in moments if moment is not None)


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def rep_names(session: Session) -> dict[int, str]:
    """Reps as the team knows them (display names), for reports people read."""
    return dict(session.execute(select(User.id, User.display_name)).tuples().all())


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value

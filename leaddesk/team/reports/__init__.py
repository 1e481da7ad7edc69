"""The figures behind the team dashboards, for a chosen period: plain rows a chart, a table,
a CSV file for the huddle or a script's JSON all read the same way.

A period is whole days in the team's time zone (the policy's), ``since`` to ``until``
inclusive. Lead-based reports (funnel, speed to lead, sources) count the leads that *arrived*
in the period; event-based ones (throughput, agreement, workload) count what *happened* in it.

One module per report family: ``flow`` (funnel, throughput), ``speed`` (speed to lead and
SLA), ``sources``, ``agreement`` (sales agreement) and ``workload``; ``period`` holds the period
and the table every report gives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from leaddesk.errors import InputError
from leaddesk.team.reports.agreement import agreement
from leaddesk.team.reports.flow import funnel, throughput
from leaddesk.team.reports.period import Period, Report, period
from leaddesk.team.reports.sources import sources
from leaddesk.team.reports.speed import speed_to_lead
from leaddesk.team.reports.workload import RepWorkload, workload

__all__ = ["REPORTS", "Period", "RepWorkload", "Report", "build_report", "period"]


REPORTS: dict[str, Callable[[Session, Period, datetime], Report]] = {
    "funnel": lambda session, span, _at: funnel(session, span),
    "throughput": lambda session, span, _at: throughput(session, span),
    "sla": lambda session, span, at: speed_to_lead(session, span, at=at),
    "sources": lambda session, span, _at: sources(session, span),
    "agreement": lambda session, span, _at: agreement(session, span),
    "workload": lambda session, span, _at: workload(session, span),
}


def build_report(
    session: Session, name: str, *, since: date | None, until: date | None, at: datetime
) -> Report:
    maker = REPORTS.get(name)
    if maker is None:
        raise InputError(f"No report '{name}'; pick one of: {', '.join(REPORTS)}")
    return maker(session, period(session, since=since, until=until, at=at), at)

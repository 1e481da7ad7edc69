"""The figures behind the team dashboards, for a chosen period: plain rows a chart, a table,
a CSV file for the huddle or a script's JSON all read the same way.

A period is whole days in the team's time zone (the policy's), ``since`` to ``until``
inclusive. Lead-based reports (funnel, speed to lead, sources) count the leads that *arrived*
in the period; event-based ones (throughput, agreement, workload) count what *happened* in it.

One module per report family: ``flow`` (funnel, throughput), ``speed`` (speed to lead and
SLA), ``sources``, ``acceptance`` (marketing's: lead types, hand-offs, sales' accept rate, time
to first call, opportunity amount), ``agreement`` (sales agreement) and ``workload``; ``period``
holds the period and the table every report gives, ``grouping`` the cuts (source, campaign,
definition version, referrer) that ``sources`` and ``acceptance`` take.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from leaddesk.errors import InputError
from leaddesk.team.reports.acceptance import acceptance
from leaddesk.team.reports.agreement import agreement
from leaddesk.team.reports.flow import funnel, throughput
from leaddesk.team.reports.grouping import By, parse_by
from leaddesk.team.reports.period import Period, Report, period
from leaddesk.team.reports.sources import sources
from leaddesk.team.reports.speed import speed_to_lead
from leaddesk.team.reports.workload import RepWorkload, workload

__all__ = ["BY", "REPORTS", "Period", "RepWorkload", "Report", "build_report", "period"]


REPORTS: dict[str, Callable[[Session, Period, datetime, By], Report]] = {
    "funnel": lambda session, span, _at, _by: funnel(session, span),
    "throughput": lambda session, span, _at, _by: throughput(session, span),
    "sla": lambda session, span, at, _by: speed_to_lead(session, span, at=at),
    "sources": lambda session, span, _at, by: sources(session, span, by),
    "acceptance": lambda session, span, _at, by: acceptance(session, span, by),
    "agreement": lambda session, span, _at, _by: agreement(session, span),
    "workload": lambda session, span, _at, _by: workload(session, span),
}
# The reports a cut (--by) applies to; the others are per day or per rep.
CUT_REPORTS = ("sources", "acceptance")
BY = tuple(by.value for by in By)


def build_report(
    session: Session,
    name: str,
    *,
    since: date | None,
    until: date | None,
    at: datetime,
    by: str | None = None,
) -> Report:
    maker = REPORTS.get(name)
    if maker is None:
        raise InputError(f"No report '{name}'; pick one of: {', '.join(REPORTS)}")
    cut_by = parse_by(by)
    if by is not None and cut_by is not By.SOURCE and name not in CUT_REPORTS:
        raise InputError(
            f"The {name} report is not cut by {cut_by.heading}; --by works with "
            f"{' and '.join(CUT_REPORTS)}.",
            field="by",
        )
    return maker(session, period(session, since=since, until=until, at=at), at, cut_by)

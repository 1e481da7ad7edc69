"""The dashboards' charts, built on the GUI thread from reports the core made.

Each builder turns one :class:`~leaddesk.team.reports.Report` into QtCharts charts coloured
for the look in effect (``chart_looks``); the table beside a chart is ``report_table``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPen

from leaddesk.desk import Report
from ui.common.theme import points
from ui.console.chart_looks import Look

_Index = QModelIndex | QPersistentModelIndex


# -- building charts --------------------------------------------------------------------------


def _chart(title: str, look: Look) -> QChart:
    chart = QChart()
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark if look.dark else QChart.ChartTheme.ChartThemeLight
    )
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundBrush(QColor(look.colours.base))
    chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSizeF(points(11))
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(QColor(look.colours.ink))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setLabelColor(QColor(look.colours.ink))
    font = QFont(legend.font())
    font.setPointSizeF(points(9))
    legend.setFont(font)
    return chart


def _style_axis(axis: QAbstractAxis, look: Look) -> None:
    font = QFont(axis.labelsFont())
    font.setPointSizeF(points(9))
    axis.setLabelsFont(font)
    axis.setLabelsColor(QColor(look.colours.ink))
    axis.setLinePenColor(QColor(look.colours.border))
    axis.setGridLineColor(QColor(look.colours.border))
    axis.setMinorGridLineColor(QColor(look.colours.border))
    axis.setTitleBrush(QColor(look.colours.muted))


def count_axis(highest: float, look: Look, title: str = "") -> QValueAxis:
    """An axis of whole counts from 0, with a handful of round, integer ticks."""
    axis = QValueAxis()
    step = _nice_step(highest)
    top = max(step, math.ceil(highest / step) * step)
    axis.setRange(0, top)
    axis.setTickCount(int(top // step) + 1)
    axis.setLabelFormat("%d")
    axis.setMinorTickCount(0)
    if title:
        axis.setTitleText(title)
    _style_axis(axis, look)
    return axis


def _nice_step(highest: float) -> int:
    if highest <= 5:
        return 1
    rough = highest / 5
    power = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return max(1, int(factor * power))
    return max(1, int(10 * power))


def _category_axis(labels: Sequence[str], look: Look) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(labels))
    _style_axis(axis, look)
    axis.setGridLineVisible(False)
    return axis


def _bar_set(name: str, values: Sequence[float], colour: str, look: Look) -> QBarSet:
    bars = QBarSet(name)
    bars.append([float(v) for v in values])
    bars.setColor(QColor(colour))
    bars.setPen(QPen(Qt.PenStyle.NoPen))  # a border would outline a highlighted bar in accent
    bars.setLabelColor(QColor(look.colours.ink))
    font = QFont(bars.labelFont())
    font.setPointSizeF(points(9))
    bars.setLabelFont(font)
    return bars


def _attach(
    chart: QChart,
    series: QAbstractBarSeries | QLineSeries,
    horizontal_axis: QAbstractAxis,
    vertical_axis: QAbstractAxis,
) -> None:
    chart.addSeries(series)
    chart.addAxis(horizontal_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(vertical_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(horizontal_axis)
    series.attachAxis(vertical_axis)


def period_text(report: Report) -> str:
    since, until = report.period.since, report.period.until
    if since == until:
        return f"{since:%a %d %b %Y}"
    if since.year == until.year:
        return f"{since:%d %b} – {until:%d %b %Y}"
    return f"{since:%d %b %Y} – {until:%d %b %Y}"


def _highest(values: Sequence[float]) -> float:
    return max(values, default=0)


def funnel_charts(report: Report, look: Look) -> list[QChart]:
    chart = _chart(f"Funnel · leads that arrived {period_text(report)}", look)
    chart.legend().setVisible(False)
    # A horizontal bar axis counts from the bottom: reverse so the funnel reads top-down.
    steps = list(reversed(report.items))
    bars = _bar_set("Leads", [s.leads for s in steps], look.series[0], look)
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    labels = [f"{s.label}  ({s.pct_of_arrived:.1f} %)" for s in steps]
    highest = _highest([s.leads for s in steps])
    _attach(chart, series, count_axis(highest * 1.08, look, "leads"), _category_axis(labels, look))
    return [chart]


THROUGHPUT_SERIES = (
    ("new", "new"),
    ("contacted", "contacted"),
    ("qualified", "qualified"),
    ("handed_off", "handed off"),
    ("accepted", "accepted by sales"),
)


def throughput_charts(report: Report, look: Look) -> list[QChart]:
    chart = _chart(f"Throughput per day · {period_text(report)}", look)
    days = list(report.items)
    highest = 0.0
    lines: list[QLineSeries] = []
    for number, (field, name) in enumerate(THROUGHPUT_SERIES):
        line = QLineSeries()
        line.setName(name)
        values = [getattr(day, field) for day in days]
        highest = max(highest, _highest(values))
        for x, value in enumerate(values):
            line.append(float(x), float(value))
        pen = QPen(QColor(look.series[number % len(look.series)]))
        pen.setWidthF(2.2)
        line.setPen(pen)
        line.setPointsVisible(len(days) <= 31)
        lines.append(line)
    x_axis = _day_axis([day.day for day in days], look)
    y_axis = count_axis(highest, look, "leads")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for line in lines:
        chart.addSeries(line)
        line.attachAxis(x_axis)
        line.attachAxis(y_axis)
    return [chart]


def _day_axis(days: Sequence[Any], look: Look) -> QCategoryAxis:
    """Day labels on the points themselves, thinned out so that about ten fit."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    every = max(1, math.ceil(len(days) / 10))
    for x, day in enumerate(days):
        if x % every == 0:
            axis.append(f"{day:%a %d %b}" if len(days) <= 7 else f"{day:%d %b}", float(x))
    axis.setRange(-0.3, max(len(days) - 1, 0) + 0.3)
    _style_axis(axis, look)
    return axis


def sla_charts(report: Report, look: Look) -> list[QChart]:
    title = f"Speed to lead · {period_text(report)} · {_compliance(report)}"
    chart = _chart(title, look)
    chart.legend().setVisible(False)
    buckets = list(report.items)
    bars = _bar_set("Leads", [b.leads for b in buckets], look.series[0], look)
    # "not reached yet" is not a speed: grey it so the eye reads it apart from the buckets.
    bars.setSelectedColor(QColor(look.still_open))
    bars.selectBar(len(buckets) - 1)
    series = QBarSeries()
    series.append(bars)
    series.setBarWidth(0.6)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    highest = _highest([b.leads for b in buckets])
    _attach(
        chart,
        series,
        _category_axis([b.bucket for b in buckets], look),
        count_axis(highest * 1.1, look, "leads"),
    )
    axis = chart.axes(Qt.Orientation.Horizontal)[0]
    axis.setTitleText("time to first call")
    axis.setTruncateLabels(False)  # short neighbours leave "not reached yet" room to show whole
    return [chart]


def _compliance(report: Report) -> str:
    s = report.summary
    if not s["sla_met"] + s["sla_breached"]:
        return "no SLA due yet"  # 0 % would read as every lead missed
    return f"SLA met for {s['sla_compliance_pct']:.1f} %"


def sla_summary(report: Report) -> str:
    s = report.summary
    median = s.get("median_minutes_to_first_call")
    waited = f"{median:g} min" if median is not None else "—"
    return (
        f"{_compliance(report)}: {s['sla_met']} met, "
        f"{s['sla_breached']} breached, {s['sla_not_due_yet']} not due yet · "
        f"median first call after {waited} · {s['leads']} leads arrived"
    )


SOURCE_OUTCOMES = (
    ("qualified", "qualified", "qualified"),
    ("nurture", "nurture", "nurture"),
    ("existing_account", "existing account", "existing"),
    ("disqualified", "disqualified", "disqualified"),
    ("still_open", "still open", "still_open"),
)


def sources_charts(report: Report, look: Look) -> list[QChart]:
    sources = list(reversed(report.items))  # top-down, as in the table
    names = [s.source for s in sources]
    cut = report.headers[0]  # source, campaign, definition version or referrer
    outcomes = _chart(f"Outcomes by {cut} · leads that arrived {period_text(report)}", look)
    stacked = QHorizontalStackedBarSeries()
    for field, label, colour in SOURCE_OUTCOMES:
        stacked.append(
            _bar_set(label, [getattr(s, field) for s in sources], getattr(look, colour), look)
        )
    _stacked_labels(stacked)
    _attach(
        outcomes,
        stacked,
        count_axis(_highest([s.leads for s in sources]), look, "leads"),
        _category_axis(names, look),
    )
    bad = _chart("Dubious, unworthy and turned down by sales", look)
    problems = QHorizontalStackedBarSeries()
    problems.append(_bar_set("dubious", [s.dubious for s in sources], look.dubious, look))
    problems.append(_bar_set("unworthy", [s.unworthy for s in sources], look.unworthy, look))
    reasons = sorted({reason for s in sources for reason, _ in s.rejection_reasons})
    for number, reason in enumerate(reasons):
        counts = [dict(s.rejection_reasons).get(reason, 0) for s in sources]
        colour = look.reasons[number % len(look.reasons)]
        problems.append(_bar_set(f"sales: {reason.replace('_', ' ')}", counts, colour, look))
    _stacked_labels(problems)
    # Rejection reasons make long legend entries: a column at the side keeps them whole.
    bad.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    totals = [s.dubious + s.unworthy + sum(n for _, n in s.rejection_reasons) for s in sources]
    _attach(
        bad,
        problems,
        count_axis(_highest(totals), look, "leads"),
        _category_axis(names, look),
    )
    return [outcomes, bad]


def acceptance_charts(report: Report, look: Look) -> list[QChart]:
    """Per cut (source, campaign…): the share handed to sales and the share sales accepted."""
    rows = list(reversed(report.items))  # top-down, as in the table
    chart = _chart(f"Handed off and accepted by {report.headers[0]} · {period_text(report)}", look)
    series = QHorizontalBarSeries()
    handed = [100 * r.handed_off / r.leads if r.leads else 0 for r in rows]
    series.append(_bar_set("% handed off", handed, look.series[0], look))
    accepted = [r.accept_pct or 0 for r in rows]
    series.append(_bar_set("% of answered accepted by sales", accepted, look.qualified, look))
    _attach(chart, series, count_axis(100, look, "%"), _category_axis([r.cut for r in rows], look))
    return [chart]


def _stacked_labels(series: QAbstractBarSeries) -> None:
    # Segment labels collide on thin segments; the figures are in the table under the chart.
    series.setBarWidth(0.6)
    series.setLabelsVisible(False)


def agreement_charts(report: Report, look: Look) -> list[QChart]:
    team = report.summary.get("team_agreement_pct")
    agreed = f" · sales accepted {team:.1f} %" if team is not None else ""
    chart = _chart(f"Sales agreement · {period_text(report)}{agreed}", look)
    reps = list(report.items)
    series = QBarSeries()
    for number, (field, label) in enumerate(
        (("handed_off", "handed off"), ("accepted", "accepted by sales"))
    ):
        colour = (look.series[0], look.qualified)[number]
        series.append(_bar_set(label, [getattr(r, field) for r in reps], colour, look))
    series.append(_bar_set("rejected by sales", [r.rejected for r in reps], look.unworthy, look))
    series.append(_bar_set("waiting for sales", [r.waiting for r in reps], look.still_open, look))
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    labels = [
        f"{r.rep} ({r.agreement_pct:.0f} %)" if r.agreement_pct is not None else r.rep for r in reps
    ]
    highest = _highest([r.handed_off for r in reps])
    _attach(chart, series, _category_axis(labels, look), count_axis(highest * 1.1, look, "leads"))
    return [chart]


WORKLOAD_SERIES = (
    ("received", "received"),
    ("calls", "calls"),
    ("connects", "connects"),
    ("verdicts", "verdicts"),
)


def workload_charts(report: Report, look: Look) -> list[QChart]:
    reps = list(reversed(report.items))  # top-down, as in the table
    held = _chart("Open leads now against capacity", look)
    load = QHorizontalBarSeries()
    load.append(_bar_set("open now", [r.open_now for r in reps], look.series[0], look))
    load.append(_bar_set("capacity", [r.capacity for r in reps], look.still_open, look))
    load.setBarWidth(0.8)
    load.setLabelsVisible(True)
    load.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    highest = _highest([max(r.open_now, r.capacity) for r in reps])
    labels = [f"{r.rep} ({r.capacity_used_pct:.0f} %)" for r in reps]
    _attach(held, load, count_axis(highest * 1.12, look, "leads"), _category_axis(labels, look))
    done = _chart(f"Work done · {period_text(report)}", look)
    work = QBarSeries()
    highest = 0.0
    people = list(report.items)
    for number, (field, label) in enumerate(WORKLOAD_SERIES):
        values = [getattr(r, field) for r in people]
        highest = max(highest, _highest(values))
        work.append(_bar_set(label, values, look.series[(number + 1) % len(look.series)], look))
    work.setBarWidth(0.8)
    work.setLabelsVisible(True)
    work.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    _attach(
        done,
        work,
        _category_axis([r.rep for r in people], look),
        count_axis(highest * 1.12, look, "count"),
    )
    return [held, done]


@dataclass(frozen=True)
class Dashboard:
    """One entry in the chart picker: which report, how it is drawn and what it counts."""

    name: str
    title: str
    about: str
    charts: Callable[[Report, Look], list[QChart]]
    summary: Callable[[Report], str] | None = None
    table_beside: bool = False  # narrow tables sit beside the chart, wide ones under it


DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard(
        "funnel",
        "Funnel",
        "How far the leads that arrived in the period got.",
        funnel_charts,
        table_beside=True,
    ),
    Dashboard(
        "throughput",
        "Throughput",
        "What happened each day: new leads, first reached, qualified, handed off, accepted.",
        throughput_charts,
    ),
    Dashboard(
        "sla",
        "Speed to lead",
        "How long the period's leads waited for the first call.",
        sla_charts,
        sla_summary,
        table_beside=True,
    ),
    Dashboard(
        "sources",
        "Sources",
        "What became of each source's leads, and which bring dubious and unworthy ones.",
        sources_charts,
    ),
    Dashboard(
        "acceptance",
        "Acceptance",
        "Which sources and campaigns bring leads sales accepts: lead types, hand-offs, "
        "sales' accept rate, time to first call and opportunity amount.",
        acceptance_charts,
    ),
    Dashboard(
        "agreement",
        "Sales agreement",
        "Per rep: leads handed off in the period and what sales said.",
        agreement_charts,
        table_beside=True,
    ),
    Dashboard(
        "workload",
        "Workload",
        "Per rep: open leads now against capacity; received, calls, talk time and verdicts "
        "in the period.",
        workload_charts,
    ),
)

"""The huddle pack's page: one HTML file that reads on screen and prints on A4 or Letter, its
charts inlined as SVG, each section on a page of its own, every table whole (long words wrap,
headers repeat on each printed page), and beside each table the CSV it came from.

Every text from the store is escaped here (``html.escape``); the charts' text is escaped by
matplotlib's SVG writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from html import escape
from typing import TYPE_CHECKING

from leaddesk.team.reports import huddle_charts

if TYPE_CHECKING:
    from leaddesk.team.reports.huddle import Huddle
    from leaddesk.team.reports.period import Report

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1f2933; margin: 0 auto; padding: 16px; max-width: 1100px; }
h1 { font-size: 20pt; margin: 0 0 4px; }
h2 { font-size: 15pt; margin: 0 0 6px; border-bottom: 2px solid #1f2933; }
h3 { font-size: 12pt; margin: 14px 0 4px; }
p.about, p.made { color: #52606d; margin: 0 0 8px; }
section { margin-top: 28px; }
figure { margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
table { width: 100%; border-collapse: collapse; table-layout: auto; font-size: 9.5pt;
  margin-bottom: 4px; }
th, td { border: 1px solid #cbd2d9; padding: 3px 5px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: break-word; white-space: normal; }
th { background: #e4e7eb; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.nothing td { color: #52606d; font-style: italic; }
p.csv { font-size: 9pt; color: #52606d; margin: 0 0 10px; }
dl.summary { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0; }
dl.summary div { min-width: 9em; }
dl.summary dt { font-size: 9pt; color: #52606d; }
dl.summary dd { margin: 0; font-size: 14pt; font-weight: 600; }
nav ol { margin: 4px 0 0; padding-left: 20px; }
@page { size: auto; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { margin-top: 0; break-before: page; page-break-before: always; }
  section:first-of-type { break-before: auto; page-break-before: auto; margin-top: 12pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  nav { display: none; }
}
"""


@dataclass(frozen=True)
class Table:
    report: Report
    chart: Callable[[Report], str] | None = None


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    about: str
    tables: tuple[Table, ...]


def _accept_chart(report: Report) -> str:
    rows = report.rows()
    return huddle_charts.accept_bars(
        report.title,
        [str(row[0]) for row in rows],
        [int(str(row[2])) for row in rows],
        [int(str(row[3])) for row in rows],
    )


def _reasons_chart(report: Report) -> str:
    rows = report.rows()
    return huddle_charts.count_bars(
        report.title,
        [str(row[0]) for row in rows],
        [int(str(row[1])) for row in rows],
        "rejections",
    )


def _rules_chart(report: Report) -> str:
    rows = report.rows()
    return huddle_charts.count_bars(
        report.title,
        [f"{row[0]}: {row[1]}" for row in rows],
        [int(str(row[2])) for row in rows],
        "rejected leads it fired on",
    )


def sections(huddle: Huddle) -> tuple[Section, ...]:
    until = huddle.period.until
    funnel = (
        ()
        if huddle.funnel is None
        else (
            Section(
                "funnel",
                "Funnel",
                "How far the leads that arrived in the period got, through the definition's "
                "stages in its words.",
                (Table(huddle.funnel),),
            ),
        )
    )
    return (
        *funnel,
        Section(
            "acceptance",
            "Acceptance",
            "Sales' answers recorded in the period and how many sales accepted, by the "
            "definition version the lead was qualified under, by the lead's source and by "
            "the rep who handed it off.",
            (
                Table(huddle.acceptance_by_version, _accept_chart),
                Table(huddle.acceptance_by_source, _accept_chart),
                Table(huddle.acceptance_by_rep, _accept_chart),
            ),
        ),
        Section(
            "rejections",
            "Rejections",
            "Every lead sales rejected in the period, with sales' reason and comment, and "
            "where the rejection sent the lead.",
            (Table(huddle.rejection_reasons, _reasons_chart), Table(huddle.rejections)),
        ),
        Section(
            "unanswered",
            "Hand-offs sales never answered",
            f"Handed to sales by {until} and still without an answer when this pack was "
            "made; the longest waiting first.",
            (Table(huddle.unanswered),),
        ),
        Section(
            "overrides",
            "Verdicts reps overrode",
            "Verdicts given in the period against the definition's suggestion: what it "
            "suggested, what the rep chose and why, and what sales said since.",
            (Table(huddle.overrides),),
        ),
        Section(
            "rules",
            "Rules behind rejected leads",
            "The definition's rules that fired on the leads sales rejected, most first, and "
            "how often the same rule fired on leads sales accepted: candidates to change in "
            "the next version.",
            (Table(huddle.rules_on_rejected, _rules_chart),),
        ),
    )


def page(huddle: Huddle) -> str:
    span = huddle.period
    heading = f"Huddle pack, {span.since} to {span.until}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(heading)}</h1>",
        f'<p class="made">Days in {escape(span.timezone)} time. Made '
        f"{escape(huddle.made_at.astimezone(UTC).strftime('%d %b %Y %H:%M'))} UTC by "
        f"{escape(huddle.made_by)}. Every table is also a CSV file in this folder.</p>",
        _summary(huddle),
        _contents(sections(huddle)),
        "</header>",
    ]
    parts.extend(_section(section) for section in sections(huddle))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _summary(huddle: Huddle) -> str:
    by_version = huddle.acceptance_by_version.rows()
    answered = sum(int(str(row[1])) for row in by_version)
    accepted = sum(int(str(row[2])) for row in by_version)
    rate = f"{round(100 * accepted / answered, 1)} %" if answered else "–"
    figures = (
        ("answers from sales", str(answered)),
        ("accepted", str(accepted)),
        ("accept rate", rate),
        ("rejections", str(len(huddle.rejections.items))),
        ("waiting for sales", str(len(huddle.unanswered.items))),
        ("verdicts overridden", str(len(huddle.overrides.items))),
    )
    cells = "".join(
        f"<div><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>" for name, value in figures
    )
    return f'<dl class="summary">{cells}</dl>'


def _contents(all_sections: tuple[Section, ...]) -> str:
    items = "".join(
        f'<li><a href="#{section.anchor}">{escape(section.title)}</a></li>'
        for section in all_sections
    )
    return f"<nav><ol>{items}</ol></nav>"


def _section(section: Section) -> str:
    parts = [
        f'<section id="{section.anchor}">',
        f"<h2>{escape(section.title)}</h2>",
        f'<p class="about">{escape(section.about)}</p>',
    ]
    for table in section.tables:
        report = table.report
        parts.append(f'<h3 id="{report.name}">{escape(report.title)}</h3>')
        if table.chart is not None and report.items:
            svg = huddle_charts.fluid(table.chart(report))
            parts.append(f'<figure aria-label="{escape(report.title)}">{svg}</figure>')
        parts.append(_table(report))
        name = f"{report.name}.csv"
        parts.append(f'<p class="csv">The figures: <a href="{name}">{name}</a></p>')
    parts.append("</section>")
    return "\n".join(parts)


def _table(report: Report) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in report.headers)
    rows = report.rows()
    if not rows:
        body = (
            f'<tr class="nothing"><td colspan="{len(report.headers)}">'
            "Nothing in this period.</td></tr>"
        )
    else:
        body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="number">{escape(str(value))}</td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"

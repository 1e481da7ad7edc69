"""The team lead's dashboards on the hand-built store of the report tests, whose figures are
worked out on paper there: the charts must show exactly those figures, export them, follow the
look, and stay closed to qualifiers."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QLineSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

# The report tests' store and its team live beside them in tests/team (imported, not copied).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "team"))
from test_team_reports import SINCE, UNTIL, store  # noqa: F401 - the store fixture

from leaddesk.desk import Desk
from tests.factories import Team
from tests.one_store import sqlite_only
from tests.team.conftest import team  # noqa: F401 - the team fixture
from ui.common.operations import Operations
from ui.common.theme import DARK, LIGHT, apply_theme
from ui.console import dashboards
from ui.console.dashboards import DashboardsPanel, quick_period


class Opened:
    def __init__(self, panel: DashboardsPanel, desk: Desk, ops: Operations) -> None:
        self.panel = panel
        self.desk = desk
        self.ops = ops


def open_panel(qtbot: QtBot, built: Team, user: str) -> Opened:
    desk = built.desk(user)
    ops = Operations()  # a real worker thread: the reports load off the GUI thread
    panel = DashboardsPanel(desk, ops)
    qtbot.addWidget(panel)
    panel.resize(1366, 720)
    assert not panel.started  # nothing is read before the lead opens the tab
    panel.show()
    qtbot.waitUntil(panel.is_ready)
    return Opened(panel, desk, ops)


@pytest.fixture
def lead_panel(qtbot: QtBot, store: Team) -> Iterator[Opened]:  # noqa: F811
    opened = open_panel(qtbot, store, "lead1")
    opened.panel.set_period(SINCE, UNTIL)
    qtbot.waitUntil(opened.panel.is_ready)
    yield opened
    opened.ops.wait_idle()
    opened.desk.close()


def bar_values(chart: QChart) -> dict[str, list[float]]:
    series = chart.series()[0]
    assert isinstance(series, QAbstractBarSeries)
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}


def categories(chart: QChart) -> list[str]:
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    return list(axis.categories())


def test_every_chart_shows_the_hand_built_stores_figures(
    lead_panel: Opened, qtmodeltester: object
) -> None:
    panel = lead_panel.panel
    assert panel.state.text() == "3 days, New York time"
    # Bars read top-down like the table: horizontal bar axes count from the bottom.
    (funnel,) = panel.page["funnel"].charts
    assert bar_values(funnel) == {"Leads": [1, 2, 3, 5, 8]}
    assert categories(funnel)[-1] == "Arrived  (100.0 %)"
    assert all(page.empty.isHidden() for page in panel.page.values())
    assert categories(funnel)[-2] == "Called  (62.5 %)"

    (throughput,) = panel.page["throughput"].charts
    lines = {s.name(): s for s in throughput.series() if isinstance(s, QLineSeries)}
    assert {name: [p.y() for p in line.points()] for name, line in lines.items()} == {
        "new": [2, 4, 2],
        "contacted": [2, 2, 1],
        "qualified": [2, 0, 1],
        "handed off": [0, 3, 0],
        "accepted by sales": [0, 0, 1],
    }

    sla = panel.page["sla"]
    assert bar_values(sla.charts[0]) == {"Leads": [1, 2, 1, 1, 0, 0, 3]}
    assert "SLA met for 66.7 %" in sla.charts[0].title()
    assert sla.summary.text().startswith("SLA met for 66.7 %: 4 met, 2 breached, 1 not due")

    outcomes, problems = panel.page["sources"].charts
    assert categories(outcomes) == ["webinar", "web_form", "purchased_list"]
    by_outcome = bar_values(outcomes)
    assert by_outcome["qualified"] == [1, 2, 0]
    assert by_outcome["still open"] == [0, 0, 2]
    assert by_outcome["disqualified"] == [1, 1, 1]
    assert bar_values(problems) == {
        "dubious": [0, 0, 1],
        "unworthy": [1, 0, 0],
        "sales: No budget": [0, 1, 0],
    }

    (agreement,) = panel.page["agreement"].charts
    assert categories(agreement) == ["rep1 (100 %)", "rep2 (0 %)"]
    assert bar_values(agreement) == {
        "handed off": [2, 1],
        "accepted by sales": [1, 0],
        "rejected by sales": [0, 1],
        "waiting for sales": [1, 0],
    }
    assert agreement.title().endswith("sales accepted 50.0 %")

    held, done = panel.page["workload"].charts
    assert bar_values(held) == {"open now": [1, 1], "capacity": [40, 40]}
    assert bar_values(done) == {
        "received": [0, 1],
        "calls": [2, 1],
        "connects": [1, 0],
        "verdicts": [4, 2],
    }

    for name, page in panel.page.items():
        report = lead_panel.desk.team.report(name, since=SINCE, until=UNTIL)
        assert page.model.rows() == report.rows(), name
        assert page.model.rowCount() == len(report.rows())
        qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    cell = panel.page["funnel"].model.index(1, 2)
    assert cell.data() == "62.5"
    assert cell.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


# The files hold what the panel shows (the figures are read on both stores above).
@sqlite_only
def test_chart_saves_as_png_and_table_as_csv(
    qtbot: QtBot, lead_panel: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = lead_panel.panel
    out = tmp_path / "huddle"
    out.mkdir()
    for row, (name, page) in enumerate(panel.page.items()):
        panel.chooser.setCurrentRow(row)
        assert panel.pages.currentWidget() is page
        picture, table = out / f"{name}.png", out / f"{name}.csv"
        monkeypatch.setattr(dashboards, "choose_save_path", lambda *_args, p=picture: p)
        qtbot.mouseClick(page.save_png, Qt.MouseButton.LeftButton)
        monkeypatch.setattr(dashboards, "choose_save_path", lambda *_args, p=table: p)
        qtbot.mouseClick(page.save_csv, Qt.MouseButton.LeftButton)

        image = QImage(str(picture))
        assert not image.isNull(), name
        ratio = page.chart_area.devicePixelRatioF()
        assert (image.width(), image.height()) == (
            round(page.chart_area.width() * ratio),
            round(page.chart_area.height() * ratio),
        )
        sample = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(sample) > 8, f"{name}.png looks blank"

        with table.open(encoding="utf-8-sig", newline="") as saved:
            rows = list(csv.reader(saved))
        report = lead_panel.desk.team.report(name, since=SINCE, until=UNTIL)
        assert rows[0] == list(report.headers)
        assert rows[1:] == [["" if v is None else str(v) for v in row] for row in report.rows()]
        assert table.read_bytes().endswith(b"\r\n")
    # Written beside the target and swapped in: no half-written or temporary files are left.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{name}.{kind}" for name in panel.page for kind in ("png", "csv")
    )
    assert panel.state.text() == "Saved workload.csv"


# The panel's saving, not the store: SQLite is enough.
@sqlite_only
def test_a_cancelled_save_writes_nothing(
    qtbot: QtBot, lead_panel: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Path] = []

    def cancel(_parent: object, _caption: str, suggested: Path, _kind: str) -> None:
        asked.append(suggested)

    lead_panel.panel.save_dir = tmp_path / "huddle"
    lead_panel.panel.save_dir.mkdir()
    monkeypatch.setattr(dashboards, "choose_save_path", cancel)
    page = lead_panel.panel.page["funnel"]
    qtbot.mouseClick(page.save_csv, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_png, Qt.MouseButton.LeftButton)
    assert [p.name for p in asked] == [
        "leaddesk-funnel-2026-11-16-to-2026-11-18.csv",
        "leaddesk-funnel-2026-11-16-to-2026-11-18.png",
    ]
    assert list(asked[0].parent.iterdir()) == []


# The panel's saving, not the store: SQLite is enough.
@sqlite_only
def test_a_save_that_fails_says_why_and_leaves_nothing_behind(
    qtbot: QtBot,
    lead_panel: Opened,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    gone = tmp_path / "unplugged-stick" / "funnel.csv"
    monkeypatch.setattr(dashboards, "choose_save_path", lambda *_args: gone)
    qtbot.mouseClick(lead_panel.panel.page["funnel"].save_csv, Qt.MouseButton.LeftButton)
    assert len(warnings_shown) == 1
    assert warnings_shown[0].startswith("Could not save funnel.csv:")
    assert not gone.parent.exists()


# The panel's date picking: SQLite is enough.
@sqlite_only
def test_quick_picks_and_typed_dates_choose_the_teams_days(
    qtbot: QtBot, lead_panel: Opened
) -> None:
    panel = lead_panel.panel
    today = date(2026, 11, 18)  # a Wednesday in New York at the fixed clock
    assert quick_period("This week", today) == (date(2026, 11, 16), today)
    expected = {
        "This week": date(2026, 11, 16),
        "Last 7 days": date(2026, 11, 12),
        "This month": date(2026, 11, 1),
        "Last 30 days": date(2026, 10, 20),
    }
    for pick, first in expected.items():
        qtbot.mouseClick(panel.picks[pick], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(panel.is_ready)
        span = panel.reports["funnel"].period
        assert (span.since, span.until) == (first, today), pick
        assert panel.period() == (first, today)
    # "Last 30 days" reaches back past every lead but one that arrived on 10 Nov.
    assert panel.page["funnel"].model.rows()[0] == ("Arrived", 10, 100.0)

    panel.since.setDate(panel.since.date().addDays(27))  # typed: loads once the lead stops
    qtbot.waitUntil(lambda: panel.reports["funnel"].period.since == date(2026, 11, 16))
    qtbot.waitUntil(panel.is_ready)
    assert panel.page["funnel"].model.rows()[0] == ("Arrived", 8, 100.0)


# The panel's words: SQLite is enough.
@sqlite_only
def test_a_period_that_ends_before_it_starts_is_explained(qtbot: QtBot, lead_panel: Opened) -> None:
    panel = lead_panel.panel
    panel.set_period(UNTIL, SINCE)
    assert panel.is_ready()  # nothing asked of the core
    assert panel.state.text().startswith("The “from” day is after the “until” day")
    assert panel.views.currentWidget() is panel.content  # the last figures stay on screen
    assert panel.reports["funnel"].period.since == SINCE


def test_figures_are_read_again_after_changes_elsewhere_in_the_window(
    qtbot: QtBot,
    lead_panel: Opened,
    store: Team,  # noqa: F811
) -> None:
    panel = lead_panel.panel
    arrived = panel.page["funnel"].model.rows()[0]
    assert arrived == ("Arrived", 8, 100.0)
    store.lead("rep2", hours_ago=2)  # arrives today, in the period
    panel.hide()
    lead_panel.ops.changed.emit(frozenset({"queue"}))
    assert not panel.loading  # hidden: nothing read until the lead looks again
    panel.show()
    qtbot.waitUntil(lambda: panel.page["funnel"].model.rows()[0] == ("Arrived", 9, 100.0))
    store.lead("rep2", hours_ago=1)
    lead_panel.ops.changed.emit(frozenset({"queue"}))  # shown: read again after a pause
    qtbot.waitUntil(lambda: panel.page["funnel"].model.rows()[0] == ("Arrived", 10, 100.0))
    qtbot.waitUntil(panel.is_ready)


# How empty charts are drawn: SQLite is enough.
@sqlite_only
def test_a_quiet_period_draws_empty_charts(qtbot: QtBot, lead_panel: Opened) -> None:
    panel = lead_panel.panel
    panel.set_period(date(2025, 1, 1), date(2025, 12, 31))  # before the team had any lead
    qtbot.waitUntil(panel.is_ready)
    assert bar_values(panel.page["funnel"].charts[0]) == {"Leads": [0, 0, 0, 0, 0]}
    assert bar_values(panel.page["agreement"].charts[0]) == {
        "handed off": [],
        "accepted by sales": [],
        "rejected by sales": [],
        "waiting for sales": [],
    }
    assert panel.page["sources"].model.rowCount() == 0
    assert panel.page["sla"].charts[0].title().endswith("no SLA due yet")
    (throughput,) = panel.page["throughput"].charts
    assert len(throughput.series()[0].points()) == 365
    assert panel.state.text() == "365 days, New York time"
    # Said in words, not just empty axes; workload still has today's open leads and capacity.
    empty = {name for name, page in panel.page.items() if not page.empty.isHidden()}
    assert empty == set(panel.page) - {"workload"}
    for row in range(panel.chooser.count()):
        panel.chooser.setCurrentRow(row)
        assert not panel.pages.currentWidget().grab().isNull()


# The panel's words for a refusal the core makes: SQLite is enough.
@sqlite_only
def test_qualifier_is_told_the_dashboards_are_for_team_leads(
    qtbot: QtBot,
    store: Team,  # noqa: F811
) -> None:
    opened = open_panel(qtbot, store, "rep1")
    panel = opened.panel
    assert panel.refused is not None
    assert panel.views.currentWidget() is panel.message
    assert panel.message.text().startswith("Dashboards are for team leads and marketing.")
    assert "rep1" in panel.message.text()
    assert panel.period_bar.isHidden()
    assert panel.reports == {}
    assert all(page.report is None for page in panel.page.values())
    opened.ops.wait_idle()
    opened.desk.close()


# The charts' colours: SQLite is enough.
@sqlite_only
def test_charts_follow_the_light_and_dark_looks(
    qtbot: QtBot, qapp: QApplication, restore_look: None, lead_panel: Opened
) -> None:
    panel = lead_panel.panel
    apply_theme(qapp, "dark")
    qtbot.waitUntil(
        lambda: panel.page["funnel"].charts[0].backgroundBrush().color().name() == DARK.base
    )
    for page in panel.page.values():
        for chart in page.charts:
            assert chart.backgroundBrush().color().name() == DARK.base
            assert chart.titleBrush().color().name() == DARK.ink
    # The figures are the same ones, redrawn.
    assert bar_values(panel.page["funnel"].charts[0]) == {"Leads": [1, 2, 3, 5, 8]}
    apply_theme(qapp, "light")
    qtbot.waitUntil(
        lambda: panel.page["funnel"].charts[0].backgroundBrush().color().name() == LIGHT.base
    )

"""Team dashboards for the team lead console: the core's reports for a chosen period, each as a
chart with its table, exported as PNG and CSV for the sales–marketing huddle."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, QEvent, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, Report
from leaddesk.errors import LeadDeskError, NotPermitted
from ui.common import dialogs
from ui.common.operations import Operations
from ui.console.chart_looks import Look, look_for
from ui.console.charts import DASHBOARDS, Dashboard
from ui.console.cut_picker import CutPicker
from ui.console.huddle_button import HuddleButton
from ui.console.report_table import ReportTableModel
from ui.workspace.queue_model import place_name

QUICK_PICKS = ("This week", "Last 7 days", "This month", "Last 30 days")
RELOAD_DELAY_MS = 400  # typing a date fires on every digit; wait for the lead to stop


def quick_period(pick: str, today: date) -> tuple[date, date]:
    """The days a quick pick stands for, ending today (the team's today)."""
    if pick == "This week":
        return today - timedelta(days=today.weekday()), today
    if pick == "Last 7 days":
        return today - timedelta(days=6), today
    if pick == "This month":
        return today.replace(day=1), today
    if pick == "Last 30 days":
        return today - timedelta(days=29), today
    raise ValueError(pick)


def choose_save_path(parent: QWidget, caption: str, suggested: Path, kind: str) -> Path | None:
    """Where to save an export; None if the lead cancelled. Tests answer for the lead here."""
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), kind)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(suggested.suffix)


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write beside the target, then swap it in: a huddle file is whole or not there at all."""
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_csv(text: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        # A byte-order mark makes spreadsheet apps read the file as UTF-8; rows end in CRLF.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())

    return write


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def counts_nothing(report: Report) -> bool:
    """No row has a figure above zero: the charts would only show empty axes."""
    return not any(
        isinstance(value, int | float) and not isinstance(value, bool) and value > 0
        for row in report.rows()
        for value in row
    )


class DashboardPage(QWidget):
    """One dashboard: what it counts, its chart(s), its table, and the two exports."""

    def __init__(self, dashboard: Dashboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dashboard = dashboard
        self.report: Report | None = None
        self.charts: list[QChart] = []
        self.about = QLabel(dashboard.about, self)
        self.about.setObjectName("muted")
        self.about.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.summary.setVisible(dashboard.summary is not None)
        self.empty = QLabel("Nothing to count in this period.", self)
        self.empty.setObjectName("sectionTitle")
        self.empty.setVisible(False)
        self.save_png = QPushButton("Save chart as PNG…", self)
        self.save_csv = QPushButton("Save table as CSV…", self)
        for button in (self.save_png, self.save_csv):
            button.setEnabled(False)

        self.chart_area = QWidget(self)
        self.chart_area.setObjectName("chartArea")
        self.chart_layout = QHBoxLayout(self.chart_area)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_layout.setSpacing(6)
        self.views: list[QChartView] = []

        self.model = ReportTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"{dashboard.title}: figures")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents  # a report has tens of rows, not thousands
        )

        # A narrow table sits beside its chart, leaving the chart the full height; a wide or
        # long one goes under it.
        beside = dashboard.table_beside
        self.split = QSplitter(
            Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical, self
        )
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.chart_area)
        self.split.addWidget(self.table)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.chart_area.setMinimumHeight(260)
        self.table.setMinimumHeight(90)
        self.table.setMinimumWidth(200)
        self.split.setSizes([800, 320] if beside else [640, 200])
        self._fitted = False

        top = QHBoxLayout()
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.about)
        words.addWidget(self.summary)
        words.addWidget(self.empty)
        top.addLayout(words, 1)
        top.addWidget(self.save_png, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.save_csv, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)

    def show_report(self, report: Report, look: Look) -> None:
        self.report = report
        self.model.show(report)
        if self.dashboard.table_beside and not self._fitted:
            self._fit_table()
        if self.dashboard.summary is not None:
            self.summary.setText(self.dashboard.summary(report))
        self.empty.setVisible(counts_nothing(report))
        self.draw(look)
        for button in (self.save_png, self.save_csv):
            button.setEnabled(True)

    def _fit_table(self) -> None:
        """Give the table beside the chart the width its columns need, once."""
        self._fitted = True
        self.table.resizeColumnsToContents()
        needed = (
            self.table.horizontalHeader().length()
            + 2 * self.table.frameWidth()
            + self.table.verticalScrollBar().sizeHint().width()
        )
        total = sum(self.split.sizes())
        self.split.setSizes([max(total - needed, 1), needed])

    def draw(self, look: Look) -> None:
        """(Re)build the charts from the report held: on load and when the look changes."""
        if self.report is None:
            return
        charts = self.dashboard.charts(self.report, look)
        while len(self.views) < len(charts):
            view = QChartView(self.chart_area)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setFrameShape(QChartView.Shape.NoFrame)
            view.setMinimumWidth(320)
            view.setAccessibleName(f"{self.dashboard.title}: chart")
            view.setAccessibleDescription("The same figures are in the table below")
            self.chart_layout.addWidget(view, 1)
            self.views.append(view)
        old = self.charts
        for view, chart in zip(self.views, charts, strict=False):
            view.setChart(chart)  # the view owns the chart from here on
            view.setBackgroundBrush(chart.backgroundBrush())
        for chart in old:
            chart.deleteLater()
        self.charts = charts


class DashboardsPanel(QWidget):
    """Funnel, throughput, speed to lead, sources, sales agreement and workload charts."""

    def __init__(self, desk: Desk, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardsPanel")
        self._desk = desk
        self._ops = ops
        self._asked = 0  # the newest load; older answers arriving late are dropped
        self._today: date | None = None
        self._stale = False
        self._dark: bool | None = None
        self.save_dir = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        self.reports: dict[str, Report] = {}
        self.loading = False
        self.started = False  # the first load waits until the lead opens the tab
        self.refused: str | None = None

        self.since = QDateEdit(self)
        self.until = QDateEdit(self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
            edit.setEnabled(False)
            edit.setDate(_qdate(desk.clock().date()))  # until the team's days are known
        self.picks: dict[str, QPushButton] = {}
        self.state = QLabel("Loading…", self)
        self.state.setObjectName("muted")
        self.period_bar = QWidget(self)
        bar = QHBoxLayout(self.period_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        since, until = QLabel("&From", self), QLabel("&until", self)
        since.setBuddy(self.since)
        until.setBuddy(self.until)
        self.since.setAccessibleName("From")
        self.until.setAccessibleName("Until")
        bar.addWidget(since)
        bar.addWidget(self.since)
        bar.addWidget(until)
        bar.addWidget(self.until)
        bar.addSpacing(12)
        for pick in QUICK_PICKS:
            button = QPushButton(pick, self)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, p=pick: self.pick(p))
            bar.addWidget(button)
            self.picks[pick] = button
        self.cut = CutPicker(self)  # sources and acceptance by source, campaign, version…
        self.cut.changed.connect(self.refresh)
        bar.addSpacing(12)
        bar.addWidget(self.cut)
        bar.addSpacing(12)
        bar.addWidget(self.state, 1)
        self.huddle = HuddleButton(desk, ops, self.period, self.state, lambda: self.save_dir, self)
        bar.addWidget(self.huddle)

        self.chooser = QListWidget(self)
        self.chooser.setObjectName("dashboardChooser")
        self.chooser.setAccessibleName("Dashboards")
        self.pages = QStackedWidget(self)
        self.page: dict[str, DashboardPage] = {}
        for dashboard in DASHBOARDS:
            self.chooser.addItem(dashboard.title)
            page = DashboardPage(dashboard, self.pages)
            page.save_png.clicked.connect(lambda _=False, p=page: self.save_chart(p))
            page.save_csv.clicked.connect(lambda _=False, p=page: self.save_table(p))
            self.pages.addWidget(page)
            self.page[dashboard.name] = page
        self.chooser.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.chooser.setCurrentRow(0)
        self.chooser.setFixedWidth(
            max(150, self.chooser.sizeHintForColumn(0) + 2 * self.chooser.frameWidth() + 24)
        )

        self.content = QWidget(self)
        body = QHBoxLayout(self.content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.chooser)
        body.addWidget(self.pages, 1)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.views = QStackedWidget(self)
        self.views.addWidget(self.content)
        self.views.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.period_bar)
        layout.addWidget(self.views, 1)

        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_DELAY_MS)
        self._reload.timeout.connect(self.refresh)
        self.since.dateChanged.connect(self._period_edited)
        self.until.dateChanged.connect(self._period_edited)
        ops.changed.connect(self._changed)

    # -- loading ----------------------------------------------------------------------------------

    def period(self) -> tuple[date, date] | None:
        if self._today is None:
            return None  # not loaded yet: the core's default period (the last 30 days)
        return _pydate(self.since.date()), _pydate(self.until.date())

    def set_period(self, since: date, until: date) -> None:
        """Show these days (inclusive) and load them now."""
        self._set_edits(since, until)
        self.refresh()

    def show_dashboard(self, name: str) -> None:
        self.chooser.setCurrentRow([d.name for d in DASHBOARDS].index(name))

    def pick(self, name: str) -> None:
        if self._today is not None:
            self.set_period(*quick_period(name, self._today))

    def refresh(self) -> None:
        self.started = True
        self._reload.stop()
        self._stale = False
        self._asked += 1
        asked = self._asked
        chosen = self.period()
        since, until = chosen if chosen is not None else (None, None)
        if since is not None and until is not None and since > until:
            self.loading = False  # anything still on the way is for older days: dropped
            self.state.setText("The “from” day is after the “until” day: pick the days again.")
            return
        desk = self._desk
        self.loading = True
        self.state.setText("Loading…")

        by = {d.name: self.cut.for_report(d.name) for d in DASHBOARDS}

        def work() -> dict[str, Report]:
            return {
                name: desk.team.report(name, since=since, until=until, by=cut)
                for name, cut in by.items()
            }

        self._ops.run(
            work,
            done=lambda reports: self._loaded(asked, reports),
            failed=lambda error: self._failed(asked, error),
        )

    def _loaded(self, asked: int, reports: dict[str, Report]) -> None:
        if asked != self._asked:
            return
        self.loading = False
        self.reports = reports
        first = next(iter(reports.values()))
        if self._today is None:
            # The core's default period ends on the team's today (in the team's time zone).
            self._today = first.period.until
            for edit in (self.since, self.until):
                edit.setEnabled(True)
            for button in (*self.picks.values(), self.huddle):
                button.setEnabled(True)
        self._set_edits(first.period.since, first.period.until)
        days = (first.period.until - first.period.since).days + 1
        zone = place_name(first.period.timezone)
        self.state.setText(f"{days} day{'s' if days != 1 else ''}, {zone} time")
        look = self._look()
        for name, page in self.page.items():
            page.show_report(reports[name], look)

    def _failed(self, asked: int, error: LeadDeskError) -> None:
        if asked != self._asked:
            return
        self.loading = False
        if isinstance(error, NotPermitted):
            self.refused = error.message
            self.message.setText(f"Dashboards are for team leads and marketing.\n\n{error.message}")
            self.views.setCurrentWidget(self.message)
            self.period_bar.hide()  # no days to choose
            return
        self.state.setText(error.message)  # e.g. a period that ends before it starts

    def is_ready(self) -> bool:
        """Loaded (or refused) and nothing newer on the way: for tests and screenshots."""
        return self.started and not self.loading

    def _set_edits(self, since: date, until: date) -> None:
        for edit, day in ((self.since, since), (self.until, until)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _period_edited(self) -> None:
        self._reload.start()

    def _changed(self, changes: frozenset[str]) -> None:
        # Any change of leads may move the figures; read again when the lead looks.
        if not changes or self.refused is not None:
            return
        if self.isVisible():
            self._reload.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if (self._stale or not self.started) and not self.loading:
            self.refresh()

    # -- look ---------------------------------------------------------------------------------

    def _look(self) -> Look:
        self._dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return look_for(self._dark)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
            if self._dark is not None and dark != self._dark:
                look = self._look()
                for page in self.page.values():
                    page.draw(look)

    # -- exports ------------------------------------------------------------------------------

    def _suggested(self, page: DashboardPage, suffix: str) -> Path:
        assert page.report is not None
        span = page.report.period
        return self.save_dir / f"leaddesk-{page.report.name}-{span.since}-to-{span.until}{suffix}"

    def save_chart(self, page: DashboardPage) -> Path | None:
        if page.report is None:
            return None
        path = choose_save_path(
            self, "Save chart as PNG", self._suggested(page, ".png"), "PNG image (*.png)"
        )
        if path is None:
            return None
        picture = page.chart_area.grab()

        def write(temp: Path) -> None:
            if not picture.save(str(temp), "PNG"):
                raise OSError(f"could not write a PNG image to {temp.parent}")

        return self._export(path, write)

    def save_table(self, page: DashboardPage) -> Path | None:
        if page.report is None:
            return None
        path = choose_save_path(
            self, "Save table as CSV", self._suggested(page, ".csv"), "CSV table (*.csv)"
        )
        if path is None:
            return None
        return self._export(path, _write_csv(page.report.csv_text()))

    def _export(self, path: Path, write: Callable[[Path], None]) -> Path | None:
        try:
            write_atomically(path, write)
        except OSError as exc:
            dialogs.warn(self, f"Could not save {path.name}: {exc.strerror or exc}")
            return None
        self.save_dir = path.parent
        self.state.setText(f"Saved {path.name}")
        return path

"""Marketing's window (docs/architecture.md §2): the team's dashboards, opened on the one that
says which sources and campaigns bring leads sales accepts, cut as marketing asks.

Marketing reads; it does not qualify or move leads. So this window is the dashboards alone: no
call queue, no team tab, no moves, no import, nothing built that marketing cannot use.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStatusBar

from leaddesk.desk import Action, Desk
from leaddesk.settings import Settings
from ui.common import shortcuts
from ui.common.icons import icon
from ui.common.look_menu import add_look_menu
from ui.common.operations import Operations
from ui.console.dashboards import DashboardsPanel

MENUS = ("&File", "&View")
FIRST_DASHBOARD = "acceptance"


class MarketingWindow(QMainWindow):
    def __init__(self, desk: Desk, ops: Operations, settings: Settings) -> None:
        desk.require(Action.VIEW_REPORTS)  # the core refuses each report too
        super().__init__()
        self.desk = desk
        self.ops = ops
        self.settings = settings
        self.setWindowTitle(f"LeadDesk reports — {desk.actor.display_name}")
        self.setWindowIcon(icon("leaddesk"))
        self.resize(1366, 768)
        self.dashboards = DashboardsPanel(desk, ops, self)
        self.dashboards.show_dashboard(FIRST_DASHBOARD)
        self.dashboards.cut.choose("campaign")
        self.setCentralWidget(self.dashboards)
        self.setStatusBar(QStatusBar())
        self.statusBar().showMessage(
            "Read only: the reports and what sales made of the hand-offs, without the reps' "
            "notes or answers."
        )
        self._menus: dict[str, QMenu] = {}
        self._build_menus()

    def _build_menus(self) -> None:
        for name in MENUS:
            self._menus[name.replace("&", "")] = self.menuBar().addMenu(name)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self._menus["File"].addAction(quit_action)
        self.refresh_action = QAction("Read the figures again", self)
        self.refresh_action.setShortcuts(shortcuts.REFRESH.sequences())
        self.refresh_action.triggered.connect(self.dashboards.refresh)
        view = self._menus["View"]
        view.addAction(self.refresh_action)
        add_look_menu(view, self.settings, self)
        self.addActions([quit_action, self.refresh_action])

    def is_ready(self) -> bool:
        """The figures are shown (for screenshots and tests)."""
        return self.dashboards.is_ready()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ops.wait_idle()
        super().closeEvent(event)

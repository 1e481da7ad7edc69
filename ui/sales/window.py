"""A salesperson's window (docs/architecture.md §2): the hand-offs waiting for their answer and
the ways to give it, one at a time or from the decisions file.

Sales closes the loop; it does not qualify. So this window has no call queue, no questionnaire,
no import and no end-of-day export: nothing is built that a salesperson cannot use.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStatusBar

from leaddesk.desk import Desk, ShownDefinition
from leaddesk.settings import Settings
from ui.common import shortcuts
from ui.common.icons import icon
from ui.common.look_menu import add_look_menu
from ui.common.operations import Operations
from ui.common.reference import ReferenceSheet, glossary_html
from ui.handoff.feedback import SalesFeedbackDialog
from ui.sales.home import SalesHome
from ui.sync import attach_sync
from ui.workspace.new_lead_dialog import NewLeadDialog

MENUS = ("&File", "&View", "&Help")


class SalesWindow(QMainWindow):
    def __init__(self, desk: Desk, ops: Operations, settings: Settings) -> None:
        super().__init__()
        self.desk = desk
        self.ops = ops
        self.settings = settings
        self.definition: ShownDefinition | None = None
        self._glossary: ReferenceSheet | None = None
        self.setWindowTitle(f"LeadDesk — {desk.actor.display_name}")
        self.setWindowIcon(icon("leaddesk"))
        self.resize(1366, 768)
        self.sales_home = SalesHome(desk, ops)
        self.sales_home.record_requested.connect(self.show_sales_feedback)
        self.sales_home.new_lead_requested.connect(self.show_new_lead)
        self.setCentralWidget(self.sales_home)
        self.setStatusBar(QStatusBar())
        self._menus: dict[str, QMenu] = {}
        self._build_menus()
        # Sales' answers in the CRM come back every few minutes, when the team has a sync.
        self.sync = attach_sync(self, desk, ops, None, on_pulled=self.sales_home.refresh)
        ops.run(desk.qualifying.definition, done=self._definition_loaded)
        self.sales_home.refresh()
        self.sales_home.table.setFocus()

    def _build_menus(self) -> None:
        for name in MENUS:
            self._menus[name.replace("&", "")] = self.menuBar().addMenu(name)
        self.feedback_action = QAction(icon("feedback"), "Record sales' decisions…", self)
        self.feedback_action.triggered.connect(self.show_sales_feedback)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.new_lead_action = QAction(icon("customer"), "New lead…", self)
        self.new_lead_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_lead_action.triggered.connect(lambda: self.show_new_lead(""))
        file = self._menus["File"]
        file.addAction(self.new_lead_action)
        file.addAction(self.feedback_action)
        file.addSeparator()
        file.addAction(quit_action)

        self.refresh_action = QAction("Read the hand-offs again", self)
        self.refresh_action.setShortcuts(shortcuts.REFRESH.sequences())
        self.refresh_action.triggered.connect(self.sales_home.refresh)
        view = self._menus["View"]
        view.addAction(self.refresh_action)
        add_look_menu(view, self.settings, self)

        glossary = QAction(icon("glossary"), "Lead definition and glossary", self)
        glossary.setShortcuts(shortcuts.GLOSSARY.sequences())
        glossary.triggered.connect(self.show_glossary)
        self._menus["Help"].addAction(glossary)
        self.addActions([quit_action, self.refresh_action, glossary, self.new_lead_action])

    def _definition_loaded(self, shown: ShownDefinition) -> None:
        self.definition = shown

    def show_sales_feedback(self) -> SalesFeedbackDialog:
        dialog = SalesFeedbackDialog(self.desk, self.ops, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_new_lead(self, company: str = "") -> NewLeadDialog:
        """New lead as a referral credited to the salesperson (``company`` filled in)."""
        self.sales_home.offer.hide()
        dialog = NewLeadDialog(self.desk, self.ops, self, company=company)
        actor = self.desk.actor.id or 0
        dialog.added.connect(lambda added: self.statusBar().showMessage(added.message(actor)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_glossary(self) -> ReferenceSheet | None:
        """The stage names and lead types the qualifiers' verdicts use."""
        if self.definition is None:
            return None
        if self._glossary is None:
            shown = self.definition
            html = glossary_html(shown.definition, shown.published.version)
            self._glossary = ReferenceSheet("Lead definition", html, self)
        self._glossary.show()
        if QGuiApplication.platformName() != "offscreen":  # it has no window stacking
            self._glossary.raise_()
        return self._glossary

    def is_ready(self) -> bool:
        """The hand-offs waiting are shown and, if there are any, what the qualifier found on
        the one picked (for screenshots and tests)."""
        home = self.sales_home
        if home.report is None:
            return False
        return not home.report.leads or home.shown_record is not None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync.stop()
        self.ops.wait_idle()
        super().closeEvent(event)

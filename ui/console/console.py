"""The team lead console: the team at a glance, moving leads, rebalancing, users, the lead
definition and the dashboards, one tab each. Opened from View ▸ Team console; absent for reps.

The window assembles the tabs and keeps the team view and the user list fresh for them; every
write goes through the operations helper and every refusal from the core becomes a message.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStatusBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Action, Desk, TeamView, UserInfo
from leaddesk.settings import Settings
from ui.common import shortcuts
from ui.common.icons import icon
from ui.common.look_menu import add_look_menu
from ui.common.operations import Operations
from ui.console.dashboards import DashboardsPanel
from ui.console.definition import DefinitionTab
from ui.console.do_not_call import DoNotCallTab
from ui.console.leads import LeadsTab
from ui.console.moves import TeamMoves
from ui.console.overview import TeamTab
from ui.console.rebalance import RebalanceTab
from ui.console.store import StoreTab
from ui.console.sweep import PolicySweep, may_sweep
from ui.console.sweep_preview import TITLE as PREVIEW_SWEEP
from ui.console.sweep_preview import SweepPreviewer
from ui.console.users import UsersTab
from ui.handoff.dialog import EndOfDayExport
from ui.intake.wizard import ImportWizard
from ui.start.open_restored import open_in_new_window
from ui.start.restore import RestoreDialog
from ui.sync import attach_sync
from ui.sync.attach import SyncParts
from ui.workspace.new_lead_dialog import NewLeadDialog

log = logging.getLogger(__name__)

REFRESHES = frozenset({"team", "queue", "users"})
MESSAGE_MS = 12_000
# While the Team tab is in front, it reads the team again this often: who is on a call now.
TEAM_LOOK_MS = 60_000


class TeamConsole(QMainWindow):
    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        *,
        sweep: PolicySweep | None = None,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        """``settings``: given when the console is the main window (an admin's), which then has
        a View menu of its own; a team lead's console follows their workspace's look."""
        # The core refuses each action too; this keeps a rep from ever seeing an empty console.
        desk.require(Action.VIEW_TEAM)
        super().__init__(parent)
        self.desk = desk
        self.ops = ops
        self.team: TeamView | None = None
        self._stale = False
        self.users: list[UserInfo] | None = None
        self.setWindowTitle(f"Team console — {desk.actor.display_name}")
        self.setWindowIcon(icon("leaddesk"))
        self.resize(1366, 768)
        self.setMinimumSize(1100, 640)

        self.status = QStatusBar()
        self.status.setSizeGripEnabled(False)
        self.sweep_label = QLabel()
        self.status.addPermanentWidget(self.sweep_label)
        self.setStatusBar(self.status)
        # The sweep's dry run: what the next untouched-lead check would do, changing nothing.
        self.preview_sweep = SweepPreviewer(desk, ops, self, self.say)
        self.preview_sweep_button: QPushButton | None = None
        if may_sweep(desk):
            self.preview_sweep_button = QPushButton(PREVIEW_SWEEP)
            self.preview_sweep_button.setToolTip(
                "What the untouched-lead check would flag and move now; nothing is changed"
            )
            self.preview_sweep_button.clicked.connect(self.preview_sweep)
            self.status.addPermanentWidget(self.preview_sweep_button)

        self.moves = TeamMoves(desk, ops, self, self.say)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Team console")
        self.tabs.setDocumentMode(False)
        self.team_tab = TeamTab()
        self.leads_tab = LeadsTab(desk, ops, self.moves)
        self.rebalance_tab = RebalanceTab(desk, ops, self.moves)
        self.tabs.addTab(self.team_tab, "Team")
        self.tabs.addTab(self.leads_tab, "Leads")
        self.tabs.addTab(self.rebalance_tab, "Rebalance")
        self.users_tab: UsersTab | None = None
        if desk.can(Action.MANAGE_USERS):
            self.users_tab = UsersTab(desk, ops, self.say)
            self.tabs.addTab(self.users_tab, "Users")
        self.definition_tab: DefinitionTab | None = None
        if desk.can(Action.PUBLISH_DEFINITION):
            self.definition_tab = DefinitionTab(desk, ops, self.say)
            self.tabs.addTab(self.definition_tab, "Lead definition")
        self.dashboards = DashboardsPanel(desk, ops, self)
        self.tabs.addTab(self.dashboards, "Dashboards")
        self.store_tab: StoreTab | None = None
        if desk.can(Action.MANAGE_STORE):  # admins: backups
            self.store_tab = StoreTab(desk, ops, self.say)
            self.tabs.addTab(self.store_tab, "Store")
        self.do_not_call_tab: DoNotCallTab | None = None
        if desk.can(Action.MANAGE_DO_NOT_CALL):
            self.do_not_call_tab = DoNotCallTab(desk, ops, self.say)
            self.tabs.addTab(self.do_not_call_tab, "Do not call")
        body = QWidget()
        frame = QVBoxLayout(body)
        frame.setContentsMargins(8, 8, 8, 4)
        frame.addWidget(self.tabs)
        self.setCentralWidget(body)
        self._actions()
        self._settings = settings
        self.sync: SyncParts | None = None
        if settings is not None:  # the console as the whole app: an admin's
            self.sync = attach_sync(self, desk, ops, self._file_menu(settings))
            view = self.menuBar().addMenu("&View")
            view.addAction(self.refresh_action)
            add_look_menu(view, settings, self)

        self.team_tab.rep_chosen.connect(self.show_leads_of)
        ops.changed.connect(self._changed)
        self.sweep = sweep
        if sweep is not None:
            sweep.reported.connect(self.sweep_label.setText)
            self.sweep_label.setText(sweep.last_text)
        self._looker = QTimer(self)
        self._looker.setInterval(TEAM_LOOK_MS)
        self._looker.timeout.connect(self.look_again)
        self._looker.start()
        self.refresh()

    def _file_menu(self, settings: Settings) -> QMenu:
        """The console as the whole app (an admin's): bringing leads in and handing the team's
        qualified ones to sales happen here too."""
        menu = self.menuBar().addMenu("&File")
        for text, key, allowed, slot in (
            ("Import leads…", shortcuts.IMPORT, Action.IMPORT_LEADS, self.open_import),
            ("New lead…", shortcuts.NEW_LEAD, Action.IMPORT_LEADS, self.show_new_lead),
            (
                "End of day: hand the team's leads to sales…",
                shortcuts.EXPORT,
                Action.EXPORT_TEAM,
                self.show_handoff_export,
            ),
        ):
            if not self.desk.can(allowed):
                continue
            action = QAction(text, self)
            action.setShortcuts(key.sequences())
            action.triggered.connect(lambda _=False, open_it=slot: open_it())
            menu.addAction(action)
            self.addAction(action)
        self.restore_action: QAction | None = None
        if self.desk.can(Action.MANAGE_STORE):  # admins only; the core refuses others too
            menu.addSeparator()
            self.restore_action = QAction("&Restore a backup…", self)
            self.restore_action.triggered.connect(lambda: self.show_restore())
            menu.addAction(self.restore_action)
        menu.addSeparator()
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        return menu

    def open_import(self) -> ImportWizard:
        assert self._settings is not None
        dialog = ImportWizard(self.desk, self.ops, self._settings, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_new_lead(self) -> NewLeadDialog:
        dialog = NewLeadDialog(self.desk, self.ops, self)
        dialog.added.connect(lambda added: self.say(added.message(self.desk.actor.id or 0)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_restore(self, *, ask_for_file: bool = True) -> RestoreDialog:
        """File ▸ Restore a backup…: asks for the backup at once, then where it goes."""
        settings = self._settings
        opener = None
        if settings is not None:  # the console is the app: the restored store opens beside it
            opener = partial(open_in_new_window, user=self.desk.actor.name, settings=settings)
        dialog = RestoreDialog(self.desk, self.ops, self, open_store=opener)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        if ask_for_file:
            dialog.choose_backup()
        return dialog

    def show_handoff_export(self) -> EndOfDayExport:
        assert self._settings is not None
        dialog = EndOfDayExport(self.desk, self.ops, self._settings, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.show()
        return dialog

    def _actions(self) -> None:
        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        self.refresh_action = refresh
        close = QAction("Close", self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        self.addActions([refresh, close])
        for number in range(self.tabs.count()):
            jump = QAction(self.tabs.tabText(number), self)
            jump.setShortcut(QKeySequence(f"Alt+{number + 1}"))
            jump.triggered.connect(lambda _=False, n=number: self.tabs.setCurrentIndex(n))
            self.addAction(jump)
            self.tabs.setTabToolTip(number, f"Alt+{number + 1}")

    # -- data every tab shares ------------------------------------------------------------------

    def refresh(self) -> None:
        self.ops.run(self.desk.team.view, done=self._team_loaded)
        if self.users_tab is not None:
            self.ops.run(self.desk.people.users, done=self._users_loaded)

    def look_again(self) -> None:
        """The minute's look at the floor, while someone can see it. A failure (the team
        database away for a moment) is logged, never a dialog every minute."""
        if (
            not self.isVisible()
            or self.isMinimized()
            or self.tabs.currentWidget() is not self.team_tab
        ):
            return
        desk = self.desk

        def quietly() -> TeamView | None:
            try:
                return desk.team.view()
            except Exception:
                log.warning("reading the team view again failed", exc_info=True)
                return None

        self.ops.run(quietly, done=lambda view: self._team_loaded(view) if view else None)

    def _team_loaded(self, view: TeamView) -> None:
        self.team = view
        self.team_tab.show_view(view)
        self.leads_tab.set_team(view)

    def _users_loaded(self, users: list[UserInfo]) -> None:
        self.users = users
        if self.users_tab is not None:
            self.users_tab.set_users(users)

    def _changed(self, changes: frozenset[str]) -> None:
        if not changes & REFRESHES:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # a hidden console catches up when it is shown again

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)

    # -- what the tabs ask of the window ----------------------------------------------------------

    def say(self, text: str) -> None:
        self.status.showMessage(text, MESSAGE_MS)

    def show_leads_of(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.leads_tab)
        self.leads_tab.show_holder(name)

    def is_ready(self) -> bool:
        """The team view and the first list of leads are shown (tests and screenshots)."""
        return self.team is not None and not self.leads_tab.loading and not self.ops.is_busy

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.sync is not None:
            self.sync.stop()
        if self.parent() is None:
            self.ops.wait_idle()  # the console is the whole app (an admin's): finish writes
        super().closeEvent(event)


class ConsoleOpener:
    """View ▸ Team console: one console per window, made the first time it is asked for."""

    def __init__(
        self, desk: Desk, ops: Operations, parent: QWidget, sweep: PolicySweep | None = None
    ) -> None:
        self._desk = desk
        self._ops = ops
        self._parent = parent
        self._sweep = sweep
        self.console: TeamConsole | None = None

    def __call__(self) -> None:
        if self.console is None:
            self.console = TeamConsole(
                self._desk, self._ops, sweep=self._sweep, parent=self._parent
            )
        console = self.console
        console.setWindowState(console.windowState() & ~Qt.WindowState.WindowMinimized)
        console.show()
        if QGuiApplication.platformName() != "offscreen":  # it has no window stacking
            console.raise_()
            console.activateWindow()

"""The rep's workspace window: assembles the queue, lead, call and questionnaire panels and
the status bar, and wires their signals. It holds no logic of its own.

It is for those who work a call queue (reps and team leads); the launcher gives a salesperson
the sales window and an admin the team console instead."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import (
    Action,
    AddedLead,
    ContactChanged,
    Desk,
    QueueRow,
    ShownDefinition,
    arrival_notice,
)
from leaddesk.settings import NOTE_SAVE_DELAY_MS, Settings
from ui.common import shortcuts
from ui.common.icons import icon
from ui.common.look_menu import add_look_menu, set_look
from ui.common.operations import Operations
from ui.common.reference import ReferenceSheet, glossary_html, shortcuts_html
from ui.handoff.dialog import EndOfDayExport
from ui.intake.choose_page import importable_path
from ui.intake.runs import ImportRunsDialog
from ui.intake.wizard import ImportWizard
from ui.sync import attach_sync
from ui.workspace.call_cycle import CallCycle, Phase, dial_tel
from ui.workspace.call_panel import CallPanel
from ui.workspace.contact_dialog import ContactDialog
from ui.workspace.lead_panel import LeadPanel
from ui.workspace.my_handoffs import MyHandoffsPlug
from ui.workspace.new_lead_dialog import NewLeadDialog
from ui.workspace.notes import Drafts, NoteSaver, default_drafts_dir
from ui.workspace.on_the_line import end_calls_left_open, may_close, take_back_left_open
from ui.workspace.questionnaire_panel import QuestionnairePanel
from ui.workspace.queue_panel import QueuePanel
from ui.workspace.reopen_dialog import ReopenDialog
from ui.workspace.side_column import SideColumn
from ui.workspace.skip_for_now import skip_action
from ui.workspace.status_panel import DaySummaryDialog, StatusPanel

log = logging.getLogger(__name__)

MENUS = ("&File", "&Call", "&View", "&Help")
# How long the status bar says what came into the queue (the new rows stay bold longer).
NOTICE_MS = 60_000


class MainWindow(QMainWindow):
    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        settings: Settings,
        *,
        rep_zone: str = "UTC",
        dial: Callable[[str], bool] = dial_tel,
        drafts_dir: Path | None = None,
    ) -> None:
        super().__init__()
        if not desk.can(Action.WORK_QUEUE):
            raise ValueError("the workspace is for those who work a call queue")
        self.desk = desk
        self.ops = ops
        self.settings = settings
        self.definition: ShownDefinition | None = None
        self.setWindowTitle(f"LeadDesk — {desk.actor.display_name}")
        self.setWindowIcon(icon("leaddesk"))
        self.resize(1366, 768)

        drafts = Drafts(drafts_dir or default_drafts_dir(), f"{desk.store.label}|{desk.actor.name}")
        self.notes = NoteSaver(desk, ops, drafts, settings[NOTE_SAVE_DELAY_MS])
        self.cycle = CallCycle(desk, ops, dial=dial)
        self.notes.setParent(self)  # both live and die with the window (their timers too)
        self.cycle.setParent(self)
        self.queue = QueuePanel(desk, ops, rep_zone)
        self.questionnaire = QuestionnairePanel(desk, ops)
        self.call = CallPanel(self.cycle, rep_zone, desk.clock)
        self.lead = LeadPanel(desk, ops, self.notes, rep_zone, desk.clock)
        self.status = StatusPanel(desk, ops, rep_zone)

        self.left = QStackedWidget()
        self.left.addWidget(self.queue)
        self.left.addWidget(self.questionnaire)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.call)
        column.addWidget(self.lead, 1)
        # A short screen (a laptop at 125 %, full HD at 200 %) scrolls the call panel and the
        # lead instead of squashing them; on a taller one the scroll bar never shows.
        self.right = SideColumn(right)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 460])
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(8)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.addWidget(splitter)
        self.setCentralWidget(body)
        self.setStatusBar(self.status)
        self._sheets: dict[str, ReferenceSheet] = {}
        self._menus: dict[str, QMenu] = {}
        self._build_menus()
        self.sync = attach_sync(self, desk, ops, self._menus["File"])

        self.queue.selected.connect(self._looking_at)
        self.queue.take.connect(self.cycle.take)
        self.cycle.moved_away.connect(self.queue.drop_lead)
        self.queue.hint.connect(self.lead.set_hint)
        self.cycle.lead_changed.connect(self._lead_changed)
        self.lead.file_shown.connect(self.call.show_numbers)
        self.cycle.phase_changed.connect(self._phase_changed)
        self.questionnaire.verdict_given.connect(self.cycle.verdict_given)
        self.questionnaire.call_seconds = self.cycle.talk_seconds
        self.questionnaire.shown.connect(self.lead.follow_live_scores)
        self.cycle.said.connect(lambda text: self.status.showMessage(text, 8000))

        ops.run(desk.qualifying.definition, done=self._definition_loaded)
        self.queue.apply()
        self.status.refresh()
        self.queue.arrived.connect(self._came_in)
        # Sales' answers on the rep's hand-offs are news too, asked as the queue looks again.
        self.queue.looked.connect(self.handoffs.watcher.look)
        self.handoffs.watcher.start()
        self.queue.looked.connect(self.status.refresh)
        self.queue.looked.connect(lambda: end_calls_left_open(desk, ops, self.status))
        self.queue.focus_table()
        take_back_left_open(self.desk, self.ops, self.cycle, self.status)
        self.queue.start_looking()

    # -- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        for name in MENUS:
            self._menus[name.replace("&", "")] = self.menuBar().addMenu(name)
        file = self._menus["File"]
        summary = QAction(icon("summary"), "My day (end-of-day summary)…", self)
        summary.setShortcuts(shortcuts.SUMMARY.sequences())
        summary.triggered.connect(self.show_day_summary)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        # Importing: File ▸ Import…, or a file dropped on the window; absent if not allowed.
        self._import: ImportWizard | None = None
        self.import_action = QAction(icon("import"), "Import leads…", self)
        self.import_action.setShortcuts(shortcuts.IMPORT.sequences())
        self.import_action.triggered.connect(lambda: self.open_import())
        self.import_runs_action = QAction("Recent imports (undo)…", self)
        self.import_runs_action.triggered.connect(self.show_import_runs)
        self.new_lead_action = QAction(icon("import"), "New lead…", self)
        self.new_lead_action.setShortcuts(shortcuts.NEW_LEAD.sequences())
        self.new_lead_action.triggered.connect(lambda: self.show_new_lead())
        if self.desk.can(Action.IMPORT_LEADS):
            file.addAction(self.new_lead_action)
            self.addAction(self.new_lead_action)
            file.addAction(self.import_action)
            file.addAction(self.import_runs_action)
            self.addAction(self.import_action)
            self.setAcceptDrops(True)
        file.addAction(summary)
        self._export: EndOfDayExport | None = None
        self.export_action = QAction(icon("export"), "End of day: hand off to sales…", self)
        self.export_action.setShortcuts(shortcuts.EXPORT.sequences())
        self.export_action.triggered.connect(self.show_handoff_export)
        if self.desk.can(Action.EXPORT_OWN) or self.desk.can(Action.EXPORT_TEAM):
            file.addAction(self.export_action)
            self.addAction(self.export_action)
        file.addSeparator()
        file.addAction(quit_action)
        self.addActions([summary, quit_action])

        call = self._menus["Call"]
        panel = self.call
        call.addActions([panel.next_action, panel.call_action])
        outcomes = call.addMenu("Log outcome")
        for outcome, key, _words in shortcuts.OUTCOME_KEYS:
            outcomes.addAction(panel.outcome_actions[outcome])
            panel.outcome_actions[outcome].setText(f"{_words}\t{key}")
        self.skip_action = skip_action(self, self.desk, self.ops, self.queue, self.cycle)
        call.addActions([panel.callback_action, self.skip_action, panel.release_action])
        call.addAction(panel.copy_action)
        self.addAction(self.skip_action)
        call.addAction(panel.undo_action)
        self.contact_action = QAction(icon("edit"), "Correct contact details…", self)
        self.contact_action.setShortcuts(shortcuts.CONTACT.sequences())
        self.contact_action.triggered.connect(lambda: self.show_contact())
        if self.desk.can(Action.LOG_CALL):
            call.addAction(self.contact_action)
            self.addAction(self.contact_action)
            self.lead.correct_contact.connect(lambda: self.show_contact())
        self.lead.reopen.connect(lambda: self.show_reopen())
        call.addSeparator()
        call.addActions([self.questionnaire.confirm_action, self.questionnaire.override_action])
        notes = QAction(icon("note"), "Write notes", self)
        notes.setShortcuts(shortcuts.NOTES.sequences())
        notes.triggered.connect(self.lead.focus_notes)
        call.addAction(notes)
        self.addAction(notes)

        view = self._menus["View"]
        view.addActions(
            [self.queue.search_action, self.queue.queue_action, self.queue.refresh_action]
        )
        self.handoffs = MyHandoffsPlug(
            self.desk,
            self.ops,
            self.lead._zone,
            lambda text: self.status.showMessage(text, NOTICE_MS),
            lambda lead_id: self.lead.show_lead(lead_id) if self.cycle.phase is Phase.IDLE else 0,
            self,
        )
        view.addAction(self.handoffs.action)
        view.addMenu(self.queue.columns_menu(self.settings))
        add_look_menu(view, self.settings, self)
        # The team console plugs in here (set_team_console); absent for whoever may not see it.
        self.team_console_action = QAction("Team console", self)
        self.team_console_action.setVisible(False)
        view.addSeparator()
        view.addAction(self.team_console_action)

        help_menu = self._menus["Help"]
        sheet = QAction(icon("keyboard"), "Keyboard shortcuts", self)
        sheet.setShortcuts(shortcuts.SHEET.sequences())
        sheet.triggered.connect(self.show_shortcuts)
        glossary = QAction(icon("glossary"), "Lead definition and glossary", self)
        glossary.setShortcuts(shortcuts.GLOSSARY.sequences())
        glossary.triggered.connect(self.show_glossary)
        help_menu.addActions([sheet, glossary])
        self.addActions([sheet, glossary])

    def add_menu_action(
        self, menu_name: str, action: QAction, *, requires: Action | None = None
    ) -> bool:
        """Plug an action into a menu (made if new, before Help); left out entirely when the
        signed-in user may not do ``requires``. True if it was added."""
        if requires is not None and not self.desk.can(requires):
            return False
        menu = self._menus.get(menu_name.replace("&", ""))
        if menu is None:
            menu = QMenu(menu_name, self)
            help_menu = self._menus["Help"]
            self.menuBar().insertMenu(help_menu.menuAction(), menu)
            self._menus[menu_name.replace("&", "")] = menu
        menu.addAction(action)
        self.addAction(action)  # its shortcut works while the window has focus
        return True

    def set_team_console(self, open_console: Callable[[], None]) -> bool:
        """Show View ▸ Team console for those who may see the team view; absent for reps."""
        if not self.desk.can(Action.VIEW_TEAM):
            return False
        self.team_console_action.triggered.connect(open_console)
        self.team_console_action.setVisible(True)
        return True

    # -- wiring ----------------------------------------------------------------------------------

    def _definition_loaded(self, shown: ShownDefinition) -> None:
        self.definition = shown
        self.call.set_policy(shown.definition.policy)
        self.questionnaire.prepare(shown)

    def _came_in(self, rows: list[QueueRow]) -> None:
        """Say what came into the queue while the rep was busy; flash the taskbar entry if the
        rep is in another window (their softphone, the CRM)."""
        notice = arrival_notice(rows, self.desk.clock())
        if notice is not None:
            self.status.showMessage(notice, NOTICE_MS)
            QApplication.alert(self)

    def _looking_at(self, row: QueueRow | None) -> None:
        if self.cycle.phase is Phase.IDLE:
            self.lead.show_lead(row.lead_id if row is not None else None)

    def _lead_changed(self, row: QueueRow | None) -> None:
        if row is not None:
            self.lead.show_lead(row.lead_id)
            return
        current = self.queue.current_row()
        self.lead.show_lead(current.lead_id if current is not None else None)

    def _phase_changed(self, phase_name: str) -> None:
        phase = Phase(phase_name)
        if phase is Phase.QUALIFYING and self.cycle.lead is not None:
            self.questionnaire.start(self.cycle.lead.lead_id)
            self.left.setCurrentWidget(self.questionnaire)
            return
        if self.left.currentWidget() is self.questionnaire:
            self.questionnaire.stop()
            self.lead.stop_live_scores()
            self.left.setCurrentWidget(self.queue)
        if phase is Phase.IDLE:
            self.queue.focus_table()

    # -- reference sheets and the day summary ----------------------------------------------------

    def _sheet(self, key: str, title: str, html: str) -> ReferenceSheet:
        sheet = self._sheets.get(key)
        if sheet is None:
            sheet = ReferenceSheet(title, html, self)
            self._sheets[key] = sheet
        sheet.show()
        if QGuiApplication.platformName() != "offscreen":  # it has no window stacking
            sheet.raise_()
        return sheet

    def show_shortcuts(self) -> ReferenceSheet:
        return self._sheet("keys", "Keyboard shortcuts", shortcuts_html())

    def show_glossary(self) -> ReferenceSheet | None:
        if self.definition is None:
            return None
        shown = self.definition
        return self._sheet(
            "glossary",
            "Lead definition",
            glossary_html(shown.definition, shown.published.version),
        )

    def show_day_summary(self) -> DaySummaryDialog | None:
        summary = self.status.summary
        if summary is None:
            return None
        dialog = DaySummaryDialog(summary, self.desk.actor.display_name, self)
        dialog.show()
        return dialog

    def show_import_runs(self) -> ImportRunsDialog:
        dialog = ImportRunsDialog(self.desk, self.ops, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_handoff_export(self) -> EndOfDayExport:
        """The end-of-day dialog; pressing Ctrl+E again brings the open one forward."""
        dialog = self._export
        if dialog is None or not dialog.isVisible():
            if dialog is not None:
                dialog.deleteLater()
            dialog = self._export = EndOfDayExport(self.desk, self.ops, self.settings, self)
            dialog.show()
        dialog.activateWindow()
        return dialog

    def set_theme(self, name: str) -> None:
        set_look(self.settings, name)

    # -- correcting contact details ----------------------------------------------------------------

    def show_contact(self) -> ContactDialog | None:
        """Call ▸ Correct contact details… (F2) for the lead on show; None when there is none."""
        lead = self.lead.lead_file
        if lead is None or not self.desk.can(Action.LOG_CALL):
            self.status.showMessage("Open a lead first: its contact details can then be corrected.")
            return None
        dialog = ContactDialog(self.desk, self.ops, lead, self)
        dialog.saved.connect(self._contact_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _contact_saved(self, changed: ContactChanged) -> None:
        self.status.showMessage(f"{changed.person}: {changed.message}", NOTICE_MS)
        held = self.cycle.lead
        if (
            held is not None
            and held.lead_id == changed.lead_id
            and self.desk.can(Action.WORK_QUEUE)
        ):
            desk, lead_id = self.desk, changed.lead_id
            # The number on the call panel (and the one C dials) is the corrected one.
            self.ops.run(lambda: desk.queue.lead_row(lead_id), done=self.cycle.update_lead)

    def show_reopen(self) -> ReopenDialog | None:
        """Reopen… on a closed lead's card (team leads); None when not allowed or not closed."""
        lead = self.lead.lead_file
        if lead is None or not self.desk.can(Action.REASSIGN):
            return None
        dialog = ReopenDialog(self.desk, self.ops, lead, self)
        dialog.reopened.connect(lambda done: self.status.showMessage(done.message, NOTICE_MS))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- importing leads ---------------------------------------------------------------------------

    def show_new_lead(self) -> NewLeadDialog | None:
        """File ▸ New lead…: someone on the line, or a referral; absent if not allowed."""
        if not self.desk.can(Action.IMPORT_LEADS):
            return None
        dialog = NewLeadDialog(self.desk, self.ops, self)
        dialog.added.connect(lambda added: self._lead_added(added, dialog.work_now.isChecked()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _lead_added(self, added: AddedLead, work_now: bool) -> None:
        actor = self.desk.actor.id or 0
        self.status.showMessage(added.message(actor), NOTICE_MS)
        if not (work_now and added.owner_id == actor and self.desk.can(Action.WORK_QUEUE)):
            return
        desk, lead_id = self.desk, added.lead_id
        said = f"{added.message(actor)}. On the line: press 1 (connected)."
        # The caller is on the line: their lead opens at once, ready for 1 (connected).
        self.ops.run(
            lambda: desk.queue.lead_row(lead_id), done=lambda row: self._work_added(row, said)
        )

    def _work_added(self, row: QueueRow | None, said: str) -> None:
        if row is None or self.cycle.phase not in (Phase.IDLE, Phase.READY):
            return
        self.cycle.take(row)
        # Said after the cycle's own "press C to call" (work runs in order): no dialling here.
        self.ops.run(lambda: None, done=lambda _: self.status.showMessage(said, NOTICE_MS))

    def open_import(self, path: Path | None = None) -> ImportWizard | None:
        """The import dialog, started on ``path`` if given (a dropped file)."""
        if not self.desk.can(Action.IMPORT_LEADS):
            return None
        dialog = self._import
        if dialog is None or not dialog.isVisible():
            if dialog is not None:
                dialog.deleteLater()
            dialog = self._import = ImportWizard(self.desk, self.ops, self.settings, self)
            dialog.open()
        dialog.activateWindow()
        if path is not None:
            dialog.set_file(path)
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.desk.can(Action.IMPORT_LEADS) and importable_path(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = importable_path(event.mimeData())
        if path is not None and self.desk.can(Action.IMPORT_LEADS):
            event.acceptProposedAction()
            self.open_import(path)

    # -- state for tests and screenshots -----------------------------------------------------------

    def is_ready(self) -> bool:
        """The queue is shown and, if it has a first lead, that lead too."""
        if self.queue.model.loading:
            return False
        if self.queue.model.rowCount() == 0:
            return True
        return self.lead.lead_file is not None

    def closeEvent(self, event: QCloseEvent) -> None:
        if not may_close(self, self.cycle):
            event.ignore()
            return
        # Nothing typed is lost; a call on the line waits for the next window (claim and all),
        # and a lead held but not on a call goes straight back.
        self.questionnaire.stop_typing()
        self.notes.close()
        held, desk = self.cycle.lead, self.desk
        if self.cycle.on_call:
            self.cycle.leave_on_line()
        elif held is not None and self.cycle.phase is not Phase.IDLE:
            self.ops.run(lambda: desk.queue.release(held.lead_id))
        self.sync.stop()
        self.ops.wait_idle()
        super().closeEvent(event)

"""My hand-offs (View ▸ My hand-offs, Ctrl+Shift+H): what became of the leads the rep handed to
sales — waiting, accepted with the opportunity, or rejected with sales' reason and comment and
where the lead went — and the watcher that says in the status bar when sales answers one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, MyHandoff, MyHandoffs
from ui.common import shortcuts
from ui.common.icons import icon
from ui.common.operations import Operations

log = logging.getLogger(__name__)

HEADERS = ("Lead", "Person", "Company", "Handed off", "Answer", "Sales' answer", "By", "When")
LEAD, PERSON, COMPANY, HANDED_OFF, STATUS, ANSWER, BY, WHEN = range(len(HEADERS))
FILTERS = (
    ("All", None),
    ("Waiting", "waiting"),
    ("Accepted", "accepted"),
    ("Rejected", "rejected"),
)
_Index = QModelIndex | QPersistentModelIndex


class MyHandoffsModel(QAbstractTableModel):
    """The rep's hand-offs, newest first (a few hundred at most: the core caps the list)."""

    def __init__(self, zone: Callable[[Any], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._when = zone
        self.leads: tuple[MyHandoff, ...] = ()

    def set_leads(self, leads: tuple[MyHandoff, ...]) -> None:
        self.beginResetModel()
        self.leads = leads
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.leads)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.leads):
            return None
        lead = self.leads[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(lead, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (STATUS, ANSWER):
            return f"{lead.answer}\nThe lead is now: {lead.stage}"
        if role == Qt.ItemDataRole.UserRole:
            return lead.lead_id
        return None

    def _text(self, lead: MyHandoff, column: int) -> str:
        if column == LEAD:
            return str(lead.lead_id)
        if column == PERSON:
            return lead.person
        if column == COMPANY:
            return lead.company or ""
        if column == HANDED_OFF:
            return self._when(lead.handed_off_at)
        if column == STATUS:
            return lead.status.capitalize()
        if column == ANSWER:
            return "" if lead.status == "waiting" else lead.answer.split(": ", 1)[-1]
        if column == BY:
            return lead.answered_by or ""
        return self._when(lead.answered_at) if lead.answered_at else ""


class MyHandoffsDialog(QDialog):
    """The list, a filter by answer, and the chosen hand-off's whole answer below it."""

    lead_chosen = Signal(int)  # open this lead on the card

    def __init__(
        self, desk: Desk, ops: Operations, zone: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("My hand-offs")
        self.resize(980, 460)
        self._desk, self._ops, self._zone = desk, ops, zone
        self.handoffs: MyHandoffs | None = None
        self.summary = QLabel("Reading your hand-offs…")
        self.summary.setObjectName("panelTitle")
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show hand-offs")
        for label, status in FILTERS:
            self.filter.addItem(label, status)
        self.model = MyHandoffsModel(self._at, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("My hand-offs")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ANSWER, QHeaderView.ResizeMode.Stretch)
        for column, width in ((LEAD, 60), (PERSON, 150), (COMPANY, 140), (HANDED_OFF, 130)):
            self.table.setColumnWidth(column, width)
        for column, width in ((STATUS, 80), (BY, 110), (WHEN, 130)):
            self.table.setColumnWidth(column, width)
        self.detail = QLabel("Pick a hand-off to read sales' whole answer; Enter opens its card.")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # sales' words, shown as typed
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 5)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("Sales' answer")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        show = QLabel("&Show:")
        show.setBuddy(self.filter)
        top.addWidget(show)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self.filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.table.activated.connect(self._open)

    def _at(self, moment: Any) -> str:
        return str(moment.astimezone(self._zone).strftime("%d %b %Y %H:%M"))

    def refresh(self) -> None:
        """Read the list again (on open, on a new filter, when sales answered one)."""
        desk, status = self._desk, self.filter.currentData()
        self._ops.run(lambda: desk.handoff.mine(status=status), done=self._show)

    def _show(self, handoffs: MyHandoffs) -> None:
        self.handoffs = handoffs
        self.model.set_leads(handoffs.leads)
        waiting, accepted = handoffs.count("waiting"), handoffs.count("accepted")
        rejected = handoffs.count("rejected")
        if not handoffs.leads:
            self.summary.setText("No hand-offs here yet: leads you hand to sales show up here.")
        else:
            self.summary.setText(
                f"{len(handoffs.leads)} shown: {waiting} waiting for sales, "
                f"{accepted} accepted, {rejected} rejected"
            )
        if handoffs.leads:
            self.table.selectRow(0)

    def select_lead(self, lead_id: int) -> bool:
        """Put the cursor on this lead's row; False if it is not listed."""
        for row, lead in enumerate(self.model.leads):
            if lead.lead_id == lead_id:
                self.table.selectRow(row)
                return True
        return False

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        lead = self.model.leads[current.row()]
        lines = [f"#{lead.lead_id} {lead.person} — now {lead.stage}", lead.answer]
        if lead.answered_at is not None:
            lines.append(
                f"Answered by {lead.answered_by or 'sales'} on {self._at(lead.answered_at)}"
            )
        if lead.recycle_at is not None:
            lines.append(f"Comes back from nurture on {self._at(lead.recycle_at)[:11]}")
        self.detail.setText("\n".join(lines))

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.lead_chosen.emit(self.model.leads[index.row()].lead_id)


class AnswerWatcher(QObject):
    """Asks, whenever the queue looks again, whether sales answered one of the rep's
    hand-offs since the last ask; a failure is logged and the next look tries again."""

    answered = Signal(object)  # list[MyHandoff]

    def __init__(self, desk: Desk, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._desk, self._ops = desk, ops
        self._mark: int | None = None

    def start(self) -> None:
        desk = self._desk
        self._ops.run(lambda: _quietly(desk.handoff.answers_mark), done=self._marked)

    def _marked(self, mark: int | None) -> None:
        self._mark = mark

    def look(self) -> None:
        if self._mark is None:
            return
        desk, mark = self._desk, self._mark
        self._ops.run(lambda: _quietly(lambda: desk.handoff.answers_since(mark)), done=self._came)

    def _came(self, result: tuple[list[MyHandoff], int] | None) -> None:
        if result is None:
            return
        answers, self._mark = result
        if answers:
            self.answered.emit(answers)


def answer_notice(answers: list[MyHandoff]) -> str:
    """The status bar's line: one answer in full, several counted."""
    if len(answers) == 1:
        lead = answers[0]
        return f"Sales answered lead #{lead.lead_id} ({lead.person}): {lead.answer}"
    rejected = sum(1 for lead in answers if lead.status == "rejected")
    return (
        f"Sales answered {len(answers)} of your hand-offs ({len(answers) - rejected} accepted, "
        f"{rejected} rejected): View ▸ My hand-offs"
    )


def _quietly(look: Callable[[], Any]) -> Any:
    """A look nobody asked for never puts up a dialog; a failure is logged."""
    try:
        return look()
    except Exception:
        log.warning("asking for sales' answers failed", exc_info=True)
        return None


class MyHandoffsPlug(QObject):
    """What the workspace window plugs in: View ▸ My hand-offs (one dialog, brought forward
    when asked again) and the status bar's line when sales answers."""

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        zone: Any,
        say: Callable[[str], None],
        show_lead: Callable[[int], object],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._desk, self._ops, self._zone, self._window = desk, ops, zone, window
        self._say, self._show_lead = say, show_lead
        self.dialog: MyHandoffsDialog | None = None
        self.action = QAction(icon("feedback"), "My hand-offs", window)
        self.action.setShortcuts(shortcuts.MY_HANDOFFS.sequences())
        self.action.triggered.connect(self.show)
        window.addAction(self.action)  # its shortcut works while the window has focus
        self.watcher = AnswerWatcher(desk, ops, self)
        self.watcher.answered.connect(self._answered)

    def show(self) -> MyHandoffsDialog:
        dialog = self.dialog
        if dialog is None:
            dialog = self.dialog = MyHandoffsDialog(self._desk, self._ops, self._zone, self._window)
            dialog.lead_chosen.connect(self._show_lead)
        dialog.refresh()
        dialog.show()
        dialog.activateWindow()
        return dialog

    def _answered(self, answers: list[MyHandoff]) -> None:
        """Say that sales answered, as a queue arrival is said; flash the taskbar entry."""
        self._say(answer_notice(answers))
        QApplication.alert(self._window)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()

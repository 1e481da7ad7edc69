"""The queue pane: the rep's call queue (or search results), filters by band and source, and
a search box answering by name, company, email or phone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
)

from leaddesk.desk import MIN_SEARCH_CHARS as MIN_CHARS
from leaddesk.desk import Action, Band, Desk, QueueMark, QueueOutlook, QueueRow
from leaddesk.domain import Source
from leaddesk.settings import QUEUE_HIDDEN, Settings
from ui.common import shortcuts
from ui.common.empty_note import EmptyNote
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.workspace.queue_model import COLUMNS, PERSON, WHY, WIDTHS, QueueModel
from ui.workspace.queue_view import QueueView

log = logging.getLogger(__name__)

SEARCH_PAUSE_MS = 200
NO_LEADS = (
    "No leads to call yet.\n\nImport a lead list: File ▸ Import leads ({keys}),\n"
    "or drop a CSV or Excel file on this window.\n"
    "Someone on the phone? File ▸ New lead ({new})."
)
TAKE_NEXT = "Press N to take the next lead from your queue."
TICK_MS = 30_000
# The band filter's last entry: not a band of the queue but the rep's agenda.
BOOKED = "booked"
BOOKED_TITLE = "CALLBACKS I BOOKED"
# How often the queue is read again on its own: callbacks come due, a team lead hands a
# rep leads, marketing imports new ones. A look costs milliseconds.
LOOK_MS = 60_000


def _quietly(
    look: Callable[[], tuple[list[QueueRow], QueueMark]],
) -> tuple[list[QueueRow], QueueMark] | None:
    """A look nobody asked for must never put a dialog up every minute: a failure (the team
    database unreachable for a moment) is logged and the next look tries again."""
    try:
        return look()
    except Exception:
        log.warning("reading the queue again failed", exc_info=True)
        return None


class SearchBox(QLineEdit):
    """The search box. Esc here is the box's own (the window's Esc puts a held lead back):
    it clears the search and gives the keyboard back to the queue."""

    left = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_escape(event):
            event.accept()  # ours, before any window shortcut sees it
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_escape(event):
            self.left.emit()
            return
        super().keyPressEvent(event)


def _is_escape(event: QEvent) -> bool:
    return (
        isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and not event.modifiers()
    )


class QueuePanel(QFrame):
    selected = Signal(object)  # QueueRow | None: the row the rep is looking at
    take = Signal(object)  # QueueRow: the rep wants to work this one now
    arrived = Signal(object)  # list[QueueRow]: came in while the rep was busy (see look_again)
    looked = Signal()  # the queue was read again on its own: counts that tell the time may move
    hint = Signal(str)  # what to do next, for the lead pane while no lead is open

    def __init__(self, desk: Desk, ops: Operations, zone: str = "UTC") -> None:
        super().__init__()
        self.setObjectName("queuePanel")
        self._desk = desk
        self._ops = ops
        self._zone = ZoneInfo(zone)
        self._selected_id: int | None = None
        self._mark: QueueMark | None = None
        self._keep_scroll: int | None = None

        self.title = QLabel("MY QUEUE")
        self.title.setObjectName("panelTitle")
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.search = SearchBox()
        self.search.setPlaceholderText("Search name, company, email, phone or #lead   ( / )")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.band = QComboBox()
        self.band.addItem("All bands", None)
        for band in Band:
            self.band.addItem(band.label, band)
        self.band.insertSeparator(self.band.count())
        self.band.addItem("Callbacks I booked", BOOKED)
        self.search.setAccessibleName("Search leads")
        self.search.setAccessibleDescription(
            "Finds leads by name, company, email or phone; #3001 finds lead 3001"
        )
        self.band.setAccessibleName("Band")
        self.band.setAccessibleDescription("Shows one band of the queue, or your booked callbacks")
        self.source = QComboBox()
        self.source.setAccessibleName("Source")
        self.source.setAccessibleDescription("Shows leads from one source only")
        self.source.addItem("All sources", None)
        for source in Source:
            self.source.addItem(source.label.capitalize(), source.value)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.band)
        filters.addWidget(self.source)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.status)

        self.model = QueueModel(ops, desk.clock)
        self.table = QueueView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Call queue")
        self.table.setAccessibleDescription("Return works the chosen lead; N takes the top one")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        self.table.fit_columns()
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        assert len(WIDTHS) == len(COLUMNS)
        self.note = EmptyNote(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.search_action = QAction(icon("search"), "Search leads", self)
        self.search_action.setShortcuts(shortcuts.SEARCH.sequences())
        self.search_action.triggered.connect(self.focus_search)
        self.queue_action = QAction("Go to the queue", self)
        self.queue_action.setShortcuts(shortcuts.QUEUE.sequences())
        self.queue_action.triggered.connect(self.focus_table)
        self.refresh_action = QAction("Refresh the queue", self)
        self.refresh_action.setShortcuts(shortcuts.REFRESH.sequences())
        self.refresh_action.triggered.connect(self.refresh_now)
        self.addActions([self.search_action, self.queue_action, self.refresh_action])

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.apply)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.model.tick)
        self._ticker.start()
        self._looker = QTimer(self)
        self._looker.setInterval(LOOK_MS)
        self._looker.timeout.connect(self.look_again)
        self.search.textChanged.connect(lambda _text: self._pause.start())
        self.search.returnPressed.connect(self._search_now)
        self.search.left.connect(self.leave_search)
        self.band.currentIndexChanged.connect(self.apply)
        self.source.currentIndexChanged.connect(self.apply)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.take.connect(self.take)
        self.table.doubleClicked.connect(self._double_clicked)
        self.model.loaded.connect(self._loaded)
        ops.changed.connect(self._changed)

    # -- what the table lists -------------------------------------------------------------------

    def columns_menu(self, settings: Settings) -> QMenu:
        """View ▸ Queue columns, also the column headings' right-click menu: show or hide
        each column but the person's (a small screen, or a column the rep never reads);
        remembered."""
        hidden = {name.strip() for name in settings[QUEUE_HIDDEN].split(",") if name.strip()}
        menu = QMenu("Queue columns", self)
        for column, heading in enumerate(COLUMNS):
            if column == PERSON:
                continue
            action = QAction(heading, menu)
            action.setCheckable(True)
            action.setChecked(heading not in hidden)
            self.table.setColumnHidden(column, heading in hidden)
            action.toggled.connect(lambda shown, c=column: self._show_column(c, shown, settings))
            menu.addAction(action)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda at: menu.popup(header.mapToGlobal(at)))
        return menu

    def _show_column(self, column: int, shown: bool, settings: Settings) -> None:
        self.table.setColumnHidden(column, not shown)
        hidden = [COLUMNS[c] for c in range(len(COLUMNS)) if self.table.isColumnHidden(c)]
        settings[QUEUE_HIDDEN] = ",".join(hidden)

    def apply(self) -> None:
        self._pause.stop()
        desk = self._desk
        text = self.search.text().strip()
        searching = len(text) >= MIN_CHARS
        self.band.setEnabled(not searching)
        self.source.setEnabled(not searching)
        if searching:
            self.title.setText("SEARCH RESULTS")
            # Open leads first, then closed ones: "we spoke last month" finds what happened.
            self.model.show(
                lambda limit, _offset: desk.queue.search(text, limit=limit, closed=True),
                pageable=False,
            )
            return
        chosen = self.band.currentData()
        if chosen == BOOKED:
            self.title.setText(BOOKED_TITLE)
            self.source.setEnabled(False)
            self.model.show(lambda _limit, _offset: desk.queue.callbacks_ahead(), pageable=False)
            return
        self.title.setText("MY QUEUE")
        band: Band | None = chosen
        source: str | None = self.source.currentData()
        self.model.show(
            lambda limit, offset: desk.queue.page(
                limit=limit, offset=offset, band=band, source=source
            )
        )

    def _search_now(self) -> None:
        self.apply()
        self.table.setFocus()

    def leave_search(self) -> None:
        """Esc in the search box: the queue again, with the keyboard on it (N, C and the
        outcome keys act as before the search)."""
        searched = bool(self.search.text())
        self.search.blockSignals(True)  # no second read of the queue after the pause
        self.search.clear()
        self.search.blockSignals(False)
        if searched:
            self.apply()
        self.table.setFocus()

    def _changed(self, changes: frozenset[str]) -> None:
        if "queue" in changes and self.isEnabled():  # disabled for roles without a queue
            self.model.refresh()

    # -- reading the queue again on its own -------------------------------------------------------

    def start_looking(self) -> None:
        """Read the queue again every minute from now on, and say what came in meanwhile."""
        desk = self._desk

        def marked(result: tuple[list[QueueRow], QueueMark] | None) -> None:
            if result is not None:
                self._mark = result[1]
            self._looker.start()

        self._ops.run(lambda: _quietly(lambda: desk.queue.arrivals()), done=marked)

    def refresh_now(self) -> None:
        """F5: look now instead of waiting for the minute to pass."""
        if self._mark is None:
            self.model.refresh()
        else:
            self.look_again()

    def look_again(self) -> None:
        """What came due or came to the rep since the last look, then the list read again
        where the rep left it (same row, same scroll)."""
        if self._mark is None:
            return
        desk, mark = self._desk, self._mark
        self._ops.run(lambda: _quietly(lambda: desk.queue.arrivals(mark)), done=self._came)

    def _came(self, result: tuple[list[QueueRow], QueueMark] | None) -> None:
        if result is None:
            return  # logged; the next look tries again
        rows, self._mark = result
        if rows:
            self.model.mark_fresh([row.lead_id for row in rows])
            self.arrived.emit(rows)
        searching = self.title.text() == "SEARCH RESULTS"
        if not searching and not self.model.loading:
            self._keep_scroll = self.table.verticalScrollBar().value()
            self.model.refresh()
        self.looked.emit()

    def _loaded(self) -> None:
        count = self.model.rowCount()
        searching = self.title.text() == "SEARCH RESULTS"
        if searching:
            self.status.setText(f"{count} found" if count else "Nothing found")
        elif self.title.text() == BOOKED_TITLE:
            self.status.setText(f"{count} in the next 7 days" if count else "None booked")
        else:
            more = "+" if self.model.canFetchMore(QModelIndex()) else ""
            self.status.setText(f"{count}{more} callable now" if count else "Nothing due now")
        self._explain_empty(count, searching)
        row = self.model.row_of(self._selected_id) if self._selected_id is not None else None
        if row is None and count:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        else:
            self._selected_id = None
            self.selected.emit(None)
        if self._keep_scroll is not None:
            self.table.verticalScrollBar().setValue(self._keep_scroll)
            self._keep_scroll = None

    def _explain_empty(self, count: int, searching: bool) -> None:
        """An empty list says why and what to do next; the core says when the next is due."""
        if count:
            self.note.say("")
            self.hint.emit(TAKE_NEXT)
        elif searching:
            self.note.say(
                "Nobody found. Search looks in names, companies, emails and phones "
                "(and #3001 finds lead 3001)."
            )
        elif self.title.text() == BOOKED_TITLE:
            self.note.say("No callbacks booked for the next 7 days.\nBook one with B on a call.")
        elif self.band.currentData() is not None or self.source.currentData() is not None:
            self.note.say("Nothing due now in this band or source.")
        else:
            self._ops.run(self._desk.queue.outlook, done=self._outlook)

    def _outlook(self, outlook: QueueOutlook) -> None:
        if self.model.rowCount() or self.title.text() == "SEARCH RESULTS":
            return  # the queue filled (or a search started) while this was read
        if outlook.open_leads:
            text = outlook.words(self._desk.clock(), self._zone)
            self.note.say(text)
            self.hint.emit(text)
            return
        self.status.setText("No leads yet")
        keys = shortcuts.IMPORT.label
        if self._desk.can(Action.IMPORT_LEADS):
            self.note.say(NO_LEADS.format(keys=keys, new=shortcuts.NEW_LEAD.label))
            self.hint.emit(f"Your queue is empty: import a lead list with {keys}.")
        else:
            self.note.say("No leads to call yet.")
            self.hint.emit("No leads to call yet.")

    # -- selection -------------------------------------------------------------------------------

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        row = self.model.row_at(indexes[0].row())
        if row is not None:
            self._selected_id = row.lead_id
            self.selected.emit(row)

    def drop_lead(self, lead_id: int) -> None:
        """A lead is no longer the rep's (a team lead moved it away): off the list now, and the
        list read again for what is there instead."""
        if self.model.drop(lead_id) and self.isEnabled():
            self.model.refresh()

    def select_top_next(self) -> None:
        """The next read of the queue selects its top row (a lead just skipped moved away)."""
        self._selected_id = None

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.take.emit(row)

    def current_row(self) -> QueueRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_table(self) -> None:
        self.table.setFocus()

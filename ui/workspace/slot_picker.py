"""Picking the salesperson's free slot while the prospect is on the line: a week of free
slots, the salesperson's working days across and times down, in the prospect's time (the
rep's own beside the chosen one). Keyboard first: arrows move, Page Up/Down change week,
Enter books, Esc closes."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import FreeSlots, Slot

DAYS_SHOWN = 7


class SlotPicker(QDialog):
    def __init__(self, free: FreeSlots, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.free = free
        self.setWindowTitle(f"Book a meeting with {free.salesperson_name}")
        self.setMinimumSize(760, 460)
        days = sorted({slot.local(free.prospect_zone).date() for slot in free.slots})
        self._first_days = days[::DAYS_SHOWN] if days else []
        self._week = 0
        heading = QLabel(
            f"<b>{free.salesperson_name}</b>'s free slots for {free.prospect} — in "
            f"<b>their time ({free.prospect_zone})</b>. Working {free.hours}"
            f" {free.salesperson_zone}; "
            + (f"busy times from {free.calendar}." if free.calendar else "no calendar given.")
        )
        heading.setWordWrap(True)
        self.grid = QTableWidget()
        self.grid.setObjectName("slotGrid")
        self.grid.setAccessibleName("Free slots: arrows move, Enter books, Escape closes")
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setVisible(False)
        self.grid.itemSelectionChanged.connect(self._chosen_changed)
        self.grid.itemActivated.connect(lambda _item: self._book())
        self.grid.installEventFilter(self)
        self.earlier = QPushButton("◀ Earlier   PgUp")
        self.later = QPushButton("Later ▶   PgDn")
        self.earlier.clicked.connect(lambda: self._show_week(self._week - 1))
        self.later.clicked.connect(lambda: self._show_week(self._week + 1))
        self.week_label = QLabel()
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("help")
        self.chosen_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.book_button = buttons.addButton("Book   Enter", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._book)
        buttons.rejected.connect(self.reject)
        paging = QHBoxLayout()
        paging.addWidget(self.earlier)
        paging.addWidget(self.week_label, 1, Qt.AlignmentFlag.AlignCenter)
        paging.addWidget(self.later)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(paging)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.chosen_label)
        layout.addWidget(buttons)
        self._slots: dict[tuple[int, int], Slot] = {}
        self._show_week(0)
        self.grid.setFocus()

    def chosen(self) -> Slot | None:
        items = self.grid.selectedItems()
        if not items:
            return None
        return self._slots.get((items[0].row(), items[0].column()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._paged(event.key()):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._book()
            else:
                super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The grid would scroll on Page Up/Down; here they change the week.
        if watched is self.grid and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._paged(event.key()):
                return True
        return super().eventFilter(watched, event)

    def _paged(self, key: int) -> bool:
        if key == Qt.Key.Key_PageDown:
            self._show_week(self._week + 1)
        elif key == Qt.Key.Key_PageUp:
            self._show_week(self._week - 1)
        else:
            return False
        return True

    def _show_week(self, week: int) -> None:
        if not self._first_days:
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            self.week_label.setText("No free slots in these days")
            further = " or look further ahead" if self.free.further_days() else ""
            self.chosen_label.setText(
                f"{self.free.none_because()}: ask for another salesperson{further}."
            )
            self.book_button.setEnabled(False)
            for button in (self.earlier, self.later):
                button.setEnabled(False)
            return
        self._week = max(0, min(week, len(self._first_days) - 1))
        first = self._first_days[self._week]
        zone = self.free.prospect_zone
        window = [first + timedelta(days=offset) for offset in range(DAYS_SHOWN)]
        shown = [s for s in self.free.slots if s.local(zone).date() in window]
        # Only the days the salesperson works (a day with a slot in the prospect's time too,
        # when their zones put a Friday afternoon on the prospect's Saturday).
        with_slots = {s.local(zone).date() for s in shown}
        days = [d for d in window if d.weekday() in self.free.weekdays or d in with_slots]
        times = sorted({s.local(zone).strftime("%H:%M") for s in shown})
        self.grid.clear()
        self.grid.setColumnCount(len(days))
        self.grid.setRowCount(len(times))
        self.grid.setHorizontalHeaderLabels([_day(day) for day in days])
        self._slots = {}
        for slot in shown:
            local = slot.local(zone)
            row, column = times.index(local.strftime("%H:%M")), days.index(local.date())
            item = QTableWidgetItem(local.strftime("%H:%M"))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            yours = slot.local(self.free.rep_zone)
            item.setToolTip(f"Your time: {yours:%a %d %b %H:%M} ({self.free.rep_zone})")
            self.grid.setItem(row, column, item)
            self._slots[(row, column)] = slot
        for row in range(len(times)):
            for column in range(len(days)):
                if (row, column) not in self._slots:
                    empty = QTableWidgetItem("")
                    empty.setFlags(Qt.ItemFlag.NoItemFlags)
                    self.grid.setItem(row, column, empty)
        self.week_label.setText(f"Week of {_day(first)}")
        self.earlier.setEnabled(self._week > 0)
        self.later.setEnabled(self._week < len(self._first_days) - 1)
        if self._slots:
            row, column = min(self._slots, key=lambda cell: self._slots[cell].starts_at)
            self.grid.setCurrentCell(row, column)
        self._chosen_changed()

    def _chosen_changed(self) -> None:
        slot = self.chosen()
        self.book_button.setEnabled(slot is not None)
        if slot is None:
            self.chosen_label.setText("Pick a free slot.")
            return
        theirs = slot.local(self.free.prospect_zone)
        yours = slot.local(self.free.rep_zone)
        seller = slot.local(self.free.salesperson_zone)
        self.chosen_label.setText(
            f"{theirs:%a %d %b %H:%M} their time · {yours:%H:%M} yours ({self.free.rep_zone}) · "
            f"{seller:%H:%M} for {self.free.salesperson_name} ({self.free.salesperson_zone})"
        )

    def _book(self) -> None:
        if self.chosen() is not None:
            self.accept()


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"

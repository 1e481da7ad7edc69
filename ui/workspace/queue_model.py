"""The call queue as a table model: pages fetched from the core off the GUI thread, never
every row; the SLA countdown, the why-line and local times move with the clock without asking
the store or moving a row.

A repaint of the table asks ``data()`` about seven roles of every visible cell (about 1,200
calls for 22 rows): each row's look (texts, colours, fonts) is worked out once, the first time
it is painted after it arrived or the clock moved, and the calls after that only read it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from leaddesk.desk import Band, QueueRow, sla_minutes_left
from leaddesk.domain import FRESH_STAGES, OPEN_STAGES
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations
from ui.common.theme import colours

PAGE = 100
Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], list[QueueRow]]
Clock = Callable[[], datetime]
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1
# SLA shown amber from this many minutes before the deadline.
SLA_WARN_MINUTES = 30
# A lead that came into the queue on its own (a callback come due, a lead handed over) stays
# bold this long, so a rep back from a call sees what is new.
FRESH_FOR = timedelta(minutes=10)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# The roles as plain numbers, the keys of a row's look (Qt asks with numbers).
_DISPLAY, _DECORATION, _TIP = 0, 1, 3
_FONT, _ALIGN, _BACK, _INK = 6, 7, 8, 9
_LEAD_ID = int(Qt.ItemDataRole.UserRole)
Look = tuple[dict[int, object], ...]  # per column: role → value, for the roles a paint asks

COLUMNS = ("Person", "Company", "Local", "Band", "Why", "SLA", "Tries", "Source")
WIDTHS = (128, 112, 54, 98, 220, 74, 44, 96)
PERSON, COMPANY, LOCAL, BAND, WHY, SLA, TRIES, SOURCE = range(len(COLUMNS))
BAND_WORDS = {Band.CALLBACK: "Callback", Band.NEW: "New", Band.RETRY: "Retry", Band.OTHER: "Open"}
_BAND_INK = {Band.CALLBACK: "accent", Band.NEW: "warn", Band.RETRY: "muted", Band.OTHER: "muted"}


def sla_minutes(row: QueueRow, now: datetime) -> int | None:
    """Minutes left to first-call the lead (negative once overdue); None if no deadline runs."""
    if row.sla_due_at is None or row.stage not in FRESH_STAGES:
        return None
    # Counted as the row's reason counts them ("call overdue by 11 min" beside "−11 min").
    return sla_minutes_left(row.sla_due_at, now)


def source_text(source: str) -> str:
    return source.replace("_", " ")


def sla_text(minutes: int) -> str:
    sign = "−" if minutes < 0 else ""
    minutes = abs(minutes)
    if minutes >= 24 * 60:
        return f"{sign}{minutes // (24 * 60)} d"
    if minutes >= 10 * 60:
        return f"{sign}{minutes // 60} h"
    if minutes >= 60:
        return f"{sign}{minutes // 60} h {minutes % 60:02d}"
    return f"{sign}{minutes} min"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_clock(row: QueueRow, now: datetime) -> str:
    return now.astimezone(_zone(row.zones[0])).strftime("%H:%M")


def place_name(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@cache
def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(20, 20)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(5, 5, 10, 10)
    painter.end()
    return QIcon(pixmap)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class QueueModel(QAbstractTableModel):
    loaded = Signal()  # a page (or a refresh) arrived and is shown

    def __init__(self, ops: Operations, clock: Clock) -> None:
        super().__init__()
        self._ops = ops
        self._clock = clock
        self._rows: list[QueueRow] = []
        self._fetch: Fetch | None = None
        self._pageable = True
        self._more = False
        self._loading = False
        self._generation = 0
        self._resetting = False
        self._now = clock()
        # Why-lines worded for ``_now``, by lead id: a paint asks for them many times a tick.
        self._reasons: dict[int, str] = {}
        # Each row's look at ``_now``, worked out when first painted; None until then.
        self._looks: list[Look | None] = []
        # Leads that came in while the rep was busy, and when they were noticed.
        self._fresh: dict[int, datetime] = {}

    # -- what is shown -------------------------------------------------------------------

    def show(self, fetch: Fetch, *, pageable: bool = True) -> None:
        """Show another list (the queue with filters, or search results) from its first page."""
        self._fetch = fetch
        self._pageable = pageable
        self._load(0, PAGE, replace=True)

    def refresh(self) -> None:
        """Read again what is shown (after a change), keeping as many rows as were loaded."""
        if self._fetch is not None:
            self._load(0, max(PAGE, min(len(self._rows), 500)), replace=True)

    def tick(self) -> None:
        """The clock moved: repaint the cells that tell the time (local time, why, countdown),
        worded afresh by the core from the rows already loaded, in the same order."""
        self._now = self._clock()
        self._forget_looks()
        faded = [i for i, at in self._fresh.items() if self._now - at >= FRESH_FOR]
        for lead_id in faded:
            del self._fresh[lead_id]
        if self._rows:
            last = len(self._rows) - 1
            for column in (LOCAL, WHY, SLA):
                self.dataChanged.emit(self.index(0, column), self.index(last, column))
            self._rows_changed(faded)

    def mark_fresh(self, lead_ids: list[int]) -> None:
        """Show these leads in bold for a while: they came in while the rep was busy."""
        now = self._clock()
        self._fresh.update((lead_id, now) for lead_id in lead_ids)
        self._rows_changed(lead_ids)

    def _rows_changed(self, lead_ids: list[int]) -> None:
        """These leads' rows look different (bold or not): their looks are worked out again
        and only they are repainted."""
        wanted = set(lead_ids)
        changed = [i for i, row in enumerate(self._rows) if row.lead_id in wanted]
        for i in changed:
            self._looks[i] = None
        if changed:
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], last))

    def restyle(self) -> None:
        """The look (light or dark) changed: every row's colours are worked out again."""
        self._forget_looks()
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(COLUMNS) - 1))

    def _forget_looks(self) -> None:
        self._reasons.clear()
        self._looks = [None] * len(self._rows)

    def is_fresh(self, lead_id: int) -> bool:
        return lead_id in self._fresh

    def reason(self, row: QueueRow) -> str:
        """The row's why-line as it reads at the model's clock."""
        text = self._reasons.get(row.lead_id)
        if text is None:
            text = self._reasons[row.lead_id] = row.reason_at(self._now)
        return text

    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, lead_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.lead_id == lead_id), None)

    def drop(self, lead_id: int) -> bool:
        """Take the lead's row off the list at once; False when it is not shown."""
        row = self.row_of(lead_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._looks[row]
        self.endRemoveRows()
        return True

    def _load(self, offset: int, count: int, *, replace: bool) -> None:
        fetch = self._fetch
        assert fetch is not None
        if replace:
            self._generation += 1
        generation = self._generation
        self._loading = True
        self._ops.run(
            lambda: fetch(count, offset),
            done=lambda rows: self._arrived(generation, count, rows, replace),
            failed=lambda error: self._failed(generation, error),
        )

    def _failed(self, generation: int, error: LeadDeskError) -> None:
        if generation == self._generation:
            self._loading = False
            self._more = False
        dialogs.warn(None, error.message)

    def _arrived(self, generation: int, count: int, rows: list[QueueRow], replace: bool) -> None:
        if generation != self._generation:
            return  # a newer list was asked for meanwhile
        self._loading = False
        self._now = self._clock()
        self._forget_looks()
        self._more = self._pageable and len(rows) == count
        if replace:
            if not self._update_in_place(rows):
                # No fetchMore from views reacting to the reset while it is still in flight.
                self._resetting = True
                self.beginResetModel()
                self._rows = list(rows)
                self._looks = [None] * len(rows)
                self.endResetModel()
                self._resetting = False
        elif rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._looks.extend([None] * len(rows))
            self.endInsertRows()
        self.loaded.emit()

    def _update_in_place(self, rows: list[QueueRow]) -> bool:
        """The list read again is the one shown, or it less one lead (the one just called):
        only what changed is told to the views, so the selection, the scroll position and
        the rest of the table stay as they are. False when it must be shown afresh."""
        old_ids = [row.lead_id for row in self._rows]
        new_ids = [row.lead_id for row in rows]
        if not old_ids or len(new_ids) not in (len(old_ids), len(old_ids) - 1):
            return False
        if new_ids != old_ids:
            gone = next(
                (i for i, (a, b) in enumerate(zip(old_ids, new_ids, strict=False)) if a != b),
                len(new_ids),
            )
            if old_ids[:gone] + old_ids[gone + 1 :] != new_ids:
                return False
            self.beginRemoveRows(QModelIndex(), gone, gone)
            del self._rows[gone]
            del self._looks[gone]
            self.endRemoveRows()
        changed = [i for i, (a, b) in enumerate(zip(self._rows, rows, strict=True)) if a != b]
        self._rows = list(rows)
        self._looks = [None] * len(rows)
        if changed:
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], last))
        return True

    # -- Qt's model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading and not self._resetting

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._load(len(self._rows), PAGE, replace=False)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == SLA:
            return "Time left to make the first call (speed-to-lead)"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        number = index.row()  # -1 for an invalid index
        if not 0 <= number < len(self._rows):
            return None
        look = self._looks[number]
        if look is None:
            look = self._looks[number] = self._look(self._rows[number])
        value = look[index.column()].get(role)
        if value is None and role == _TIP:
            return self._tip(self._rows[number], index.column())  # asked on hover only
        return value

    def _look(self, row: QueueRow) -> Look:
        """What a paint asks of each of ``row``'s cells, at the model's clock."""
        fresh = _bold() if row.lead_id in self._fresh else None
        muted = None if row.stage in OPEN_STAGES else colours().qcolor("muted")
        cells = []
        for column in range(len(COLUMNS)):
            cell: dict[int, object] = {
                _DISPLAY: self._text(row, column),
                ROW_ROLE: row,
                _LEAD_ID: row.lead_id,
            }
            if column in (LOCAL, SLA, TRIES):
                cell[_ALIGN] = _RIGHT
            if column == BAND:
                cell[_DECORATION] = _dot(getattr(colours(), _BAND_INK[row.band]))
            font: object = fresh
            ink: object = muted
            if column == SLA:
                # The countdown's own warning colours, and never muted: it is about now.
                ink = self._sla_look(row, Qt.ItemDataRole.ForegroundRole)
                back = self._sla_look(row, Qt.ItemDataRole.BackgroundRole)
                if back is not None:
                    cell[_BACK] = back
                bold = self._sla_look(row, Qt.ItemDataRole.FontRole)
                font = fresh if bold is None else bold
            if font is not None:
                cell[_FONT] = font
            if ink is not None:
                cell[_INK] = ink
            cells.append(cell)
        return tuple(cells)

    def _text(self, row: QueueRow, column: int) -> str:
        if column == PERSON:
            return row.person
        if column == COMPANY:
            return row.company or "—"
        if column == LOCAL:
            return local_clock(row, self._now) + ("" if row.zone_known else " ?")
        if column == BAND:
            return "Closed" if row.stage not in OPEN_STAGES else BAND_WORDS[row.band]
        if column == WHY:
            return self.reason(row)
        if column == SLA:
            left = sla_minutes(row, self._now)
            return "—" if left is None else sla_text(left)
        if column == TRIES:
            return f"{row.attempts}/{row.max_attempts}"
        return source_text(row.source)

    def _tip(self, row: QueueRow, column: int) -> str:
        if column == LOCAL:
            places = ", ".join(place_name(zone) for zone in row.zones)
            if not row.zone_known:
                return f"Time zone unknown: the team's ({places}) is used"
            return f"Their local time ({places})"
        if column == SLA:
            left = sla_minutes(row, self._now)
            if left is None and row.stage in FRESH_STAGES:
                return "No speed-to-lead deadline runs for this lead (nobody is waiting on a reply)"
            if left is None:
                return "Already contacted: no speed-to-lead deadline runs"
            assert row.sla_due_at is not None
            due = row.sla_due_at.astimezone().strftime("%a %H:%M")
            return f"First call due by {due}" + (" — overdue" if left < 0 else "")
        if column == TRIES:
            return (
                f"{row.attempts} unanswered since they were last reached; "
                f"the team gives up after {row.max_attempts}"
            )
        who = f"{row.person} · {row.phone or 'no phone'}"
        tip = f"{who}\n{BAND_WORDS[row.band]}: {self.reason(row)}"
        noticed = self._fresh.get(row.lead_id)
        if noticed is not None:
            tip += f"\nNew in your queue since {noticed.astimezone().strftime('%H:%M')}"
        return tip

    def _sla_look(self, row: QueueRow, role: int) -> object:
        left = sla_minutes(row, self._now)
        if left is None or left > SLA_WARN_MINUTES:
            return None
        look = colours()
        breached = left < 0
        if role == Qt.ItemDataRole.ForegroundRole:
            return look.qcolor("breach" if breached else "warn")
        if role == Qt.ItemDataRole.BackgroundRole:
            return look.qcolor("breach_back" if breached else "warn_back")
        return _bold()

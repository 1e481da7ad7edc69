"""Table models for the team console: reps, leads to move, rebalance plans, users.

Each model holds one list the core handed back (a team view, a preview, a plan) and shows it
through a column list; none of them reads the store. Team-sized lists: a few dozen reps, the
oldest few thousand leads of one rep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from leaddesk.desk import POOL, QUEUE_ROLES, PlannedMove, RepLoad, RepRow, UserInfo
from ui.common.theme import colours

T = TypeVar("T")
LEAD_IDS_MIME = "application/x-leaddesk-lead-ids"
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], object]
    number: bool = False
    tone: Callable[[T], str | None] | None = None  # a Colours field: "breach", "warn", "good"
    tip: str | None = None
    grouped: bool = True  # 1,234 for counts; ids stay plain
    person: bool = False  # names a person: as wide as the names it shows (size_lead_columns)


def when(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """A stored (UTC) moment on the clock of ``zone`` (the team's, as the console's "as of"
    is), else the viewer's."""
    return moment.astimezone(zone).strftime("%d %b %H:%M") if moment is not None else ""


class RowsModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of core results; ``ITEM_ROLE`` gives the row's item."""

    def __init__(self, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.items: list[T] = []
        self._headers: dict[int, str] = {}  # headers that carry a figure known only later

    def rename(self, section: int, header: str) -> None:
        if self._headers.get(section) != header:
            self._headers[section] = header
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, section, section)

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(item)
            if isinstance(value, int) and column.number and column.grouped:
                return f"{value:,}"
            return str(value)
        if role == Qt.ItemDataRole.EditRole:
            return column.value(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if column.number else LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and column.tone is not None:
            tone = column.tone(item)
            return QColor(getattr(colours(), tone)) if tone else None
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.ToolTipRole and column.tip:
            return column.tip
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section, self.columns[section].header)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if self.columns[section].number else LEFT)
        return None


# -- the team view --------------------------------------------------------------------------------


def _used_tone(rep: RepRow) -> str | None:
    if rep.capacity_used_pct > 100:
        return "breach"
    return "warn" if rep.capacity_used_pct >= 90 else None


def _count_tone(value: Callable[[RepRow], int]) -> Callable[[RepRow], str | None]:
    return lambda rep: "breach" if value(rep) else None


REP_COLUMNS: tuple[Column[RepRow], ...] = (
    Column("Rep", lambda r: r.display_name or r.name),
    Column(
        "Now",
        lambda r: r.now_text(),
        tone=lambda r: "good" if r.on_call_since is not None else None,
        tip="On a call (connected, not hung up yet) and for how long, or their last call today "
        "(in the team's time zone)",
    ),
    Column(
        "Calls today",
        lambda r: r.calls_today,
        number=True,
        tip="Calls logged today (from midnight in the team's time zone), whatever their outcome",
    ),
    Column("Open", lambda r: r.open_leads, number=True),
    Column("Capacity", lambda r: r.capacity, number=True),
    Column(
        "Used",
        lambda r: f"{r.capacity_used_pct} %",
        number=True,
        tone=_used_tone,
        tip="Open leads as a share of capacity",
    ),
    Column("Callbacks today", lambda r: r.callbacks_due_today, number=True),
    Column(
        "SLA breaches",
        lambda r: r.sla_breaches,
        number=True,
        tone=_count_tone(lambda r: r.sla_breaches),
        tip="Never called and past the speed-to-lead deadline: the queue's overdue rows",
    ),
    Column(
        "Untouched",
        lambda r: r.untouched,
        number=True,
        tone=lambda r: "warn" if r.untouched else None,
        tip="Nobody called it or moved it for the policy's untouched hours",
    ),
    Column("Verdicts today", lambda r: r.verdicts_today, number=True),
    Column("Verdicts this week", lambda r: r.verdicts_this_week, number=True),
    Column("Territories", lambda r: " ".join(r.territories) or "anywhere"),
)


def rep_model() -> RowsModel[RepRow]:
    return RowsModel(REP_COLUMNS)


# -- leads that may move --------------------------------------------------------------------------


def _holder(display_name: str | None) -> str:
    return display_name or "open pool"


_LEAD_FACTS: tuple[Column[PlannedMove], ...] = (
    Column("Lead", lambda m: m.lead_id, number=True, grouped=False),
    Column("Person", lambda m: m.person),
    Column("Country", lambda m: m.country or ""),
    Column("Source", lambda m: m.source.replace("_", " ")),
    Column("Arrived", lambda m: when(m.arrived_at)),
)
_ON_A_CALL: Column[PlannedMove] = Column(
    "On a call with",
    lambda m: m.on_call_display_name or "",
    tone=lambda m: "warn" if m.on_call_with else None,
    person=True,
)
LEAD_COLUMNS = (
    *_LEAD_FACTS,
    Column("With", lambda m: _holder(m.from_display_name), person=True),
    _ON_A_CALL,
)
MOVE_COLUMNS = (
    *_LEAD_FACTS,
    Column("From", lambda m: _holder(m.from_display_name), person=True),
    Column("To", lambda m: _holder(m.to_display_name), person=True),
    _ON_A_CALL,
)
# The lead facts at fixed widths (the person's name stretches): lead, country, source, arrived.
_FACT_WIDTHS = ((0, 70), (2, 70), (3, 120), (4, 110))
_NAME_WIDTH_MOST = 240
_CELL_PADDING = 24  # the style's cell padding and the grid line, with room to spare


def size_lead_columns(view: QTableView, model: RowsModel[PlannedMove]) -> None:
    """Size a list of leads: facts at fixed widths, the person's name stretching, and each
    rep column as wide as the longest name in it, so a long display name is not cut short.
    Call again after ``set_items``; a team has a handful of names, so this is cheap."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    view.ensurePolished()  # measure in the font the style sheet gives it, not the default
    header.ensurePolished()
    for index, width in _FACT_WIDTHS:
        view.setColumnWidth(index, width)
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)  # as the style draws the headers
    cells, titles = view.fontMetrics(), QFontMetrics(bold)
    for index, column in enumerate(model.columns):
        if not column.person:
            continue
        names = {str(column.value(item)) for item in model.items}
        widest = max((cells.horizontalAdvance(name) for name in names), default=0)
        wanted = max(widest, titles.horizontalAdvance(column.header)) + _CELL_PADDING
        view.setColumnWidth(index, min(wanted, _NAME_WIDTH_MOST))


class LeadsModel(RowsModel[PlannedMove]):
    """A rep's (or the pool's) open leads; the selection drags out as a list of lead ids."""

    def __init__(self) -> None:
        super().__init__(LEAD_COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [LEAD_IDS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [str(self.items[row].lead_id) for row in rows if row < len(self.items)]
        data.setData(LEAD_IDS_MIME, QByteArray(",".join(ids).encode()))
        return data


def lead_ids_from(mime: QMimeData) -> list[int]:
    raw = bytes(mime.data(LEAD_IDS_MIME).data()).decode()
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


def moves_model() -> RowsModel[PlannedMove]:
    return RowsModel(MOVE_COLUMNS)


# -- rebalance plans ------------------------------------------------------------------------------


def _after_tone(load: RepLoad) -> str | None:
    if load.after > load.capacity:
        return "breach"  # still over capacity after the move
    return "good" if load.after > load.before else None


LOAD_COLUMNS: tuple[Column[RepLoad], ...] = (
    Column("Rep", lambda r: r.display_name or r.name),
    Column("Capacity", lambda r: r.capacity, number=True),
    Column("Territories", lambda r: " ".join(r.territories) or "anywhere"),
    Column("Open now", lambda r: r.before, number=True),
    Column("After", lambda r: r.after, number=True, tone=_after_tone),
    Column(
        "Change",
        lambda r: f"{r.after - r.before:+d}" if r.after != r.before else "",
        number=True,
        tone=_after_tone,
    ),
    Column("Fair share", lambda r: r.fair_share, number=True, tip="Team load by capacity"),
)


def load_model() -> RowsModel[RepLoad]:
    return RowsModel(LOAD_COLUMNS)


# -- users ----------------------------------------------------------------------------------------


def role_words(value: str) -> str:
    return value.replace("_", " ")


USER_COLUMNS: tuple[Column[UserInfo], ...] = (
    Column("User", lambda u: u.name),
    Column("Name", lambda u: u.display_name),
    Column("Role", lambda u: role_words(u.role.value)),
    # Sales and admins have no call queue: no capacity or territories to speak of.
    Column("Capacity", lambda u: u.capacity if u.role in QUEUE_ROLES else "—", number=True),
    Column(
        "Territories",
        lambda u: (" ".join(u.territories) or "anywhere") if u.role in QUEUE_ROLES else "—",
    ),
    Column(
        "Status",
        lambda u: "active" if u.active else "deactivated",
        tone=lambda u: None if u.active else "muted",
    ),
)


def user_model() -> RowsModel[UserInfo]:
    return RowsModel(USER_COLUMNS)


def holder_label(name: str) -> str:
    return "Open pool" if name == POOL else name


def row_table(model: QAbstractTableModel, *, single: bool = False) -> QTableView:
    """A read-only table of whole rows, as every console tab shows them."""
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    return view

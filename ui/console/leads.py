"""The console's Leads tab: one rep's (or the pool's) open leads, filtered; drag a selection onto
a rep to reassign it; move the N oldest from one rep to another; clear an absent rep's queue."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import POOL, Desk, LeadPick, PlannedMove, RebalancePlan, TeamView
from leaddesk.domain import Source
from ui.common.forms import labelled
from ui.common.operations import Operations
from ui.console.models import (
    ITEM_ROLE,
    LEAD_IDS_MIME,
    LeadsModel,
    lead_ids_from,
    size_lead_columns,
)
from ui.console.moves import TeamMoves, plural

# The list shows the oldest leads first (the ones a team lead moves); a rep holding more than
# this is filtered down rather than listed whole.
LIST_LIMIT = 2_000
NAME_ROLE = Qt.ItemDataRole.UserRole
NBSP = "\u00a0"  # the figures wrap as one piece, never "leads" alone on a line


def panel(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("panel")
    column = QVBoxLayout(frame)
    column.setContentsMargins(10, 8, 10, 10)
    column.setSpacing(6)
    heading = QLabel(title.upper())
    heading.setObjectName("panelTitle")
    column.addWidget(heading)
    return frame, column


def fill_choices(combo: QComboBox, choices: list[tuple[str, str]]) -> None:
    """Set a combo's (label, name) choices, keeping the chosen name; when only the labels
    changed (new counts) they are renamed in place, so an open list stays as it is."""
    if [combo.itemData(i) for i in range(combo.count())] == [name for _, name in choices]:
        for index, (label, _name) in enumerate(choices):
            if combo.itemText(index) != label:
                combo.setItemText(index, label)
        return
    chosen = combo.currentData()
    combo.clear()
    for label, name in choices:
        combo.addItem(label, name)
    combo.setCurrentIndex(max(combo.findData(chosen), 0))


class RepDropList(QListWidget):
    """The reps (and the open pool) as drop targets for a selection of leads."""

    dropped = Signal(list, str)  # lead ids, receiver name ("pool" for the open pool)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        # A long name with its figures wraps onto a second line rather than off the side.
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)

    def set_reps(self, view: TeamView) -> None:
        current = self.currentItem().data(NAME_ROLE) if self.currentItem() else None
        self.clear()
        pool = QListWidgetItem(f"Open pool ({view.pool.open_leads:,} leads)")
        pool.setData(NAME_ROLE, POOL)
        self.addItem(pool)
        for rep in view.reps:
            shown = rep.display_name or rep.name
            figures = f"{rep.open_leads:,} / {rep.capacity:,} leads".replace(" ", NBSP)
            item = QListWidgetItem(f"{shown} ({figures})")
            item.setData(NAME_ROLE, rep.name)
            item.setToolTip(
                f"{shown}: {rep.open_leads:,} open leads, capacity {rep.capacity:,}; "
                f"territories {' '.join(rep.territories) or 'anywhere'}"
            )
            self.addItem(item)
            if rep.name == current:
                self.setCurrentItem(item)

    def item_for(self, name: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(NAME_ROLE) == name:
                return item
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(LEAD_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if item is not None and event.mimeData().hasFormat(LEAD_IDS_MIME):
            self.setCurrentItem(item)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        ids = lead_ids_from(event.mimeData()) if event.mimeData().hasFormat(LEAD_IDS_MIME) else []
        if item is None or not ids:
            event.ignore()
            return
        # Accept as a copy: the leads table reloads from the store; Qt must not remove rows.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(ids, str(item.data(NAME_ROLE)))


class LeadsTab(QWidget):
    loaded = Signal()

    def __init__(self, desk: Desk, ops: Operations, moves: TeamMoves) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._moves = moves
        self._names: list[str] = []
        self._shown: dict[str, str] = {}
        self._asked: LeadPick | None = None
        self.loading = False
        self._stale = False

        self.holder = QComboBox()
        self.holder.setMinimumWidth(160)
        self.holder.setAccessibleName("Leads of")
        self.source = QComboBox()
        self.source.setAccessibleName("Source")
        self.source.addItem("All sources", None)
        for source in Source:
            self.source.addItem(source.label.capitalize(), source.value)
        self.country = QLineEdit()
        self.country.setPlaceholderText("Country")
        self.country.setMaxLength(2)
        self.country.setAccessibleName("Country")
        self.country.setAccessibleDescription("Two-letter country code")
        self.country.setFixedWidth(80)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter by name, lead or country")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Filter by name, lead or country")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Leads of"))
        filters.addWidget(self.holder)
        filters.addWidget(self.source)
        filters.addWidget(self.country)
        filters.addWidget(self.text, 1)

        self.model = LeadsModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Open leads")
        self.table.setAccessibleDescription("Select leads, then move them to a rep")
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.verticalHeader().hide()
        size_lead_columns(self.table, self.model)
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.target = QComboBox()
        self.move_selected = QPushButton("Move…")
        self.move_selected.setObjectName("primary")
        self.target.setAccessibleName("Move the selected leads to")
        self.move_selected.setAccessibleName("Move the selected leads")
        below = QHBoxLayout()
        below.addWidget(self.count, 1)
        below.addWidget(QLabel("Move the selected leads to"))
        below.addWidget(self.target)
        below.addWidget(self.move_selected)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addLayout(filters)
        left.addWidget(self.table, 1)
        left.addLayout(below)

        drop_panel, drop_column = panel("Drop on a rep")
        hint = QLabel("Select leads (Shift/Ctrl for more) and drag them onto a rep or the pool.")
        hint.setObjectName("help")
        hint.setWordWrap(True)
        self.reps = RepDropList()
        self.reps.setAccessibleName("Reps and the pool to drop leads on")
        drop_column.addWidget(hint)
        drop_column.addWidget(self.reps, 1)

        oldest_panel, oldest_column = panel("Move the oldest")
        self.oldest_count = QSpinBox()
        self.oldest_count.setRange(1, 10_000)
        self.oldest_count.setValue(10)
        self.oldest_count.setSuffix(" leads")
        self.oldest_from = QComboBox()
        self.oldest_to = QComboBox()
        self.move_oldest = QPushButton("Move…")
        self.move_oldest.setAccessibleName("Move the oldest leads")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        # Labels above the fields: the rep lists get the panel's whole width, so a long name
        # keeps its count in view ("Annika Bergström-Lindqvist (828)", not "… (8").
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        labelled(form, "How &many", self.oldest_count, "How many of the oldest leads to move")
        labelled(form, "&From", self.oldest_from, "The rep whose oldest leads move")
        labelled(form, "&To", self.oldest_to, "Who gets them")
        oldest_column.addLayout(form)
        oldest_column.addWidget(self.move_oldest)

        absent_panel, absent_column = panel("A rep is away")
        self.absent = QComboBox()
        self.absent.setAccessibleName("The rep who is away")
        self.to_pool = QPushButton("Give all their leads back to the pool…")
        self.spread = QPushButton("Spread their leads over the others…")
        absent_column.addWidget(self.absent)
        absent_column.addWidget(self.to_pool)
        absent_column.addWidget(self.spread)

        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(drop_panel, 1)
        right.addWidget(oldest_panel)
        right.addWidget(absent_panel)
        side = QWidget()
        side.setLayout(right)
        side.setFixedWidth(330)
        right.setContentsMargins(0, 0, 0, 0)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addLayout(left, 1)
        layout.addWidget(side)

        self.holder.activated.connect(lambda _i: self.reload())
        self.source.activated.connect(lambda _i: self.reload())
        self.country.editingFinished.connect(self._country_done)
        self.text.textChanged.connect(self._filter)
        self.reps.dropped.connect(self._dropped)
        self.move_selected.clicked.connect(self._move_selected)
        self.move_oldest.clicked.connect(self._move_oldest)
        for combo in (self.oldest_from, self.oldest_to):
            combo.currentIndexChanged.connect(lambda _i: self._oldest_changed())
        self.to_pool.clicked.connect(self._absent_to_pool)
        self.spread.clicked.connect(self._absent_spread)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        ops.changed.connect(self._changed)
        self._selection_changed()

    # -- the people -------------------------------------------------------------------------------

    def set_team(self, view: TeamView) -> None:
        """Fill the rep choices from a fresh team view, keeping what was chosen; the counts in
        them follow every refresh, as the drop list's do."""
        self.reps.set_reps(view)
        names = [rep.name for rep in view.reps]
        first_load = not self._names
        reps_changed = names != self._names
        self._names = names
        self._shown = {rep.name: rep.display_name or rep.name for rep in view.reps}
        holders = [(f"Open pool ({view.pool.open_leads:,})", POOL)] + [
            (f"{self._shown[rep.name]} ({rep.open_leads:,})", rep.name) for rep in view.reps
        ]
        receivers = [("Open pool", POOL)] + [(self._shown[n], n) for n in names]
        for combo, choices in (
            (self.holder, holders),
            (self.oldest_from, holders),
            (self.target, receivers),
            (self.oldest_to, receivers),
            (self.absent, receivers[1:]),
        ):
            fill_choices(combo, choices)
        if (
            reps_changed
            and self.oldest_to.currentData() == self.oldest_from.currentData()
            and self.oldest_to.count() > 1
        ):
            self.oldest_to.setCurrentIndex(1 if self.oldest_to.currentIndex() != 1 else 2)
        self._oldest_changed()
        if first_load:
            self.target.setCurrentIndex(min(1, self.target.count() - 1))  # the first rep
            self.reload()

    def shown_name(self, name: str) -> str:
        """How a rep is shown (their display name); the open pool in words."""
        return "the open pool" if name == POOL else self._shown.get(name, name)

    def show_holder(self, name: str) -> None:
        at = self.holder.findData(name)
        if at >= 0:
            self.holder.setCurrentIndex(at)
            self.reload()

    # -- loading ------------------------------------------------------------------------------

    def current_pick(self, count: int | None = LIST_LIMIT) -> LeadPick:
        country = self.country.text().strip().upper() or None
        return LeadPick(
            from_user=self.holder.currentData() or POOL,
            source=self.source.currentData(),
            country=country,
            count=count,
        )

    def reload(self) -> None:
        if self.holder.count() == 0:
            return
        pick = self.current_pick()
        self._asked = pick
        self.loading = True
        desk = self._desk
        self._ops.run(lambda: desk.team.leads(pick), done=lambda rows: self._loaded(pick, rows))

    def _loaded(self, pick: LeadPick, rows: list[PlannedMove]) -> None:
        if pick != self._asked:
            return  # the filters changed while this was loading
        kept = {m.lead_id for m in self.selected_moves()}
        self.model.set_items(rows)
        size_lead_columns(self.table, self.model)
        self.loading = False
        if kept:
            self.select_leads(kept)
        shown = len(rows)
        who = self.shown_name(pick.from_user or POOL)
        more = f" (the {LIST_LIMIT:,} oldest; filter to see others)" if shown >= LIST_LIMIT else ""
        self.count.setText(f"{plural(shown, 'open lead')} with {who}{more}")
        self._selection_changed()
        self.loaded.emit()

    def _changed(self, changes: frozenset[str]) -> None:
        if not changes & {"team", "queue", "users"}:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # reps log calls all day: reload when the list is looked at

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)

    def _country_done(self) -> None:
        if self._asked is None or self.current_pick() != self._asked:
            self.reload()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())

    # -- selection ------------------------------------------------------------------------------

    def selected_moves(self) -> list[PlannedMove]:
        rows = self.table.selectionModel().selectedRows()
        found = [index.data(ITEM_ROLE) for index in rows]
        return sorted(
            (m for m in found if isinstance(m, PlannedMove)),
            key=lambda m: (m.arrived_at, m.lead_id),
        )

    def select_leads(self, lead_ids: set[int]) -> None:
        selection = QItemSelection()
        for row, move in enumerate(self.model.items):
            if move.lead_id in lead_ids:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(index, index)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)

    def _selection_changed(self) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.move_selected.setEnabled(count > 0)
        self.move_selected.setText(f"Move {plural(count, 'lead')}…" if count else "Move…")

    # -- moving ------------------------------------------------------------------------------

    def _dropped(self, lead_ids: list[int], receiver: str) -> None:
        self._reassign_ids(lead_ids, receiver)

    def _move_selected(self) -> None:
        ids = [m.lead_id for m in self.selected_moves()]
        if ids:
            self._reassign_ids(ids, str(self.target.currentData() or POOL))

    def _reassign_ids(self, lead_ids: list[int], receiver: str) -> None:
        to_user = None if receiver == POOL else receiver
        what = "this lead" if len(lead_ids) == 1 else f"these {len(lead_ids)} leads"
        self._moves.reassign(
            LeadPick(lead_ids=tuple(lead_ids)), to_user, what, self.shown_name(receiver)
        )

    def _oldest_changed(self) -> None:
        """From and To the same: nothing could move, so the button does not offer it."""
        same = self.oldest_from.currentData() == self.oldest_to.currentData()
        self.move_oldest.setEnabled(not same)
        self.move_oldest.setToolTip("From and To are the same." if same else "")

    def _move_oldest(self) -> None:
        count = self.oldest_count.value()
        giver = str(self.oldest_from.currentData() or POOL)
        receiver = str(self.oldest_to.currentData() or POOL)
        to_user = None if receiver == POOL else receiver
        where = self.shown_name(giver)
        what = f"the {plural(count, 'oldest lead')} of {where}"
        self._moves.reassign(
            LeadPick(from_user=giver, count=count), to_user, what, self.shown_name(receiver)
        )

    def _absent_to_pool(self) -> None:
        name = self.absent.currentData()
        if name:
            who = self.shown_name(name)
            what = f"all of {who}'s open leads"
            self._moves.reassign(LeadPick(from_user=name), None, what, self.shown_name(POOL))

    def _absent_spread(self) -> None:
        name = self.absent.currentData()
        if not name:
            return
        desk, moves = self._desk, self._moves
        title = f"Spread {self.shown_name(name)}'s leads"

        def planned(plan: RebalancePlan) -> None:
            moves.confirm_plan(plan, title)

        self._ops.run(lambda: desk.team.plan_spread(name), done=planned)

"""The console's Team tab: per rep what they hold and how it is going, the open pool, and the
leads sales has not answered yet."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import RepRow, TeamView
from ui.common.empty_note import EmptyNote
from ui.console.models import ITEM_ROLE, REP_COLUMNS, rep_model, row_table, when

UNTOUCHED = next(n for n, c in enumerate(REP_COLUMNS) if c.header == "Untouched")
NOW = next(n for n, c in enumerate(REP_COLUMNS) if c.header == "Now")


def card(title: str) -> tuple[QFrame, QLabel, QLabel]:
    """A panel with a small title, a big figure and a line of detail."""
    frame = QFrame()
    frame.setObjectName("panel")
    heading = QLabel(title.upper())
    heading.setObjectName("panelTitle")
    figure = QLabel("–")
    figure.setObjectName("personName")
    detail = QLabel()
    detail.setObjectName("muted")
    detail.setWordWrap(True)
    column = QVBoxLayout(frame)
    column.setContentsMargins(12, 10, 12, 10)
    column.setSpacing(2)
    column.addWidget(heading)
    column.addWidget(figure)
    column.addWidget(detail)
    column.addStretch(1)  # a detail that wraps must not push this card's figure out of line
    return frame, figure, detail


class TeamTab(QWidget):
    rep_chosen = Signal(str)  # a rep's name: show their leads

    def __init__(self) -> None:
        super().__init__()
        self.view: TeamView | None = None
        team, self.team_figure, self.team_detail = card("Team")
        pool, self.pool_figure, self.pool_detail = card("Open pool")
        sales, self.sales_figure, self.sales_detail = card("Waiting for sales")
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for frame in (team, pool, sales):
            cards.addWidget(frame, 1)
        self.model = rep_model()
        self.table = row_table(self.model, single=True)
        self.table.setAccessibleName("Reps")
        self.table.setAccessibleDescription("Return or double-click shows the rep's leads")
        # A team is a few dozen reps: every column fits its longest entry or its heading, so
        # a display name or a heading is never cut short; the territories take the rest.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._chosen)
        self.no_reps = EmptyNote(
            self.table, "No reps yet. Add your team on the Users tab; their leads show here."
        )
        title = QLabel("REPS")
        title.setObjectName("panelTitle")
        self.as_of = QLabel()
        self.as_of.setObjectName("muted")
        hint = QLabel("Double-click a rep to see their leads.")
        hint.setObjectName("help")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.as_of)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addLayout(cards)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)

    def show_view(self, view: TeamView) -> None:
        self.view = view
        self.model.set_items(view.reps)
        reps = view.reps
        zone = ZoneInfo(view.timezone)  # the team's: "today", "as of" and "oldest" in one zone
        held = sum(r.open_leads for r in reps)
        room = sum(r.capacity for r in reps)
        over = [r.display_name or r.name for r in reps if r.open_leads > r.capacity]
        self.team_figure.setText(f"{held:,} open leads")
        self.team_detail.setText(
            (
                f"{len(reps)} rep{'s' if len(reps) != 1 else ''}, capacity {room:,}"
                if reps
                else "No reps yet"
            )
            + (
                f"; over capacity: {', '.join(over)}"
                if over
                else "; nobody over capacity"
                if reps
                else ""
            )
        )
        hours = f"{view.untouched_hours:g} business h"  # counted as speed-to-lead is
        self.model.rename(UNTOUCHED, f"Untouched > {hours}")
        pool = view.pool
        self.pool_figure.setText(f"{pool.open_leads:,} leads")
        self.pool_detail.setText(
            f"{pool.sla_breaches:,} past SLA, {pool.untouched:,} untouched > {hours}"
            + (f", oldest {when(pool.oldest_arrived_at, zone)}" if pool.oldest_arrived_at else "")
        )
        sales = view.awaiting_sales
        self.sales_figure.setText(f"{sales.waiting:,} handed off")
        self.sales_detail.setText(
            f"{sales.past_follow_up:,} past {sales.follow_up_hours:g} h, "
            f"{sales.past_escalation:,} past {sales.escalation_hours:g} h"
            + (
                f", oldest {when(sales.oldest_handed_off_at, zone)}"
                if sales.oldest_handed_off_at
                else ""
            )
        )
        self.model.rename(NOW, f"Now ({view.timezone})")
        self.as_of.setText(
            f"as of {view.at.astimezone(zone):%H:%M} {view.timezone}; today from midnight there"
        )

    def _chosen(self, index: QModelIndex) -> None:
        rep = index.data(ITEM_ROLE)
        if isinstance(rep, RepRow):
            self.rep_chosen.emit(rep.name)

    def rep_rows(self) -> tuple[RepRow, ...]:
        return self.view.reps if self.view else ()

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

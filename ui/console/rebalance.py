"""The console's Rebalance tab: preview who gets what by spare capacity (the core respects
territories and never fills a rep past capacity), then apply exactly that preview."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, RebalancePlan
from leaddesk.errors import LeadDeskError
from ui.common import dialogs
from ui.common.operations import Operations
from ui.console.dialogs import moves_summary
from ui.console.models import load_model, moves_model, row_table, size_lead_columns
from ui.console.moves import TeamMoves, plural, unplaced_words


class RebalanceTab(QWidget):
    previewed = Signal(object)  # RebalancePlan

    def __init__(self, desk: Desk, ops: Operations, moves: TeamMoves) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._moves = moves
        self.plan: RebalancePlan | None = None

        intro = QLabel(
            "Spread the open pool, and what overloaded reps have not started on, over the reps "
            "with spare capacity. Reps only get leads from their territories. Nothing moves "
            "until you apply the preview."
        )
        intro.setObjectName("help")
        intro.setWordWrap(True)
        self.include_pool = QCheckBox("Include the open pool")
        self.include_pool.setChecked(True)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleDescription("Shows who would get what; nothing moves yet")
        self.apply_button = QPushButton("Apply")
        self.apply_button.setObjectName("primary")
        self.apply_button.setEnabled(False)
        self.summary = QLabel("Preview to see who would get what.")
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.left_out = QLabel()
        self.left_out.setObjectName("muted")
        self.left_out.setWordWrap(True)
        self.left_out.hide()
        top = QHBoxLayout()
        top.addWidget(self.include_pool)
        top.addStretch(1)
        top.addWidget(self.preview_button)
        top.addWidget(self.apply_button)

        self.loads = load_model()
        self.load_table = row_table(self.loads)
        self.load_table.setAccessibleName("Reps' load before and after")
        loads_header = self.load_table.horizontalHeader()
        loads_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # A few dozen reps: the names column fits the longest name, the figures share the rest.
        loads_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.moves = moves_model()
        self.move_table = row_table(self.moves)
        self.move_table.setAccessibleName("Leads that would move")
        size_lead_columns(self.move_table, self.moves)
        loads_box = QWidget()
        loads_column = QVBoxLayout(loads_box)
        loads_column.setContentsMargins(0, 0, 0, 0)
        loads_title = QLabel("REPS BEFORE AND AFTER")
        loads_title.setObjectName("panelTitle")
        loads_column.addWidget(loads_title)
        loads_column.addWidget(self.load_table)
        moves_box = QWidget()
        moves_column = QVBoxLayout(moves_box)
        moves_column.setContentsMargins(0, 0, 0, 0)
        moves_title = QLabel("LEADS THAT MOVE")
        moves_title.setObjectName("panelTitle")
        moves_column.addWidget(moves_title)
        moves_column.addWidget(self.move_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(loads_box)
        split.addWidget(moves_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.left_out)
        layout.addWidget(split, 1)

        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        self.include_pool.toggled.connect(lambda _on: self._forget())
        moves.planned.connect(self._applied)
        ops.changed.connect(self._changed)

    def preview(self) -> None:
        desk, include = self._desk, self.include_pool.isChecked()
        self.preview_button.setEnabled(False)
        self._ops.run(
            lambda: desk.team.plan_rebalance(include_pool=include),
            done=self._show,
            failed=self._failed,
        )

    def _failed(self, error: LeadDeskError) -> None:
        self.preview_button.setEnabled(True)
        dialogs.warn(self, error.message)

    def _show(self, plan: RebalancePlan) -> None:
        self.preview_button.setEnabled(True)
        self.plan = plan
        self.loads.set_items(plan.reps)
        self.moves.set_items(plan.moves)
        size_lead_columns(self.move_table, self.moves)
        count = len(plan.moves)
        if count:
            self.summary.setText(
                f"Would move {plural(count, 'lead')}: {moves_summary(plan.moves)}."
            )
            self.apply_button.setText(f"Apply: move {plural(count, 'lead')}")
        else:
            self.summary.setText(
                "Nothing to move: every rep is at their fair share or out of room."
            )
            self.apply_button.setText("Apply")
        self.apply_button.setEnabled(bool(count))
        notes = unplaced_words(plan)
        self.left_out.setText(" ".join(notes))
        self.left_out.setVisible(bool(notes))
        self.previewed.emit(plan)

    def apply(self) -> None:
        if self.plan is None or not self.plan.moves:
            return
        self.apply_button.setEnabled(False)
        self.summary.setText("Moving…")
        self._moves.apply_plan(self.plan, failed=self._apply_failed)

    def _apply_failed(self, error: LeadDeskError) -> None:
        dialogs.warn(self, error.message)
        self.plan = None
        self.summary.setText("Nothing was moved. Preview again.")

    def _applied(self, plan: RebalancePlan) -> None:
        if plan is self.plan:
            self.summary.setText(
                f"Moved {plural(len(plan.moves), 'lead')}: {moves_summary(plan.moves)}. "
                "Preview again to check the new balance."
            )
            self.loads.set_items(())  # its "open now" figures are from before the move
            self.apply_button.setText("Apply")
            self.plan = None

    def _forget(self) -> None:
        """A preview is only good for the store it was made on; ask again after any change."""
        if self.plan is not None:
            self.plan = None
            self.apply_button.setEnabled(False)
            self.apply_button.setText("Apply")
            self.summary.setText("Things changed since the preview; preview again.")

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & {"queue", "users"}:
            self._forget()

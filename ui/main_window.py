"""The main window: assembles the panels and the status bar; holds no logic of its own."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk
from leaddesk.leads import LeadSummary
from ui.lead_table import LeadTableModel


class LeadCard(QWidget):
    """The selected lead, at a glance: who, where from, what they asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("leadCard")
        self.title = QLabel("Pick a lead")
        self.title.setObjectName("leadTitle")
        self.phone = QLabel()
        self.phone.setObjectName("bigPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = {
            name: QLabel()
            for name in ("Company", "Email", "Source", "Asked for", "Fit", "Interest")
        }
        form = QFormLayout()
        for name, label in self.fields.items():
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.phone)
        layout.addLayout(form)
        layout.addStretch(1)

    def show_lead(self, lead: LeadSummary) -> None:
        badge = "  ·  existing customer" if lead.existing_customer else ""
        self.title.setText(f"{lead.person}{badge}")
        self.phone.setText(lead.phone or "no phone number")
        self.fields["Company"].setText(lead.company or "—")
        self.fields["Email"].setText(lead.email or "—")
        self.fields["Source"].setText(lead.source.replace("_", " "))
        self.fields["Asked for"].setText(lead.inquiry or "—")
        self.fields["Fit"].setText(f"{lead.fit_score} / 100")
        self.fields["Interest"].setText(f"{lead.interest_score} / 100")


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.setWindowTitle(f"LeadDesk — {desk.actor.display_name}")
        self.resize(1280, 760)

        total = desk.count_my_open_leads()
        self.model = LeadTableModel(
            lambda limit, offset: desk.my_open_leads(limit=limit, offset=offset), total
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((180, 200, 110, 100, 130)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.card = LeadCard()
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)
        self.statusBar().showMessage(
            f"{desk.actor.display_name} ({desk.actor.role.value.replace('_', ' ')})  ·  "
            f"{total} open leads  ·  {desk.store.label}"
        )
        if self.model.canFetchMore(self.table.rootIndex()):
            self.model.fetchMore(self.table.rootIndex())
        if self.model.rowCount():
            self.table.selectRow(0)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            summary = self.model.summary_at(rows[0].row())
            if summary is not None:
                self.card.show_lead(summary)

    def is_ready(self) -> bool:
        """The queue is shown and, if there is one, the first lead too."""
        return self.model.rowCount() == 0 or self.card.title.text() != "Pick a lead"

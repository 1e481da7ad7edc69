"""Team dashboards: the core's reports for a chosen period as charts with their tables."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from leaddesk.desk import Desk
from ui.operations import Operations


class DashboardsPanel(QWidget):
    """Funnel, throughput, speed to lead, sources, sales agreement and workload charts."""

    def __init__(self, desk: Desk, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardsPanel")
        self._desk = desk
        self._ops = ops
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Dashboards are loading…", self))

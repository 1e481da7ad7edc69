"""The dashboards' "Cut by" choice: the sources and acceptance figures by source, campaign,
lead definition version or the salesperson who referred the leads."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

# The dashboards the cut applies to; the others are per day or per rep.
CUT_DASHBOARDS = frozenset({"sources", "acceptance"})
CUTS = (
    ("source", "source"),
    ("campaign", "campaign"),
    ("version", "definition version"),
    ("referrer", "referring salesperson"),
)


class CutPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Cut by")
        for key, words in CUTS:
            self.combo.addItem(words, key)
        label = QLabel("&Cut by", self)
        label.setBuddy(self.combo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    @property
    def by(self) -> str:
        return str(self.combo.currentData())

    def choose(self, by: str) -> None:
        """Show the figures cut ``by`` (quietly: the next load reads it)."""
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(by)))
        self.combo.blockSignals(False)

    def for_report(self, name: str) -> str | None:
        return self.by if name in CUT_DASHBOARDS else None

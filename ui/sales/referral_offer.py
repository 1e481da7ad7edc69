"""After sales accepts a hand-off: "Anyone else there we should call?" — a line under the
hand-offs that opens New lead with the company filled in, credited to the salesperson.

A line, not a question box: the salesperson may be answering the next hand-off already, and
the offer waits beside it until they take it or close it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from leaddesk.desk import PendingLead


class ReferralOffer(QWidget):
    wanted = Signal(str)  # the company to fill in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralOffer")
        self.company = ""
        self.words = QLabel(self)
        self.words.setWordWrap(True)
        self.add_button = QPushButton("Add someone there…", self)
        self.add_button.setToolTip("A new lead at the same company, credited to you")
        self.add_button.clicked.connect(lambda: self.wanted.emit(self.company))
        self.close_button = QPushButton("Not now", self)
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.words, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.close_button)
        self.hide()

    def offer(self, lead: PendingLead) -> None:
        """Ask about the company of the hand-off just accepted."""
        self.company = lead.company or ""
        who = html.escape(lead.company or lead.name)  # shown as rich text
        where = f"at {who}" if lead.company else f"with {who}"
        self.words.setText(
            f"Accepted lead #{lead.lead_id}. <b>Anyone else {where} we should call?</b>"
        )
        self.show()

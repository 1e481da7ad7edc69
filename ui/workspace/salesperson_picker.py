"""Who a hand-off goes to, shown on the verdict panel before the rep confirms it.

The core names the salesperson the policy routes the lead to (by territory, in turn, by
source, or the account owner) and why; the rep may pick another from the list, which the
verdict records (and audits) as their choice. While the prospect is on the line the rep books
that salesperson's meeting here (Ctrl+B: the slot picker) and sees it below the name.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QPushButton, QVBoxLayout

from leaddesk.desk import Desk, FreeSlots, MeetingInfo, MeetingSent, Route, Salesperson
from leaddesk.domain import Verdict
from leaddesk.errors import LeadDeskError
from ui.common import dialogs, shortcuts
from ui.common.icons import icon
from ui.common.operations import Operations

ROUTED = (Verdict.HAND_OFF, Verdict.EXISTING_ACCOUNT)


def person_words(person: Salesperson) -> str:
    """ "Ben Ortiz · 3 of 40 open · DE, AT": enough to choose by."""
    parts = [person.display_name, f"{person.open_leads} of {person.capacity} open"]
    if person.territories:
        parts.append(", ".join(person.territories))
    return " · ".join(parts)


class SalespersonPicker(QFrame):
    def __init__(self, desk: Desk, ops: Operations) -> None:
        super().__init__()
        self.setObjectName("salespersonPicker")
        self._desk = desk
        self._ops = ops
        self._shown_for: tuple[int, Verdict] | None = None
        self.route: Route | None = None
        self.people: list[Salesperson] = []
        caption = QLabel("GOES TO")
        caption.setObjectName("panelTitle")
        self.choice = QComboBox()
        self.choice.setAccessibleName("Salesperson who gets the hand-off")
        self.choice.setToolTip("The policy's choice; pick another to hand it to them instead")
        self.why = QLabel()
        self.why.setObjectName("help")
        self.why.setWordWrap(True)
        self.choice.currentIndexChanged.connect(self._picked_changed)
        self.book_button = QPushButton(
            icon("callback"), f"Book meeting…   {shortcuts.MEETING.label}"
        )
        self.book_button.setAccessibleName("Book the salesperson's meeting while on the call")
        self.book_button.setAccessibleDescription(f"Key {shortcuts.MEETING.label}")
        self.book_button.clicked.connect(self.book_meeting)
        self.meeting = QLabel()
        self.meeting.setObjectName("meetingBooked")
        self.meeting.setWordWrap(True)
        self.meeting.setTextFormat(Qt.TextFormat.RichText)
        self.meeting.setOpenExternalLinks(True)  # the mailto: link opens the mail program
        self.meeting.hide()
        self.book_action = QAction("Book the salesperson's meeting…", self)
        self.book_action.setShortcuts(shortcuts.MEETING.sequences())
        self.book_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.book_action.triggered.connect(self.book_meeting)
        self.addAction(self.book_action)
        self.booked: MeetingInfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addWidget(caption)
        layout.addWidget(self.choice)
        layout.addWidget(self.why)
        layout.addWidget(self.book_button)
        layout.addWidget(self.meeting)
        self.hide()

    def show_for(self, lead_id: int, verdict: Verdict) -> None:
        """Ask the core who ``verdict`` would hand the lead to (once per lead and verdict)."""
        if verdict not in ROUTED:
            self._shown_for = None
            self.route = None
            self.hide()
            return
        if self._shown_for == (lead_id, verdict):
            return
        self._shown_for = (lead_id, verdict)
        desk = self._desk
        self._ops.run(
            lambda: (
                lead_id,
                desk.qualifying.salesperson_for(lead_id, verdict),
                desk.qualifying.salespeople(),
                desk.meetings.of_lead(lead_id),
            ),
            done=self._show,
        )

    def _show(self, found: tuple[int, Route | None, list[Salesperson], MeetingInfo | None]) -> None:
        lead_id, route, people, meeting = found
        if self._shown_for is None or self._shown_for[0] != lead_id:
            return  # the rep moved on meanwhile
        self.route = route
        self.people = people
        self._show_meeting(meeting, None)
        self.choice.blockSignals(True)
        self.choice.clear()
        for person in people:
            self.choice.addItem(person_words(person), person.name)
        if route is not None:
            self.choice.setCurrentIndex(max(0, self.choice.findData(route.name)))
        self.choice.blockSignals(False)
        self._picked_changed()
        self.setVisible(route is not None)

    def picked(self) -> str | None:
        """The salesperson the rep chose instead of the policy's; None to keep the policy's."""
        if self.route is None or self.isHidden():
            return None
        name = self.choice.currentData()
        return str(name) if name and name != self.route.name else None

    def _picked_changed(self) -> None:
        route = self.route
        if route is None:
            self.why.clear()
            return
        owner = "their account owner" if route.kind == "existing_customer" else "the policy"
        self.why.setText(
            f"You picked them instead of {route.display_name}; the verdict records it."
            if self.picked()
            else f"Chosen by {owner}: {route.why}. Their follow-up clock starts at your verdict."
        )

    def book_meeting(self) -> None:
        """Open the chosen salesperson's free slots; the slot picked is booked at once."""
        if self._shown_for is None or self.isHidden():
            return
        lead_id = self._shown_for[0]
        name = self.choice.currentData()
        desk = self._desk
        self._ops.run(
            lambda: desk.meetings.slots(lead_id, days=14, with_=str(name) if name else None),
            done=self._pick_slot,
            failed=self._refused,
        )

    def _pick_slot(self, free: FreeSlots) -> None:
        if self._shown_for is None or self._shown_for[0] != free.lead_id:
            return
        slot = dialogs.ask_slot(self.window(), free)
        if slot is None:
            return
        desk = self._desk
        self._ops.run(
            lambda: desk.meetings.book(free.lead_id, slot.starts_at, with_=free.salesperson),
            done=lambda sent: self._show_meeting(sent.meeting, sent),
            failed=self._refused,
            changes={"lead"},
        )

    def _refused(self, error: LeadDeskError) -> None:
        dialogs.warn(self.window(), error.message)

    def _show_meeting(self, meeting: MeetingInfo | None, sent: MeetingSent | None) -> None:
        self.booked = meeting
        self.book_button.setEnabled(meeting is None)
        if meeting is None:
            self.meeting.hide()
            return
        text = (
            f"<b>Meeting:</b> {html.escape(meeting.when)} with "
            f"{html.escape(meeting.salesperson_name)}"
        )
        if meeting.was:  # as the sales page and the timeline say it
            text += f" (moved from {html.escape(meeting.was)})"
        if sent is not None:
            text += (
                f"<br>Invitation saved: {html.escape(sent.invitation.name)} · "
                f"<a href='{html.escape(sent.mailto, quote=True)}'>Send it by email</a>"
            )
        self.meeting.setText(text)
        self.meeting.show()

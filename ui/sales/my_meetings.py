"""A salesperson's "My meetings": the meetings reps booked with them on the call, soonest
first, in their own time and the prospect's, with who decides and who else comes; a moved
one says where it was, a cancelled one stays in the list, marked cancelled."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from leaddesk.desk import Desk, MeetingInfo
from ui.common.empty_note import EmptyNote
from ui.common.operations import Operations
from ui.common.text_tables import filling, set_row, text_table

COLUMNS = (
    "When (yours)",
    "Their time",
    "Lead",
    "Person",
    "Company",
    "Decision maker",
    "Booked by",
    "Changes",
)
NUMBERS = (2,)


def change_words(meeting: MeetingInfo) -> str:
    """ "Cancelled", "Moved from Wed 09 Dec 10:00 (their time)", or nothing."""
    if meeting.cancelled:
        return "Cancelled"
    if meeting.moved_from is not None:
        mine = meeting.moved_from.astimezone(meeting.local(meeting.salesperson_zone).tzinfo)
        return f"Moved from {mine:%a %d %b %H:%M}"
    return ""


def meeting_cells(meeting: MeetingInfo) -> tuple[str, ...]:
    mine = meeting.local(meeting.salesperson_zone)
    theirs = meeting.local()
    return (
        f"{mine:%a %d %b %H:%M}" + (" (cancelled)" if meeting.cancelled else ""),
        f"{theirs:%H:%M} {meeting.prospect_zone}",
        str(meeting.lead_id),
        meeting.prospect,
        meeting.company or "",
        "; ".join(part for part in (meeting.decision_maker, *meeting.others) if part),
        meeting.booked_by_name,
        change_words(meeting),
    )


class MyMeetings(QFrame):
    def __init__(self, desk: Desk, ops: Operations) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self.meetings: list[MeetingInfo] = []
        title = QLabel("MY MEETINGS")
        title.setObjectName("panelTitle")
        self.table = text_table(COLUMNS, stretch=(3, 4, 5, 7), numbers=NUMBERS, single=True)
        self.table.setAccessibleName("Meetings reps booked with you")
        self.table.setMinimumHeight(120)
        self.note = EmptyNote(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        ops.changed.connect(self._changed)

    def refresh(self) -> None:
        desk = self._desk
        self._ops.run(desk.meetings.mine, done=self._show)

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & {"queue", "status", "lead"}:
            self.refresh()

    def _show(self, meetings: list[MeetingInfo]) -> None:
        self.meetings = meetings
        self.note.say(
            "" if meetings else "Meetings reps book with you on the call show here, soonest first."
        )
        with filling(self.table, len(meetings)):
            for row, meeting in enumerate(meetings):
                set_row(self.table, row, meeting_cells(meeting), numbers=NUMBERS)
                if meeting.cancelled:  # still listed, so it is not silently gone; dimmed as off
                    for column in range(self.table.columnCount()):
                        item = self.table.item(row, column)
                        if item is not None:
                            font = item.font()
                            font.setStrikeOut(column == 0)
                            item.setFont(font)
                            item.setForeground(self.palette().placeholderText())

"""What a salesperson sees on signing in: every hand-off still waiting for their answer, from
the moment the rep's verdict named them (longest waiting first, with when their follow-up is
due; late and escalated ones marked), and the ways to answer.

Sales has no call queue; the loop closes here: accepted (with the CRM opportunity) or rejected
(with a reason), one lead at a time (A, R) or many from the decisions file.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Desk, HandoffRecord, MeetingInfo, PendingLead, PendingReport
from ui.common.empty_note import EmptyNote
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.common.text_tables import filling, set_row, text_table
from ui.common.theme import colours
from ui.sales.answer import AnswerDialog
from ui.sales.my_meetings import MyMeetings
from ui.sales.referral_offer import ReferralOffer

COLUMNS = ("Lead", "Person", "Company", "Salesperson · due", "Qualified by", "Waiting", "")
LEVEL_WORDS = {"escalated": "escalated", "overdue": "late", "waiting": ""}
NUMBERS = (0, 5)


def waiting_words(hours: float) -> str:
    """How long a hand-off has waited: hours within two days, then days and hours
    ("53 d 18 h", not "1290 h")."""
    whole = int(hours)
    if whole < 48:
        return f"{whole} h"
    days, rest = divmod(whole, 24)
    return f"{days} d {rest} h" if rest else f"{days} d"


def salesperson_words(lead: PendingLead, unrouted: str = "unassigned — pick one") -> str:
    """Who the verdict named (``unrouted``, the routing policy's words, for a hand-off it
    routed to nobody); an existing customer's inquiry says it went to the account owner."""
    name = lead.salesperson_name or lead.salesperson or unrouted
    return f"{name} (account owner)" if lead.kind == "existing_customer" else name


def due_words(lead: PendingLead, now: datetime) -> str:
    """When the follow-up is due, on this computer's clock: "Mon 13:00" within the days
    around ``now``, the date beyond ("09 Oct 17:00": which Friday a late one was due)."""
    if lead.due_at is None:
        return ""
    due = lead.due_at.astimezone()
    near = abs(due - now) < timedelta(days=6)
    return due.strftime("%a %H:%M" if near else "%d %b %H:%M")


class SalesHome(QWidget):
    record_requested = Signal()
    new_lead_requested = Signal(str)  # a referral, with the company filled in (or "")

    def __init__(self, desk: Desk, ops: Operations) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self.report: PendingReport | None = None
        title = QLabel("WAITING FOR SALES")
        title.setObjectName("panelTitle")
        self.headline = QLabel("Reading the hand-offs…")
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.table = text_table(COLUMNS, stretch=(1, 2, 3), numbers=NUMBERS, single=True)
        self.table.setAccessibleName("Hand-offs waiting for your answer")
        self.table.setAccessibleDescription("A accepts the chosen lead, R rejects it")
        self.note = EmptyNote(self.table)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.answer(accept=True))
        self.accept_button = QPushButton("Accept…  A")
        self.accept_button.setObjectName("primary")
        self.accept_button.setToolTip("Accepted: record the opportunity it opened in your CRM")
        self.accept_button.setAccessibleName("Accept the chosen lead")
        self.accept_button.setAccessibleDescription("Key A")
        self.accept_button.clicked.connect(lambda: self.answer(accept=True))
        self.reject_button = QPushButton("Reject…  R")
        self.reject_button.setToolTip("Rejected: say why, so the qualifiers learn")
        self.reject_button.setAccessibleName("Reject the chosen lead")
        self.reject_button.setAccessibleDescription("Key R")
        self.reject_button.clicked.connect(lambda: self.answer(accept=False))
        self.record_button = QPushButton(icon("feedback"), "Record decisions from a file…")
        self.record_button.clicked.connect(self.record_requested)
        self.new_lead_button = QPushButton(icon("customer"), "New lead…")
        self.new_lead_button.setToolTip("Someone you met who should hear from us: your referral")
        self.new_lead_button.clicked.connect(lambda: self.new_lead_requested.emit(""))
        self.offer = ReferralOffer(self)
        self.offer.wanted.connect(self.new_lead_requested)
        for key, accept in (("A", True), ("R", False)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, yes=accept: self.answer(accept=yes))
            self.addAction(action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_lead_button)
        buttons.addWidget(self.record_button)
        # What the qualifier found, as the batch gave it to sales: read before answering.
        self.record = QTextBrowser()
        self.record.setObjectName("handoffRecord")
        self.record.setOpenLinks(False)
        self.record.setAccessibleName("What the qualifier found")
        self.record.setPlaceholderText("Pick a hand-off to read what the qualifier found.")
        self.shown_record: HandoffRecord | None = None
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.record)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        split.setSizes([820, 500])  # scaled to the window; the record needs room to read
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.headline)
        layout.addWidget(split, 3)
        layout.addWidget(self.offer)
        layout.addLayout(buttons)
        self.my_meetings = MyMeetings(desk, ops)
        layout.addWidget(self.my_meetings, 1)
        ops.changed.connect(self._changed)
        self._selection_changed()

    def refresh(self) -> None:
        desk = self._desk
        self._ops.run(lambda: desk.handoff.pending(everything=True), done=self._show)
        self.my_meetings.refresh()

    def selected(self) -> PendingLead | None:
        row = self.table.currentRow()
        if self.report is None or not 0 <= row < len(self.report.leads):
            return None
        return self.report.leads[row] if self.table.selectedItems() else None

    def answer(self, *, accept: bool) -> AnswerDialog | None:
        """Accept or reject the selected hand-off, in a small dialog."""
        lead = self.selected()
        if lead is None or not self.answerable(lead):
            return None
        dialog = AnswerDialog(self._desk, self._ops, lead, accept=accept, parent=self)
        if accept:  # prospecting at the close: anyone else there?
            dialog.answered.connect(lambda _lead_id, chosen=lead: self.offer.offer(chosen))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def answerable(self, lead: PendingLead) -> bool:
        """Handed off (in a batch), or routed to me at the verdict: mine to answer at once
        (the answer hands it off). A colleague's unexported lead is theirs to answer."""
        if lead.batch:
            return True
        return lead.kind != "existing_customer" and lead.salesperson == self._desk.actor.name

    def _selection_changed(self) -> None:
        lead = self.selected()
        # Named at the verdict, read, called and answered at once by its salesperson.
        answerable = lead is not None and self.answerable(lead)
        unrouted = self.report.unrouted if self.report is not None else "unassigned — pick one"
        waiting = (
            f"Routed to nobody yet ({unrouted})."
            if lead is not None and lead.salesperson is None
            else f"Routed to {salesperson_words(lead)}: theirs to answer."
            if lead is not None and lead.kind != "existing_customer"
            else "An existing customer's inquiry: for the account owner, nothing to answer."
        )
        for button, tip in (
            (self.accept_button, "Accepted: record the opportunity it opened in your CRM"),
            (self.reject_button, "Rejected: say why, so the qualifiers learn"),
        ):
            button.setEnabled(answerable)
            button.setToolTip(tip if answerable or lead is None else waiting)
        if lead is None:
            self.shown_record = None
            self.record.clear()
        elif self.shown_record is None or self.shown_record.lead_id != lead.lead_id:
            desk, lead_id = self._desk, lead.lead_id
            self._ops.run(lambda: desk.handoff.record(lead_id), done=self._show_record)

    def _show_record(self, record: HandoffRecord) -> None:
        chosen = self.selected()
        if chosen is None or chosen.lead_id != record.lead_id:
            return  # the salesperson has moved on meanwhile
        self.shown_record = record
        self.record.setHtml(record_html(record))

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & {"queue", "status"}:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        # View ▸ Look: draw the rows again in the new look's colours.
        if event.type() == QEvent.Type.StyleChange and self.report is not None:
            self._show(self.report)
        super().changeEvent(event)

    def _show(self, report: PendingReport) -> None:
        chosen = self.selected()  # in the list shown until now
        self.report = report
        late = report.late
        self.headline.setText(
            f"<b>{late} hand-off{'s' if late != 1 else ''} late</b>, past the follow-up time "
            f"({report.escalated} escalated to the team lead); {report.waiting_within_window} "
            f"more still on time. Answered so far: {report.accepted} accepted, "
            f"{report.rejected} rejected. Pick one and press A to accept it or R to reject it."
            if report.leads
            else "Nothing is waiting for sales. Every hand-off has its answer."
            if report.accepted or report.rejected
            else "Nothing has been handed off to sales yet."
        )
        self.note.say(
            "Hand-offs show here as soon as a rep's verdict names you, and wait until you "
            "record your decision."
            if not report.leads
            else ""
        )
        with filling(self.table, len(report.leads)):
            look = colours()  # the look's red and amber, readable on light and dark
            inks = {"escalated": look.qcolor("breach"), "overdue": look.qcolor("warn")}
            for row, lead in enumerate(report.leads):
                cells = (
                    str(lead.lead_id),
                    lead.name,
                    lead.company or "",
                    " · due ".join(
                        part
                        for part in (
                            salesperson_words(lead, report.unrouted),
                            due_words(lead, report.at),
                        )
                        if part
                    ),
                    lead.qualified_by_name or lead.qualified_by or "",
                    waiting_words(lead.hours_waiting),
                    LEVEL_WORDS.get(lead.level, ""),
                )
                ink = inks.get(lead.level)
                set_row(self.table, row, cells, numbers=NUMBERS, ink={6: ink} if ink else None)
        # The row the salesperson was on stays chosen (or the next one, once it is answered);
        # on arrival the longest waiting is, with its record beside it.
        keep = [lead.lead_id for lead in report.leads]
        if report.leads:
            at = keep.index(chosen.lead_id) if chosen and chosen.lead_id in keep else 0
            self.table.selectRow(min(at, len(keep) - 1))
        self._selection_changed()


def meeting_html(meeting: MeetingInfo) -> str:
    """The meeting as it is now: its time (and where it was, if moved), or that it is off."""
    when = html.escape(meeting.when)
    if meeting.cancelled:
        return f"<p><b>Meeting cancelled:</b> <s>{when}</s> is off; nothing booked now.</p>"
    who = "; ".join(part for part in (meeting.decision_maker, *meeting.others) if part)
    moved = f" (moved from {html.escape(meeting.was)})" if meeting.was else ""
    with_who = f", with {html.escape(who)}" if who else ""
    return f"<p><b>Meeting booked on the call:</b> {when}{moved}{with_who}</p>"


def record_html(record: HandoffRecord) -> str:
    """The hand-off as a salesperson reads it: who, what they asked, what the qualifier found."""

    def esc(text: object) -> str:
        return html.escape(str(text))

    name = f"{record.first_name} {record.last_name}".strip() or f"Lead {record.lead_id}, no name"
    work = " · ".join(
        esc(part)
        for part in (
            record.title,
            record.company,
            record.industry,
            f"{record.employees:,} people" if record.employees else None,
        )
        if part
    )
    reach = " · ".join(esc(part) for part in (record.email, record.phone, record.city) if part)
    parts = [f"<h3>{esc(name)}</h3>"]
    if work:
        parts.append(f"<p>{work}</p>")
    if reach:
        parts.append(f"<p>{reach}</p>")
    if record.existing_customer:
        parts.append("<p><b>Their company is already a customer.</b></p>")
    parts.append(f"<p>{esc(record.summary)}</p>")
    if record.rating:  # hot / warm / cold in the definition's words and levels
        parts.append(f"<p>Rating: <b>{esc(record.rating)}</b></p>")
    if record.marketing_qualified is not None:  # in the definition's words
        stage, at = record.marketing_qualified
        parts.append(f"<p>Marketing-qualified: <b>{esc(stage)}</b> since {at:%d %b %Y}</p>")
    if record.answer_labels:
        rows = "".join(
            f"<tr><td>{esc(question)}</td><td><b>{esc(answer)}</b></td></tr>"
            for _id, question, answer in record.answer_labels
            if answer
        )
        parts.append(f"<p><b>Answers</b></p><table cellspacing='0' cellpadding='3'>{rows}</table>")
    if record.meeting is not None:
        parts.append(meeting_html(record.meeting))
    if record.notes:
        notes = "".join(f"<li>{esc(note['text'])}</li>" for note in record.notes)
        parts.append(f"<p><b>Notes</b></p><ul>{notes}</ul>")
    return "".join(parts)

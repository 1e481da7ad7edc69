"""The lead pane: who, which company (existing customers marked), this interest, fit and
interest side by side, the person's earlier leads and how each ended, the activity timeline,
and the rep's notes (saved as typed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import REOPENABLE, Action, Colleague, Desk, LeadFile, Qualification, Scores
from ui.common.bars import show_value
from ui.common.icons import icon
from ui.common.operations import Operations
from ui.workspace.from_the_file import TITLE as FROM_FILE
from ui.workspace.from_the_file import FromTheFile
from ui.workspace.notes import NoteSaver

KIND_ICONS = {
    "call": "call",
    "note": "note",
    "verdict": "verdict",
    "assignment": "assignment",
    "feedback": "feedback",
    "arrived": "arrived",
    "contact": "edit",
    "meeting": "callback",
}


def ago(moment: datetime, now: datetime) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // (60 * 24)} days ago"


NOTES_MIN_HEIGHT = 44  # px: three lines of notes
DETAILS_MIN_HEIGHT = 44  # px: the contact line and the scores, the rest scrolls


class LeadPanel(QFrame):
    loaded = Signal(object)  # LeadFile now shown
    file_shown = Signal(object)  # LeadFile shown, first or after a change (its numbers)
    correct_contact = Signal()  # the rep asks to correct the shown person's details
    reopen = Signal()  # a team lead asks to reopen the shown closed lead

    def __init__(
        self,
        desk: Desk,
        ops: Operations,
        saver: NoteSaver,
        rep_zone: str,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__()
        self.setObjectName("leadPanel")
        self._desk = desk
        self._ops = ops
        self._saver = saver
        self._zone = ZoneInfo(rep_zone)
        self._clock = clock
        self.lead_file: LeadFile | None = None
        self.lead_id: int | None = None
        self._can_correct = desk.can(Action.LOG_CALL)
        self._can_reopen = desk.can(Action.REASSIGN)
        self._hint = "Press N to take the next lead from your queue."
        # While the questionnaire is open on this lead, its live scores (answers so far and
        # the facts as they are now) are the ones shown: one Fit and one Interest on screen.
        self._live: tuple[int, Scores] | None = None

        self.name = QLabel("No lead open")
        self.name.setObjectName("personName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.customer = QLabel("★ Existing customer")
        self.customer.setObjectName("badgeCustomer")
        self.do_not_call = QLabel("Do not call")
        self.do_not_call.setObjectName("badgeWarn")
        self.edit_button = QToolButton()
        self.edit_button.setIcon(icon("edit"))
        self.edit_button.setAutoRaise(True)
        self.edit_button.setToolTip("Correct the name, job title, email or numbers (F2)")
        self.edit_button.setAccessibleName("Correct contact details")
        self.edit_button.clicked.connect(self.correct_contact)
        self.edit_button.hide()
        self.reopen_button = QPushButton("Reopen…")
        self.reopen_button.setToolTip("Withdraw its verdict and put it back in a queue")
        self.reopen_button.clicked.connect(self.reopen)
        self.reopen_button.hide()
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.customer)
        top.addWidget(self.do_not_call)
        top.addWidget(self.reopen_button)
        top.addWidget(self.edit_button)
        self.role = QLabel(self._hint)
        self.role.setWordWrap(True)
        # Another rep works an open lead at the same company: said on both reps' cards.
        self.shared = QLabel()
        self.shared.setObjectName("sharedCompany")
        self.shared.setWordWrap(True)
        self.shared.setAccessibleName("Also open at this company")
        self.shared.hide()
        self.contact = QLabel()
        self.contact.setObjectName("muted")
        self.contact.setWordWrap(True)
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.fit_bar, self.fit_value = QProgressBar(), QLabel()
        self.interest_bar, self.interest_value = QProgressBar(), QLabel()
        scores = QGridLayout()
        scores.setHorizontalSpacing(8)
        for column, (label, bar, value, name) in enumerate(
            (
                ("Fit", self.fit_bar, self.fit_value, "fitBar"),
                ("Interest", self.interest_bar, self.interest_value, "interestBar"),
            )
        ):
            bar.setObjectName(name)
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            caption = QLabel(label)
            caption.setObjectName("scoreName")
            value.setMinimumWidth(26)
            scores.addWidget(caption, 0, column * 3)
            scores.addWidget(bar, 0, column * 3 + 1)
            scores.addWidget(value, 0, column * 3 + 2)
        scores.setColumnStretch(1, 1)
        scores.setColumnStretch(4, 1)

        # Where the lead stands, in the definition's words, and sales' answer once it came.
        self.stage = QLabel()
        self.stage.setAccessibleName("Stage of this lead")
        self.sales_answer = QLabel()
        self.sales_answer.setObjectName("salesAnswer")
        self.sales_answer.setWordWrap(True)
        self.sales_answer.setAccessibleName("Sales' answer")
        self.sales_answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.interest_title = QLabel("THIS INTEREST")
        self.interest_title.setObjectName("panelTitle")
        self.interest = QLabel()
        self.interest.setWordWrap(True)
        self.asked = QLabel()
        self.asked.setWordWrap(True)
        self.asked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes for this lead: saved as you type.")
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName("Notes for this lead")
        self.notes.setAccessibleDescription("Saved as you type")
        self.note_state = QLabel()
        self.note_state.setObjectName("help")
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.setContentsMargins(6, 6, 6, 4)
        notes_layout.addWidget(self.notes, 1)
        notes_layout.addWidget(self.note_state)
        self.timeline = QListWidget()
        self.timeline.setWordWrap(True)
        self.timeline.setAccessibleName("Timeline of this lead")
        self.earlier = QListWidget()
        self.earlier.setWordWrap(True)
        self.earlier.setAccessibleName("Earlier leads of this person")
        self.company = QListWidget()
        self.company.setWordWrap(True)
        self.company.setAccessibleName("Others at the same company and their latest leads")
        self.from_file = FromTheFile()
        for listing in (self.timeline, self.earlier, self.company, self.from_file):
            # Long lines wrap to the pane's width: never a sideways scroll bar.
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            listing.setResizeMode(QListWidget.ResizeMode.Adjust)
        # On a short screen (a 1366×768 laptop) the notes give up height first, down to a few
        # lines, so the lead's details above them are never squashed.
        for page in (self.notes, self.timeline, self.earlier, self.company, self.from_file):
            page.setMinimumHeight(NOTES_MIN_HEIGHT)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Notes, timeline, earlier leads and the same company")
        self.tabs.addTab(notes_page, icon("note"), "Notes")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.earlier, "Earlier")
        self.tabs.setTabToolTip(2, "This person's earlier leads, and how each ended")
        self.tabs.addTab(self.company, "Company")
        self.tabs.setTabToolTip(3, "Others at the same company: who the team already talked to")
        self.tabs.addTab(self.from_file, FROM_FILE)
        self.tabs.setTabToolTip(
            4, "From the file: other numbers, the CRM record id and every column kept"
        )
        # A narrow column shortens every tab's words rather than hiding the last tabs behind
        # scroll arrows: each stays one click away.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(4)
        details.addWidget(self.contact)
        details.addWidget(self.stage)
        details.addWidget(self.sales_answer)
        details.addLayout(scores)
        details.addSpacing(4)
        details.addWidget(self.interest_title)
        details.addWidget(self.interest)
        details.addWidget(self.asked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.role)
        layout.addWidget(self.shared)
        self.details_area = DetailsArea(self.details)
        layout.addWidget(self.details_area)
        layout.addSpacing(4)
        layout.addWidget(self.tabs, 1)
        self._clear()

        self.notes.textChanged.connect(self._typed)
        saver.saved.connect(self._note_saved)
        saver.restored.connect(self._note_restored)
        ops.changed.connect(self._changed)

    # -- which lead --------------------------------------------------------------------------

    def set_hint(self, text: str) -> None:
        """What to do next, shown while no lead is open (the queue says what it is)."""
        self._hint = text
        if self.lead_id is None:
            self.role.setText(text)

    def hasHeightForWidth(self) -> bool:
        # As the call panel above: the column lays the two out by their own heights (the
        # notes give way first), not by sharing a short screen out evenly.
        return False

    def show_lead(self, lead_id: int | None) -> None:
        if lead_id == self.lead_id:
            return
        self._saver.close()
        self.lead_id = lead_id
        if lead_id is None:
            self._clear()
            return
        desk = self._desk
        self._ops.run(
            lambda: (desk.queue.lead_file(lead_id), desk.calls.my_note(lead_id)), done=self._loaded
        )

    def _changed(self, changes: frozenset[str]) -> None:
        if self.lead_id is not None and changes & {"lead", "notes"}:
            lead_id, desk = self.lead_id, self._desk
            self._ops.run(lambda: desk.queue.lead_file(lead_id), done=self._refreshed)

    def _loaded(self, loaded: tuple[LeadFile, tuple[int, str] | None]) -> None:
        lead, note = loaded
        if lead.lead_id != self.lead_id:
            return
        self._show_file(lead)
        self.note_state.setText("Saved" if note else "")
        text = self._saver.open(lead.lead_id, note)  # may put back an unsaved draft
        self.notes.blockSignals(True)
        self.notes.setPlainText(text)
        self.notes.blockSignals(False)
        self.notes.setEnabled(True)
        self.loaded.emit(lead)

    def _refreshed(self, lead: LeadFile) -> None:
        if lead.lead_id == self.lead_id:
            self._show_file(lead)

    def _clear(self) -> None:
        self.lead_file = None
        self.name.setText("No lead open")
        self.role.setText(self._hint)
        hidden = (self.customer, self.do_not_call, self.shared, self.details_area, self.edit_button)
        for widget in (*hidden, self.reopen_button):
            widget.hide()
        self.timeline.clear()
        self.earlier.clear()
        self.notes.blockSignals(True)
        self.notes.clear()
        self.notes.blockSignals(False)
        self.notes.setEnabled(False)
        self.note_state.setText("")
        self.company.clear()
        self.tabs.setTabText(1, "Timeline")
        self.tabs.setTabText(2, "Earlier")
        self.tabs.setTabText(3, "Company")
        self.from_file.clear()
        self.tabs.setTabText(4, FROM_FILE)

    # -- showing -------------------------------------------------------------------------------

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%a %d %b %Y, %H:%M")

    def _show_file(self, lead: LeadFile) -> None:
        self.file_shown.emit(lead)
        self.lead_file = lead
        self.details_area.show()
        self.edit_button.setVisible(self._can_correct)
        self.reopen_button.setVisible(self._can_reopen and lead.stage in REOPENABLE)
        self.name.setText(lead.person)
        self.customer.setVisible(lead.existing_customer)
        if lead.existing_customer and lead.account_owner:
            self.customer.setToolTip(f"Account owner: {lead.account_owner}")
        self.do_not_call.setVisible(lead.do_not_call)
        company = lead.company or "no company on file"
        facts = [fact for fact in (lead.industry, _people(lead.employees)) if fact]
        if facts:
            company += f" ({', '.join(facts)})"
        self.role.setText(f"{lead.title or 'No title'} · {company}")
        shared = "; ".join(f"{other.name} with {other.owner}" for other in lead.also_worked_by)
        self.shared.setText(f"Also open at this company: {shared}. Agree who calls.")
        self.shared.setVisible(bool(shared))
        country = lead.country
        if country and lead.country_assumed == country:
            country = f"country assumed: {country}"  # a guess from a national number
        place = ", ".join(part for part in (lead.city, country) if part)
        several = len(lead.numbers) > 1
        numbers = [f"{number} ({words})" if several else number for words, number in lead.numbers]
        if not lead.phone and lead.phone_as_typed:
            numbers.insert(
                0, f"phone as typed: {lead.phone_as_typed} (not a number to dial; F2 corrects it)"
            )
        self.contact.setText(" · ".join(p for p in (lead.email, *numbers, place) if p))
        self.stage.setText(f"Stage: {lead.stage_label}")
        self.sales_answer.setText(lead.sales_answer or "")
        self.sales_answer.setVisible(bool(lead.sales_answer))
        self._show_scores()
        source = lead.source.replace("_", " ")
        campaign = f" · {lead.campaign}" if lead.campaign else ""
        arrived = f"{self._when(lead.arrived_at)} ({ago(lead.arrived_at, self._clock())})"
        self.interest.setText(f"{source.capitalize()}{campaign} · arrived {arrived}")
        self.asked.setText(f"“{lead.inquiry}”" if lead.inquiry else "They left no message.")
        self.details_area.fit()  # new text, new height
        self.timeline.clear()
        for entry in lead.timeline:
            who = f" · {entry.who}" if entry.who else ""
            item = QListWidgetItem(
                icon(KIND_ICONS.get(entry.kind, "note")),
                f"{self._when(entry.at)}{who}\n{entry.text}",
            )
            self.timeline.addItem(item)
        self.tabs.setTabText(1, _counted("Timeline", len(lead.timeline)))
        self.earlier.clear()
        for earlier in lead.earlier:
            asked = f" — “{earlier.inquiry}”" if earlier.inquiry else ""
            self.earlier.addItem(
                f"{earlier.arrived_at.astimezone(self._zone):%d %b %Y} · "
                f"{earlier.source.replace('_', ' ')}{asked}\nEnded: {earlier.outcome}"
            )
        if not lead.earlier:
            self.earlier.addItem("No earlier leads from this person.")
        self.tabs.setTabText(2, _counted("Earlier", len(lead.earlier)))
        self.company.clear()
        for colleague in lead.colleagues:
            self.company.addItem(self._colleague_line(colleague))
        if not lead.colleagues:
            self.company.addItem(
                "Nobody else from this company is on file."
                if lead.company
                else "No company on file for this person."
            )
        self.tabs.setTabText(3, _counted("Company", len(lead.colleagues)))
        self.tabs.setTabText(4, _counted(FROM_FILE, self.from_file.show_file(lead)))

    def _colleague_line(self, colleague: Colleague) -> str:
        title = f" · {colleague.title}" if colleague.title else ""
        arrived = f"{colleague.arrived_at.astimezone(self._zone):%d %b %Y}"
        if colleague.is_open:
            where = f"with {colleague.owner}" if colleague.owner else "in the open pool"
            state = f"Open lead ({colleague.stage_label}) {where}"
        else:
            by = f" · {colleague.owner}" if colleague.owner else ""
            state = f"Ended: {colleague.outcome}{by}"
        return f"{colleague.name}{title}\n{state} · arrived {arrived}"

    def follow_live_scores(self, qualification: Qualification) -> None:
        """Show the questionnaire's live fit and interest for its lead, until
        ``stop_live_scores``."""
        self._live = (qualification.lead_id, qualification.scores)
        self._show_scores()

    def stop_live_scores(self) -> None:
        self._live = None
        self._show_scores()

    def _show_scores(self) -> None:
        lead = self.lead_file
        if lead is None:
            return
        live = self._live[1] if self._live and self._live[0] == lead.lead_id else None
        scores: tuple[tuple[int, tuple[str, ...]], ...] = (
            ((live.fit, live.fit_reasons), (live.interest, live.interest_reasons))
            if live is not None
            else ((lead.fit_score, ()), (lead.interest_score, ()))
        )
        widgets = ((self.fit_bar, self.fit_value), (self.interest_bar, self.interest_value))
        for (bar, value), (score, reasons) in zip(widgets, scores, strict=True):
            show_value(bar, score)
            value.setText(str(score))
            tip = "Now, with the answers so far:\n" + ("\n".join(reasons) or "nothing counted yet")
            bar.setToolTip(tip if live is not None else "")

    # -- notes ---------------------------------------------------------------------------------

    def _typed(self) -> None:
        self._saver.typed(self.notes.toPlainText())
        self.note_state.setText("Saving…")

    def _note_saved(self, lead_id: int, text: str) -> None:
        if lead_id == self.lead_id:
            now = datetime.now(self._zone)
            same = text == self.notes.toPlainText()
            self.note_state.setText(f"Saved {now:%H:%M}" if same else "Saving…")

    def _note_restored(self, lead_id: int) -> None:
        if lead_id == self.lead_id:
            self.note_state.setText("Restored the note you were writing when LeadDesk closed.")

    def focus_notes(self) -> None:
        self.tabs.setCurrentIndex(0)
        if self.notes.isEnabled():
            self.notes.setFocus()


def _people(employees: int | None) -> str | None:
    return f"{employees:,} people" if employees else None


class DetailsArea(QScrollArea):
    """The lead's details: as tall as they need when the screen has room, scrolling when it
    has not (a 1366×768 laptop), never squashed into overlapping lines."""

    def __init__(self, inner: QWidget) -> None:
        super().__init__()
        self.setObjectName("detailsArea")
        self.setAccessibleName("Lead details")
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)
        inner.setAutoFillBackground(False)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        inner = self.widget()
        assert inner is not None
        if inner.hasHeightForWidth():
            return inner.heightForWidth(width)
        return inner.sizeHint().height()

    def sizeHint(self) -> QSize:
        inner = self.widget()
        assert inner is not None
        width = self.width() if self.width() > 0 else inner.sizeHint().width()
        return QSize(inner.sizeHint().width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, DETAILS_MIN_HEIGHT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit()

    def fit(self) -> None:
        """New text or another width: the details keep the height their wrapped lines need,
        so a short pane scrolls them instead of drawing lines over each other."""
        inner = self.widget()
        assert inner is not None
        inner.setMinimumHeight(self.heightForWidth(self.viewport().width()))
        self.updateGeometry()


def _counted(name: str, count: int) -> str:
    """A tab's name with how many it holds; none, the name alone (five tabs share a narrow
    column: a "(0)" would only take room from the others' names)."""
    return f"{name} ({count:,})" if count else name

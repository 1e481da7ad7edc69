"""The call panel: the lead being worked, its number large and copyable, the call timer, and
one key per step — N next, C call, 1…0 outcomes, H hang up, B callback, Esc put back.

A person with more than one number (phone, mobile, direct line) gets a "Dial" choice under the
number; C and the copy button use the number chosen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import LeadFile, Policy, QueueRow
from leaddesk.domain import CallOutcome
from leaddesk.errors import LeadDeskError
from ui.common import dialogs, shortcuts
from ui.common.elided_label import ElidedLabel
from ui.common.icons import icon
from ui.workspace.call_cycle import CallCycle, Phase
from ui.workspace.callback_picker import CallbackRequest
from ui.workspace.queue_model import local_clock, place_name

CLOCK_REFRESH_MS = 30_000


def clock_text(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes:02d}:{seconds:02d}"


class CallPanel(QFrame):
    def __init__(self, cycle: CallCycle, rep_zone: str, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("callPanel")
        self.cycle = cycle
        self._rep_zone = rep_zone
        self._clock = clock
        self.policy: Policy | None = None

        self.who = QLabel("READY WHEN YOU ARE")
        self.who.setObjectName("panelTitle")
        self.why = QLabel("Press N for the next lead.")
        self.why.setObjectName("muted")
        self.why.setWordWrap(True)
        self.phone = QLabel("—")
        self.phone.setObjectName("bigPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QToolButton()
        self.copy.setIcon(icon("copy"))
        self.copy.setToolTip(f"Copy the number ({shortcuts.COPY_NUMBER.label})")
        self.copy.setAutoRaise(True)
        self.copy.setAccessibleName("Copy the number")
        # Several zones ("Adelaide, Brisbane, …, Sydney") end in "…" rather than widen the panel.
        self.their_time = ElidedLabel()
        self.their_time.setObjectName("muted")
        self.timer = QLabel("00:00")
        self.timer.setObjectName("callTimer")
        self.timer.setAccessibleName("Call time")
        number_row = QHBoxLayout()
        number_row.addWidget(self.phone)
        number_row.addWidget(self.copy)
        number_row.addStretch(1)
        number_row.addWidget(self.timer)
        self.numbers = QComboBox()
        self.numbers.setAccessibleName("Number to dial")
        self.numbers.setToolTip("The person has more than one number: choose which C dials")
        self.numbers_label = QLabel("Dial:")
        self.numbers_label.setBuddy(self.numbers)
        self.numbers.currentIndexChanged.connect(self._number_chosen)
        numbers_row = QHBoxLayout()
        numbers_row.addWidget(self.numbers_label)
        numbers_row.addWidget(self.numbers)
        numbers_row.addStretch(1)
        self._numbers_for: int | None = None
        self._show_choice(False)

        self.next_button = QPushButton(icon("next"), "Next lead   N")
        self.next_button.setObjectName("primary")
        self.call_button = QPushButton(icon("call"), "Call   C")
        self.call_button.setObjectName("primary")
        self.hang_up_button = QPushButton(icon("hang_up"), f"Hang up   {shortcuts.HANG_UP.label}")
        self.hang_up_button.setObjectName("primary")
        self.hang_up_button.setToolTip(
            "The call is over: stop the timer and keep its length as talk time "
            "(giving the verdict does it too)"
        )
        self.release_button = QPushButton(icon("release"), "Put back   Esc")
        # The key hint on a button is for the eye; a screen reader says the step and the key
        # comes as its shortcut description.
        for button, words, key in (
            (self.next_button, "Next lead", shortcuts.NEXT.label),
            (self.call_button, "Call", shortcuts.CALL.label),
            (self.hang_up_button, "Hang up", shortcuts.HANG_UP.label),
            (self.release_button, "Put the lead back", shortcuts.RELEASE.label),
        ):
            button.setAccessibleName(words)
            button.setAccessibleDescription(f"Key {key}")
        steps = QHBoxLayout()
        steps.addWidget(self.next_button, 1)
        steps.addWidget(self.call_button, 1)
        steps.addWidget(self.hang_up_button, 1)
        steps.addWidget(self.release_button, 1)

        self.outcome_buttons: dict[CallOutcome, QPushButton] = {}
        self.outcomes = QWidget()
        grid = QGridLayout(self.outcomes)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for number, (outcome, key, words) in enumerate(shortcuts.OUTCOME_KEYS):
            button = QPushButton(f"{key}   {words}")
            button.setToolTip(f"Log: {words.rstrip('…').lower()} (key {key})")
            button.setAccessibleName(f"Log: {words.rstrip('…').lower()}")
            button.setAccessibleDescription(f"Key {key}")
            if outcome is CallOutcome.CALLBACK:
                button.setIcon(icon("callback"))
            button.clicked.connect(lambda _=False, o=outcome: self.log(o))
            grid.addWidget(button, number // 2, number % 2)
            self.outcome_buttons[outcome] = button

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        # Room for two lines: the panel's height is settled before the words wrap, and a
        # narrow window would cut the second line off.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.who)
        layout.addLayout(number_row)
        layout.addLayout(numbers_row)
        layout.addWidget(self.their_time)
        layout.addWidget(self.why)
        layout.addLayout(steps)
        layout.addWidget(self.outcomes)
        layout.addWidget(self.message)

        # Actions carry the keys; buttons and menus share them, so one table defines both.
        self.next_action = self._action("Next lead", shortcuts.NEXT, cycle.next_lead, "next")
        self.call_action = self._action("Call", shortcuts.CALL, cycle.call, "call")
        self.hang_up_action = self._action("Hang up", shortcuts.HANG_UP, cycle.hang_up, "hang_up")
        self.callback_action = self._action(
            "Book a callback…", shortcuts.CALLBACK, self.book_callback, "callback"
        )
        self.release_action = self._action(
            "Put the lead back", shortcuts.RELEASE, cycle.release, "release"
        )
        self.copy_action = self._action(
            "Copy the number", shortcuts.COPY_NUMBER, self.copy_number, "copy"
        )
        self.undo_action = self._action(
            "Undo the last outcome or verdict", shortcuts.UNDO_OUTCOME, cycle.undo, "undo"
        )
        self.undo_action.setEnabled(False)
        self.outcome_actions: dict[CallOutcome, QAction] = {}
        for outcome, key, words in shortcuts.OUTCOME_KEYS:
            action = QAction(f"{words}", self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _=False, o=outcome: self.log(o))
            self.addAction(action)
            self.outcome_actions[outcome] = action
        for button in (self.next_button, self.call_button, self.hang_up_button):
            button.setAutoDefault(True)  # Return presses the focused step, as in a dialog
        self.release_button.setAutoDefault(True)
        self.next_button.clicked.connect(cycle.next_lead)
        self.call_button.clicked.connect(cycle.call)
        self.hang_up_button.clicked.connect(cycle.hang_up)
        self.release_button.clicked.connect(cycle.release)
        self.copy.clicked.connect(self.copy_number)

        # Their local time and the why-line ("18 min left to call") follow the clock while a
        # lead is held, however long the call.
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_REFRESH_MS)
        self._clock_timer.timeout.connect(self._follow_clock)
        self._clock_timer.start()

        cycle.phase_changed.connect(self._phase)
        cycle.lead_changed.connect(self._lead)
        cycle.lead_updated.connect(self._details)
        cycle.seconds.connect(lambda seconds: self.timer.setText(clock_text(seconds)))
        cycle.said.connect(self.message.setText)
        cycle.busy_changed.connect(lambda: self._phase(cycle.phase.value))
        cycle.callback_refused.connect(self._callback_refused)
        self._phase(cycle.phase.value)
        self._set_idle(True)

    def hasHeightForWidth(self) -> bool:
        # Its wrapped lines would make the column above share height out evenly on a short
        # screen and squash the outcome buttons; the panel keeps its own height instead.
        return False

    def _action(
        self, text: str, key: shortcuts.Key, slot: Callable[[], None], icon_name: str
    ) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setShortcuts(key.sequences())
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def set_policy(self, policy: Policy) -> None:
        self.policy = policy

    # -- steps that ask the rep something first ------------------------------------------------

    def log(self, outcome: CallOutcome) -> None:
        cycle = self.cycle
        if cycle.waiting or cycle.phase not in (Phase.READY, Phase.CALLING) or cycle.lead is None:
            return
        if outcome is CallOutcome.CALLBACK:
            self._ask_callback()
            return
        if outcome is CallOutcome.DO_NOT_CALL and not dialogs.ask(
            self,
            "Do not call",
            f"{cycle.lead.person} asked not to be called again? "
            "They leave every queue, with all their open leads.",
        ):
            return
        cycle.log(outcome)

    def _ask_callback(self, refused: tuple[datetime, LeadDeskError] | None = None) -> None:
        """The picker, then the log; ``refused``: the time the core refused, and why."""
        cycle = self.cycle
        if self.policy is None or cycle.lead is None:
            return
        lead = cycle.lead
        request = CallbackRequest(
            person=lead.person,
            zones=lead.zones if lead.zone_known else (),
            policy=self.policy,
            rep_zone=self._rep_zone,
            now=self._clock(),
        )
        if refused is None:
            when = dialogs.ask_callback(self, request)
        else:
            when = dialogs.ask_callback(self, request, refused=refused)
        if when is not None:
            cycle.log(CallOutcome.CALLBACK, when)

    def _callback_refused(self, when: datetime, error: LeadDeskError) -> None:
        # The picker opens again on the refused time, saying why, its time box focused.
        self._ask_callback((when, error))

    def book_callback(self) -> None:
        self.log(CallOutcome.CALLBACK)

    def copy_number(self) -> None:
        number = self.cycle.number
        if number:
            QGuiApplication.clipboard().setText(number)
            self.message.setText(f"Copied {number}.")

    # -- the person's numbers --------------------------------------------------------------------

    def show_numbers(self, lead: LeadFile) -> None:
        """Offer the numbers of ``lead`` when it is the lead held and has more than one."""
        held = self.cycle.lead
        if held is None or held.lead_id != lead.lead_id:
            return
        chosen = self.cycle.number
        self._numbers_for = None  # no choice is made while the list is refilled
        self.numbers.clear()
        for words, number in lead.numbers:
            self.numbers.addItem(f"{number}  ({words})", number)
        at = self.numbers.findData(chosen)
        self.numbers.setCurrentIndex(max(at, 0))
        self._numbers_for = lead.lead_id
        self._show_choice(self.numbers.count() > 1)
        self._number_chosen(self.numbers.currentIndex())

    def _number_chosen(self, index: int) -> None:
        if self._numbers_for is None or index < 0:
            return
        number = self.numbers.itemData(index)
        self.cycle.choose_number(self._numbers_for, number if isinstance(number, str) else None)
        if self.cycle.number:
            self.phone.setText(self.cycle.number)

    def _show_choice(self, shown: bool) -> None:
        self.numbers.setVisible(shown)
        self.numbers_label.setVisible(shown)

    # -- showing the phase ----------------------------------------------------------------------

    def _lead(self, lead: object) -> None:
        self._set_idle(not isinstance(lead, QueueRow))
        self._numbers_for = None
        self.numbers.clear()
        self._show_choice(False)
        if not isinstance(lead, QueueRow):
            self.who.setText("READY WHEN YOU ARE")
            self.phone.setText("—")  # a quiet placeholder, so the panel keeps its height
            self.their_time.setText("")
            self.why.setText("Press N for the next lead.")
            self.timer.setText("00:00")
            return
        self._details(lead)
        self.timer.setText("00:00")

    def _details(self, lead: QueueRow) -> None:
        self.who.setText(f"CALLING {lead.person.upper()}")
        self.phone.setText(self.cycle.number or "no number")
        self._follow_clock()

    def _set_idle(self, idle: bool) -> None:
        self.phone.setProperty("idle", "true" if idle else "false")
        self.phone.style().unpolish(self.phone)
        self.phone.style().polish(self.phone)

    def _follow_clock(self) -> None:
        lead = self.cycle.lead
        if not isinstance(lead, QueueRow):
            return
        at = self._clock()
        places = ", ".join(place_name(zone) for zone in lead.zones)
        unknown = "" if lead.zone_known else " (zone unknown: team's time)"
        self.their_time.setText(f"Their time {local_clock(lead, at)} in {places}{unknown}")
        self.why.setText(lead.reason_at(at))

    def _phase(self, phase_name: str) -> None:
        phase = Phase(phase_name)
        waiting = self.cycle.waiting
        can_next = phase is Phase.IDLE or phase is Phase.READY
        can_call = phase is Phase.READY
        can_log = phase in (Phase.READY, Phase.CALLING)
        for widget in (self.next_action, self.next_button):
            widget.setEnabled(can_next and not waiting)
        for widget in (self.call_action, self.call_button):
            widget.setEnabled(can_call and not waiting)
        # On a connected call the Call step becomes Hang up, in the same place.
        on_call = self.cycle.on_call
        self.call_button.setVisible(not on_call)
        self.hang_up_button.setVisible(on_call)
        self.hang_up_action.setEnabled(on_call)
        for widget in (self.release_action, self.release_button):
            widget.setEnabled(phase is not Phase.IDLE and not waiting)
        holding = phase is not Phase.IDLE  # nothing to copy before a lead is taken
        self.copy_action.setEnabled(holding)
        self.copy.setVisible(holding)
        self.callback_action.setEnabled(can_log and not waiting)
        self.undo_action.setEnabled(self.cycle.can_undo)
        for outcome, action in self.outcome_actions.items():
            action.setEnabled(can_log and not waiting)
            self.outcome_buttons[outcome].setEnabled(can_log and not waiting)
        self.outcomes.setVisible(phase is not Phase.QUALIFYING)
        running = phase is Phase.CALLING or on_call or self.cycle.timing
        self.timer.setProperty("running", "true" if running else "false")
        self.timer.style().unpolish(self.timer)
        self.timer.style().polish(self.timer)
        if phase is Phase.READY and not waiting:
            self.call_button.setFocus()

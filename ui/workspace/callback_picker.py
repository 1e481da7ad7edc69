"""Booking a callback: a date and time shown in the rep's zone and in the person's, refused
(with the reason) when it falls outside the person's calling hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Policy, callback_outside_hours
from leaddesk.errors import LeadDeskError
from ui.common.forms import labelled, say_refusal
from ui.workspace.queue_model import place_name


@dataclass(frozen=True)
class CallbackRequest:
    person: str
    zones: tuple[str, ...]  # the person's zones; empty when unknown (the team's is used)
    policy: Policy
    rep_zone: str
    now: datetime


def problem_with(request: CallbackRequest, when: datetime) -> str | None:
    """Why this callback time cannot be booked; None when it can."""
    if when <= request.now:
        return "That time has already passed."
    problem = callback_outside_hours(when, request.zones, request.policy)
    return problem[0].upper() + problem[1:] + "." if problem else None


def suggested_time(request: CallbackRequest) -> datetime:
    """Tomorrow at this time (on the half hour), or tomorrow mid-morning their time."""
    start = request.now.astimezone(ZoneInfo(request.rep_zone)) + timedelta(days=1)
    start = start.replace(second=0, microsecond=0)
    start += timedelta(minutes=(30 - start.minute % 30) % 30)
    if problem_with(request, start) is None:
        return start
    zone = ZoneInfo((request.zones or (request.policy.timezone,))[0])
    opening = request.policy.calling_hours.start
    day = start.astimezone(zone).date()
    return datetime.combine(day, time(min(opening.hour + 2, 23), 0), tzinfo=zone)


def day_and_time(moment: datetime) -> str:
    """ "Tue 1 Dec, 17:00": the day written as the picker above it writes it."""
    return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"


class CallbackPicker(QDialog):
    def __init__(self, request: CallbackRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._rep_zone = ZoneInfo(request.rep_zone)
        self._their_zone = ZoneInfo((request.zones or (request.policy.timezone,))[0])
        self.setWindowTitle(f"Callback with {request.person}")
        self.setMinimumWidth(440)
        hours = request.policy.calling_hours
        intro = QLabel(
            f"When did {request.person} ask to be called back? Their calling hours are "
            f"{hours.start:%H:%M}–{hours.end:%H:%M} their time."
        )
        intro.setWordWrap(True)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy   HH:mm")
        self.mine = QLabel()
        self.theirs = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("badgeWarn")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        labelled(form, f"&Your time ({place_name(request.rep_zone)}):", self.when)
        self.when.setAccessibleDescription(
            f"Their calling hours: {hours.start:%H:%M}–{hours.end:%H:%M}"
        )
        form.addRow("You:", self.mine)
        form.addRow(f"Them ({place_name(self._their_zone.key)}):", self.theirs)
        self.theirs.setAccessibleName(f"Their time ({place_name(self._their_zone.key)})")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Book callback")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.when.dateTimeChanged.connect(self._update)
        self.set_time(suggested_time(request))
        self.fields = {"callback": self.when}  # the core's field name -> its box
        self.when.setFocus()

    def say_refused(self, moment: datetime, error: LeadDeskError) -> None:
        """Back on ``moment``, which the core refused: its reason shown, the box it names
        focused (the rep picks another time or cancels)."""
        self.set_time(moment)
        say_refusal(self, self.problem, error, self.fields)
        self._make_room()

    def set_time(self, moment: datetime) -> None:
        local = moment.astimezone(self._rep_zone)
        self.when.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        self._update()

    def chosen(self) -> datetime:
        value = self.when.dateTime()
        day, clock = value.date(), value.time()
        return datetime(
            day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=self._rep_zone
        )

    def _update(self) -> None:
        moment = self.chosen()
        self.mine.setText(day_and_time(moment))
        self.theirs.setText(day_and_time(moment.astimezone(self._their_zone)))
        problem = problem_with(self.request, moment)
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
        self._make_room()

    def _make_room(self) -> None:
        # A window's minimum height leaves out wrapped lines: grow for the reason ourselves,
        # or the form's rows are squashed over each other.
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._make_room()

"""The status bar: today's calls, connects, verdicts by type and SLA breaches in my queue,
kept up to date as each call or verdict changes them; and the end-of-day summary.

"Today" is the team's day (the policy's time zone), as the team console counts it, and the
bar names that zone when it is not the rep's own."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Action, DaySummary, Desk
from leaddesk.domain import Verdict
from ui.common.elided_label import ElidedLabel
from ui.common.operations import Operations


def _done(verdict: str) -> str:
    return Verdict(verdict).done if verdict in set(Verdict) else verdict


def verdict_words(summary: DaySummary) -> str:
    parts = [
        f"{count} {_done(verdict)}" for verdict, count in sorted(summary.verdicts.items()) if count
    ]
    return ", ".join(parts) if parts else "none yet"


def talk_text(minutes: int) -> str:
    """42 min; 1 h 05 from an hour on."""
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


class StatusPanel(QStatusBar):
    updated = Signal(object)  # DaySummary

    def __init__(self, desk: Desk, ops: Operations, rep_zone: str) -> None:
        super().__init__()
        self._desk = desk
        self._ops = ops
        self._zone = rep_zone
        self.summary: DaySummary | None = None
        self.who = QLabel(f"{desk.actor.display_name}")
        # The day's figures give way on a small screen rather than widen the window past it.
        self.calls = ElidedLabel()
        self.verdicts = ElidedLabel()
        self.breaches = QLabel()
        self.setAccessibleName("My day")
        self.who.setAccessibleName("Signed in as")
        self.calls.setAccessibleName("Calls today")
        self.verdicts.setAccessibleName("Verdicts today")
        self.breaches.setAccessibleName("SLA breaches in my queue")
        self.addWidget(self.who)
        self.addWidget(self.calls)
        self.addWidget(self.verdicts)
        self.addPermanentWidget(self.breaches)
        self.setSizeGripEnabled(False)
        ops.changed.connect(self._changed)
        # Qt hides the day's figures under a message only if they were visible when it came;
        # one shown before the window was (a call brought back at start) drew over them.
        self.messageChanged.connect(self._message_changed)

    def _message_changed(self, message: str) -> None:
        for label in (self.who, self.calls, self.verdicts):
            label.setVisible(not message)

    @property
    def zone(self) -> str:
        return self._zone

    def refresh(self) -> None:
        desk = self._desk
        # Kept up to date by the calls and verdicts the window writes; counted from the rows
        # at open and when the kept figures grow old (leaddesk.calling.day_kept).
        self._ops.run(desk.calls.my_day_kept, done=self._show)

    def _changed(self, changes: frozenset[str]) -> None:
        if "status" in changes and self._desk.can(Action.WORK_QUEUE):  # a day of calls to show
            self.refresh()

    def _show(self, summary: DaySummary) -> None:
        self.summary = summary
        rate = f" ({summary.connect_rate:.0%})" if summary.calls else ""
        talk = f" · {talk_text(summary.talk_minutes)} talk" if summary.talk_minutes else ""
        today = "Today" if summary.timezone == self._zone else f"Today ({summary.timezone})"
        self.calls.setText(
            f"{today}: {summary.calls} calls · {summary.connects} connects{rate}{talk}"
        )
        self.calls.setToolTip(
            f"{self.calls.text()}\nCounted from midnight {summary.timezone}, the team's day"
        )
        self.verdicts.setText(f"Verdicts: {verdict_words(summary)}")
        self.breaches.setText(f"SLA breaches in my queue: {summary.sla_breaches}")
        self.breaches.setObjectName("badgeWarn" if summary.sla_breaches else "muted")
        self.breaches.style().unpolish(self.breaches)
        self.breaches.style().polish(self.breaches)
        self.updated.emit(summary)


class DaySummaryDialog(QDialog):
    """How the day went, in the numbers a rep reports at the end of it."""

    def __init__(self, summary: DaySummary, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"My day — {who}")
        self.setMinimumWidth(380)
        form = QFormLayout()
        rate = f"{summary.connect_rate:.0%}" if summary.calls else "—"
        rows = [
            ("Calls made", str(summary.calls)),
            ("Connects", f"{summary.connects} ({rate})"),
            ("Talk time", talk_text(summary.talk_minutes)),
            ("Callbacks booked", str(summary.callbacks_booked)),
        ]
        rows += [
            (_done(verdict).capitalize(), str(count))
            for verdict, count in sorted(summary.verdicts.items())
        ]
        rows.append(("SLA breaches in my queue", str(summary.sla_breaches)))
        for label, value in rows:
            form.addRow(f"{label}:", QLabel(value))
        start = summary.day_start.astimezone(ZoneInfo(summary.timezone))
        since = QLabel(f"Since {start:%A %d %B, %H:%M} {summary.timezone} (the team's day)")
        since.setObjectName("muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(since)
        layout.addLayout(form)
        layout.addWidget(buttons)

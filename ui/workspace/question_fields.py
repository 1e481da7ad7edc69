"""One input per questionnaire question type. Each says ``answered(question_id, value)`` with a
value in the form the core checks (choices by value, yes/no as bool, money as amount+currency).

Choices answer at once; typed answers answer when the rep pauses or leaves the field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.desk import Question, QuestionType
from ui.workspace.wrapping_choice import WrappingCheck, WrappingRadio

TYPING_PAUSE_MS = 700
ARROWS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1}
_NUMBER = QRegularExpression(r"^\s*-?\d{0,12}([.,]\d{0,4})?\s*$")
_DATE = QRegularExpression(r"^\d{0,4}(-\d{0,2}(-\d{0,2})?)?$")


def _number(text: str) -> int | float | None:
    text = text.strip().replace(",", ".")
    if not text or text in ("-", "."):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


class QuestionField(QWidget):
    answered = Signal(str, object)

    def __init__(self, question: Question, answer: object, currency: str) -> None:
        super().__init__()
        self.question = question
        self.currency = currency
        # Parented at once: a parentless label made visible would flash up as a window of its
        # own (and take the keyboard from the rep mid-call).
        self.title = QLabel(question.text + ("  *" if question.required else ""), self)
        self.title.setObjectName("questionText")
        self.title.setWordWrap(True)
        self.title.setToolTip("Required" if question.required else "")
        self.help = QLabel(question.help, self)
        self.help.setObjectName("help")
        self.help.setWordWrap(True)
        self.help.setVisible(bool(question.help))
        self.error = QLabel(self)
        self.error.setObjectName("badgeWarn")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        self._inputs: list[QWidget] = []
        # Option values by input position (kept in Python: Qt properties holding Python
        # bools trip a PySide refcount bug at exit).
        self._values: list[object] = []
        self._group: QButtonGroup | None = None
        self._line: QLineEdit | None = None
        self._currency: QLabel | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._send_typed)
        self._last_sent: object = answer
        kind = question.type
        if kind is QuestionType.SINGLE_CHOICE or kind is QuestionType.YES_NO:
            self._build_choice(layout, answer)
        elif kind is QuestionType.MULTIPLE_CHOICE:
            self._build_multiple(layout, answer)
        else:
            self._build_line(layout, answer)
        layout.addWidget(self.error)
        self._name_inputs()

    def _name_inputs(self) -> None:
        """A screen reader names each input by its question: a typed answer is labelled by
        it, and each choice says which question it answers."""
        asked = self.question.text + (" (required)" if self.question.required else "")
        if self._line is not None:
            self.title.setBuddy(self._line)
            self._line.setAccessibleName(asked)
            if self.question.help:
                self._line.setAccessibleDescription(self.question.help)
            return
        for button in self._inputs:
            button.setAccessibleDescription(asked)

    # -- building ---------------------------------------------------------------------------

    def _choices(self) -> list[tuple[object, str]]:
        if self.question.type is QuestionType.YES_NO:
            return [(True, "Yes"), (False, "No")]
        return [(option.value, option.label) for option in self.question.options]

    def _build_choice(self, layout: QVBoxLayout, answer: object) -> None:
        self._group = QButtonGroup(self)
        row = QHBoxLayout() if self.question.type is QuestionType.YES_NO else None
        for number, (value, label) in enumerate(self._choices()):
            button = WrappingRadio(label)
            self._values.append(value)
            self._group.addButton(button, number)
            if answer is not None and answer == value:
                button.setChecked(True)
            self._inputs.append(button)
            (row or layout).addWidget(button)
        if row is not None:
            row.addStretch(1)
            layout.addLayout(row)
        self._group.idClicked.connect(self._send_choice)
        self._group.idToggled.connect(lambda _id, _on: self._one_tab_stop())
        self._one_tab_stop()

    def _one_tab_stop(self, stop: QWidget | None = None) -> None:
        """A choice question is one Tab stop (its picked option, else the first; for ticked
        boxes, the one last moved to); the arrows move between its options, as in every
        native dialog."""
        stop = stop or self.first_input()
        for button in self._inputs:
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus
            )

    def _build_multiple(self, layout: QVBoxLayout, answer: object) -> None:
        picked = set(answer) if isinstance(answer, list) else set()
        for value, label in self._choices():
            box = WrappingCheck(label)
            self._values.append(value)
            box.setChecked(value in picked)
            box.toggled.connect(self._send_multiple)
            box.installEventFilter(self)
            self._inputs.append(box)
            layout.addWidget(box)
        self._one_tab_stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows move between the boxes of a multiple choice (Space ticks), so the question
        stays one Tab stop however many options it has."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = ARROWS.get(Qt.Key(event.key()))
            if step is not None and watched in self._inputs and not event.modifiers():
                at = self._inputs.index(watched)
                target = self._inputs[max(0, min(len(self._inputs) - 1, at + step))]
                self._one_tab_stop(target)
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _build_line(self, layout: QVBoxLayout, answer: object) -> None:
        line = QLineEdit()
        kind = self.question.type
        row = QHBoxLayout()
        row.addWidget(line, 1)
        if kind in (QuestionType.NUMBER, QuestionType.MONEY):
            line.setValidator(QRegularExpressionValidator(_NUMBER, line))
            line.setMaximumWidth(180)
            if kind is QuestionType.MONEY:
                currency = answer.get("currency") if isinstance(answer, dict) else None
                self._currency = QLabel(str(currency or self.currency))
                row.addWidget(self._currency)
            row.addStretch(1)
        elif kind is QuestionType.DATE:
            line.setValidator(QRegularExpressionValidator(_DATE, line))
            line.setPlaceholderText("YYYY-MM-DD")
            line.setMaximumWidth(180)
            row.addStretch(1)
        else:
            line.setPlaceholderText("Their words…")
        line.setText(self._shown(answer))
        line.textEdited.connect(lambda _text: self._pause.start())
        line.editingFinished.connect(self._send_typed)
        self._line = line
        self._inputs.append(line)
        layout.addLayout(row)

    def _shown(self, answer: object) -> str:
        if answer is None:
            return ""
        if isinstance(answer, dict):
            return str(answer.get("amount", ""))
        return str(answer)

    def set_answer(self, answer: object) -> None:
        """Show another lead's answer in the inputs already built (the next lead asks the same
        questions): nothing is sent for it, as when the field was built with it."""
        self._pause.stop()
        self._last_sent = answer
        self.show_error("")
        if self._group is not None:
            self._group.setExclusive(False)  # so that no option may be left picked
            for button, value in zip(self._inputs, self._values, strict=True):
                if isinstance(button, QRadioButton):
                    button.setChecked(answer is not None and answer == value)
            self._group.setExclusive(True)
            self._one_tab_stop()
        elif self._line is None:
            picked = set(answer) if isinstance(answer, list) else set()
            for box, value in zip(self._inputs, self._values, strict=True):
                if isinstance(box, QCheckBox):
                    box.blockSignals(True)  # a tick shown is not a tick given
                    box.setChecked(value in picked)
                    box.blockSignals(False)
            self._one_tab_stop()
        else:
            self._line.setText(self._shown(answer))
            if self._currency is not None:
                currency = answer.get("currency") if isinstance(answer, dict) else None
                self._currency.setText(str(currency or self.currency))

    # -- answering -------------------------------------------------------------------------

    def first_input(self) -> QWidget:
        checked = self._group.checkedButton() if self._group is not None else None
        return checked if checked is not None else self._inputs[0]

    def option(self, value: object) -> QWidget:
        """The radio button or check box that gives ``value``."""
        return self._inputs[self._values.index(value)]

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def value(self) -> object:
        kind = self.question.type
        if self._group is not None:
            picked = self._group.checkedId()
            return self._values[picked] if picked >= 0 else None
        if kind is QuestionType.MULTIPLE_CHOICE:
            return [
                value
                for box, value in zip(self._inputs, self._values, strict=True)
                if isinstance(box, QCheckBox) and box.isChecked()
            ]
        assert self._line is not None
        text = self._line.text().strip()
        if kind is QuestionType.NUMBER:
            return _number(text)
        if kind is QuestionType.MONEY:
            amount = _number(text)
            return None if amount is None else {"amount": amount, "currency": self.currency}
        return text or None

    def _send(self) -> None:
        value = self.value()
        if value == self._last_sent:
            return
        self._last_sent = value
        self.show_error("")
        self.answered.emit(self.question.id, value)

    def _send_choice(self, _id: int) -> None:
        self._send()

    def _send_multiple(self, _checked: bool) -> None:
        self._send()

    def _send_typed(self) -> None:
        self._pause.stop()
        if self.question.type is QuestionType.DATE and self._line is not None:
            text = self._line.text().strip()
            if text and len(text) != 10:
                return  # half-typed date: wait for the rest
        self._send()

    def flush(self) -> None:
        """Send a typed answer still waiting for the pause (leaving the lead, verdict)."""
        if self._pause.isActive():
            self._send_typed()

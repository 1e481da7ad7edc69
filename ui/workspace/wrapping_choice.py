"""Radio buttons and check boxes whose words wrap: an option such as "Wrong person, made-up
details or never heard of us" takes two lines on a narrow window instead of widening the
questions past it (and giving them a horizontal scroll bar that cuts their left edge off).

They are the stock buttons (the button group, the arrows, Space, ``click()``, the accessible
name, the theme's indicator and focus colour all stay theirs); only the label is laid out anew:
the indicator beside the first line, the words wrapped in the width left.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
)

# The narrowest a label gets: about a short word, so a long option wraps rather than widens.
_MINIMUM_CHARACTERS = 10
_TEXT_FLAGS = int(
    Qt.AlignmentFlag.AlignLeft
    | Qt.AlignmentFlag.AlignTop
    | Qt.TextFlag.TextWordWrap
    | Qt.TextFlag.TextShowMnemonic
)
_RADIO = (QStyle.ControlElement.CE_RadioButton, QStyle.SubElement.SE_RadioButtonContents)
_CHECK = (QStyle.ControlElement.CE_CheckBox, QStyle.SubElement.SE_CheckBoxContents)


def _wraps(button: QAbstractButton) -> None:
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    button.setSizePolicy(policy)


def _elements(button: QAbstractButton) -> tuple[QStyle.ControlElement, QStyle.SubElement]:
    return _RADIO if isinstance(button, QRadioButton) else _CHECK


def _line_height(button: QRadioButton | QCheckBox) -> int:
    # The stock button's height for one line of words: the indicator sits beside it.
    if isinstance(button, QRadioButton):
        return QRadioButton.sizeHint(button).height()
    return QCheckBox.sizeHint(button).height()


def _option(button: QRadioButton | QCheckBox, rect: QRect) -> QStyleOptionButton:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    option.rect = rect
    option.text = ""
    return option


def _text_left(button: QRadioButton | QCheckBox, width: int) -> int:
    option = _option(button, QRect(0, 0, width, _line_height(button)))
    return button.style().subElementRect(_elements(button)[1], option, button).left()


def _padding(button: QRadioButton | QCheckBox) -> int:
    """The stock padding around one line of words, kept around the wrapped ones."""
    return max(0, _line_height(button) - button.fontMetrics().height())


def size_hint(button: QRadioButton | QCheckBox) -> QSize:
    one_line = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
    return QSize(_text_left(button, 400) + one_line + 2, _line_height(button))


def minimum_size_hint(button: QRadioButton | QCheckBox) -> QSize:
    narrow = _text_left(button, 400) + button.fontMetrics().averageCharWidth() * _MINIMUM_CHARACTERS
    return QSize(min(size_hint(button).width(), narrow), _line_height(button))


def height_for_width(button: QRadioButton | QCheckBox, width: int) -> int:
    left = _text_left(button, width)
    room = QRect(0, 0, max(1, width - left), 100_000)
    words = button.fontMetrics().boundingRect(room, _TEXT_FLAGS, button.text()).height()
    return max(_line_height(button), words + _padding(button))


def paint(button: QRadioButton | QCheckBox) -> None:
    painter = QPainter(button)
    style = button.style()
    line = _line_height(button)
    # The indicator (and the theme's hover and focus looks on it) drawn by the style beside
    # the first line; the words are drawn here, wrapped.
    control = _elements(button)[0]
    style.drawControl(control, _option(button, QRect(0, 0, button.width(), line)), painter, button)
    left = _text_left(button, button.width())
    top = _padding(button) // 2
    room = QRect(left, top, button.width() - left, button.height() - top)
    # The theme colours a focused option's words in its accent (the focus ring); the style
    # sheet gives that colour only to the stock one-line label, so it is taken from here.
    role = QPalette.ColorRole.WindowText
    palette = QPalette(button.palette())
    if button.hasFocus():
        palette.setColor(role, button.palette().color(QPalette.ColorRole.Highlight))
    style.drawItemText(painter, room, _TEXT_FLAGS, palette, button.isEnabled(), button.text(), role)


class _Wraps:
    """What both wrapping buttons add to the stock one: a height that follows the width
    (worked out once per width, and the size hints once, until the font or theme changes),
    the words painted wrapped, and a click anywhere on them. Comes before the Qt class."""

    def __init__(self, text: str) -> None:
        super().__init__(text)  # type: ignore[call-arg]  # the Qt button's
        _wraps(self._button)
        self._heights: dict[int, int] = {}
        self._hints: tuple[QSize, QSize] | None = None

    @property
    def _button(self) -> QRadioButton | QCheckBox:
        return cast("QRadioButton | QCheckBox", self)

    def sizeHint(self) -> QSize:
        if self._hints is None:  # asked often while the questions are laid out
            self._hints = (size_hint(self._button), minimum_size_hint(self._button))
        return self._hints[0]

    def minimumSizeHint(self) -> QSize:
        self.sizeHint()
        assert self._hints is not None
        return self._hints[1]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = height_for_width(self._button, width)
        return self._heights[width]

    def changeEvent(self, event: QEvent) -> None:
        self._heights.clear()  # a new font or theme lays the words out anew
        self._hints = None
        super().changeEvent(event)  # type: ignore[misc]  # the Qt button's

    def paintEvent(self, event: QPaintEvent) -> None:
        paint(self._button)

    def hitButton(self, pos: QPoint) -> bool:
        return self._button.rect().contains(pos)  # the second line clicks it too


class WrappingRadio(_Wraps, QRadioButton):
    """A radio button whose words wrap."""


class WrappingCheck(_Wraps, QCheckBox):
    """A check box whose words wrap."""

"""Dialog forms that a screen reader can name, Alt+letter can reach and a large display scale
cannot squash: labelled rows, text boxes sized in lines, and room for wrapped text."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPlainTextEdit, QWidget

from leaddesk.errors import InputError, LeadDeskError


def plain(text: str) -> str:
    """A label as it is read out: no mnemonic marker, no trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(": ")


def labelled(
    form: QFormLayout, text: str, field: QWidget, description: str | None = None
) -> QLabel:
    """A form row whose label is the field's buddy (its "&" letter jumps there with Alt) and
    its accessible name, whatever kind of field it is (a combo box otherwise reads out its
    current choice instead of what it asks)."""
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)
    field.setAccessibleName(plain(text))
    if description:
        field.setAccessibleDescription(description)
    return label


def error_line() -> QLabel:
    """Where a form says why the core refused what was typed: hidden until then."""
    line = QLabel()
    line.setObjectName("error")
    line.setWordWrap(True)
    line.hide()
    return line


def say_refusal(
    dialog: QWidget, line: QLabel, error: LeadDeskError, fields: Mapping[str, QWidget]
) -> None:
    """Show the refusal inside the dialog (nothing typed is lost) and put the focus on the
    box of the field the core names (``InputError(field="phone")`` -> the phone box);
    ``fields`` maps the core's field names to the form's boxes."""
    line.setText(sentence(error.message))
    line.show()
    dialog.adjustSize()  # room for the message: the form keeps its size
    named = error.field if isinstance(error, InputError) else None
    box = fields.get(named) if named is not None else None
    if box is not None:
        box.setFocus()


def sentence(message: str) -> str:
    """A message as a dialog says it: starting with a capital ("give a name" -> "Give a name")."""
    return message[:1].upper() + message[1:]


def lines_high(edit: QPlainTextEdit, lines: int) -> int:
    """The height showing ``lines`` lines of text in the edit's font, frame and margins
    included: a fixed pixel height would cut the last line at another font size."""
    edit.ensurePolished()  # the look's style sheet sets the font
    margins = edit.contentsMargins()
    document = edit.document().documentMargin()
    frame = 2 * edit.frameWidth() if edit.frameShape() != QFrame.Shape.NoFrame else 0
    text = lines * edit.fontMetrics().lineSpacing()
    return int(text + 2 * document + margins.top() + margins.bottom() + frame)


class _WrappedLines(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget) and event.type() in (
            QEvent.Type.Show,
            QEvent.Type.LayoutRequest,
            QEvent.Type.Resize,
        ):
            make_room(watched)
        return False


def make_room(window: QWidget) -> None:
    """Grow the window to what its layout needs at its width. A window's minimum height
    leaves wrapped lines out, so on a small (or highly scaled) screen Qt shrinks it to that
    minimum and draws rows over each other."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = max(layout.totalHeightForWidth(window.width()), layout.totalMinimumSize().height())
    if window.minimumHeight() != needed:
        window.setMinimumHeight(needed)
    if needed > window.height():
        window.resize(window.width(), needed)


def keep_wrapped_lines(window: QWidget) -> None:
    """From now on ``window`` keeps room for its wrapped lines (an error that appears, a
    narrower width)."""
    keeper = _WrappedLines(window)
    window.installEventFilter(keeper)

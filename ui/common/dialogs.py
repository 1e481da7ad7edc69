"""Every modal question the window asks goes through here, so tests can answer for the user."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from leaddesk.desk import log_path
from leaddesk.errors import LeadDeskError

if TYPE_CHECKING:
    from leaddesk.desk import FreeSlots, Slot
    from ui.workspace.callback_picker import CallbackRequest
    from ui.workspace.override_dialog import OverrideChoice, OverrideRequest


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def warn(parent: QWidget | None, text: str) -> None:
    """Something the user can fix: say what and what to do. No traceback."""
    QMessageBox.warning(parent, "LeadDesk", text)


def show_crash(parent: QWidget | None, summary: str, details: str) -> None:
    """A bug: what failed, where the log is, and the details one click from the clipboard."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("LeadDesk — something went wrong")
    box.setText(f"{summary}\n\nYour work up to the last saved step is safe.")
    box.setInformativeText(f"The details are in the log: {log_path()}")
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)


def ask_callback(
    parent: QWidget | None,
    request: CallbackRequest,
    *,
    refused: tuple[datetime, LeadDeskError] | None = None,
) -> datetime | None:
    """When the person asked to be called back (aware datetime), or None if cancelled;
    ``refused`` opens it on a time the core refused, saying why."""
    from ui.workspace.callback_picker import CallbackPicker

    picker = CallbackPicker(request, parent)
    if refused is not None:
        picker.say_refused(*refused)
    return picker.chosen() if picker.exec() == QDialog.DialogCode.Accepted else None


def ask_slot(parent: QWidget | None, free: FreeSlots) -> Slot | None:
    """The free slot the rep booked for the prospect, or None if they closed the picker."""
    from ui.workspace.slot_picker import SlotPicker

    picker = SlotPicker(free, parent)
    return picker.chosen() if picker.exec() == QDialog.DialogCode.Accepted else None


def ask_override(parent: QWidget | None, request: OverrideRequest) -> OverrideChoice | None:
    """The verdict the rep gives instead of the suggestion, with their reason; None if cancelled."""
    from ui.workspace.override_dialog import OverrideDialog

    dialog = OverrideDialog(request, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

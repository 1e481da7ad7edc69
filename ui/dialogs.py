"""Every modal question the window asks goes through here, so tests can answer for the user."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from leaddesk.logs import log_path


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

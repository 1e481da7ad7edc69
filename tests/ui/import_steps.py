"""The import wizard as the tests drive it: a file dropped or opened, and what the store holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from leaddesk.domain import OPEN_STAGES
from leaddesk.store.models import ImportRun, Lead, Person, SourceMapping
from tests.ui.conftest import Workspace
from ui.intake.wizard import ImportWizard

PLAIN = ["name", "email", "phone", "company"]


def store_counts(ws: Workspace) -> tuple[int, int, int, int]:
    with ws.desk.store.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Lead)) or 0,
            session.scalar(select(func.count()).select_from(Person)) or 0,
            session.scalar(select(func.count()).select_from(ImportRun)) or 0,
            session.scalar(select(func.count()).select_from(SourceMapping)) or 0,
        )


def known_people(ws: Workspace) -> tuple[Person, Person]:
    """A demo person with an open lead, and one whose leads are all closed."""
    with ws.desk.store.reading() as session:
        people = session.scalars(select(Person).where(Person.email.is_not(None)).limit(400)).all()
        with_open = without_open = None
        for person in people:
            stages = session.scalars(select(Lead.stage).where(Lead.person_id == person.id)).all()
            if any(stage in OPEN_STAGES for stage in stages):
                with_open = with_open or person
            elif stages:
                without_open = without_open or person
        assert with_open is not None and without_open is not None
        session.expunge_all()
        return with_open, without_open


def open_dialog(ws: Workspace, qtbot: QtBot, path: Path | None = None) -> ImportWizard:
    dialog = ws.window.open_import(path)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.job.running is None)
    return dialog


def drop(window: QWidget, path: Path) -> tuple[bool, bool]:
    """Drag ``path`` over the window and drop it: (drag accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action, button, modifier = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(50, 50), action, mime, button, modifier)
    enter.ignore()
    window.dragEnterEvent(enter)
    dropped = QDropEvent(QPointF(50, 50), action, mime, button, modifier)
    dropped.ignore()
    window.dropEvent(dropped)
    return enter.isAccepted(), dropped.isAccepted()

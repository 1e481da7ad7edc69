"""Starting the window: the Qt application, sign-in, the main window, or a screenshot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from leaddesk.desk import Desk, open_desk, setup_desk
from leaddesk.domain import Role
from leaddesk.errors import LeadDeskError
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog
from ui.theme import apply_theme


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    apply_theme(app)
    return app


def sign_in(db: str | None) -> Desk | None:
    """Ask who is working; on a store with nobody in it, create the first profile."""
    with setup_desk(db) as setup:
        users = setup.users()
    dialog = SignInDialog(users)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name = dialog.chosen_name()
    if dialog.creating:
        with setup_desk(db) as setup:
            setup.add_user(name, Role.QUALIFIER)
    return open_desk(db, name)


def launch(args: argparse.Namespace) -> int:
    app = application()
    try:
        desk = open_desk(args.db, args.as_user, create=True) if args.as_user else sign_in(args.db)
    except LeadDeskError as exc:
        if args.screenshot:
            raise
        QMessageBox.warning(None, "LeadDesk", exc.message)
        return exc.exit_code
    if desk is None:
        return 0
    with desk:
        window = MainWindow(desk)
        window.show()
        if args.screenshot:
            return _screenshot(app, window, Path(args.screenshot))
        return app.exec()


def _screenshot(app: QApplication, window: MainWindow, target: Path) -> int:
    """Wait until the queue and first lead are painted, save the window, quit."""

    def capture() -> None:
        if not window.is_ready():
            QTimer.singleShot(50, capture)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(target))
        print(f"Saved {target}" if ok else f"Could not write {target}")
        app.exit(0 if ok else 2)

    QTimer.singleShot(200, capture)
    return app.exec()

"""Starting the window: the Qt application, sign-in, the workspace, or a screenshot."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from leaddesk.desk import Desk, open_desk, setup_desk
from leaddesk.errors import InputError, LeadDeskError
from leaddesk.permissions import Action
from leaddesk.settings import LAST_USER, SWEEP_MINUTES, TEXT_SIZE, THEME, Settings
from leaddesk.user_files import why_no_folder
from ui.first_run import Start, choose_store
from ui.icons import icon
from ui.local_zone import rep_zone
from ui.main_window import MainWindow
from ui.operations import Operations
from ui.sign_in import SignInDialog
from ui.team_console import ConsoleOpener, TeamConsole
from ui.team_sweep import PolicySweep
from ui.theme import apply_theme

# Screenshots are taken at a size a README reader sees whole.
SCREENSHOT_SIZE = (1440, 860)


def application(settings: Settings | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    if settings is None:
        apply_theme(app, "system")
    else:
        apply_theme(app, settings[THEME], text_size=settings[TEXT_SIZE])
    app.setWindowIcon(icon("leaddesk"))
    hints = app.styleHints()
    # Following the system: switch look when the system does (unless the rep chose one).
    if settings is not None:

        def follow(_scheme: object) -> None:
            if settings[THEME] == "system":
                apply_theme(app, "system")

        hints.colorSchemeChanged.connect(follow)
    return app


def sign_in(db: str | None, settings: Settings) -> Desk | None:
    """Ask who is working; on a store with nobody in it, create the first profile."""
    with setup_desk(db) as setup:
        users = setup.users()
    dialog = SignInDialog(users, last=settings[LAST_USER])
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name = dialog.chosen_name()
    with setup_desk(db) as setup:
        # A store made by the window, not `leaddesk init`, gets its lead definition here.
        setup.prepare_store()
        if dialog.creating:
            setup.add_user(name, dialog.chosen_role(), display_name=dialog.display_name())
    settings[LAST_USER] = name
    return open_desk(db, name)


def launch(args: argparse.Namespace) -> int:
    if args.screenshot:
        _check_screenshot_target(Path(args.screenshot))
    if _no_screen():
        if not args.screenshot:
            raise InputError(
                "the window needs a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is "
                "set); the other commands work without one: leaddesk --help"
            )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    settings = Settings()
    app = application(settings)
    try:
        # A screenshot asks nothing; a first start asks where the leads live.
        start = (
            Start(args.db, args.as_user)
            if args.screenshot
            else choose_store(args.db, args.as_user, settings)
        )
        if start is None:
            return 0
        if start.as_user:
            desk: Desk | None = open_desk(start.location, start.as_user, create=True)
        else:
            desk = sign_in(start.location, settings)
    except LeadDeskError as exc:
        if args.screenshot:
            raise
        QMessageBox.warning(None, "LeadDesk", exc.message)
        return exc.exit_code
    if desk is None:
        return 0
    ops = Operations()
    with desk:
        try:
            policy_zone = desk.definition().definition.policy.timezone
        except LeadDeskError:
            policy_zone = "UTC"
        # A screenshot only looks: no sweep writing flags into the store behind it.
        window = open_window(desk, ops, settings, policy_zone, sweep=not args.screenshot)
        ops.setParent(window)
        if args.screenshot:
            window.resize(*SCREENSHOT_SIZE)
        window.show()
        try:
            if args.screenshot:
                return _screenshot(app, window, Path(args.screenshot))
            return app.exec()
        finally:
            ops.shutdown()


def open_window(
    desk: Desk, ops: Operations, settings: Settings, policy_zone: str, *, sweep: bool = True
) -> MainWindow | TeamConsole:
    """The rep's workspace (with View ▸ Team console for team leads); for an admin, who has
    no call queue, the team console itself. Team leads and admins also get the sweep."""
    sweeper = PolicySweep(desk, ops, settings[SWEEP_MINUTES])
    window: MainWindow | TeamConsole
    if desk.can(Action.WORK_QUEUE) or not desk.can(Action.VIEW_TEAM):
        window = MainWindow(desk, ops, settings, rep_zone=rep_zone(policy_zone))
        window.set_team_console(ConsoleOpener(desk, ops, window, sweeper))
        status = window.statusBar()
        sweeper.reported.connect(lambda text: status.showMessage(text, 20_000))
    else:
        window = TeamConsole(desk, ops, sweep=sweeper, settings=settings)
    sweeper.setParent(window)
    if sweep:
        sweeper.start()  # runs only for those the core lets sweep
    return window


def _no_screen() -> bool:
    """Linux without a display to open a window on (Qt would abort); elsewhere there is one."""
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def _check_screenshot_target(target: Path) -> None:
    """Before the window opens: a PNG that cannot be written there is said now."""
    if target.is_dir():
        raise InputError(f"--screenshot {target}: is a folder; name the PNG file to write")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = why_no_folder(target, exc)
        raise InputError(f"--screenshot {target}: cannot make its folder: {why}") from exc


def _screenshot(app: QApplication, window: MainWindow | TeamConsole, target: Path) -> int:
    """Wait until the queue and first lead are shown, save the window, quit."""

    def capture() -> None:
        if not window.is_ready():
            QTimer.singleShot(50, capture)
            return
        ok = window.grab().save(str(target))
        print(f"Saved {target}" if ok else f"Could not write {target}")
        app.exit(0 if ok else 2)

    QTimer.singleShot(200, capture)
    return app.exec()

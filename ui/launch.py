"""Starting the window: the Qt application, sign-in, the window for the user's role, or a
screenshot."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from leaddesk.cli.common import password_asker
from leaddesk.desk import (
    Desk,
    check_store_writable,
    keyring_available,
    open_desk,
    remember_password,
    saved_password,
    setup_desk,
    why_no_folder,
)
from leaddesk.domain import Role
from leaddesk.errors import InputError, LeadDeskError, NotPermitted
from leaddesk.settings import LAST_USER, SWEEP_MINUTES, TEXT_SIZE, THEME, Settings
from ui.common.icons import icon
from ui.common.local_zone import rep_zone
from ui.common.one_window import WindowKeeper, claim_window, show_taken_over
from ui.common.operations import Operations
from ui.common.theme import apply_theme
from ui.console.console import ConsoleOpener, TeamConsole
from ui.console.sweep import PolicySweep, may_sweep
from ui.marketing.window import MarketingWindow
from ui.sales.window import SalesWindow
from ui.start.first_run import Start, choose_store
from ui.start.sign_in import SignInDialog
from ui.workspace.window import MainWindow

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
    """Ask who is working; on a store with nobody in it, create the first profile. On a store
    with passwords, ask for the user's until it is right or the dialog is cancelled."""
    with setup_desk(db) as setup:
        users = setup.people.users()
        passwords = setup.people.passwords_on()
        label = setup.store.label
    problem = ""
    last = settings[LAST_USER]
    while True:
        dialog = SignInDialog(
            users,
            last=last,
            passwords=passwords,
            can_remember=keyring_available(),
            problem=problem,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        name = dialog.chosen_name()
        if not passwords:
            with setup_desk(db) as setup:
                # A store made by the window, not `leaddesk init`, gets its lead definition here.
                setup.admin.prepare_store()
                if dialog.creating:
                    setup.people.add(name, dialog.chosen_role(), display_name=dialog.display_name())
        typed = dialog.typed_password()

        def given(user: str, store_label: str, typed: str = typed) -> str | None:
            return typed or saved_password(store_label, user)

        try:
            desk = open_desk(db, name, password=given)
        except NotPermitted as refused:
            if not passwords:
                raise
            problem, last = refused.message, name
            continue
        if typed and dialog.wants_remembered():
            remember_password(label, name, typed)
        settings[LAST_USER] = name
        return desk


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
        # A read-only store is refused here, not on the rep's first N.
        check_store_writable(start.location)
        if start.as_user:
            desk: Desk | None = open_desk(
                start.location, start.as_user, create=True, password=password_asker(args)
            )
        else:
            desk = sign_in(start.location, settings)
        # One window per person per store; a screenshot only looks and holds none.
        if desk is not None and not args.screenshot and not _hold_window(desk):
            desk.close()
            desk = None
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
            policy_zone = desk.qualifying.definition().definition.policy.timezone
        except LeadDeskError:
            policy_zone = "UTC"
        # A screenshot only looks: no sweep writing flags into the store behind it.
        window = open_window(desk, ops, settings, policy_zone, sweep=not args.screenshot)
        ops.setParent(window)
        if desk.window is not None:
            keeper = WindowKeeper(desk, ops, window)
            keeper.taken_over.connect(lambda text: show_taken_over(window, text))
            keeper.start()
        if args.screenshot:
            window.resize(*SCREENSHOT_SIZE)
        window.show()
        keep_start_up_objects()
        try:
            if args.screenshot:
                return _screenshot(app, window, Path(args.screenshot))
            return app.exec()
        finally:
            ops.shutdown()


RoleWindow = MainWindow | TeamConsole | SalesWindow | MarketingWindow


def keep_start_up_objects() -> None:
    """What was made to start (modules, the store's mappings, the window) lives as long as
    the window: out of the collector's full passes from now on. Each pass walked all of it
    with the GIL held, and on the worker that held the GUI thread 100–350 ms, with no work
    of its own, on a rep's first logged call at 1,000,000 leads."""
    gc.freeze()


def open_window(
    desk: Desk, ops: Operations, settings: Settings, policy_zone: str, *, sweep: bool = True
) -> RoleWindow:
    """One window per role (docs/architecture.md §2), built with only what the role uses:
    a rep gets the workspace; a team lead the workspace with View ▸ Team console; an admin, who
    has no call queue, the team console itself; a salesperson the hand-offs waiting for an
    answer; marketing the dashboards alone, on acceptance by campaign. Team leads and admins
    also get the untouched-lead sweep."""
    role = desk.actor.role
    if role is Role.SALES:
        return SalesWindow(desk, ops, settings)
    if role is Role.MARKETING:  # the reports, read only
        return MarketingWindow(desk, ops, settings)
    sweeper = PolicySweep(desk, ops, settings[SWEEP_MINUTES]) if may_sweep(desk) else None
    window: MainWindow | TeamConsole
    if role is Role.ADMIN:
        window = TeamConsole(desk, ops, sweep=sweeper, settings=settings)
    else:
        window = MainWindow(desk, ops, settings, rep_zone=rep_zone(policy_zone))
        if role is Role.TEAM_LEAD:
            window.set_team_console(ConsoleOpener(desk, ops, window, sweeper))
        if sweeper is not None:
            status = window.statusBar()
            sweeper.reported.connect(lambda text: status.showMessage(text, 20_000))
    if sweeper is not None:
        sweeper.setParent(window)
        if sweep:
            sweeper.start()
    return window


def _hold_window(desk: Desk) -> bool:
    try:
        return claim_window(desk)
    except BaseException:
        desk.close()
        raise


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


def _screenshot(app: QApplication, window: RoleWindow, target: Path) -> int:
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

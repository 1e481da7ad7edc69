"""The sign-in window on a shared store, and one window per person per store."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.people.users import UserInfo
from leaddesk.settings import Settings
from leaddesk.sign_in.passwords import NO_PASSWORDS_NOTE
from tests.ui.conftest import open_workspace
from ui import launch
from ui.common import dialogs
from ui.common.one_window import WindowKeeper, claim_window, show_taken_over
from ui.common.operations import Operations
from ui.start.sign_in import SignInDialog


def _user(id: int, name: str, role: Role = Role.QUALIFIER) -> UserInfo:
    return UserInfo(id, name, name.title(), role, 40, True, ())


TEAM = [_user(1, "rep1"), _user(2, "sales1", Role.SALES), _user(3, "admin", Role.ADMIN)]


def test_a_shared_store_without_passwords_says_anyone_can_pick_any_name(qtbot: QtBot) -> None:
    dialog = SignInDialog(TEAM)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.note.isVisible() and dialog.note.text() == NO_PASSWORDS_NOTE
    assert not dialog.password.isVisible() and dialog.typed_password() == ""


def test_a_store_with_passwords_asks_for_one_and_offers_the_keyring(qtbot: QtBot) -> None:
    dialog = SignInDialog(TEAM, last="sales1", passwords=True, can_remember=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.password.isVisible() and not dialog.note.isVisible()
    qtbot.keyClicks(dialog.password, "sales1-secret")
    dialog.remember.setChecked(True)
    assert dialog.chosen_name() == "sales1"
    assert dialog.typed_password() == "sales1-secret" and dialog.wants_remembered()
    assert dialog.password.echoMode() is dialog.password.EchoMode.Password
    dialog.grab().save("/tmp/signin.png")  # looked at by eye when the dialog changes


def test_without_a_keyring_there_is_nothing_to_remember(qtbot: QtBot) -> None:
    dialog = SignInDialog(TEAM, passwords=True, can_remember=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.remember.setChecked(True)
    assert not dialog.remember.isVisible() and not dialog.wants_remembered()


def test_a_wrong_password_asks_again_saying_so_and_the_right_one_signs_in(
    qtbot: QtBot,
    empty_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_desk(empty_store, "admin", clock=clock) as desk:
        desk.people.set_password("admin", "admin-secret")
        desk.people.set_password("anna", "anna-secret")
    shown: list[tuple[str, str]] = []
    typed = iter(["not-hers-1", "anna-secret"])

    def fill_in(dialog: SignInDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append((dialog.problem.text(), str(dialog.users.currentData())))
        dialog.users.setCurrentIndex(dialog.users.findData("anna"))
        dialog.password.setText(next(typed))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SignInDialog, "exec", fill_in)
    desk = launch.sign_in(str(empty_store), Settings(tmp_path / "settings.json"))
    assert desk is not None
    with desk:
        assert desk.actor.name == "anna"
    assert shown[0][0] == ""
    assert shown[1] == ("Wrong password for anna; nothing was done.", "anna")


def test_a_second_window_of_the_same_rep_is_refused_when_they_say_no(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_workspace(qtbot, demo_store, clock, tmp_path)
    assert claim_window(first.desk, first.window)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: asked.append(text) is None and False)
    with open_desk(demo_store, "rep1", clock=clock) as second:
        assert not claim_window(second)
    assert "rep1 already has LeadDesk open on this store on " in asked[0]
    assert "Take over here?" in asked[0]
    first.window.close()
    first.desk.close()


def test_taking_over_stops_the_first_window_which_says_so(
    qtbot: QtBot,
    demo_store: Path,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings_shown: list[str],
) -> None:
    ops = Operations(inline=True)
    first = open_workspace(qtbot, demo_store, clock, tmp_path / "first", ops=ops)
    assert claim_window(first.desk, first.window)
    keeper = WindowKeeper(first.desk, ops, first.window)
    keeper.taken_over.connect(lambda text: show_taken_over(first.window, text))
    keeper.start()
    keeper.beat()  # a heartbeat while it still holds the window changes nothing
    assert first.window.findChild(QLabel, "takenOverText") is None

    monkeypatch.setattr(dialogs, "ask", lambda *_args: True)
    second = open_workspace(qtbot, demo_store, clock, tmp_path / "second")
    assert claim_window(second.desk, second.window)

    # The first window's next write is refused, and from then on it says so on screen.
    ops.run(lambda: first.desk.privacy.add_do_not_call("+12125550100", "asked on the phone"))
    assert warnings_shown and "This window was taken over by a window on" in warnings_shown[0]
    banner = first.window.findChild(QLabel, "takenOverText")
    assert banner is not None and banner.isVisible()
    assert banner.text().endswith("Close it.")
    assert first.window.windowTitle().endswith("taken over")
    assert keeper.stopped and not keeper.timer.isActive()
    # The window that took over goes on working.
    second.desk.privacy.add_do_not_call("+12125550101", "asked on the phone")
    assert second.window.findChild(QLabel, "takenOverText") is None
    for opened in (first, second):
        opened.window.close()
        opened.desk.close()


def test_a_heartbeat_notices_the_take_over_without_any_write(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    ops = Operations(inline=True)
    first = open_workspace(qtbot, demo_store, clock, tmp_path, ops=ops)
    first.desk.people.claim_window()
    keeper = WindowKeeper(first.desk, ops, first.window)
    with open_desk(demo_store, "rep1", clock=clock) as second:
        second.people.claim_window(take_over=True)
        with qtbot.waitSignal(keeper.taken_over) as said:
            keeper.beat()
    assert "taken over" in said.args[0]
    first.window.close()
    first.desk.close()

"""Operations: work off the GUI thread, results back on it, errors to the right dialog."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from leaddesk.errors import Conflict
from ui.common import dialogs
from ui.common.operations import Cancelled, Operations


def test_work_runs_off_the_gui_thread_and_announces_changes(qtbot: QtBot) -> None:
    ops = Operations()
    seen: list[object] = []
    with qtbot.waitSignal(ops.changed, timeout=5000) as signal:
        ops.run(lambda: threading.current_thread().name, done=seen.append, changes={"queue"})
    assert seen and str(seen[0]).startswith("leaddesk-work")
    assert signal.args == [frozenset({"queue"})]
    ops.shutdown()


def test_user_fixable_error_becomes_a_message(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warn", lambda parent, text: shown.append(text))
    ops = Operations(inline=True)

    def taken() -> None:
        raise Conflict("Rep 2 is already calling this lead.")

    ops.run(taken, changes={"queue"})
    assert shown == ["Rep 2 is already calling this lead."]


def test_cancelled_work_is_silent_and_a_bug_opens_the_crash_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes: list[str] = []
    monkeypatch.setattr(
        dialogs, "show_crash", lambda parent, summary, details: crashes.append(summary)
    )
    monkeypatch.setattr(dialogs, "warn", lambda parent, text: crashes.append("warned"))
    ops = Operations(inline=True)

    def cancel() -> None:
        raise Cancelled

    def bug() -> None:
        raise ZeroDivisionError("division by zero")

    ops.run(cancel)
    ops.run(bug)
    assert crashes == ["ZeroDivisionError: division by zero"]


def test_a_long_session_of_qt_calls_keeps_none_and_true_alive(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on Python 3.11 returned None/True from many calls without taking a
    # reference, so after minutes of use the interpreter aborted ("deallocating None").
    # pyproject keeps PySide6 below 6.12; this fails if a build with that bug comes back.
    import sys

    from PySide6.QtCore import QTimer

    ops = Operations(inline=True)
    timer = QTimer()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(5000):
        timer.start(1000)
        timer.stop()
        ops.run(lambda: True, changes={"queue"})
    assert sys.getrefcount(None) >= none_before - 100
    assert sys.getrefcount(True) >= true_before - 100

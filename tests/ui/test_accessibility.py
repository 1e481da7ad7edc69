"""A rep with a screen reader, one hand on the keyboard or a 200 % display: every control says
what it is, Tab walks each dialog as it reads, and a high scale squashes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.definition import Policy, default_definition_path, evaluate, load_definition
from leaddesk.desk import open_desk
from leaddesk.settings import Settings
from tests.ui.conftest import Workspace, open_sales
from ui.common.operations import Operations
from ui.handoff.dialog import EndOfDayExport, State
from ui.intake.wizard import ImportWizard
from ui.sales.answer import AnswerDialog
from ui.workspace.callback_picker import CallbackPicker, CallbackRequest
from ui.workspace.new_lead_dialog import NewLeadDialog
from ui.workspace.override_dialog import OverrideDialog, OverrideRequest

ROOT = Path(__file__).resolve().parents[2]
# A key hint as the buttons show it ("Next lead   N"): for the eye, not for the ear.
KEY_HINT = "  "


def _buddied(root: QWidget) -> set[int]:
    return {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}


def unnamed(root: QWidget) -> list[str]:
    """The controls Tab can reach in ``root`` that a screen reader could not name: no
    accessible name, no label naming them, no words of their own (or words with a key
    hint in them)."""
    buddied = _buddied(root)
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        if widget.objectName().startswith("qt_") or (
            isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget
        ):
            continue  # Qt's own parts (a spin box's line, a tab bar): named by their owner
        interface = QAccessible.queryAccessibleInterface(widget)
        said = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if KEY_HINT in said:
            missing.append(f"{type(widget).__name__} says its key hint: {said!r}")
        elif not (
            widget.accessibleName()
            or id(widget) in buddied
            or (isinstance(widget, QAbstractButton) and widget.text().strip())
        ):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} ({said!r})")
    return missing


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def tab_walk(qtbot: QtBot, dialog: QDialog, stops: int) -> list[QWidget]:
    """The first ``stops`` widgets the focus visits, pressing Tab from where it is. A date
    field takes a few Tabs of its own (day, month, year: Qt's way) before it lets go."""
    visited: list[QWidget] = []
    for _ in range(stops * 8):
        focused = QApplication.focusWidget()
        assert focused is not None and focused.window() is dialog
        if not visited or visited[-1] is not focused:
            visited.append(focused)
        if len(visited) == stops:
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return visited


def buttons_as_shown(box: QDialogButtonBox) -> list[QWidget]:
    return sorted(box.buttons(), key=lambda button: button.x())


def test_every_control_in_the_reps_window_has_a_name_a_screen_reader_can_say(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = workspace.window
    assert unnamed(window) == []
    call = window.call
    assert call.next_button.accessibleName() == "Next lead"
    assert call.next_button.accessibleDescription() == "Key N"
    assert window.queue.band.accessibleName() == "Band"  # not its current "All bands"
    # On a call: the call buttons and every question of the questionnaire.
    qtbot.keyClick(window.focusWidget() or window, "n")
    qtbot.keyClick(window.focusWidget() or window, "1")
    qtbot.waitUntil(lambda: window.left.currentWidget() is window.questionnaire)
    assert unnamed(window) == []
    field = next(iter(window.questionnaire.fields.values()))
    first = field.first_input()
    asked = first.accessibleName() or first.accessibleDescription()
    assert field.question.text in asked


def test_every_dialog_names_its_fields(
    qtbot: QtBot, workspace: Workspace, clock: FixedClock, tmp_path: Path
) -> None:
    window = workspace.window
    new_lead = window.show_new_lead()
    assert new_lead is not None
    qtbot.waitExposed(new_lead)
    assert unnamed(new_lead) == []
    assert new_lead.source.accessibleName() == "Source"
    new_lead.reject()

    definition = load_definition(default_definition_path())
    override = shown(
        qtbot,
        OverrideDialog(
            OverrideRequest("Anna", definition, evaluate(definition, {}, {}).suggestion)
        ),
    )
    assert unnamed(override) == []
    picker = shown(
        qtbot,
        CallbackPicker(
            CallbackRequest("Anna", ("Europe/Paris",), Policy(), "Europe/London", clock())
        ),
    )
    assert unnamed(picker) == []
    imports = window.open_import()
    assert imports is not None
    qtbot.waitExposed(imports)
    assert unnamed(imports) == []
    imports.reject()
    export = EndOfDayExport(workspace.desk, Operations(inline=True), Settings(tmp_path / "s"))
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.state is not State.LOADING)
    export.show()
    assert unnamed(export) == []
    assert unnamed(window.show_shortcuts()) == []


def test_the_sales_page_and_its_answers_are_named(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    workspace = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    home = workspace.window.sales_home
    assert home is not None
    assert unnamed(workspace.window) == []
    assert home.accept_button.accessibleName() == "Accept the chosen lead"
    home.table.selectRow(0)
    for accept in (True, False):
        dialog = home.answer(accept=accept)
        assert dialog is not None
        qtbot.waitExposed(dialog)
        assert unnamed(dialog) == []
        dialog.reject()


def test_every_tab_of_the_team_console_is_named(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    from ui.console.console import TeamConsole

    desk = open_desk(demo_store, "lead1", clock=clock)
    console = TeamConsole(desk, Operations(inline=True), settings=Settings(tmp_path / "s"))
    qtbot.addWidget(console)
    with qtbot.waitExposed(console):
        console.show()
    qtbot.waitUntil(console.is_ready)
    for tab in range(console.tabs.count()):
        console.tabs.setCurrentIndex(tab)
        assert unnamed(console) == [], console.tabs.tabText(tab)
    console.close()
    desk.close()


def test_tab_walks_the_new_lead_dialog_top_to_bottom_and_round_again(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = NewLeadDialog(workspace.desk, Operations(inline=True))
    shown(qtbot, dialog)
    fields = [
        dialog.first_name,
        dialog.last_name,
        dialog.email,
        dialog.phone,
        dialog.company,
        dialog.title,
        dialog.country,
        dialog.inquiry,  # Tab leaves it: no focus trap in the free text
        dialog.source,
        dialog.work_now,
    ]
    order = fields + buttons_as_shown(dialog.buttons)
    assert tab_walk(qtbot, dialog, len(order) + 1) == [*order, dialog.first_name]


def test_alt_letters_jump_to_the_new_lead_fields(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = shown(qtbot, NewLeadDialog(workspace.desk, Operations(inline=True)))
    assert isinstance(dialog, NewLeadDialog)
    for letter, field in (("c", dialog.company), ("u", dialog.country), ("s", dialog.source)):
        qtbot.keyClick(QApplication.focusWidget(), letter, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field, letter


def test_return_adds_the_lead_and_esc_closes_the_new_lead_dialog(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = workspace.window
    dialog = window.show_new_lead()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.first_name, "Ada")
    qtbot.keyClicks(dialog.phone, "(212) 555-0142")
    with qtbot.waitSignal(dialog.added):
        qtbot.keyClick(dialog.phone, Qt.Key.Key_Return)
    again = window.show_new_lead()
    assert again is not None
    qtbot.waitExposed(again)
    qtbot.keyClick(again.first_name, Qt.Key.Key_Escape)
    assert not again.isVisible()


@pytest.mark.parametrize("accept", [True, False])
def test_tab_walks_the_sales_answer_as_it_reads(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, accept: bool
) -> None:
    desk = open_desk(demo_store, "sales1", clock=clock)
    lead = desk.handoff.pending(everything=True).leads[0]
    dialog = AnswerDialog(desk, Operations(inline=True), lead, accept=accept)
    shown(qtbot, dialog)
    fields: list[QWidget] = (
        [dialog.opportunity, dialog.owner, dialog.created, dialog.amount]
        if accept
        else [dialog.reason]
    )
    order = [*fields, dialog.comment, *buttons_as_shown(dialog.buttons)]
    assert tab_walk(qtbot, dialog, len(order) + 1) == [*order, order[0]]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    desk.close()


def test_tab_walks_the_callback_picker_and_override_and_esc_closes_them(
    qtbot: QtBot, clock: FixedClock
) -> None:
    picker = shown(
        qtbot,
        CallbackPicker(
            CallbackRequest("Anna", ("Europe/Paris",), Policy(), "Europe/London", clock())
        ),
    )
    assert isinstance(picker, CallbackPicker)
    order = [picker.when, *buttons_as_shown(picker.buttons)]
    assert tab_walk(qtbot, picker, len(order) + 1) == [*order, picker.when]
    qtbot.keyClick(picker.when, Qt.Key.Key_Escape)
    assert not picker.isVisible()

    definition = load_definition(default_definition_path())
    suggestion = evaluate(definition, {}, {}).suggestion
    override = shown(qtbot, OverrideDialog(OverrideRequest("Anna", definition, suggestion)))
    assert isinstance(override, OverrideDialog)
    override.reason.setPlainText("Met them at the fair")
    order = [override.verdict, override.lead_type, override.reason]
    order += buttons_as_shown(override.buttons)
    assert tab_walk(qtbot, override, len(order) + 1) == [*order, override.verdict]
    qtbot.keyClick(override.verdict, Qt.Key.Key_Escape)
    assert not override.isVisible()


def test_the_import_dialog_tabs_from_the_file_to_its_sheet_then_the_source(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = ImportWizard(workspace.desk, Operations(inline=True), workspace.window.settings)
    shown(qtbot, dialog)
    page = dialog.choose_page
    page.form.setRowVisible(page.sheet_box, True)  # as for a workbook of several sheets
    page.path_edit.setFocus()
    walked = tab_walk(qtbot, dialog, 4)
    assert walked == [page.path_edit, page.choose_button, page.sheet_box, page.source_box]


# Run in a process of its own: the display scale is fixed when the application starts.
SCALED = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from leaddesk.desk import open_desk
    from ui.workspace.new_lead_dialog import NewLeadDialog
    from ui.common.operations import Operations
    from ui.common.theme import apply_theme
    apply_theme(app, sys.argv[2])
    dialog = NewLeadDialog(open_desk(sys.argv[1], "anna"), Operations(inline=True))
    dialog.show()
    for _ in range(5):
        app.processEvents()
    def box(widget):
        g = widget.geometry()
        return [g.x(), g.y(), g.width(), g.height()]
    inquiry = dialog.inquiry
    add = dialog.buttons.buttons()[0]
    print(json.dumps({
        "ratio": dialog.devicePixelRatioF(),
        "screen": app.primaryScreen().availableGeometry().height(),
        "inquiry": box(inquiry),
        "source": box(dialog.source),
        "work_now": box(dialog.work_now),
        "buttons": box(dialog.buttons),
        "dialog": [dialog.width(), dialog.height()],
        "three_lines": 3 * inquiry.fontMetrics().lineSpacing(),
        "inquiry_text": inquiry.viewport().height(),
        "add": [add.width(), add.height(), add.sizeHint().width(), add.sizeHint().height()],
        "grab": [dialog.grab().width(), dialog.grab().height()],
    }))
    """
)


@pytest.mark.parametrize("look", ["light", "dark"])
def test_at_200_percent_on_a_full_hd_screen_the_new_lead_form_is_not_squashed(
    empty_store: Path, tmp_path: Path, look: str
) -> None:
    """A 1920×1080 screen at 200 % is 960×540 to Qt: a dialog opens at most two thirds of
    that high, below what its wrapped intro needs. Rows must not be drawn over each other,
    "Asked for" keeps three lines, the buttons their size."""
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps({"screens": [{"name": "fhd", "width": 1920, "height": 1080, "dpr": 1}]})
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
        QT_SCALE_FACTOR="2",
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    done = subprocess.run(
        [sys.executable, "-c", SCALED, str(empty_store), look],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2 and seen["screen"] == 540
    assert seen["grab"] == [2 * side for side in seen["dialog"]]  # drawn at 2x
    _x, y, _width, height = seen["inquiry"]
    assert y + height <= seen["source"][1]  # "Asked for" ends above "Source"
    assert seen["source"][1] + seen["source"][3] <= seen["work_now"][1]
    assert seen["work_now"][1] + seen["work_now"][3] <= seen["buttons"][1]
    assert seen["buttons"][1] + seen["buttons"][3] <= seen["dialog"][1]
    assert seen["inquiry_text"] >= seen["three_lines"]
    add_width, add_height, hint_width, hint_height = seen["add"]
    assert add_width >= hint_width and add_height >= hint_height  # "Add lead" not clipped


def test_the_window_fits_a_small_laptop_screen(qtbot: QtBot, workspace: Workspace) -> None:
    # 1366×768 at 125 % is 1093×614 to Qt, and full HD at 200 % is 960×540. The window may be
    # as small as that: the queue scrolls sideways, the call panel and the lead scroll down,
    # nothing is squashed over anything else.
    window = workspace.window
    for width, height in ((1093, 614), (960, 540)):
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width, h=height: (window.width(), window.height()) == (w, h))
        hint = window.minimumSizeHint()
        assert hint.width() <= width and hint.height() <= height
        call = window.call
        assert call.height() >= call.minimumSizeHint().height()  # whole, to scroll to
    # At 540 px the right-hand column is taller than the window: it scrolls.
    qtbot.waitUntil(lambda: window.right.verticalScrollBar().maximum() > 0)

"""Booking the meeting from the verdict panel while the prospect is on the line: the slot
picker (a week of free slots, keyboard first), the meeting shown on the verdict panel, and the
salesperson's "My meetings"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import FreeSlots, Slot, open_desk
from leaddesk.domain import Role
from tests.qualification.qualification_scenarios import add_lead, sales_worthy, set_up_team
from ui.common import dialogs
from ui.common.operations import Operations
from ui.sales.home import SalesHome
from ui.workspace.questionnaire_panel import QuestionnairePanel
from ui.workspace.slot_picker import SlotPicker


@pytest.fixture
def store(sqlite_store_path: Path, clock: FixedClock) -> Path:
    set_up_team(str(sqlite_store_path), clock)
    with open_desk(sqlite_store_path, "admin1", clock=clock) as desk:
        desk.people.add("ben", Role.SALES, display_name="Ben Ortiz", territories=("US",))
    return sqlite_store_path


def free_slots(store: Path, clock: FixedClock, lead_id: int) -> FreeSlots:
    with open_desk(store, "rep1", clock=clock) as desk:
        return desk.meetings.slots(lead_id, days=14, with_="ben")


def test_the_slot_picker_is_a_week_of_free_slots_driven_by_the_keyboard(
    qtbot: QtBot, store: Path, clock: FixedClock
) -> None:
    free = free_slots(store, clock, add_lead(str(store), clock))
    picker = SlotPicker(free)
    qtbot.addWidget(picker)
    picker.show()
    grid = picker.grid
    headers = [grid.horizontalHeaderItem(c).text()[:3] for c in range(grid.columnCount())]
    assert headers and not {"Sat", "Sun"} & set(headers), "only the days the salesperson works"
    first = picker.chosen()
    assert first == free.slots[0], "the soonest free slot is chosen on opening"
    assert f"{first.local(free.prospect_zone):%H:%M} their time" in picker.chosen_label.text()
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert picker.chosen() == free.slots[1]
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # the same time the next working day
    moved = picker.chosen()
    assert moved is not None and moved.starts_at.date() > free.slots[1].starts_at.date()
    week = picker.week_label.text()
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert picker.week_label.text() != week
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    assert picker.week_label.text() == week
    assert picker.grab().save("/tmp/meet-picker.png")
    with qtbot.waitSignal(picker.accepted):
        qtbot.keyClick(grid, Qt.Key.Key_Return)


def test_escape_closes_the_picker_without_booking(
    qtbot: QtBot, store: Path, clock: FixedClock
) -> None:
    picker = SlotPicker(free_slots(store, clock, add_lead(str(store), clock)))
    qtbot.addWidget(picker)
    picker.show()
    with qtbot.waitSignal(picker.rejected):
        qtbot.keyClick(picker.grid, Qt.Key.Key_Escape)


def test_the_rep_books_from_the_verdict_panel_and_the_salesperson_sees_it(
    qtbot: QtBot, store: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where the invitation goes
    lead_id = add_lead(str(store), clock)
    offered: list[FreeSlots] = []

    def pick_the_second(_parent: object, free: FreeSlots) -> Slot:
        offered.append(free)
        return free.slots[1]

    monkeypatch.setattr(dialogs, "ask_slot", pick_the_second)
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        panel = QuestionnairePanel(desk, Operations(inline=True))
        qtbot.addWidget(panel)
        panel.resize(1100, 760)
        with qtbot.waitExposed(panel):
            panel.show()
        panel.activateWindow()
        qtbot.waitUntil(panel.isActiveWindow)  # shortcuts only reach the active window
        panel.start(lead_id)
        picker = panel.salesperson
        assert picker.book_button.isEnabled() and picker.meeting.isHidden()
        qtbot.keyClick(
            panel.focusWidget() or panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier
        )
        assert [free.salesperson for free in offered] == ["ben"]
        booked = picker.booked
        assert booked is not None and booked.starts_at == offered[0].slots[1].starts_at
        assert not picker.meeting.isHidden()
        assert f"Meeting:</b> {booked.when} with Ben Ortiz" in picker.meeting.text()
        assert "mailto:" in picker.meeting.text()
        assert not picker.book_button.isEnabled()
        assert panel.grab().save("/tmp/meet-verdict.png")
    with open_desk(store, "ben", clock=clock) as desk:
        home = SalesHome(desk, Operations(inline=True))
        qtbot.addWidget(home)
        home.resize(1366, 720)
        home.show()
        home.refresh()
        table = home.my_meetings.table
        assert table.rowCount() == 1
        assert table.item(0, 2).text() == str(lead_id)
        assert table.item(0, 6).text() == "rep1"
        assert home.grab().save("/tmp/meet-sales.png")


def test_the_verdict_panel_says_where_a_moved_meeting_was(
    qtbot: QtBot, store: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where the invitations go
    lead_id = add_lead(str(store), clock)
    free = free_slots(store, clock, lead_id)
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        first = desk.meetings.book(lead_id, free.slots[0].starts_at, with_="ben").meeting
        moved = desk.meetings.move(lead_id, free.slots[3].starts_at).meeting
        panel = QuestionnairePanel(desk, Operations(inline=True))
        qtbot.addWidget(panel)
        panel.resize(1100, 760)
        with qtbot.waitExposed(panel):
            panel.show()
        panel.start(lead_id)
        picker = panel.salesperson
        assert not picker.meeting.isHidden()
        assert moved.was is not None and first.when.startswith(moved.was)
        assert (
            f"Meeting:</b> {moved.when} with Ben Ortiz (moved from {moved.was})"
            in picker.meeting.text()
        )
        assert panel.grab().save("/tmp/meet-moved-verdict.png")

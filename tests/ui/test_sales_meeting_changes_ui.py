"""The salesperson's page after a meeting moved or was cancelled: the new time and where it
was, a cancelled one marked cancelled (not silently gone), a hand-off routed to nobody said
so; and the slot picker showing only the days the salesperson works."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role, Verdict
from tests.qualification.qualification_scenarios import add_lead, sales_worthy, set_up_team
from ui.common.operations import Operations
from ui.sales.home import SalesHome
from ui.workspace.slot_picker import SlotPicker


@pytest.fixture
def store(
    sqlite_store_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where invitations go
    set_up_team(str(sqlite_store_path), clock)
    with open_desk(sqlite_store_path, "admin1", clock=clock) as desk:
        desk.people.add("ben", Role.SALES, display_name="Ben Ortiz", territories=("US",))
    return sqlite_store_path


def handed_off_with_meeting(store: Path, clock: FixedClock, **lead: object) -> int:
    lead_id = add_lead(str(store), clock, **lead)  # type: ignore[arg-type]
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, to="ben")
        free = desk.meetings.slots(lead_id, days=14, with_="ben").slots
        desk.meetings.book(lead_id, free[0].starts_at, with_="ben")
    return lead_id


def sales_page(qtbot: QtBot, desk_name: str, store: Path, clock: FixedClock) -> SalesHome:
    desk = open_desk(store, desk_name, clock=clock)
    home = SalesHome(desk, Operations(inline=True))
    qtbot.addWidget(home)
    home.resize(1366, 720)
    home.show()
    home.refresh()
    return home


def test_the_salespersons_page_shows_a_moved_meeting_and_a_cancelled_one(
    qtbot: QtBot, store: Path, clock: FixedClock
) -> None:
    moved_lead = handed_off_with_meeting(store, clock)
    gone_lead = handed_off_with_meeting(store, clock, email="grace@acme.example")
    clock.advance(minutes=20)
    with open_desk(store, "rep1", clock=clock) as desk:
        was = desk.meetings.of_lead(moved_lead)
        later = desk.meetings.slots(moved_lead, days=14, with_="ben").slots[6].starts_at
        moved = desk.meetings.move(moved_lead, later).meeting
        gone = desk.meetings.cancel(gone_lead).meeting
    assert was is not None
    home = sales_page(qtbot, "ben", store, clock)
    table = home.my_meetings.table
    rows = {
        table.item(row, 2).text(): [table.item(row, c).text() for c in range(table.columnCount())]
        for row in range(table.rowCount())
    }
    mine = was.local(was.salesperson_zone)
    assert rows[str(moved_lead)][7] == f"Moved from {mine:%a %d %b %H:%M}"
    assert rows[str(gone_lead)][0].endswith("(cancelled)")
    assert rows[str(gone_lead)][7] == "Cancelled"
    ids = [home.table.item(row, 0).text() for row in range(home.table.rowCount())]
    home.table.selectRow(ids.index(str(moved_lead)))
    text = home.record.toPlainText()
    assert f"Meeting booked on the call: {moved.when} (moved from {was.when[:16]})" in text
    bar = home.record.verticalScrollBar()
    bar.setValue(bar.maximum())  # the meeting is at the foot of the record
    assert home.grab().save("/tmp/meetsync-sales-moved.png")
    home.table.selectRow(ids.index(str(gone_lead)))
    assert f"Meeting cancelled: {gone.when} is off" in home.record.toPlainText()
    assert home.grab().save("/tmp/meetsync-sales-page.png")


def test_a_hand_off_routed_to_nobody_says_so_not_sales(
    qtbot: QtBot, store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    lead_id = add_lead(str(store), clock)
    with open_desk(store, "admin1", clock=clock) as desk:
        desk.people.deactivate("ben")
        desk.people.deactivate("sales1")
    with open_desk(store, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
        assert given.route is None  # no salesperson was active to route it to
        desk.handoff.export(tmp_path / "out")
    with open_desk(store, "admin1", clock=clock) as desk:
        desk.people.add("cara", Role.SALES, display_name="Cara Diaz")
    home = sales_page(qtbot, "cara", store, clock)
    [row] = range(home.table.rowCount())
    assert home.table.item(row, 0).text() == str(lead_id)
    assert home.table.item(row, 3).text() == "unassigned — pick one"
    assert home.grab().save("/tmp/meetsync-unrouted.png")


def test_the_slot_picker_shows_only_the_days_the_salesperson_works(
    qtbot: QtBot, store: Path, clock: FixedClock
) -> None:
    lead_id = add_lead(str(store), clock)
    with open_desk(store, "ben", clock=clock) as desk:
        desk.meetings.set_calendar("ben", weekdays="mon,wed,fri")
    with open_desk(store, "rep1", clock=clock) as desk:
        free = desk.meetings.slots(lead_id, days=14, with_="ben")
    picker = SlotPicker(free)
    qtbot.addWidget(picker)
    picker.resize(900, 560)
    picker.show()
    grid = picker.grid
    headers = [grid.horizontalHeaderItem(c).text()[:3] for c in range(grid.columnCount())]
    assert set(headers) <= {"Mon", "Wed", "Fri"} and headers, headers
    first = picker.chosen()
    assert first is not None
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # the next day they work, not an empty Thursday
    later = picker.chosen()
    assert later is not None and later.starts_at.date() > first.starts_at.date()
    assert later.local(free.prospect_zone).strftime("%a") in {"Mon", "Wed", "Fri"}
    assert picker.grab().save("/tmp/meetsync-picker.png")

"""The lead card's "From the file" tab: other numbers, the CRM record id, kept columns, a shared
number and an assumed country, as a rep sees them (rendered offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role
from leaddesk.store import open_store
from leaddesk.store.models import Lead, Person
from tests.factories import small_team
from tests.ui.conftest import open_workspace
from ui.workspace.from_the_file import TITLE
from ui.workspace.lead_panel import _counted

ROWS = (
    "Record ID,First Name,Last Name,Email,Phone,Mobile,Company,Colour,Budget note\n"
    "00Q5e000001AbCd,Mia,Wong,mia@wong.example,(212) 555-0199,(646) 555-0111,Wong Labs,teal,"
    "Q3 maybe\n"
    "00Q5e000001XyZa,Tom,Reed,,(212) 555-0199,,Wong Labs,,\n"
)


def test_the_lead_card_shows_what_came_from_the_file(
    qtbot: QtBot, clock: FixedClock, tmp_path: Path
) -> None:
    location = str(tmp_path / "store.sqlite3")
    with small_team(location, clock, [("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER)]):
        pass
    export = tmp_path / "crm-export.csv"
    export.write_text(ROWS, encoding="utf-8")
    with open_desk(location, "lead1", clock=clock) as desk:
        desk.intake.import_file(export)
    store = open_store(location)
    with store.reading() as session:
        tom = session.scalars(select(Lead.id).join(Person).where(Person.first_name == "Tom"))
        lead_id = tom.one()
    store.close()
    seat = open_workspace(qtbot, location, clock, tmp_path, user="lead1")
    try:
        card = seat.window.lead
        card.show_lead(lead_id)
        qtbot.waitUntil(lambda: card.lead_file is not None and card.lead_file.lead_id == lead_id)
        tab = card.tabs.indexOf(card.from_file)
        assert card.tabs.tabText(tab) == f"{TITLE} (4)"
        assert card.from_file.lines() == [
            "CRM record id: 00Q5e000001XyZa",
            "Shared number: +12125550199, also Mia Wong's",
            "Country assumed: US (the number had no country code)",
            "Imported from: crm-export.csv, row 3",
        ]
        assert "country assumed: US" in card.contact.text()
        card.tabs.setCurrentIndex(tab)
        # At the window's first size every tab of the card is shown whole; narrower, each
        # is shortened but none is hidden behind scroll arrows.
        bar = card.tabs.tabBar()
        for width, whole in ((1366, True), (1093, False)):
            seat.window.resize(width, 768)
            qtbot.waitUntil(lambda w=width: seat.window.width() == w)
            shown = [bar.tabRect(i) for i in range(bar.count())]
            assert shown[0].left() >= 0 and shown[-1].right() < bar.width(), (width, shown)
            if whole:
                assert [r.width() for r in shown] == [
                    bar.tabSizeHint(i).width() for i in range(bar.count())
                ]
        seat.window.resize(1280, 800)
        qtbot.wait(10)
        shot = os.environ.get("LEADDESK_CARD_SHOT", str(tmp_path / "trust-card.png"))
        assert seat.window.grab().save(shot)
    finally:
        seat.window.close()
        seat.desk.close()


def test_a_tab_with_nothing_in_it_shows_its_name_alone() -> None:
    # Five tabs share the lead card's column at the window's first size: a "(0)" would only
    # take room from the other tabs' names.
    assert _counted("Earlier", 0) == "Earlier"
    assert _counted("Company", 10) == "Company (10)"
    assert _counted(TITLE, 1_204) == f"{TITLE} (1,204)"

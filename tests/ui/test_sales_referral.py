"""Prospecting at the close: sales accepts a hand-off with the opportunity's amount, the page
asks "Anyone else there we should call?", and New lead opens with the company filled in; the
lead it adds is the salesperson's referral."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.domain import Source
from leaddesk.store.models import Lead, OpportunityRef, User
from tests.ui.conftest import open_sales
from ui.sales.answer import AnswerDialog
from ui.workspace.new_lead_dialog import NewLeadDialog


def test_after_an_accept_sales_adds_someone_else_at_the_company_as_their_referral(
    qtbot: QtBot, demo_store: Path, clock: FixedClock, tmp_path: Path, warnings_shown: list[str]
) -> None:
    seat = open_sales(qtbot, demo_store, clock, tmp_path, user="sales1")
    window, home = seat.window, seat.window.sales_home
    chosen = home.selected()
    assert chosen is not None and not home.offer.isVisible()
    dialog = home.answer(accept=True)
    assert isinstance(dialog, AnswerDialog)
    qtbot.keyClicks(dialog.opportunity, "006Q000042")
    qtbot.keyClicks(dialog.amount, "12,500.50")
    with qtbot.waitSignal(dialog.answered):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(home.offer.isVisible)
    assert "Anyone else" in home.offer.words.text()
    assert home.offer.company == (chosen.company or "")
    if os.environ.get("LEADDESK_SAVE_SCREENS"):
        window.grab().save("/tmp/market-sales-offer.png")
    home.offer.add_button.click()
    new_lead = window.findChild(NewLeadDialog)
    assert new_lead is not None and new_lead.isVisible()
    assert new_lead.company.text() == (chosen.company or "")
    assert new_lead.source.currentData() == Source.SALES_REFERRAL.value
    assert not new_lead.source.isEnabled() and not new_lead.work_now.isVisible()
    qtbot.keyClicks(new_lead.first_name, "Grace")
    qtbot.keyClicks(new_lead.email, "grace.colleague@example.org")
    if os.environ.get("LEADDESK_SAVE_SCREENS"):
        new_lead.grab().save("/tmp/market-sales-new-lead.png")
    with qtbot.waitSignal(new_lead.added) as added:
        new_lead.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    lead_id = added.args[0].lead_id  # type: ignore[index]
    with seat.desk.store.reading() as session:
        lead = session.get(Lead, lead_id)
        sales1 = session.scalars(select(User).where(User.name == "sales1")).one()
        amount = session.scalars(
            select(OpportunityRef.amount_cents).where(OpportunityRef.lead_id == chosen.lead_id)
        ).one()
    assert lead is not None and lead.source == Source.SALES_REFERRAL
    assert lead.referred_by_id == sales1.id
    assert amount == 1_250_050
    assert not home.offer.isVisible() and warnings_shown == []
    window.close()
    seat.desk.close()

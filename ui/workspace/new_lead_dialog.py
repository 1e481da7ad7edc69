"""File ▸ New lead…: someone called in, or a salesperson passed on a referral.

What the rep types goes through the import's rules in the core (a known person gets a new
lead, or the interest goes onto their open lead). A refusal is said inside the dialog, beside
the form, so nothing typed is lost; the field it names gets the focus.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from leaddesk.desk import BY_POLICY, Action, Desk, NewInterest
from leaddesk.domain import Role, Source
from ui.common.core_form import CoreForm
from ui.common.forms import labelled, lines_high
from ui.common.operations import Operations

# Where a lead typed in by hand usually comes from, most likely first.
SOURCES = (
    (Source.INBOUND_CALL, "Inbound call"),
    (Source.SALES_REFERRAL, "Referral from sales"),
    (Source.WEB_FORM, "Web inquiry"),
    (Source.TRADE_SHOW, "Trade show"),
    (Source.WEBINAR, "Webinar"),
    (Source.PURCHASED_LIST, "Purchased list"),
)
MYSELF = ""  # "Give it to": the one entering it
INTRO = (
    "Someone called in, or sales passed on a referral. A person LeadDesk knows "
    "(same email, phone, or name at their company) keeps one record."
)
# A salesperson's own lead: theirs to pass on, a rep's to call.
REFERRAL_INTRO = (
    "Someone you met who should hear from us: the lead is credited to you as your referral, "
    "and the team's assignment gives it to a rep to call."
)


class NewLeadDialog(CoreForm):
    added = Signal(object)  # AddedLead; ``work_now`` says whether to take it at once

    def __init__(
        self, desk: Desk, ops: Operations, parent: QWidget | None = None, *, company: str = ""
    ) -> None:
        """``company``: filled in already (sales' "anyone else there we should call?")."""
        referral = not desk.can(Action.IMPORT_LEADS) and desk.can(Action.ADD_REFERRAL)
        super().__init__(ops, "New lead", REFERRAL_INTRO if referral else INTRO, "Add lead", parent)
        self._desk = desk
        self.setMinimumWidth(480)
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("any format; +country code if abroad")
        self.company = QLineEdit(company)
        self.title = QLineEdit()
        self.country = QLineEdit()
        self.country.setPlaceholderText("e.g. US, Germany")
        self.inquiry = QPlainTextEdit()
        self.inquiry.setPlaceholderText("What they asked for, in their words")
        self.inquiry.setTabChangesFocus(True)
        self.inquiry.setFixedHeight(lines_high(self.inquiry, 3))
        self.source = QComboBox()
        for source, label in SOURCES:
            self.source.addItem(label, source.value)
        if referral:  # the core says so too: a salesperson's lead is their referral
            self.source.setCurrentIndex(self.source.findData(Source.SALES_REFERRAL.value))
            self.source.setEnabled(False)
        self.owner = QComboBox()
        self.work_now = QCheckBox("&Work it now: they are on the line")
        self.work_now.setChecked(desk.can(Action.WORK_QUEUE))
        self.work_now.setVisible(desk.can(Action.WORK_QUEUE))
        form = self.form
        labelled(form, "&First name:", self.first_name)
        labelled(form, "&Last name:", self.last_name)
        labelled(form, "&Email:", self.email)
        labelled(form, "&Phone:", self.phone)
        labelled(form, "&Company:", self.company)
        labelled(form, "&Job title:", self.title)
        labelled(form, "Co&untry:", self.country)
        labelled(form, "&Asked for:", self.inquiry, "What they asked for, in their words")
        labelled(form, "&Source:", self.source, "Where the lead came from")
        if desk.can(Action.REASSIGN):
            self._fill_owners()
            labelled(form, "&Give it to:", self.owner, "Who gets the lead")
        self.buttons.accepted.connect(self.add)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.work_now.toggled.connect(self._work_now_changed)
        self.fields = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "company": self.company,
            "title": self.title,
            "country": self.country,
            "inquiry": self.inquiry,
            "source": self.source,
        }
        self.lay_out(self.work_now)
        self.first_name.setFocus()

    def _fill_owners(self) -> None:
        if self._desk.can(Action.WORK_QUEUE):
            self.owner.addItem("Me", MYSELF)
        self.owner.addItem("Whoever the lead definition's assignment picks", BY_POLICY)
        self.owner.addItem("The open pool", "pool")
        for user in self._desk.people.users():
            takes_leads = user.active and user.role in (Role.QUALIFIER, Role.TEAM_LEAD)
            if takes_leads and user.name != self._desk.actor.name:
                self.owner.addItem(user.display_name or user.name, user.name)

    def _source_changed(self) -> None:
        # An inbound caller is on the line; a referral is called later.
        on_the_line = self.source.currentData() == Source.INBOUND_CALL.value
        self.work_now.setChecked(on_the_line and self._desk.can(Action.WORK_QUEUE))

    def _work_now_changed(self, checked: bool) -> None:
        if checked and self.owner.count() and self.owner.currentData() != MYSELF:
            self.owner.setCurrentIndex(0)  # working it means keeping it

    def entry(self) -> NewInterest:
        return NewInterest(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            company=self.company.text(),
            title=self.title.text(),
            country=self.country.text(),
            inquiry=self.inquiry.toPlainText(),
            source=str(self.source.currentData()),
        )

    def add(self) -> None:
        entry, desk = self.entry(), self._desk
        chosen = self.owner.currentData() if self.owner.count() else MYSELF
        for_user = None if chosen == MYSELF else str(chosen)
        if chosen == MYSELF and desk.can(Action.REASSIGN) and not desk.can(Action.WORK_QUEUE):
            for_user = BY_POLICY
        self.send(
            lambda: desk.intake.add_lead(entry, for_user=for_user),
            self.added.emit,
            {"queue", "status", "team"},
        )

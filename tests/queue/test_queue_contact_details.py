"""Correcting a person's contact details on the phone: cleaned as intake cleans, calling hours
following a new number, the do-not-call list checked, one person never made two, only by
whoever works the lead (or a team lead), and the change on the lead's timeline."""

from __future__ import annotations

import pytest
from queue_helpers import Team, add_lead
from sqlalchemy import select

from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.leads.contact_corrections import ContactDetails
from leaddesk.privacy.do_not_call import HOLD
from leaddesk.store.models import AuditEvent, Lead, Person
from tests.one_store import sqlite_only

LOS_ANGELES = "America/Los_Angeles"


def _person(team: Team, lead_id: int) -> Person:
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        person = s.get(Person, lead.person_id)
        assert person is not None
        return person


def test_a_correction_is_cleaned_saved_and_on_the_timeline(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead = add_lead(s, now=now, owner=team.ids["rep1"])
        lead.person.timezone = None  # known from the number alone
        lead_id = lead.id
    before = _person(team, lead_id)
    with team.desk("rep1") as desk:
        changed = desk.calls.change_contact(
            lead_id,
            ContactDetails(
                first_name="  Katharina ",
                email="K.Meyer@Example.COM",
                phone="(415) 555-2671",  # their mobile, in California
                title="Head of Operations",
            ),
        )
        assert changed.changed == ("first_name", "title", "email", "phone")
        assert changed.message == (
            "Saved: first name, job title, email, phone. Their calling hours follow the new "
            "number: Los Angeles time."
        )
        person = _person(team, lead_id)
        assert person.first_name == "Katharina" and person.last_name == before.last_name
        assert person.email == "K.Meyer@example.com"  # the domain lower-cased, as intake does
        assert person.phone == "+14155552671" and person.phone_raw == "(415) 555-2671"
        assert person.zone_key == LOS_ANGELES
        (entry,) = [e for e in desk.queue.lead_file(lead_id).timeline if e.kind == "contact"]
    assert entry.who == "rep1"
    assert f"phone {before.phone} → +14155552671" in entry.text
    assert entry.text.startswith("Contact details corrected: first name Ada → Katharina")


def test_nothing_typed_differently_changes_nothing(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    person = _person(team, lead_id)
    with team.desk("rep1") as desk:
        same = desk.calls.change_contact(lead_id, ContactDetails(first_name=person.first_name))
    assert same.changed == () and same.message == "Nothing changed."
    with team.store.reading() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "contact_changed"))
        assert list(events) == []


# Checked in the core before any write (SQLite would take the long title, too).
@sqlite_only
@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        (ContactDetails(email="ada@"), "email", "'ada@' is"),
        (ContactDetails(phone="12"), "phone", "'12'"),
        (ContactDetails(first_name="", last_name=""), "first_name", "give the person's name"),
        (ContactDetails(email="", phone=""), "phone", "give a phone number or an email"),
        (ContactDetails(title="x" * 300), "title", "the job title takes at most 256 characters"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    team: Team, details: ContactDetails, field: str, words: str
) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    before = _person(team, lead_id)
    with team.desk("rep1") as desk, pytest.raises(InputError, match=words) as refused:
        desk.calls.change_contact(lead_id, details)
    assert refused.value.field == field
    after = _person(team, lead_id)
    assert (after.first_name, after.email, after.phone, after.title) == (
        before.first_name,
        before.email,
        before.phone,
        before.title,
    )


def test_a_number_already_on_file_for_someone_else_is_refused_naming_them(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
        other = add_lead(s, now=team.clock(), owner=team.ids["rep2"], first_name="Grace")
        other_id = other.id
        other_phone = other.person.phone
    with team.desk("rep1") as desk, pytest.raises(InputError) as refused:
        desk.calls.change_contact(lead_id, ContactDetails(phone=str(other_phone)))
    assert "is already on file for Grace Caller" in str(refused.value)
    assert f"(lead #{other_id})" in str(refused.value)


def test_a_new_address_on_the_do_not_call_list_takes_the_person_out_of_every_queue(
    team: Team,
) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("lead1") as lead:
        lead.privacy.add_do_not_call("private@home.example", reason="asked on a call")
    with team.desk("rep1") as desk:
        changed = desk.calls.change_contact(lead_id, ContactDetails(email="private@home.example"))
        assert changed.do_not_call
        assert "on the do-not-call list" in changed.message
        assert desk.queue.page() == []
    person = _person(team, lead_id)
    assert person.do_not_call
    with team.store.reading() as s:
        stored = s.get(Lead, lead_id)
        assert stored is not None and stored.hold_reason == HOLD


def test_only_whoever_works_the_lead_or_a_team_lead_may_correct_it(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=now, owner=team.ids["rep2"]).id
        claimed_id = add_lead(
            s, now=now, owner=team.ids["rep1"], claimed_by=team.ids["rep2"],
            claim_expires_at=now.replace(hour=23),
        ).id  # fmt: skip
    with team.desk("rep1") as desk:
        with pytest.raises(NotPermitted, match="belongs to rep2"):
            desk.calls.change_contact(lead_id, ContactDetails(title="CTO"))
        with pytest.raises(Conflict, match="being called by"):
            desk.calls.change_contact(claimed_id, ContactDetails(title="CTO"))
    with team.desk("sales1") as sales, pytest.raises(NotPermitted):
        sales.calls.change_contact(lead_id, ContactDetails(title="CTO"))
    with team.desk("lead1") as lead:
        assert lead.calls.change_contact(lead_id, ContactDetails(title="CTO")).changed == ("title",)


def test_erasing_the_person_blanks_the_corrected_values_in_the_trail(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        desk.calls.change_contact(lead_id, ContactDetails(phone="+1 415 555 2671"))
    with team.desk("lead1") as lead:
        lead.privacy.erase_person(lead_id, reason="asked to be forgotten")
    with team.store.reading() as s:
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "contact_changed"))
        assert event.details is not None and event.details["changed"] == {"phone": ["", ""]}
        assert "2671" not in str(event.details)

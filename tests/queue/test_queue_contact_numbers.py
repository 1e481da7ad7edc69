"""A person's several numbers: phone, mobile and direct line kept on the lead and shown in its
file, each typed number read as a national number of the person's own country (a German mobile
"0170 1234567" is German, not a US number "too long")."""

from __future__ import annotations

import pytest
from queue_helpers import Team, add_lead

from leaddesk.errors import InputError
from leaddesk.leads.contact_corrections import ContactDetails
from leaddesk.store.models import Lead, Person


def _german_lead(team: Team) -> int:
    with team.store.transaction() as s:
        lead = add_lead(s, now=team.clock(), owner=team.ids["rep1"], zone="Europe/Berlin")
        lead.person.country = "DE"
        return lead.id


def test_a_german_mobile_typed_nationally_is_read_in_the_persons_country(team: Team) -> None:
    lead_id = _german_lead(team)
    with team.desk("rep1") as desk:
        changed = desk.calls.change_contact(lead_id, ContactDetails(mobile="0170 1234567"))
        assert changed.changed == ("mobile",)
        assert changed.mobile == "+491701234567"
        assert changed.message == "Saved: mobile."
        shown = desk.queue.lead_file(lead_id)
    assert shown.mobile == "+491701234567"
    assert shown.numbers == (("phone", shown.phone), ("mobile", "+491701234567"))


def test_a_persons_own_country_wins_over_the_teams_default_region(team: Team) -> None:
    lead_id = _german_lead(team)
    with team.desk("rep1") as desk:
        changed = desk.calls.change_contact(lead_id, ContactDetails(phone="030 12345678"))
    assert changed.phone == "+493012345678"
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        person = s.get(Person, lead.person_id)
        assert person is not None and person.phone_raw == "030 12345678"


def test_phone_mobile_and_direct_line_are_kept_apart_and_can_be_cleared(team: Team) -> None:
    with team.store.transaction() as s:
        lead_id = add_lead(s, now=team.clock(), owner=team.ids["rep1"]).id
    with team.desk("rep1") as desk:
        changed = desk.calls.change_contact(
            lead_id, ContactDetails(mobile="(415) 555-2671", direct_line="212-555-0188")
        )
        assert changed.changed == ("mobile", "direct_line")
        assert changed.message == "Saved: mobile, direct line."
        shown = desk.queue.lead_file(lead_id)
        assert shown.numbers[1:] == (("mobile", "+14155552671"), ("direct line", "+12125550188"))
        assert shown.phone and shown.numbers[0] == ("phone", shown.phone)
        desk.calls.change_contact(lead_id, ContactDetails(mobile=""))
        after = desk.queue.lead_file(lead_id)
    assert after.mobile is None and after.direct_line == "+12125550188"
    with team.store.reading() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.extra is not None
        assert "mobile" not in lead.extra and lead.extra["direct_line"] == "+12125550188"


def test_a_number_that_cannot_be_read_names_the_field_and_the_country_read_in(
    team: Team,
) -> None:
    lead_id = _german_lead(team)
    with team.desk("rep1") as desk, pytest.raises(InputError) as refused:
        desk.calls.change_contact(lead_id, ContactDetails(direct_line="0170 12"))
    assert refused.value.field == "direct_line"
    assert str(refused.value) == (
        "'0170 12': not a valid number for DE; type it with +country code if it is from abroad"
    )

"""Calling hours know the calendar: nobody is phoned on their weekend or on a public holiday
of their country or region (the ``holidays`` library), and a country can have its own days."""

from __future__ import annotations

from datetime import UTC, datetime

from leaddesk.definition.policy import read_policy
from leaddesk.queue.zones import callable_now
from leaddesk.store.models import Lead, Person
from tests.factories import Team

SUNDAY_EVENING = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # 18:00 in Berlin, noon in New York
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def _person(team: Team, owner: str, zone: str, country: str, region: str | None = None) -> int:
    lead_id = team.lead(owner, country=country)
    with team.store.transaction() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        person = session.get(Person, lead.person_id)
        assert person is not None
        person.zone_key, person.region = zone, region
    return lead_id


def _queue(team: Team, rep: str) -> list[int]:
    with team.desk(rep) as desk:
        return [row.lead_id for row in desk.queue.page(limit=100)]


def test_nobody_in_berlin_is_callable_on_a_sunday_evening(team: Team) -> None:
    berlin = [_person(team, "rep1", "Europe/Berlin", "DE") for _ in range(3)]
    team.clock.now = SUNDAY_EVENING
    assert _queue(team, "rep1") == []
    with team.desk("rep1") as desk:
        assert desk.calls.why_not_dial(berlin[0]) == (
            "It is 18:00 for them (Berlin): Sunday is not a calling day there. "
            "Book a callback (B) or put the lead back (Esc)."
        )
    team.clock.now = MONDAY_MORNING
    assert sorted(_queue(team, "rep1")) == berlin


def test_a_national_holiday_closes_that_country_only(team: Team) -> None:
    berlin = _person(team, "rep1", "Europe/Berlin", "DE")
    tokyo = _person(team, "rep1", "Asia/Tokyo", "JP")
    team.clock.now = datetime(2026, 12, 25, 9, 0, tzinfo=UTC)  # Friday: 10:00 / 18:00
    assert _queue(team, "rep1") == [tokyo]
    with team.desk("rep1") as desk:
        why = desk.calls.why_not_dial(berlin)
    assert why is not None and "is a public holiday there" in why


def test_a_regional_holiday_closes_that_region_only(team: Team) -> None:
    # Wednesday 18 November 2026 is Repentance Day in Saxony, a working day in Berlin.
    saxony = _person(team, "rep1", "Europe/Berlin", "DE", "Sachsen")
    saxony_code = _person(team, "rep1", "Europe/Berlin", "DE", "sn")
    berlin = _person(team, "rep1", "Europe/Berlin", "DE", "Berlin")
    team.clock.now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    shown = _queue(team, "rep1")
    assert berlin in shown and saxony not in shown and saxony_code not in shown


def test_a_country_can_have_its_own_calling_days_and_hours() -> None:
    problems: list[str] = []
    policy = read_policy(
        {
            "calling_hours": {
                "countries": {
                    "ae": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00"},
                    "IL": {"weekdays": ["sun", "mon", "tue", "wed", "thu"]},
                }
            }
        },
        "policy",
        lambda where, message: problems.append(f"{where}: {message}"),
    )
    assert problems == []
    sunday_morning = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)  # 08:30 in Jerusalem
    assert callable_now("Asia/Jerusalem", sunday_morning, policy, "IL")
    assert not callable_now("Asia/Jerusalem", sunday_morning, policy, None)
    monday = datetime(2026, 11, 23, 4, 30, tzinfo=UTC)  # 08:30 in Dubai: before its 09:00
    assert not callable_now("Asia/Dubai", monday, policy, "AE")
    assert callable_now("Asia/Dubai", monday.replace(hour=5), policy, "AE")


def test_an_unknown_weekday_in_the_policy_is_refused_naming_it() -> None:
    problems: list[str] = []
    read_policy(
        {"calling_hours": {"countries": {"DE": {"weekdays": ["sunday"]}}}},
        "policy",
        lambda where, message: problems.append(f"{where}: {message}"),
    )
    assert problems == [
        "policy.calling_hours.countries.DE.weekdays: unknown day 'sunday'; "
        "use mon, tue, wed, thu, fri, sat, sun"
    ]

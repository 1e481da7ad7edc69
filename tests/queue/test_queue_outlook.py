"""An empty queue says why: no leads at all, or when the next one comes due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from queue_helpers import Team, add_lead
from test_queue_cli import AT

from leaddesk.domain import Stage
from leaddesk.files.resources import resource_path
from tests.cli_in_process import RunCli

LONDON = ZoneInfo("Europe/London")
BANT = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")


def test_an_empty_store_says_there_are_no_leads_yet(team: Team) -> None:
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        outlook = desk.queue.outlook()
    assert outlook.open_leads == 0
    assert outlook.words(team.clock(), LONDON) == "No leads to call yet."


def test_nothing_due_now_names_the_next_callback_or_try(team: Team) -> None:
    now = team.clock()
    rep1 = team.ids["rep1"]
    with team.store.transaction() as session:
        add_lead(
            session,
            now=now,
            owner=rep1,
            stage=Stage.WORKING,
            attempts=1,
            next_attempt_at=now + timedelta(hours=3),
        )
        add_lead(
            session,
            now=now,
            owner=rep1,
            stage=Stage.IN_QUALIFICATION,
            callback_at=now + timedelta(hours=2, minutes=30),
        )
        add_lead(session, now=now, owner=team.ids["rep2"], callback_at=now + timedelta(hours=1))
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        outlook = desk.queue.outlook()
    assert outlook.open_leads == 2  # rep2's lead is not rep1's to call
    # 15:00 UTC + 2 h 30 is 17:30 in London (November: no summer time).
    assert outlook.words(now, LONDON) == "Nothing due now — next callback at 17:30."


def test_leads_waiting_only_for_calling_hours_are_counted(team: Team) -> None:
    now = team.clock()
    with team.store.transaction() as session:
        add_lead(session, now=now, owner=team.ids["rep1"], zone="Asia/Tokyo")  # 00:00 there
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        words = desk.queue.outlook().words(now, UTC)
    # 08:00 in Tokyo is 18:00 in New York, the team's zone.
    assert words == (
        "Nothing due now: your open lead waits for their calling hours; "
        "it can be called at 18:00 (America/New_York)."
    )


def test_the_cli_queue_on_an_empty_store_says_how_to_import(
    sqlite_team: Team, run_cli: RunCli
) -> None:
    result = run_cli("queue", "--as", "rep1", "--at", AT, db=Path(sqlite_team.location))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "No leads to call yet. Import a list: leaddesk import FILE --as rep1"
    )


def _berlin_team(team: Team) -> None:
    """The team calls from Berlin and keeps Germany's public holidays."""
    text = BANT.replace('timezone = "America/New_York"', 'timezone = "Europe/Berlin"')
    text = text.replace('country = "US"\nsubdivision = "NY"', 'country = "DE"')
    with team.desk("lead1") as desk:
        desk.qualifying.publish_definition(text, "berlin.toml")


def _words_at(team: Team, at: datetime) -> str:
    team.clock.now = at
    with team.store.transaction() as session:
        lead = add_lead(session, now=at, owner=team.ids["rep1"], zone="Europe/Berlin")
        lead.person.country = "DE"
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        return desk.queue.outlook().words(at, UTC)


def test_a_sunday_evening_in_berlin_says_when_calling_resumes(team: Team) -> None:
    _berlin_team(team)
    sunday_evening = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 20:00 in Berlin
    assert _words_at(team, sunday_evening) == (
        "Nobody is callable now: Sunday; calling resumes Monday 08:00 (Europe/Berlin)."
    )


def test_a_public_holiday_names_the_holiday_and_the_next_calling_day(team: Team) -> None:
    _berlin_team(team)
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=UTC)  # a Friday; then the 26th, a weekend
    assert _words_at(team, christmas) == (
        "Nobody is callable now: Christmas Day; calling resumes Monday 08:00 (Europe/Berlin)."
    )


def test_a_weekday_outside_calling_hours_still_says_the_leads_wait(team: Team) -> None:
    _berlin_team(team)
    monday_night = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert _words_at(team, monday_night) == (
        "Nothing due now: your open lead waits for their calling hours; "
        "it can be called Tuesday 08:00 (Europe/Berlin)."
    )


def test_the_cli_queue_on_a_sunday_says_why_nobody_is_callable(
    sqlite_team: Team, run_cli: RunCli
) -> None:
    _berlin_team(sqlite_team)
    with sqlite_team.store.transaction() as session:
        add_lead(session, now=sqlite_team.clock(), owner=sqlite_team.ids["rep1"])
    sunday = "2026-11-22T19:00:00+00:00"
    result = run_cli("queue", "--as", "rep1", "--at", sunday, db=Path(sqlite_team.location))
    assert result.returncode == 0, result.stderr
    # The rep's lead is in New York: callable from 08:00 there, 14:00 in Berlin.
    assert result.stdout.strip() == (
        "Nobody is callable now: Sunday; calling resumes Monday 14:00 (Europe/Berlin)."
    )


# -- the note is about the rep's own leads, wherever they are -----------------------------------


def _lead_in(team: Team, at: datetime, zone: str, country: str, **facts: datetime) -> None:
    with team.store.transaction() as session:
        lead = add_lead(session, now=at, owner=team.ids["rep1"], zone=zone, **facts)
        lead.person.country = country


def _outlook_words(team: Team, at: datetime) -> str:
    team.clock.now = at
    with team.desk("rep1") as desk:
        assert desk.queue.page() == []
        return desk.queue.outlook().words(at, ZoneInfo("Europe/Berlin"))


def test_a_holiday_of_the_teams_country_says_when_the_reps_leads_abroad_can_be_called(
    team: Team,
) -> None:
    _berlin_team(team)
    ascension = datetime(2026, 5, 14, 8, 0, tzinfo=UTC)  # 10:00 in Berlin, 04:00 in New York
    _lead_in(team, ascension, "America/New_York", "US")
    # Not "calling resumes Friday": New York works on Ascension Day, from 08:00 there.
    assert _outlook_words(team, ascension) == (
        "Nothing due now: your open lead waits for their calling hours; "
        "it can be called at 14:00 (Europe/Berlin)."
    )


def test_a_callback_abroad_due_on_the_teams_holiday_is_named_not_the_holiday(team: Team) -> None:
    _berlin_team(team)
    ascension = datetime(2026, 5, 14, 13, 0, tzinfo=UTC)  # 09:00 in New York: calling hours
    _lead_in(team, ascension, "America/New_York", "US", callback_at=ascension + timedelta(hours=2))
    assert _outlook_words(team, ascension) == "Nothing due now — next callback at 17:00."


def test_a_holiday_where_the_reps_leads_are_says_when_they_can_be_called(team: Team) -> None:
    _berlin_team(team)
    thanksgiving = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # a working Thursday in Berlin
    _lead_in(team, thanksgiving, "America/New_York", "US")
    _lead_in(team, thanksgiving, "America/Chicago", "US")
    # Friday 08:00 in New York, the earlier of the two, is 14:00 in Berlin.
    assert _outlook_words(team, thanksgiving) == (
        "Nothing due now: your 2 open leads wait for their calling hours; "
        "the first can be called Friday 14:00 (Europe/Berlin)."
    )


def test_the_first_callable_lead_is_the_earliest_of_the_reps_zones(team: Team) -> None:
    _berlin_team(team)
    monday_night = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    _lead_in(team, monday_night, "Europe/Berlin", "DE")
    _lead_in(team, monday_night, "Asia/Tokyo", "JP")  # 07:30 on Tuesday there
    assert _outlook_words(team, monday_night) == (
        "Nothing due now: your 2 open leads wait for their calling hours; "
        "the first can be called Tuesday 00:00 (Europe/Berlin)."
    )

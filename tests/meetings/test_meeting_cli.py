"""`leaddesk meeting …` and `leaddesk users calendar`: what scripts get, and the exit codes
(2 bad input, 3 not permitted, 4 someone took the slot)."""

from __future__ import annotations

import json
from pathlib import Path

from icalendar import Calendar
from meeting_helpers import calendar, prospect
from sqlalchemy import select

from leaddesk.store.models import SalesCalendar
from tests.cli_in_process import RunCli
from tests.factories import Team


def first_free(run_cli: RunCli, team: Team, lead: int, rep: str) -> str:
    code, out, err = run_cli(
        "meeting", "slots", str(lead), "--as", rep, "--days", "10", "--json", db=team.location
    )
    assert code == 0, err
    slots = json.loads(out)
    assert slots["salesperson"] == "sales1" and slots["prospect_zone"] == "Europe/London"
    first: str = slots["slots"][0]["start"]
    return first


def test_book_move_and_cancel_from_a_script(run_cli: RunCli, team: Team, tmp_path: Path) -> None:
    lead = prospect(team)
    start = first_free(run_cli, team, lead, "rep1")
    invite = tmp_path / "invite.ics"
    code, out, err = run_cli(
        "meeting", "book", str(lead), "--at", start, "--as", "rep1",
        "--decision-maker", "Jane Roe, CFO", "--ics-out", str(invite), db=team.location,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Booked: lead {lead} (Pat ") and f"Invitation: {invite}" in out
    assert "Send it: mailto:" in out
    uid = Calendar.from_ical(invite.read_bytes()).walk("VEVENT")[0]["UID"]

    code, out, err = run_cli(
        "meeting", "slots", str(lead), "--as", "rep1", "--days", "10", "--json", db=team.location
    )
    later = json.loads(out)["slots"][1]["start"]
    code, out, err = run_cli(
        "meeting", "move", str(lead), "--at", later, "--as", "sales1", "--json",
        "--ics-out", str(invite), db=team.location,
    )  # fmt: skip
    assert code == 0, err
    moved = json.loads(out)
    assert (moved["uid"], moved["sequence"], moved["start"]) == (uid, 1, later)

    code, out, err = run_cli(
        "meeting", "cancel", str(lead), "--as", "rep1", "--ics-out", str(invite), db=team.location
    )
    assert code == 0, err
    assert Calendar.from_ical(invite.read_bytes())["METHOD"] == "CANCEL"
    code, _out, err = run_cli("meeting", "cancel", str(lead), "--as", "rep1", db=team.location)
    assert code == 2 and f"LEAD: Lead {lead} has no meeting booked" in err


def test_a_slot_taken_exits_4_and_not_permitted_exits_3(
    run_cli: RunCli, team: Team, tmp_path: Path
) -> None:
    mine, theirs = prospect(team), prospect(team, "rep2")
    start = first_free(run_cli, team, mine, "rep1")
    code, _out, err = run_cli(
        "meeting", "book", str(theirs), "--at", start, "--as", "rep2",
        "--ics-out", str(tmp_path / "a.ics"), db=team.location,
    )  # fmt: skip
    assert code == 0, err
    code, _out, err = run_cli(
        "meeting", "book", str(mine), "--at", start, "--as", "rep1",
        "--ics-out", str(tmp_path / "b.ics"), db=team.location,
    )  # fmt: skip
    assert code == 4 and "was just taken by Rep2" in err
    assert not (tmp_path / "b.ics").exists()
    code, _out, err = run_cli("meeting", "slots", str(mine), "--as", "admin", db=team.location)
    assert code == 3 and "cannot book, move or cancel meetings" in err
    code, _out, err = run_cli(
        "meeting", "book", str(mine), "--at", "thursday", "--as", "rep1", db=team.location
    )
    assert code == 2 and err.startswith("leaddesk: --at: 'thursday' is not a date and time")


def test_a_bad_calendar_exits_2_naming_the_file_and_changes_nothing(
    run_cli: RunCli, team: Team, tmp_path: Path
) -> None:
    good = calendar(tmp_path / "sam.ics", "DTSTART:20261208T130000Z\nDTEND:20261208T140000Z")
    code, out, err = run_cli(
        "users", "calendar", "sales1", "--as", "sales1", "--ics", str(good),
        "--hours", "08:00-16:00", db=team.location,
    )  # fmt: skip
    assert code == 0, err
    assert out == f"sales1: working Mon,Tue,Wed,Thu,Fri 08:00–16:00; calendar {good} (1 event).\n"
    floating = calendar(tmp_path / "floating.ics", "DTSTART:20261208T130000\nSUMMARY:Demo")
    for bad, said in (
        (floating, "floating.ics: 'Demo' at 2026-12-08 13:00 has no time zone"),
        (tmp_path / "missing.ics", "No calendar file at"),
    ):
        code, _out, err = run_cli(
            "users", "calendar", "sales1", "--as", "lead1", "--ics", str(bad),
            "--hours", "10:00-11:00", db=team.location,
        )  # fmt: skip
        assert code == 2 and err.startswith("leaddesk: --ics: ") and said in err, err
    with team.store.reading() as session:
        row = session.scalar(select(SalesCalendar))
        assert row is not None
        assert (row.source, row.day_start) == (str(good), "08:00")
    code, _out, err = run_cli(
        "users", "calendar", "sales1", "--as", "rep1", "--hours", "8-9", db=team.location
    )
    assert code == 3 and "cannot set a salesperson's working hours" in err


def test_no_slot_because_the_prospects_hours_never_meet_says_so(
    run_cli: RunCli, team: Team
) -> None:
    # 09:00–17:00 in Berlin is 21:00–06:00 in Honolulu, summer or winter: never inside
    # their calling hours, however far ahead one looks.
    far = prospect(team, zone="Pacific/Honolulu", country="US")
    code, out, err = run_cli(
        "meeting", "slots", str(far), "--as", "rep1", "--days", "14", db=team.location
    )
    assert code == 0, err
    assert "0 slots" in out
    last = out.splitlines()[-1]
    assert last.startswith("Sales1's free time never falls inside Pat Lead") and last.endswith(
        "'s calling hours (Pacific/Honolulu): looking further ahead will not help: "
        "pick another salesperson with --with."
    )


def test_no_slot_in_the_days_asked_about_suggests_looking_further(team: Team) -> None:
    near = prospect(team)
    with team.desk("sales1") as desk:
        desk.meetings.set_calendar("sales1", hours="10:00-12:00", weekdays="tue")
    with team.desk("rep1") as desk:
        today = desk.meetings.slots(near, days=1)  # Monday: not a day they work
        week = desk.meetings.slots(near, days=7)
        far = desk.meetings.slots(prospect(team, zone="Pacific/Honolulu", country="US"), days=7)
    assert not today.slots and today.outside_calling_hours == 0
    assert today.further_days() == 14
    assert today.none_because() == "Sales1 has no free time in these days"
    assert week.slots and not far.slots and far.outside_calling_hours == 4
    assert far.further_days() is None

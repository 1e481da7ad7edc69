"""On a day nobody is phoned, the rep's empty queue says why and when calling resumes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.files.resources import resource_path
from leaddesk.intake.by_hand import NewInterest
from tests.ui.conftest import open_workspace

BANT = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")


def _team_in_berlin(store: Path, clock: FixedClock) -> None:
    """The team lead publishes the shipped definition with the team in Berlin, Germany."""
    berlin = BANT.replace('timezone = "America/New_York"', 'timezone = "Europe/Berlin"')
    berlin = berlin.replace('country = "US"\nsubdivision = "NY"', 'country = "DE"')
    with open_desk(store, "lena", clock=clock) as desk:
        desk.qualifying.publish_definition(berlin, "berlin.toml")


def test_the_empty_queue_on_a_sunday_evening_in_berlin_says_when_calling_resumes(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    _team_in_berlin(empty_store, clock)
    clock.now = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # Sunday, 20:00 in Berlin
    with open_desk(empty_store, "anna", clock=clock) as desk:
        desk.intake.add_lead(
            NewInterest(first_name="Jonas", last_name="Weber", phone="+49 30 1234567", country="DE")
        )

    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    queue = ws.window.queue
    qtbot.waitUntil(lambda: queue.note.isVisible())
    said = "Nobody is callable now: Sunday; calling resumes Monday 08:00 (Europe/Berlin)."
    assert queue.note.text() == said
    ws.window.close()
    ws.desk.close()


def test_the_empty_queue_on_the_teams_holiday_says_when_the_reps_lead_abroad_can_be_called(
    qtbot: QtBot, empty_store: Path, clock: FixedClock, tmp_path: Path
) -> None:
    _team_in_berlin(empty_store, clock)
    clock.now = datetime(2026, 5, 14, 8, 0, tzinfo=UTC)  # Ascension Day: 10:00 in Berlin
    with open_desk(empty_store, "anna", clock=clock) as desk:
        desk.intake.add_lead(
            NewInterest(first_name="Amy", last_name="Lee", phone="+1 212 555 0142", country="US")
        )

    ws = open_workspace(qtbot, empty_store, clock, tmp_path, user="anna")
    queue = ws.window.queue
    qtbot.waitUntil(lambda: queue.note.isVisible())
    # New York works on Ascension Day, from 08:00 there: not "calling resumes Friday".
    said = (
        "Nothing due now: your open lead waits for their calling hours; "
        "it can be called at 14:00 (Europe/Berlin)."
    )
    assert queue.note.text() == said
    ws.window.grab().save("/tmp/s15-polish-empty-queue.png")
    ws.window.close()
    ws.desk.close()

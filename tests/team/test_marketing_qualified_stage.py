"""A stage the team adds in its lead definition: marketing-qualified, "Basic Qualified Lead".

A new lead that meets the definition's rule for it on arrival starts there; the queue offers
it as a new lead; the card, `lead` and the reports say it in the definition's words and order.
A version without it starts new leads as new again, and leads already in it move on. On a
real store, both kinds (the database's own guards: tests/test_marketing_qualified_logins.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from leaddesk.audit.actions import AuditAction
from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, LeadType, Role, Stage, Verdict
from leaddesk.files.resources import resource_path
from leaddesk.queue.ordering import Band
from leaddesk.store import open_store
from leaddesk.store.models import AuditEvent, Lead, Person
from tests.cli_in_process import RunCli
from tests.factories import small_team
from tests.intake.test_intake_import import ADA, BOB, write_csv

BANT = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
LABEL = "Basic Qualified Lead"
# Came in through the web form and showed interest (Ada: form, pricing, today = 50).
WITH_STAGE = (
    BANT
    + f"""
[stages.marketing_qualified]
label = "{LABEL}"
definition = "Came in through our form and asked for something: marketing vouches for it."
when = {{ source = "web_form", interest = {{ gte = 40 }} }}
"""
)
CARL = ["Carl", "Berg", "carl@berg.example", "+1 617 555 0142", "Berg AB", "Web form", "Demo"]
TEAM = [("rep1", Role.QUALIFIER), ("lead1", Role.TEAM_LEAD)]


def _publish(location: str, clock: FixedClock, text: str) -> None:
    with open_desk(location, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(text, "team.toml")


def _lead_of(location: str, first_name: str) -> Lead:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.scalars(
                select(Lead)
                .join(Person, Person.id == Lead.person_id)
                .where(Person.first_name == first_name)
                .order_by(Lead.id.desc())
            ).first()
    finally:
        store.close()
    assert lead is not None
    return lead


def _import(location: str, clock: FixedClock, path: Path, rows: list[list[str]]) -> None:
    with open_desk(location, "rep1", clock=clock) as rep:
        rep.intake.import_file(write_csv(path, rows))


def test_an_imported_lead_meeting_the_rule_starts_in_the_added_stage_under_its_label(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _publish(store_location, clock, WITH_STAGE)
    _import(store_location, clock, tmp_path / "in.csv", [ADA, BOB])

    ada, bob = _lead_of(store_location, "Ada"), _lead_of(store_location, "Bob")
    assert (ada.stage, ada.marketing_qualified_at) == (Stage.MARKETING_QUALIFIED, clock())
    assert (bob.stage, bob.marketing_qualified_at) == (Stage.NEW, None)
    with open_desk(store_location, "rep1", clock=clock) as rep:
        card = rep.queue.lead_file(ada.id)
        assert card.stage_label == LABEL
        assert any(entry.text.startswith(LABEL) for entry in card.timeline)
        assert rep.queue.lead_file(bob.id).stage_label == "New"


def test_without_the_stage_every_new_lead_starts_new_and_the_reports_are_as_before(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _import(store_location, clock, tmp_path / "in.csv", [ADA, BOB])

    assert _lead_of(store_location, "Ada").stage is Stage.NEW
    assert _lead_of(store_location, "Ada").marketing_qualified_at is None
    with open_desk(store_location, "lead1", clock=clock) as desk:
        funnel = desk.team.report("funnel")
        sources = desk.team.report("sources")
    assert [step.step for step in funnel.items] == [
        "arrived",
        "contacted",
        "qualified",
        "handed_off",
        "accepted",
    ]
    assert sources.headers[:3] == ("source", "leads", "still open")


def test_a_version_without_the_stage_starts_new_leads_new_and_leaves_the_others_to_move_on(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _publish(store_location, clock, WITH_STAGE)
    _import(store_location, clock, tmp_path / "ada.csv", [ADA])
    with open_desk(store_location, "lead1", clock=clock) as desk:
        diff = desk.qualifying.definition_diff(BANT, "bant.toml")
        assert any(line.startswith("Stage removed: 'marketing_qualified'") for line in diff.changes)
    _publish(store_location, clock, BANT)
    clock.advance(minutes=5)
    _import(store_location, clock, tmp_path / "carl.csv", [CARL])

    assert _lead_of(store_location, "Carl").stage is Stage.NEW  # the rule is gone with the stage
    ada = _lead_of(store_location, "Ada")
    assert ada.stage is Stage.MARKETING_QUALIFIED  # stays until someone works it
    with open_desk(store_location, "rep1", clock=clock) as rep:
        assert rep.queue.lead_file(ada.id).stage_label == "Marketing qualified"
        row = rep.queue.lead_row(ada.id)
        assert row is not None and row.reason.startswith("marketing-qualified web inquiry, ")
        rep.calls.log(ada.id, CallOutcome.NO_ANSWER)
    assert _lead_of(store_location, "Ada").stage is Stage.WORKING
    store = open_store(store_location)
    with store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.lead_id == ada.id, AuditEvent.action == AuditAction.CALL_LOGGED
            )
        ).one()
    store.close()
    assert (event.from_state, event.to_state) == ("marketing_qualified", "working")
    # The funnel still counts the lead that was in the stage, in LeadDesk's own words.
    with open_desk(store_location, "lead1", clock=clock) as desk:
        steps = {step.step: step for step in desk.team.report("funnel").items}
    assert (steps["marketing_qualified"].label, steps["marketing_qualified"].leads) == (
        "Marketing qualified",
        1,
    )


def test_the_queue_offers_a_marketing_qualified_lead_as_a_new_one(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _publish(store_location, clock, WITH_STAGE)
    _import(store_location, clock, tmp_path / "in.csv", [ADA, BOB])
    ada = _lead_of(store_location, "Ada")

    with open_desk(store_location, "rep1", clock=clock) as rep:
        rows = {row.lead_id: row for row in rep.queue.page()}
        assert rows[ada.id].stage is Stage.MARKETING_QUALIFIED
        assert rows[ada.id].band is Band.NEW
        assert rows[_lead_of(store_location, "Bob").id].band is Band.NEW
        # Its why-line says marketing vouched for it, in the definition's words.
        assert rows[ada.id].reason.startswith(f"{LABEL}: web inquiry, ")
        assert rows[ada.id].reason_at(clock() + timedelta(hours=3)).startswith(LABEL)
        assert rows[_lead_of(store_location, "Bob").id].reason.startswith("new webinar sign-up")
        found = rep.queue.search("Ada")
        assert found and found[0].reason.startswith(LABEL)
        # Its speed-to-lead clock runs as a new lead's does.
        assert ada.sla_due_at is not None
        taken = rep.queue.next()
        assert taken is not None and taken.lead_id in rows


def test_the_reports_list_the_added_stage_in_the_definitions_order_and_words(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    _publish(store_location, clock, WITH_STAGE)
    _import(store_location, clock, tmp_path / "in.csv", [ADA, BOB, CARL])
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.log(_lead_of(store_location, "Carl").id, CallOutcome.CONNECTED)

    with open_desk(store_location, "lead1", clock=clock) as desk:
        funnel = desk.team.report("funnel")
        sources = desk.team.report("sources")
        acceptance = desk.team.report("acceptance")
        pack = desk.team.huddle_pack(since=clock().date(), out=tmp_path / "packs")
    assert [row[:2] for row in funnel.rows()] == [
        ("Arrived", 3),
        (LABEL, 2),  # Ada and Carl, though Carl has been reached since
        ("Called", 1),
        ("Sales-qualified (SQL)", 0),
        ("Handed to sales", 0),
        ("Accepted by sales", 0),
    ]
    assert sources.headers[:3] == ("source", "leads", LABEL)
    by_source = {row[0]: row for row in sources.rows()}
    assert by_source["web_form"][1:3] == (2, 2) and by_source["webinar"][1:3] == (1, 0)
    assert acceptance.headers[:3] == ("source", "leads", f"% {LABEL}")
    assert {row[0]: row[2] for row in acceptance.rows()} == {"web_form": 100.0, "webinar": 0.0}
    assert (pack.folder / "funnel.csv").read_text(encoding="utf-8-sig").splitlines()[2] == (
        f"{LABEL},2,66.7"
    )
    assert LABEL in pack.page.read_text(encoding="utf-8")


def test_lead_search_and_report_funnel_say_the_stage_in_the_definitions_words(
    sqlite_store_path: Path, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    location = str(sqlite_store_path)
    with small_team(location, clock, TEAM):
        pass
    _publish(location, clock, WITH_STAGE)
    _import(location, clock, tmp_path / "in.csv", [ADA])
    code, out, err = run_cli("report", "funnel", "--as", "lead1", db=sqlite_store_path)
    assert code == 0, err
    steps = [line.split("  ")[0].strip() for line in out.splitlines() if line[:1].isalpha()]
    assert steps[steps.index("Arrived") : steps.index("Arrived") + 3] == [
        "Arrived",
        LABEL,
        "Called",
    ]
    code, out, err = run_cli(
        "lead", str(_lead_of(location, "Ada").id), "--as", "rep1", db=sqlite_store_path
    )
    assert code == 0, err
    assert f"Stage: {LABEL}" in out
    code, out, err = run_cli("search", "Ada", "--as", "rep1", db=sqlite_store_path)
    assert code == 0, err
    assert LABEL in out and "marketing qualified" not in out


def test_a_recycled_lead_meeting_the_rule_steps_from_new_to_the_added_stage_audited(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with small_team(store_location, clock, TEAM):
        pass
    # Marketing vouches for anyone who comes back after an earlier inquiry.
    comes_back = WITH_STAGE.replace(
        'when = { source = "web_form", interest = { gte = 40 } }',
        "when = { earlier_leads = { gte = 1 } }",
    )
    _publish(store_location, clock, comes_back)
    _import(store_location, clock, tmp_path / "in.csv", [BOB])
    bob = _lead_of(store_location, "Bob")
    assert bob.stage is Stage.NEW  # his first inquiry
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.calls.log(bob.id, CallOutcome.CONNECTED)
        rep.qualifying.give_verdict(
            bob.id,
            Verdict.NURTURE,
            "No budget this year",
            lead_type=LeadType.UNQUALIFIED_INTEREST,
            recycle_at=clock() + timedelta(days=30),
        )
    clock.advance(days=30, minutes=1)
    with open_desk(store_location, "lead1", clock=clock) as desk:
        brought = desk.team.sweep().recycled
    assert [r.nurtured_lead_id for r in brought] == [bob.id]
    new = _lead_of(store_location, "Bob")
    store = open_store(store_location)
    with store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.lead_id == new.id, AuditEvent.action == AuditAction.MARKETING_QUALIFIED
            )
        ).one_or_none()
    store.close()
    assert new.id != bob.id and new.stage is Stage.MARKETING_QUALIFIED
    assert new.marketing_qualified_at == clock()
    assert event is not None
    assert (event.from_state, event.to_state) == ("new", "marketing_qualified")

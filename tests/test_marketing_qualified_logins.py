"""The team database's own guards let the definition's added stage (marketing-qualified) through
a rep's and a salesperson's own logins: an import and a lead typed in start there, the rep
works it and takes an untouched import back. Real PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, LeadType, Stage, Verdict
from leaddesk.intake.by_hand import NewInterest
from leaddesk.store import open_store, row_guards
from leaddesk.store.models import Lead
from tests.factories import TeamLogins, plain_url
from tests.intake.test_intake_import import ADA, write_csv
from tests.team.test_marketing_qualified_stage import WITH_STAGE, _lead_of


def test_the_guards_let_a_reps_and_a_salespersons_own_logins_through(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        desk.qualifying.publish_definition(
            WITH_STAGE.replace('source = "web_form", ', ""), "team.toml"
        )
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        run = rep.intake.import_file(write_csv(tmp_path / "in.csv", [ADA]))
        added = rep.intake.add_lead(
            NewInterest(first_name="Cy", email="cy@caller.example", inquiry="pricing please")
        )
    ada = _lead_of(team.owner_url, "Ada")
    assert ada.stage is Stage.MARKETING_QUALIFIED
    assert _lead_of(team.owner_url, "Cy").stage is Stage.MARKETING_QUALIFIED  # inbound call
    # The rep's login takes its own import back (the lead is untouched), and works the other.
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        assert run.run_id is not None
        rep.intake.undo(run.run_id)
        rep.calls.log(added.lead_id, CallOutcome.CONNECTED)
    assert _lead_of(team.owner_url, "Cy").stage is Stage.IN_QUALIFICATION
    store = open_store(team.owner_url)
    with store.reading() as session:
        assert session.get(Lead, ada.id) is None
    store.close()
    # A salesperson's referral that meets the rule starts there too, through their login.
    with open_desk(team.url_for(team.sales), team.sales, clock=clock) as sales:
        sales.intake.add_lead(
            NewInterest(first_name="Dee", email="dee@ref.example", inquiry="wants a demo")
        )
    assert _lead_of(team.owner_url, "Dee").stage is Stage.MARKETING_QUALIFIED
    # A rep hands one on straight from the stage, naming the salesperson, through their login.
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        eve = rep.intake.add_lead(
            NewInterest(first_name="Eve", email="eve@buyer.example", inquiry="pricing for 40")
        )
        assert _lead_of(team.owner_url, "Eve").stage is Stage.MARKETING_QUALIFIED
        given = rep.qualifying.give_verdict(
            eve.lead_id,
            Verdict.HAND_OFF,
            "Called back to buy: budget approved, decides this month",
            lead_type=LeadType.SALES_WORTHY,
        )
    assert given.route is not None and given.route.name == team.sales
    assert given.stage is Stage.QUALIFIED
    assert _lead_of(team.owner_url, "Eve").sales_owner_id == given.route.salesperson_id


def test_a_team_leads_login_publishing_the_stage_moves_the_new_leads_that_meet_its_rule(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        rep.intake.import_file(write_csv(tmp_path / "in.csv", [ADA]))
    assert _lead_of(team.owner_url, "Ada").stage is Stage.NEW
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        published = desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
    assert published.moved_to_added_stage == 1
    assert _lead_of(team.owner_url, "Ada").stage is Stage.MARKETING_QUALIFIED


def test_a_team_store_upgraded_to_0025_lets_the_added_stage_through_a_reps_login(
    team: TeamLogins, clock: FixedClock, tmp_path: Path
) -> None:
    # The store as 0024 left it: no column, and a leads guard whose fresh stages are 'new'.
    old_guard = row_guards._LEADS_SQL.replace(row_guards._FRESH, "'new'")
    assert old_guard != row_guards._LEADS_SQL
    # ... nor 0030's column naming the rep a forced move took a call from, nor its guards.
    kept_call = re.compile(r"    -- Only a team lead's forced move.*?    END IF;\n", re.S)
    old_guard, found = kept_call.subn("", old_guard)
    assert found == 1
    with psycopg.connect(plain_url(team.owner_url)) as connection:
        connection.execute("ALTER TABLE leads DROP COLUMN marketing_qualified_at")
        connection.execute(old_guard)
        connection.execute("DROP TRIGGER leaddesk_guard_lead ON call_attempts")
        connection.execute("ALTER TABLE leads DROP COLUMN taken_from_call_id")
        connection.execute("DROP INDEX ix_verdicts_salesperson")  # 0029's, made again too
        connection.execute("DROP TABLE queue_skips")  # 0031's
        connection.execute("UPDATE alembic_version SET version_num = '0024'")
    open_store(team.owner_url).close()  # its owner opens it: upgraded
    with open_desk(team.url_for(team.lead), team.lead, clock=clock) as desk:
        desk.qualifying.publish_definition(WITH_STAGE, "team.toml")
    with open_desk(team.url_for(team.rep), team.rep, clock=clock) as rep:
        run = rep.intake.import_file(write_csv(tmp_path / "in.csv", [ADA]))
        assert _lead_of(team.owner_url, "Ada").stage is Stage.MARKETING_QUALIFIED
        assert run.run_id is not None
        undone = rep.intake.undo(run.run_id)  # an untouched marketing-qualified lead may go
    assert undone.leads_removed == 1

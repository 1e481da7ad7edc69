"""Recycling: once a nurture verdict's recycle date passes, the sweep brings the person back
as a new lead for the rep who nurtured it (or the pool), once, and never someone who asked not
to be called or who has an open lead already. On a real store, both kinds."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import CallOutcome, LeadType, Stage, Verdict
from leaddesk.store import open_store
from leaddesk.store.models import Assignment, Lead, Person
from tests.factories import small_team
from tests.intake.test_intake_import import ADA, BOB, write_csv

DAY = timedelta(days=1)


def _setup(location: str, clock: FixedClock, tmp_path: Path) -> dict[str, int]:
    """Ada and Bob imported to rep1, called and nurtured with a recycle date in 30 days."""
    from leaddesk.domain import Role

    with small_team(location, clock, [("rep1", Role.QUALIFIER), ("lead1", Role.TEAM_LEAD)]):
        pass
    with open_desk(location, "rep1", clock=clock) as rep:
        rep.intake.import_file(write_csv(tmp_path / "in.csv", [ADA, BOB]))
        ids = {}
        for _ in range(2):
            row = rep.queue.next()
            assert row is not None
            rep.calls.log(row.lead_id, CallOutcome.CONNECTED)
            rep.qualifying.give_verdict(
                row.lead_id,
                Verdict.NURTURE,
                "No budget this year",
                lead_type=LeadType.UNQUALIFIED_INTEREST,
                recycle_at=clock() + 30 * DAY,
            )
            ids[row.person.split()[0]] = row.lead_id
    return ids


def _leads_of(location: str, first_name: str) -> list[Lead]:
    store = open_store(location)
    with store.reading() as session:
        leads = list(
            session.scalars(
                select(Lead)
                .join(Person, Person.id == Lead.person_id)
                .where(Person.first_name == first_name)
                .order_by(Lead.id)
            )
        )
    store.close()
    return leads


def test_a_nurtured_lead_comes_back_on_its_recycle_date_once(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    nurtured = _setup(store_location, clock, tmp_path)
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        clock.advance(days=29)
        assert lead1.team.sweep().recycled == ()  # not yet
        clock.advance(days=1, minutes=1)
        result = lead1.team.sweep()
        assert sorted(r.nurtured_lead_id for r in result.brought_back) == sorted(nurtured.values())
        assert lead1.team.sweep().recycled == ()  # once only

    old, new = _leads_of(store_location, "Ada")
    assert old.id == nurtured["Ada"] and old.stage is Stage.NURTURE
    assert old.recycled_at == clock()
    assert (new.stage, new.source, new.arrived_at) == (Stage.NEW, "recycled", clock())
    assert new.inquiry == "Back from nurture: No budget this year"
    assert new.sla_due_at is None  # nobody is waiting on a reply: no speed-to-lead race
    assert new.extra == {"recycled_from": old.id, "first_source": old.source}
    with open_desk(store_location, "rep1", clock=clock) as rep:
        assert new.assigned_to_id == rep.actor.id  # the rep who nurtured it
        queue = {row.lead_id: row for row in rep.queue.page(limit=50)}
        assert queue[new.id].reason == "new lead back from nurture, no call deadline set"
        earlier = rep.queue.lead_file(new.id).earlier
        assert [e.lead_id for e in earlier] == [old.id]
        # The workload dashboard counts it as received by the rep.
        store = open_store(store_location)
        with store.reading() as session:
            moves = session.scalars(select(Assignment).where(Assignment.lead_id == new.id)).all()
        store.close()
        assert [(m.to_user_id, m.from_user_id) for m in moves] == [(rep.actor.id, None)]


def test_nobody_is_brought_back_who_asked_not_to_be_called_or_is_already_open(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    nurtured = _setup(store_location, clock, tmp_path)
    store = open_store(store_location)
    with store.transaction() as session:
        ada = session.scalars(select(Person).where(Person.first_name == "Ada")).one()
        ada.do_not_call = True
    store.close()
    # Bob wrote in again meanwhile: his new interest is an open lead already.
    clock.advance(days=10)
    with open_desk(store_location, "rep1", clock=clock) as rep:
        rep.intake.import_file(write_csv(tmp_path / "again.csv", [[*BOB[:5], "Webinar", "Back"]]))
    clock.advance(days=21)
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        result = lead1.team.sweep()
    assert result.brought_back == ()
    skipped = {r.nurtured_lead_id: r.skipped for r in result.recycled}
    assert skipped[nurtured["Ada"]] == "the person is on the do-not-call list"
    assert (skipped[nurtured["Bob"]] or "").startswith("the person has an open lead already")
    assert len(_leads_of(store_location, "Ada")) == 1
    assert len(_leads_of(store_location, "Bob")) == 2  # the nurtured one and the new interest


def test_a_lead_whose_rep_left_comes_back_to_the_pool_and_the_cli_says_so(
    store_location: str, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from leaddesk.cli import main

    # Ten weeks back (the same weekday and hour, inside calling hours), so the recycle date
    # has passed by the time the command sweeps on today's clock.
    clock.now -= timedelta(weeks=10)
    nurtured = _setup(store_location, clock, tmp_path)
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.people.deactivate("rep1")
    code = main(["--db", store_location, "sweep", "--as", "lead1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Back from nurture (recycle date reached): 2 leads, new lead " in out
    for name in ("Ada", "Bob"):
        old, new = _leads_of(store_location, name)
        assert old.id == nurtured[name] and new.assigned_to_id is None  # the open pool
    again = main(["--db", store_location, "sweep", "--as", "lead1", "--json"])
    assert again == 0
    assert json.loads(capsys.readouterr().out)["recycled"] == []

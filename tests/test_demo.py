"""Demo data: realistic, deterministic for a seed, and quick."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta
from pathlib import Path

import phonenumbers
from sqlalchemy import func, select

from leaddesk.admin.demo import fill_demo
from leaddesk.clock import FixedClock
from leaddesk.definition import evaluate
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.domain import OPEN_STAGES, Stage
from leaddesk.qualifying.facts import lead_facts
from leaddesk.store import open_store
from leaddesk.store.models import (
    Assignment,
    CallAttempt,
    Lead,
    OpportunityRef,
    Person,
    SalesFeedback,
    User,
    VerdictRecord,
)


def _dump(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as connection:
        lines = [
            repr(row)
            for table in (
                "people",
                "leads",
                "assignments",
                "call_attempts",
                "verdicts",
                "sales_feedback",
            )
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY id")
        ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_same_seed_same_store(tmp_path: Path, clock: FixedClock) -> None:
    digests = []
    for name in ("a.sqlite3", "b.sqlite3"):
        store = open_store(tmp_path / name)
        fill_demo(store, leads=400, reps=3, seed=11, now=clock())
        store.close()
        digests.append(_dump(tmp_path / name))
    assert digests[0] == digests[1]


def test_demo_store_looks_like_a_real_team(sqlite_store_path: Path, clock: FixedClock) -> None:
    store = open_store(sqlite_store_path)
    summary = fill_demo(store, leads=1500, reps=4, seed=5, now=clock())
    with store.reading() as session:
        names = set(session.scalars(select(User.name)))
        people = session.scalars(select(Person)).all()
        stages = Counter(session.scalars(select(Lead.stage)))
        sources = set(session.scalars(select(Lead.source)))
        repeat_people = session.scalar(
            select(func.count()).select_from(
                select(Lead.person_id).group_by(Lead.person_id).having(func.count() > 1).subquery()
            )
        )
        verdicts = session.scalar(select(func.count()).select_from(VerdictRecord))
        feedback = session.scalar(select(func.count()).select_from(SalesFeedback))
        opportunities = session.scalars(select(OpportunityRef)).all()
        sales_id = session.scalar(select(User.id).where(User.name == "sales1"))
    store.close()

    assert summary.leads == 1500
    assert names == {"rep1", "rep2", "rep3", "rep4", "lead1", "sales1", "admin"}
    assert {p.country for p in people} >= {"US", "GB", "DE", "JP", "AU"}
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p.phone)) for p in people[:300])
    assert len({p.timezone for p in people if p.timezone}) >= 8
    assert any(p.do_not_call for p in people)
    assert sources == {
        "web_form",
        "webinar",
        "trade_show",
        "purchased_list",
        "sales_referral",
        "inbound_call",
    }
    assert stages[Stage.NEW] and stages[Stage.WORKING] and stages[Stage.QUALIFIED]
    assert stages[Stage.ACCEPTED] and stages[Stage.REJECTED] and stages[Stage.HANDED_OFF]
    assert repeat_people and verdicts and feedback
    assert opportunities and {o.recorded_by_id for o in opportunities} == {sales_id}


def test_nothing_in_a_demo_happened_after_now(sqlite_store_path: Path, clock: FixedClock) -> None:
    """Verdicts, calls and their ends all lie in the past, so "today" starts clean at ``now``
    (seed 1 has leads called minutes before ``now``)."""
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=1500, reps=4, seed=1, now=clock())
    with store.reading() as session:
        latest = [
            session.scalar(select(func.max(VerdictRecord.decided_at))),
            session.scalar(select(func.max(CallAttempt.at))),
            session.scalar(select(func.max(CallAttempt.ended_at))),
        ]
        unended = session.scalar(
            select(func.count()).select_from(CallAttempt).where(CallAttempt.ended_at.is_(None))
        )
    store.close()
    assert all(moment is not None and moment < clock() for moment in latest), latest
    assert unended == 0  # every demo call is over, with its length


def test_a_demo_store_takes_new_rows_after_its_own(
    store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    """The demo writes rows with their ids; on PostgreSQL the id sequences must follow, or the
    first import or export into a demo store collides with a demo row."""
    store = open_store(store_location)
    fill_demo(store, leads=50, now=clock())
    store.close()
    inquiries = tmp_path / "inquiries.csv"
    inquiries.write_text(
        "name,email,phone,company\nAda Meyer,ada@meyer.example,+12125550101,Meyer Labs\n",
        encoding="utf-8",
    )
    with open_desk(store_location, "lead1", clock=clock) as desk:
        assert desk.intake.import_file(inquiries).counts.created == 1
        exported = desk.handoff.export(tmp_path / "out", team=True).new_batch
    assert exported is not None and exported.lead_count > 0


def test_fresh_demo_leads_carry_the_scores_the_lead_definition_gives(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    """A lead nobody has worked shows on its card the fit and interest the questionnaire's
    scoring gives it (as it stood when the lead arrived), not numbers of the demo's own."""
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=600, reps=2, seed=3, now=clock())
    with store.reading() as session:
        definition = definition_versions.definition_for_version(
            session, definition_versions.current_id(session) or 0
        )
        fresh = session.scalars(select(Lead).where(Lead.stage == Stage.NEW)).all()
        assert len(fresh) > 50
        for lead in fresh:
            scores = evaluate(definition, {}, lead_facts(session, lead, lead.arrived_at)).scores
            assert (lead.fit_score, lead.interest_score) == (scores.fit, scores.interest), lead.id
    store.close()


def test_every_demo_lead_a_rep_holds_reached_them_on_record(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    """Demo leads reach reps on arrival or when a rep calls them from the pool; each way
    leaves the history row a real desk writes, so the workload dashboard's "received" counts
    them as it counts an import's or a team lead's."""
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=600, reps=2, seed=3, now=clock())
    with store.reading() as session:
        owners = dict(
            session.execute(
                select(Lead.id, Lead.assigned_to_id).where(Lead.assigned_to_id.is_not(None))
            )
            .tuples()
            .all()
        )
        records = session.execute(
            select(Assignment.lead_id, Assignment.to_user_id, Assignment.at, Assignment.reason)
        ).all()
        # Reports name reps as the team knows them.
        names = dict(session.execute(select(User.id, User.display_name)).tuples().all())
    store.close()
    assert {lead: to for lead, to, _at, _why in records} == owners
    assert len(records) == len(owners)  # no reassignments in the demo: one row a lead
    assert {why for *_rest, why in records} == {"assigned on arrival", "called from the open pool"}

    today = clock().date()
    with open_desk(sqlite_store_path, "lead1", clock=clock) as desk:
        report = desk.team.report("workload", since=today - timedelta(days=6), until=today)
    span = report.period
    expected = Counter(names[to] for _lead, to, at, _why in records if span.start <= at < span.end)
    received = {row.rep: row.received for row in report.items}
    assert received == dict(expected)
    assert received["Rep 1"] > 20 and received["Rep 2"] > 20


def test_a_fresh_demo_shows_a_believable_handful_untouched_none_of_them_called_lately(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=2000, reps=4, seed=7, now=clock())
    store.close()
    with open_desk(str(sqlite_store_path), "lead1", clock=clock) as desk:
        view = desk.team.view()
        untouched = sum(rep.untouched for rep in view.reps) + view.pool.untouched
        swept = desk.team.sweep(dry_run=True)
    assert 1 <= untouched <= 20
    assert len(swept.flagged) == untouched
    store = open_store(sqlite_store_path)
    with store.reading() as session:
        flagged = session.scalars(select(Lead).where(Lead.id.in_(swept.flagged))).all()
    store.close()
    # Each one has gone a business day and more without a call and has nothing booked ahead.
    for lead in flagged:
        assert lead.last_attempt_at is None or lead.last_attempt_at < clock() - timedelta(days=1)
        assert lead.callback_at is None and (
            lead.next_attempt_at is None or lead.next_attempt_at < clock()
        )


def test_a_demo_logs_no_call_on_a_weekend_or_holiday_of_the_team_nor_outside_calling_hours(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    from leaddesk.definition.business_time import public_holiday
    from leaddesk.queue.policy import current_policy
    from leaddesk.queue.zones import callable_now

    store = open_store(sqlite_store_path)
    fill_demo(store, leads=1500, reps=4, seed=5, now=clock())
    with store.reading() as session:
        policy = current_policy(session)
        calls = session.execute(
            select(CallAttempt.at, Person.zone_key, Person.country, Person.region)
            .join(Lead, Lead.id == CallAttempt.lead_id)
            .join(Person, Person.id == Lead.person_id)
        ).all()
    store.close()
    assert len(calls) > 1000
    team_days = [at.astimezone(policy.zone).date() for at, *_ in calls]
    assert [day for day in team_days if day.weekday() >= 5] == []  # no Saturday or Sunday
    country, region = policy.holiday_country, policy.holiday_subdivision
    assert [day for day in team_days if public_holiday(day, country, region)] == []
    outside = [
        (at, zone) for at, zone, their, where in calls
        if not callable_now(zone, at, policy, their, where)
    ]  # fmt: skip
    assert outside == []


def test_a_fresh_demo_gives_each_company_one_rep(
    sqlite_store_path: Path, clock: FixedClock
) -> None:
    """No customer hears from four reps in one week: every open lead at a company is worked
    by the same rep (the demo's accounts each have one)."""
    store = open_store(sqlite_store_path)
    fill_demo(store, leads=1500, reps=5, seed=3, now=clock())
    with store.reading() as session:
        rows = session.execute(
            select(Lead.account_id, Lead.assigned_to_id).where(
                Lead.stage.in_(OPEN_STAGES), Lead.assigned_to_id.is_not(None)
            )
        ).all()
    store.close()
    reps_of: dict[int, set[int]] = {}
    for account_id, rep in rows:
        reps_of.setdefault(account_id, set()).add(rep)
    shared = sorted(account for account, reps in reps_of.items() if len(reps) > 1)
    assert len(reps_of) > 100, "the demo should have many companies with open leads"
    assert shared == [], f"companies split over reps: {shared[:10]}"


def test_demo_hand_offs_go_to_the_salesperson_as_the_routing_policy_would_a_few_unassigned(
    store_location: str, clock: FixedClock
) -> None:
    store = open_store(store_location)
    fill_demo(store, leads=600, reps=3, seed=3, now=clock())
    with store.reading() as session:
        sales_id = session.scalar(select(User.id).where(User.name == "sales1"))
        handed = session.execute(
            select(VerdictRecord, Lead)
            .join(Lead, Lead.id == VerdictRecord.lead_id)
            .where(VerdictRecord.verdict == "hand_off")
        ).all()
    store.close()
    named = [verdict for verdict, _lead in handed if verdict.salesperson_id is not None]
    assert {verdict.salesperson_id for verdict in named} == {sales_id}
    assert 0 < len(handed) - len(named) < len(handed) * 0.2  # most, not all
    for verdict, lead in handed:
        assert lead.sales_owner_id == verdict.salesperson_id
        if verdict.salesperson_id is not None:
            assert lead.sales_clock_at == verdict.decided_at
            assert lead.sales_due_at is not None and lead.sales_due_at > verdict.decided_at
    with open_desk(store_location, "sales1", clock=clock) as desk:
        waiting = desk.handoff.pending(everything=True).leads
    assert waiting
    assert sum(lead.salesperson == "sales1" for lead in waiting) > len(waiting) / 2

"""A hand-off names its salesperson at the verdict, and sales' follow-up clock starts then.

Routing by territory, in turn with capacity, by the names listed per source, and an existing
customer's lead to its account owner; the clock due in the salesperson's business hours,
flagged at 24 h and moved at 48 h when the policy says so; on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from qualification_scenarios import add_lead, sales_worthy, set_up_team, template_text
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import open_desk
from leaddesk.domain import Role, Stage, Verdict
from leaddesk.errors import InputError
from leaddesk.store import open_store
from leaddesk.store.models import Account, AuditEvent, Lead, User

# Monday 16 November 2026, 08:00 UTC: 09:00 in Berlin, 03:00 in New York (the policy's zone).
BERLIN_NINE = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def _routing(**keys: object) -> str:
    """The shipped BANT with its sales routing set to ``keys`` (TOML values as given)."""
    text = template_text("bant")
    head, _old = text.split("[policy.sales_routing]", 1)
    lines = [f"{key} = {value}" for key, value in keys.items() if key != "owners"]
    owners = keys.get("owners", "")
    return (
        f"{head}[policy.sales_routing]\n"
        + "\n".join(lines)
        + f"\n\n[policy.sales_routing.owners]\n{owners}\n"
    )


def _team(location: str, clock: FixedClock, definition: str, *salespeople: dict) -> None:
    set_up_team(location, clock)
    with open_desk(location, "admin1", clock=clock) as desk:
        for person in salespeople:
            desk.people.add(
                person["name"],
                Role.SALES,
                capacity=person.get("capacity", 40),
                territories=person.get("territories", ()),
                timezone=person.get("timezone"),
                display_name=person.get("display_name"),
            )
    with open_desk(location, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(definition, "routing.toml")
    _retire(location, "sales1")  # the scenarios' own salesperson stays out of these teams


def _retire(location: str, name: str) -> None:
    store = open_store(location)
    try:
        with store.transaction() as session:
            user = session.scalar(select(User).where(User.name == name))
            assert user is not None
            user.active = False
    finally:
        store.close()


def _hand_off(location: str, clock: FixedClock, lead_id: int, **verdict: object):
    with open_desk(location, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        return desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, **verdict)


def _lead(location: str, lead_id: int) -> Lead:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return lead
    finally:
        store.close()


def _events(location: str, lead_id: int, action: str) -> list[AuditEvent]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(
                session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.lead_id == lead_id, AuditEvent.action == action)
                    .order_by(AuditEvent.id)
                )
            )
    finally:
        store.close()


def test_a_nine_oclock_verdict_is_due_at_one_flagged_at_24_h_and_moved_at_48_h(
    store_location: str,
) -> None:
    clock = FixedClock(BERLIN_NINE - timedelta(days=3))
    definition = _routing(
        route_by='"territory"', due_hours=4, move_when_late="true", sales_manager='"maria"'
    )
    _team(
        store_location,
        clock,
        definition,
        {"name": "anna", "territories": ("DE", "AT"), "timezone": "Europe/Berlin"},
        {"name": "ben", "territories": ("US",), "timezone": "America/New_York"},
    )
    lead_id = add_lead(store_location, clock, country="DE")
    clock.now = BERLIN_NINE
    given = _hand_off(store_location, clock, lead_id)
    assert given.route is not None and given.route.name == "anna"
    assert given.route.why == "covers DE"
    # 09:00 in Berlin plus 4 of anna's business hours: 13:00 her time, that same day.
    assert given.sales_due_at == datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    lead = _lead(store_location, lead_id)
    assert (lead.stage, lead.sales_clock_at) == (Stage.QUALIFIED, BERLIN_NINE)
    with open_desk(store_location, "anna", clock=clock) as desk:
        mine = desk.handoff.pending(everything=True).leads  # at once, before any export
        assert [(p.lead_id, p.salesperson, p.level, p.batch) for p in mine] == [
            (lead_id, "anna", "waiting", "")
        ]
    clock.now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    with open_desk(store_location, "lead1", clock=clock) as desk:
        late = desk.handoff.pending()
        assert [(p.lead_id, p.level, p.due_at) for p in late.leads] == [
            (lead_id, "overdue", given.sales_due_at)
        ]
        clock.now = BERLIN_NINE + timedelta(hours=23, minutes=59)
        assert desk.handoff.chase().flagged == ()
        clock.now = BERLIN_NINE + timedelta(hours=24)
        chased = desk.handoff.chase()
        assert chased.flagged == (lead_id,) and chased.told == ("lead1", "maria")
        assert desk.handoff.chase().flagged == ()  # once
        assert [p.level for p in desk.handoff.pending().leads] == ["escalated"]
        clock.now = BERLIN_NINE + timedelta(hours=47)
        assert desk.handoff.chase().moved == ()
        clock.now = BERLIN_NINE + timedelta(hours=48)
        moved = desk.handoff.chase().moved
        assert [(m.lead_id, m.from_name, m.to_name) for m in moved] == [(lead_id, "anna", "ben")]
        after = desk.handoff.pending(everything=True).leads
    # ben's clock starts at the move: Wednesday 09:00 UTC is 04:00 in New York, so his four
    # business hours run 09:00–13:00 there.
    assert [(p.salesperson, p.level, p.due_at) for p in after] == [
        ("ben", "waiting", datetime(2026, 11, 18, 18, 0, tzinfo=UTC))
    ]
    flagged = _events(store_location, lead_id, "sales_followup_flagged")
    assert [(e.to_state, e.details) for e in flagged] == [
        ("anna", {"salesperson": "anna", "told": ["lead1", "maria"]})
    ]
    moves = _events(store_location, lead_id, "sales_followup_moved")
    assert [(e.from_state, e.to_state) for e in moves] == [("anna", "ben")]


def test_a_late_hand_off_stays_with_its_salesperson_unless_the_policy_moves_it(
    store_location: str,
) -> None:
    clock = FixedClock(BERLIN_NINE)
    _team(
        store_location,
        clock,
        _routing(route_by='"round_robin"'),
        {"name": "anna"},
        {"name": "ben"},
    )
    lead_id = add_lead(store_location, clock)
    assert _hand_off(store_location, clock, lead_id).route.name == "anna"  # type: ignore[union-attr]
    clock.advance(hours=72)
    with open_desk(store_location, "lead1", clock=clock) as desk:
        chased = desk.handoff.chase()
    assert (chased.flagged, chased.moved) == ((lead_id,), ())
    assert _lead(store_location, lead_id).sales_owner_id is not None


def test_territory_routing_goes_to_who_covers_the_country_while_they_have_room(
    store_location: str, clock: FixedClock
) -> None:
    _team(
        store_location,
        clock,
        _routing(route_by='"territory"'),
        {"name": "anna", "territories": ("DE", "AT"), "capacity": 1},
        {"name": "ben", "territories": ("US",)},
        {"name": "cleo", "territories": ("FR",)},
    )
    routed = []
    for country in ("US", "AT", "DE", "JP"):
        lead_id = add_lead(store_location, clock, country=country, email=f"x@{country}.example")
        route = _hand_off(store_location, clock, lead_id).route
        assert route is not None
        routed.append((country, route.name, route.why))
    assert routed == [
        ("US", "ben", "covers US"),
        ("AT", "anna", "covers AT"),
        # anna holds one open hand-off, her whole capacity: the next in turn with room gets it.
        ("DE", "cleo", "nobody with room covers DE; next in turn with room"),
        ("JP", "ben", "nobody with room covers JP; next in turn with room"),
    ]


def test_round_robin_takes_turns_among_salespeople_with_spare_capacity(
    store_location: str, clock: FixedClock
) -> None:
    _team(
        store_location,
        clock,
        _routing(route_by='"round_robin"'),
        {"name": "anna", "capacity": 1},
        {"name": "ben", "capacity": 2},
        {"name": "cleo", "capacity": 2},
    )
    names = []
    for number in range(6):
        lead_id = add_lead(store_location, clock, email=f"p{number}@acme.example")
        route = _hand_off(store_location, clock, lead_id).route
        assert route is not None
        names.append(route.name)
    # anna is full after one, ben and cleo after two; then the least loaded of a full team.
    assert names == ["anna", "ben", "cleo", "ben", "cleo", "anna"]
    with open_desk(store_location, "rep1", clock=clock) as desk:
        open_counts = {p.name: p.open_leads for p in desk.qualifying.salespeople()}
    assert open_counts == {"anna": 2, "ben": 2, "cleo": 2}


def test_named_owners_per_source_get_that_sources_hand_offs(
    store_location: str, clock: FixedClock
) -> None:
    owners = 'webinar = ["ben", "cleo"]\n"*" = ["anna"]'
    _team(
        store_location,
        clock,
        _routing(route_by='"named"', owners=owners),
        {"name": "anna"},
        {"name": "ben"},
        {"name": "cleo"},
    )
    routed = []
    for number, source in enumerate(("webinar", "webinar", "web_form", "webinar")):
        lead_id = add_lead(store_location, clock, source=source, email=f"n{number}@acme.example")
        route = _hand_off(store_location, clock, lead_id).route
        assert route is not None
        routed.append((source, route.name))
    assert routed == [
        ("webinar", "ben"),
        ("webinar", "cleo"),
        ("web_form", "anna"),
        ("webinar", "ben"),
    ]


def test_an_existing_customers_lead_reaches_the_account_owner_as_a_hand_off_of_its_own(
    store_location: str, clock: FixedClock
) -> None:
    _team(
        store_location,
        clock,
        _routing(route_by='"round_robin"'),
        {"name": "anna"},
        {"name": "ben", "display_name": "Ben Ortiz"},
    )
    lead_id = add_lead(store_location, clock, customer=True)
    store = open_store(store_location)
    try:
        with store.transaction() as session:
            account = session.scalar(select(Account))
            assert account is not None
            account.owner_name = "Ben Ortiz"  # as the CRM names the account's owner
    finally:
        store.close()
    with open_desk(store_location, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        shown = desk.qualifying.salesperson_for(lead_id, Verdict.EXISTING_ACCOUNT)
        given = desk.qualifying.give_verdict(
            lead_id, Verdict.EXISTING_ACCOUNT, "Customer asking for 40 more seats"
        )
    assert shown == given.route
    assert given.route is not None
    assert (given.route.name, given.route.kind, given.route.why) == (
        "ben",
        "existing_customer",
        "owns the account Acme Logistics",
    )
    with open_desk(store_location, "ben", clock=clock) as desk:
        waiting = desk.handoff.pending(everything=True).leads
    assert [(p.lead_id, p.kind, p.salesperson) for p in waiting] == [
        (lead_id, "existing_customer", "ben")
    ]
    with open_desk(store_location, "anna", clock=clock) as desk:
        assert desk.handoff.pending(everything=True).leads == ()
    # The customer, budget approved and a call agreed: a plain hand-off, to the owner too.
    again = add_lead(store_location, clock, customer=True, email="dana@acme.example")
    store = open_store(store_location)
    try:
        with store.transaction() as session:
            lead = session.get(Lead, again)
            assert lead is not None
            lead.account_id = session.scalar(
                select(Account.id).where(Account.owner_name.is_not(None))
            )
    finally:
        store.close()
    route = _hand_off(store_location, clock, again, reason="Budget approved, a call agreed").route
    assert route is not None
    assert (route.name, route.kind) == ("ben", "hand_off")


def test_the_rep_may_pick_another_salesperson_and_the_verdict_says_so(
    store_location: str, clock: FixedClock
) -> None:
    _team(
        store_location, clock, _routing(route_by='"round_robin"'), {"name": "anna"}, {"name": "ben"}
    )
    lead_id = add_lead(store_location, clock)
    with open_desk(store_location, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        assert desk.qualifying.salesperson_for(lead_id, Verdict.HAND_OFF).name == "anna"  # type: ignore[union-attr]
        with pytest.raises(InputError, match=r"^'lead1' is not an active salesperson; pick one"):
            desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, to="lead1")
        with pytest.raises(InputError, match="Only a hand-off or an existing-account"):
            desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "later", to="ben")
        given = desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, to="ben")
    assert given.route is not None and (given.route.name, given.route.why) == (
        "ben",
        "picked by the rep",
    )
    (event,) = _events(store_location, lead_id, "verdict_given")
    assert event.details is not None
    assert (event.details["salesperson"], event.details["salesperson_suggested"]) == (
        "ben",
        "anna",
    )
    assert _lead(store_location, lead_id).sales_owner_id == given.route.salesperson_id


def test_an_undone_verdict_stops_the_salespersons_clock(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock, _routing(route_by='"round_robin"'), {"name": "anna"})
    lead_id = add_lead(store_location, clock)
    given = _hand_off(store_location, clock, lead_id)
    with open_desk(store_location, "rep1", clock=clock) as desk:
        desk.qualifying.undo_verdict(given.id)
    lead = _lead(store_location, lead_id)
    assert (lead.sales_owner_id, lead.sales_clock_at, lead.sales_due_at) == (None, None, None)
    with open_desk(store_location, "anna", clock=clock) as desk:
        assert desk.handoff.pending(everything=True).leads == ()


def test_no_salesperson_in_the_store_hands_off_to_sales_as_a_whole(
    store_location: str, clock: FixedClock
) -> None:
    _team(store_location, clock, _routing(route_by='"territory"'))
    lead_id = add_lead(store_location, clock)
    given = _hand_off(store_location, clock, lead_id)
    assert (given.route, given.sales_due_at) == (None, None)
    assert _lead(store_location, lead_id).stage is Stage.QUALIFIED


def test_a_lead_types_own_follow_up_hours_set_when_sales_is_due(store_location: str) -> None:
    clock = FixedClock(BERLIN_NINE - timedelta(days=3))
    definition = _routing(
        route_by='"territory"',
        due_hours=4,
        due_hours_by_lead_type="{ sales_worthy = 2, unqualified_interest = 16 }",
    )
    _team(
        store_location,
        clock,
        definition,
        {"name": "anna", "territories": ("DE",), "timezone": "Europe/Berlin"},
    )
    lead_id = add_lead(store_location, clock, country="DE")
    clock.now = BERLIN_NINE
    given = _hand_off(store_location, clock, lead_id)
    # A sales-worthy lead: 09:00 in Berlin plus its own 2 business hours, not the default 4.
    assert given.sales_due_at == datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    assert _lead(store_location, lead_id).sales_due_at == given.sales_due_at

"""Invariants of the queue, checked on generated leads, times and zones (hypothesis).

The store's indexed queries must give exactly what the rules written once in plain Python
(leaddesk.queue.ordering) give: same leads, same bands, same order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from queue_helpers import NEW_YORK, Team, add_lead
from sqlalchemy import delete

from leaddesk.definition import Policy, sla_deadline
from leaddesk.definition.business_time import within_calling_hours
from leaddesk.definition.policy import CallingHours
from leaddesk.domain import Stage
from leaddesk.queue import Band, current_policy
from leaddesk.queue.ordering import LeadFacts, classify, sort_key
from leaddesk.queue.sla import SlaClock
from leaddesk.queue.zones import callable_now, zone_key_for
from leaddesk.store.models import Lead, Person

BASE = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
ZONES = (
    NEW_YORK,
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
    "America/Los_Angeles|America/New_York",
    None,
)
minutes = st.integers(min_value=-600, max_value=600).map(lambda m: timedelta(minutes=m))

lead_specs = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(list(Stage)),
        "owner": st.sampled_from(["rep1", "rep2", None]),
        "zone": st.sampled_from(ZONES),
        "callback": st.none() | minutes,
        "next_attempt": st.none() | minutes,
        "sla": st.none() | minutes,
        "attempts": st.integers(0, 5),
        "fit": st.integers(0, 100),
        "interest": st.integers(0, 100),
        "dnc": st.sampled_from([False, False, False, True]),
        "erased": st.sampled_from([False, False, False, True]),
        "hold": st.sampled_from([None, None, None, "wrong_number"]),
        "claim": st.none() | st.tuples(st.sampled_from(["rep1", "rep2"]), minutes),
        "source": st.sampled_from(["web_form", "webinar"]),
    }
)


def _facts(lead: Lead, person: Person) -> LeadFacts:
    return LeadFacts(
        lead_id=lead.id,
        stage=lead.stage,
        assigned_to_id=lead.assigned_to_id,
        claimed_by_id=lead.claimed_by_id,
        claim_expires_at=lead.claim_expires_at,
        hold_reason=lead.hold_reason,
        do_not_call=person.do_not_call,
        erased=person.erased_at is not None,
        zone_key=person.zone_key,
        callback_at=lead.callback_at,
        next_attempt_at=lead.next_attempt_at,
        sla_due_at=lead.sla_due_at,
        arrived_at=lead.arrived_at,
        attempts=lead.cadence_attempts,
        fit_score=lead.fit_score,
        interest_score=lead.interest_score,
        source=lead.source,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(lead_specs, max_size=14),
    hour=st.integers(0, 23),
    as_rep=st.sampled_from(["rep1", "rep2"]),
)
def test_store_queue_matches_the_rules_exactly(
    sqlite_team: Team, specs: list[dict[str, object]], hour: int, as_rep: str
) -> None:
    team = sqlite_team
    team.clock.now = BASE + timedelta(hours=hour)
    now = team.clock()
    facts: list[LeadFacts] = []
    with team.store.transaction() as s:
        s.execute(delete(Lead))
        s.execute(delete(Person))
        policy = current_policy(s)
        for spec in specs:
            claim = spec["claim"]
            lead = add_lead(
                s,
                now=now,
                owner=team.ids[spec["owner"]] if spec["owner"] else None,  # type: ignore[index]
                stage=spec["stage"],  # type: ignore[arg-type]
                zone=spec["zone"],  # type: ignore[arg-type]
                callback_at=now + spec["callback"] if spec["callback"] else None,  # type: ignore[operator]
                next_attempt_at=now + spec["next_attempt"] if spec["next_attempt"] else None,  # type: ignore[operator]
                sla_in=spec["sla"],  # type: ignore[arg-type]
                attempts=spec["attempts"],  # type: ignore[arg-type]
                fit=spec["fit"],  # type: ignore[arg-type]
                interest=spec["interest"],  # type: ignore[arg-type]
                do_not_call=spec["dnc"],  # type: ignore[arg-type]
                erased=spec["erased"],  # type: ignore[arg-type]
                hold=spec["hold"],  # type: ignore[arg-type]
                claimed_by=team.ids[claim[0]] if claim else None,  # type: ignore[index]
                claim_expires_at=now + claim[1] if claim else None,  # type: ignore[index]
                source=spec["source"],  # type: ignore[arg-type]
            )
            person = s.get(Person, lead.person_id)
            assert person is not None
            facts.append(_facts(lead, person))

    user_id = team.ids[as_rep]
    placed = []
    for lead_facts in facts:
        band = classify(lead_facts, user_id=user_id, at=now, policy=policy, include_pool=True)
        if isinstance(band, Band):
            placed.append((sort_key(lead_facts, band, policy), lead_facts.lead_id, band))
    expected = [(lead_id, band) for _, lead_id, band in sorted(placed)]

    with team.desk(as_rep) as desk:
        rows = desk.queue.page(limit=100)
        again = desk.queue.page(limit=100)
    got = [(row.lead_id, row.band) for row in rows]
    assert got == expected  # nothing excluded appears, nothing callable is missing, same order
    assert got == [(row.lead_id, row.band) for row in again]  # deterministic
    bands = [band for _, band in got]
    assert bands == sorted(bands)  # a due callback outranks every non-callback, and so on


# -- calling hours ------------------------------------------------------------------------

# Clocks change on a Sunday: the wall-clock properties hold on a team that calls every day.
POLICY = Policy(timezone=NEW_YORK, calling_hours=CallingHours(weekdays=frozenset(range(7))))
WEEKDAYS_ONLY = Policy(timezone=NEW_YORK)
around_dst = st.datetimes(
    min_value=datetime(2026, 3, 6), max_value=datetime(2026, 3, 10), timezones=st.just(UTC)
) | st.datetimes(
    min_value=datetime(2026, 10, 23), max_value=datetime(2026, 11, 3), timezones=st.just(UTC)
)


@given(at=around_dst, zone=st.sampled_from(["America/New_York", "Europe/London", "Europe/Berlin"]))
def test_calling_hours_follow_the_persons_wall_clock_across_dst(at: datetime, zone: str) -> None:
    local_hour = at.astimezone(ZoneInfo(zone)).hour
    assert callable_now(zone, at, POLICY) == (8 <= local_hour < 21)


@given(
    at=around_dst,
    zones=st.lists(
        st.sampled_from(["America/New_York", "America/Chicago", "America/Los_Angeles"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
)
def test_multi_zone_numbers_are_callable_only_inside_every_window(
    at: datetime, zones: list[str]
) -> None:
    key = "|".join(sorted(zones))
    expected = all(within_calling_hours(at, zone, POLICY) for zone in zones)
    assert callable_now(key, at, POLICY) == expected


@given(at=around_dst, zone=st.sampled_from(["America/New_York", "Europe/Berlin"]))
def test_by_default_nobody_is_called_on_a_saturday_or_sunday_their_time(
    at: datetime, zone: str
) -> None:
    local = at.astimezone(ZoneInfo(zone))
    expected = local.weekday() < 5 and 8 <= local.hour < 21
    assert callable_now(zone, at, WEEKDAYS_ONLY) == expected


def test_dst_start_moves_the_window_by_an_hour_in_utc() -> None:
    before = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)  # 07:30 EST
    after = datetime(2026, 3, 8, 12, 30, tzinfo=UTC)  # 08:30 EDT
    assert not callable_now(NEW_YORK, before, POLICY)
    assert callable_now(NEW_YORK, after, POLICY)


def test_zone_from_phone_address_and_stated_zone() -> None:
    assert zone_key_for(phone="+12125550100") == "America/New_York"
    assert zone_key_for(phone="+4915112345678", country="DE") == "Europe/Berlin"
    assert zone_key_for(phone="+12125550100", timezone="America/Chicago") == "America/Chicago"
    # A toll-free number says nothing; the address country does.
    assert zone_key_for(phone="+18005550100", country="DE") == "Europe/Berlin"
    assert zone_key_for(phone="+18005550100", country="US") is None
    assert zone_key_for(phone=None) is None


# -- speed-to-lead in bulk ---------------------------------------------------------------

TEAM_POLICY = Policy(timezone=NEW_YORK, holiday_country="US", holiday_subdivision="NY")
BULK = SlaClock(TEAM_POLICY, datetime(2026, 10, 1).date(), datetime(2027, 1, 31).date())


@given(
    arrived=st.datetimes(
        min_value=datetime(2026, 10, 1), max_value=datetime(2027, 1, 15), timezones=st.just(UTC)
    )
)
def test_bulk_sla_clock_agrees_with_the_definitions_deadline(arrived: datetime) -> None:
    assert BULK.deadline(arrived) == sla_deadline(arrived, TEAM_POLICY)

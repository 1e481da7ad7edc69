"""Qualifying through the desk: answers saved as given, the suggestion, the verdict, its record."""

from __future__ import annotations

import pytest
from qualification_scenarios import (
    OPENING,
    STRONG,
    add_lead,
    bant_nurturing_unqualified_interest,
    reworded_bant,
    sales_worthy,
    set_up_team,
    template_text,
)
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.definition import TEMPLATES
from leaddesk.desk import open_desk
from leaddesk.domain import DisqualifyReason, LeadType, Stage, Verdict
from leaddesk.errors import Conflict, InputError, NotPermitted
from leaddesk.qualifying.facts import lead_facts
from leaddesk.store import open_store
from leaddesk.store.models import Answer, AuditEvent, Lead, User, VerdictRecord


@pytest.fixture
def team(store_location: str, clock: FixedClock) -> str:
    set_up_team(store_location, clock)
    return store_location


def _lead_row(location: str, lead_id: int) -> Lead:
    store = open_store(location)
    try:
        with store.reading() as session:
            lead = session.get(Lead, lead_id)
            assert lead is not None
            return lead
    finally:
        store.close()


def _events(location: str, lead_id: int) -> list[AuditEvent]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(
                session.scalars(
                    select(AuditEvent).where(AuditEvent.lead_id == lead_id).order_by(AuditEvent.id)
                )
            )
    finally:
        store.close()


def _verdict_rows(location: str, lead_id: int) -> list[VerdictRecord]:
    store = open_store(location)
    try:
        with store.reading() as session:
            return list(
                session.scalars(select(VerdictRecord).where(VerdictRecord.lead_id == lead_id))
            )
    finally:
        store.close()


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_published_then_qualifies_and_hands_off_a_sales_worthy_lead(
    team: str, clock: FixedClock, template: str
) -> None:
    with open_desk(team, "lead1", clock=clock) as desk:
        published = desk.qualifying.publish_definition(
            template_text(template), f"{template}.toml"
        ).version
    lead_id = add_lead(team, clock)
    answers = sales_worthy(template)
    first_call = dict(list(answers.items())[:3])
    rest = dict(list(answers.items())[3:])
    with open_desk(team, "rep1", clock=clock) as desk:
        started = desk.qualifying.answer(lead_id, first_call)
        assert started.stage is Stage.IN_QUALIFICATION
        assert started.definition_version == published.version
        clock.advance(minutes=5)
        done = desk.qualifying.answer(lead_id, rest)
        assert done.suggestion.verdict is Verdict.HAND_OFF
        assert done.suggestion.lead_type is LeadType.SALES_WORTHY
        assert done.completeness == 1.0
        verdict = desk.qualifying.give_verdict(
            lead_id,
            Verdict.HAND_OFF,
            expected_version=desk.qualifying.evaluate(lead_id).lead_version,
        )
    assert verdict.stage is Stage.QUALIFIED
    assert not verdict.overridden
    assert verdict.definition_version == published.version
    assert verdict.fired_rules and verdict.fired_rules[-1].endswith("→ Sales-worthy")
    assert verdict.answers == done.evaluation.answers
    lead = _lead_row(team, lead_id)
    assert (lead.stage, lead.lead_type, lead.closed_at) == (
        Stage.QUALIFIED,
        LeadType.SALES_WORTHY,
        None,  # still waits for its handoff batch
    )
    assert (lead.claimed_by_id, lead.claim_expires_at) == (None, None)
    assert lead.fit_score == verdict.fit_score and lead.fit_score >= 50
    assert lead.definition_version_id is not None
    [row] = _verdict_rows(team, lead_id)
    assert row.definition_version_id == lead.definition_version_id
    assert row.suggested_verdict is Verdict.HAND_OFF
    assert [e.action for e in _events(team, lead_id)] == [
        "answers_saved",
        "answers_saved",
        "verdict_given",
    ]


def test_knock_out_suggests_disqualify_and_the_verdict_closes_the_lead(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, {**OPENING, "contact_check": "invalid"})
        assert state.suggestion.verdict is Verdict.DISQUALIFY
        assert state.suggestion.knockout == "contact_check"
        assert state.fired == ("Knock-out: Contact details are wrong or made up → Dubious",)
        verdict = desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY)
    assert (verdict.lead_type, verdict.disqualify_reason) == (
        LeadType.DUBIOUS,
        DisqualifyReason.DUBIOUS,
    )
    assert verdict.reason == "Contact details are wrong or made up"
    lead = _lead_row(team, lead_id)
    assert lead.stage is Stage.DISQUALIFIED
    assert lead.closed_at == clock()


def test_branch_question_opens_and_its_answer_stops_counting_when_closed(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        opened = desk.qualifying.answer(lead_id, {"budget_status": "approved"})
        assert "budget_amount" in [q.id for q in opened.evaluation.next_questions]
        desk.qualifying.answer(lead_id, {"budget_amount": 50000})
        shut = desk.qualifying.answer(lead_id, {"budget_status": "none"})
    visible = [s.question.id for s in shut.evaluation.questions]
    assert "budget_amount" not in visible
    assert shut.answers["budget_amount"] == {"amount": 50000, "currency": "USD"}  # kept, hidden
    assert "budget_amount" not in shut.evaluation.answers
    assert shut.suggestion.because.startswith("No budget and no plan for one")


def test_override_needs_a_reason_and_is_audited_with_suggestion_and_choice(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, sales_worthy("bant"))
        with pytest.raises(InputError, match="give a reason"):
            desk.qualifying.give_verdict(lead_id, Verdict.NURTURE)
        with pytest.raises(InputError, match="give a reason"):
            desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "   ")
        assert _verdict_rows(team, lead_id) == []
        assert _lead_row(team, lead_id).stage is Stage.IN_QUALIFICATION
        verdict = desk.qualifying.give_verdict(
            lead_id, Verdict.NURTURE, "Budget frozen until the merger closes in March"
        )
    assert verdict.overridden
    assert verdict.override_reason == "Budget frozen until the merger closes in March"
    assert (verdict.suggested_verdict, verdict.verdict) == (Verdict.HAND_OFF, Verdict.NURTURE)
    event = _events(team, lead_id)[-1]
    assert event.action == "verdict_overridden"
    assert event.reason == "Budget frozen until the merger closes in March"
    assert event.details is not None
    assert (event.details["suggested_verdict"], event.details["verdict"]) == ("hand_off", "nurture")
    assert (event.from_state, event.to_state) == ("in_qualification", "nurture")


def test_confirming_a_nurture_suggestion_sets_the_recycle_date(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(bant_nurturing_unqualified_interest(), "team.toml")
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, {**sales_worthy("bant"), "budget_status": "none"})
        assert state.suggestion.recycle_days == 180 and not state.evaluation.required_left
        verdict = desk.qualifying.give_verdict(lead_id, Verdict.NURTURE)
    assert verdict.recycle_at is not None
    assert (verdict.recycle_at - clock()).days == 180
    assert _lead_row(team, lead_id).closed_at == clock()


def test_existing_customer_is_routed_to_the_account_owner(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock, customer=True)
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.answer(lead_id, sales_worthy("bant"))
        assert state.suggestion.verdict is Verdict.EXISTING_ACCOUNT
        desk.qualifying.give_verdict(lead_id, Verdict.EXISTING_ACCOUNT)
    lead = _lead_row(team, lead_id)
    assert (lead.stage, lead.existing_account) == (Stage.EXISTING_ACCOUNT, True)


def test_verdict_under_v1_keeps_v1_wording_after_v2_is_published(
    team: str, clock: FixedClock
) -> None:
    decided = add_lead(team, clock)
    started = add_lead(team, clock, email="second@acme.example")
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(decided, sales_worthy("bant"))
        desk.qualifying.give_verdict(decided, Verdict.HAND_OFF)
        desk.qualifying.answer(started, OPENING)  # begun under version 1, finished after version 2
    with open_desk(team, "lead1", clock=clock) as desk:
        v2 = desk.qualifying.publish_definition(reworded_bant(), "bant-v2.toml").version
    assert v2.version == 2
    fresh = add_lead(team, clock, email="third@acme.example")
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(started, {**STRONG["bant"], "next_step_agreed": True})
        late = desk.qualifying.give_verdict(started, Verdict.HAND_OFF)
        history = desk.qualifying.verdict_history(decided)
        fresh_state = desk.qualifying.evaluate(fresh)
    assert late.definition_version == 1
    [past] = history
    assert past.verdict.definition_version == 1
    pain = next(q for q in past.questions if q.id == "pain_level")
    assert pain.text == "How much is this problem costing you right now?"
    assert pain.answer_text == "Major: it hurts every week"
    assert fresh_state.definition_version == 2
    new_pain = fresh_state.definition.question("pain_level")
    assert new_pain is not None and new_pain.text == "What does this problem cost you each month?"
    with open_desk(team, "sales1", clock=clock) as desk:  # sales reads how it was decided
        assert desk.qualifying.verdict_history(decided)[0].questions == past.questions


def test_answers_saved_per_call_survive_a_new_desk(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {"contact_check": "yes"})
        desk.qualifying.answer(lead_id, {"pain_level": "major", "decision_role": "influencer"})
    with open_desk(team, "rep1", clock=clock) as desk:
        state = desk.qualifying.evaluate(lead_id)
    assert state.answers == {
        "contact_check": "yes",
        "pain_level": "major",
        "decision_role": "influencer",
    }
    assert "decision_maker_contact" in [q.id for q in state.evaluation.next_questions]


def test_clearing_an_answer_removes_it_and_saving_the_same_answer_writes_nothing(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {"contact_check": "yes", "pain_level": "some"})
        desk.qualifying.answer(lead_id, {"contact_check": "yes"})
        state = desk.qualifying.answer(lead_id, {"pain_level": None})
    assert state.answers == {"contact_check": "yes"}
    assert [e.action for e in _events(team, lead_id)] == ["answers_saved", "answers_saved"]


def test_unknown_question_and_wrong_type_are_named_and_nothing_is_saved(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        with pytest.raises(InputError) as raised:
            desk.qualifying.answer(
                lead_id, {"contact_check": "yes", "budjet": "approved", "timeline": 3}
            )
        assert desk.qualifying.evaluate(lead_id).answers == {}
    assert "budjet: no such question" in raised.value.message
    assert "timeline: pick one of" in raised.value.message


def test_verdict_on_a_closed_lead_is_a_conflict(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {**OPENING, "contact_check": "invalid"})
        desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY)
        with pytest.raises(Conflict, match="already closed"):
            desk.qualifying.give_verdict(lead_id, Verdict.DISQUALIFY)
        with pytest.raises(Conflict, match="already closed"):
            desk.qualifying.answer(lead_id, {"contact_check": "yes"})
    assert len(_verdict_rows(team, lead_id)) == 1


def test_another_reps_lead_is_refused(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock, assigned_to="rep2")
    with open_desk(team, "rep1", clock=clock) as desk:
        with pytest.raises(NotPermitted, match="assigned to rep2"):
            desk.qualifying.answer(lead_id, OPENING)
        with pytest.raises(NotPermitted, match="assigned to rep2"):
            desk.qualifying.give_verdict(lead_id, Verdict.NURTURE, "no")
    assert _lead_row(team, lead_id).stage is Stage.WORKING


def test_lead_on_another_reps_call_is_a_conflict_and_own_claim_is_released(
    team: str, clock: FixedClock
) -> None:
    pooled = add_lead(team, clock, assigned_to=None)
    store = open_store(team)
    with store.transaction() as session:
        users = dict(session.execute(select(User.name, User.id)).tuples().all())
        lead = session.get(Lead, pooled)
        assert lead is not None
        lead.claimed_by_id = users["rep2"]
        lead.claim_expires_at = clock().replace(hour=16)
    store.close()
    with open_desk(team, "rep1", clock=clock) as desk, pytest.raises(Conflict, match="rep2"):
        desk.qualifying.answer(pooled, OPENING)
    with open_desk(team, "rep2", clock=clock) as desk:
        desk.qualifying.answer(pooled, {**OPENING, "contact_check": "invalid"})
        desk.qualifying.give_verdict(pooled, Verdict.DISQUALIFY)
    lead = _lead_row(team, pooled)
    assert (lead.claimed_by_id, lead.claim_expires_at) == (None, None)


def test_change_made_meanwhile_is_a_conflict_naming_who(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        seen = desk.qualifying.answer(lead_id, sales_worthy("bant")).lead_version
    # A team lead changes the lead while the rep is still on the phone.
    store = open_store(team)
    with store.transaction() as session:
        lead1 = session.scalar(select(User.id).where(User.name == "lead1"))
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.sla_due_at = clock()
        session.add(AuditEvent(at=clock(), actor_id=lead1, action="sla_changed", lead_id=lead_id))
    store.close()
    with open_desk(team, "rep1", clock=clock) as desk:
        with pytest.raises(Conflict, match=r"changed since you opened it \(lead1"):
            desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, expected_version=seen)
        assert desk.qualifying.evaluate(lead_id).stage is Stage.IN_QUALIFICATION
        fresh = desk.qualifying.evaluate(lead_id).lead_version
        assert desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF, expected_version=fresh)


def test_sales_cannot_answer_or_give_verdicts(team: str, clock: FixedClock) -> None:
    lead_id = add_lead(team, clock, assigned_to=None)
    with open_desk(team, "sales1", clock=clock) as desk:
        with pytest.raises(NotPermitted, match="cannot qualify leads"):
            desk.qualifying.answer(lead_id, OPENING)
        with pytest.raises(NotPermitted, match="cannot give verdicts"):
            desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    with open_desk(team, "admin1", clock=clock) as desk, pytest.raises(NotPermitted):
        desk.qualifying.give_verdict(lead_id, Verdict.HAND_OFF)
    assert _verdict_rows(team, lead_id) == []


def test_facts_come_from_the_lead_person_account_and_history(team: str, clock: FixedClock) -> None:
    first = add_lead(team, clock, industry="Financial services")
    clock.advance(hours=3)
    second = add_lead(team, clock, industry="Financial services")
    store = open_store(team)
    with store.transaction() as session:
        # The second inquiry is from the same person as the first.
        one, two = session.get(Lead, first), session.get(Lead, second)
        assert one is not None and two is not None
        two.person_id = one.person_id
    with store.reading() as session:
        lead = session.get(Lead, second)
        assert lead is not None
        facts = lead_facts(session, lead, clock())
    store.close()
    assert facts["industry"] == "financial_services"
    assert facts["earlier_leads"] == 1
    assert facts["email_domain"] == "acme.example"
    assert facts["hours_since_arrival"] == 0.5
    assert (facts["employees"], facts["seniority"], facts["country"]) == (320, "director", "US")
    assert facts["existing_customer"] is False


def test_answers_are_stamped_with_the_version_the_lead_runs_under(
    team: str, clock: FixedClock
) -> None:
    lead_id = add_lead(team, clock)
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, OPENING)
    with open_desk(team, "lead1", clock=clock) as desk:
        desk.qualifying.publish_definition(reworded_bant(), "bant-v2.toml")
    with open_desk(team, "rep1", clock=clock) as desk:
        desk.qualifying.answer(lead_id, {"pain_level": "some"})
    store = open_store(team)
    with store.reading() as session:
        stamped = session.execute(
            select(func.count(func.distinct(Answer.definition_version_id))).where(
                Answer.lead_id == lead_id
            )
        ).scalar_one()
        lead = session.get(Lead, lead_id)
    store.close()
    assert stamped == 1
    assert lead is not None and lead.definition_version_id is not None

"""A lead typed in by hand (an inbound call, a referral) follows the import's rules."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from leaddesk.cli import main as cli
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Stage
from leaddesk.errors import InputError, NotPermitted
from leaddesk.intake.by_hand import BY_HAND, NewInterest
from leaddesk.store import Store
from leaddesk.store.models import Account, AuditEvent, ImportRun, Lead, Note, Person

ADA = NewInterest(
    first_name="Ada",
    last_name="Quill",
    email="Ada@Quill.Example",
    phone="(212) 555-0142",
    company="Quill Labs Inc.",
    title="Head of Operations",
    inquiry="Pricing for 40 seats",
)


def _desk(store_location: str, clock: FixedClock, user: str) -> Desk:
    return open_desk(store_location, user, clock=clock)


def _count(store: Store, model: type) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_inbound_caller_becomes_a_lead_in_the_reps_queue_cleaned_like_an_import(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        added = rep.intake.add_lead(ADA)
        assert added.outcome == "created"
        assert (
            added.message(rep.actor.id or 0)
            == f"New lead #{added.lead_id} for Ada Quill, in your queue"
        )
        assert [row.lead_id for row in rep.queue.page()] == [added.lead_id]
        row = rep.queue.lead_row(added.lead_id)
    assert row is not None and row.blocked is None
    with store.reading() as session:
        lead = session.get(Lead, added.lead_id)
        assert lead is not None
        person = session.get(Person, lead.person_id)
        assert person is not None
        assert (person.email, person.phone) == ("Ada@quill.example", "+12125550142")
        assert (lead.source, lead.stage, lead.inquiry) == ("inbound_call", Stage.NEW, ADA.inquiry)
        assert lead.sla_due_at is not None and lead.sla_due_at > clock()
        assert lead.extra is not None and lead.extra["intake"]["file"] == BY_HAND
        run = session.get(ImportRun, added.run_id)
        assert run is not None and run.started_by_id == lead.assigned_to_id
        events = session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "lead_added_by_hand")
        ).all()
    assert [event["lead"] for event in events] == [added.lead_id]


def test_the_same_person_calling_again_raises_the_open_lead_instead_of_a_second(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        first = rep.intake.add_lead(ADA)
        clock.advance(hours=2)
        again = rep.intake.add_lead(
            NewInterest(first_name="Ada", phone="212 555 0142", inquiry="Asked for a trial")
        )
        assert again.outcome == "attached" and again.lead_id == first.lead_id
        assert again.how == "same phone" and again.interest == first.interest + 10
        assert "already has an open lead" in again.message(rep.actor.id or 0)
        # Nurtured, then back with new interest a month later: a new lead on the same person.
        with store.transaction() as session:
            lead = session.get(Lead, first.lead_id)
            assert lead is not None
            lead.stage, lead.closed_at = Stage.NURTURE, clock()
        clock.advance(days=30)
        later = rep.intake.add_lead(NewInterest(first_name="Ada", email="ada@quill.example"))
    assert later.outcome == "merged" and later.how == "same email"
    assert later.person_id == first.person_id and later.lead_id != first.lead_id
    with store.reading() as session:
        notes = session.scalars(select(Note.text).where(Note.lead_id == first.lead_id)).all()
    assert any(text.endswith("Asked for a trial (entered by hand by rep1)") for text in notes), (
        notes
    )


def test_a_customers_company_is_flagged_for_the_account_owner(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with store.transaction() as session:
        session.add(
            Account(
                name="Quill Labs",
                name_key="quill labs",
                is_customer=True,
                owner_name="Dana Reyes",
                created_at=clock(),
            )
        )
    with _desk(store_location, clock, "rep1") as rep:
        added = rep.intake.add_lead(ADA)
    assert added.customer == "Quill Labs is a customer (owner Dana Reyes)"
    assert added.message(0).endswith("route it to the account owner")


def test_who_gets_it_a_rep_keeps_theirs_a_team_lead_chooses(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        with pytest.raises(NotPermitted):
            rep.intake.add_lead(ADA, for_user="rep2")
        with pytest.raises(NotPermitted):
            rep.intake.add_lead(ADA, for_user="pool")
    with _desk(store_location, clock, "lead1") as lead:
        to_rep2 = lead.intake.add_lead(ADA, for_user="rep2")
        pooled = lead.intake.add_lead(
            NewInterest(first_name="Bo", email="bo@example.com"), for_user="pool"
        )
        with pytest.raises(InputError, match="has no call queue"):
            lead.intake.add_lead(
                NewInterest(first_name="Cy", email="cy@example.com"), for_user="sales1"
            )
    assert to_rep2.owner == "rep2"
    assert pooled.owner is None and "in the open pool" in pooled.message(0)
    # A salesperson's lead is their referral (issue 19): the policy gives it to a rep.
    with _desk(store_location, clock, "sales1") as sales:
        referral = sales.intake.add_lead(NewInterest(first_name="Dee", email="dee@example.com"))
        assert referral.outcome == "created" and referral.owner != "Sales1"
        with pytest.raises(InputError, match="A referral goes to the rep the policy picks"):
            sales.intake.add_lead(ADA, for_user="rep2")


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        (NewInterest(email="ada@quill.example"), "first_name", "give the person's name"),
        (
            NewInterest(first_name="Ada", email="not an email"),
            "email",
            "give an email or a phone, at least one that works",
        ),
        (NewInterest(first_name="Ada"), "email", "give an email or a phone, at least one"),
        (NewInterest(first_name="Ada", email="a@b.example", source="fax"), "source", "use one of"),
        (
            NewInterest(first_name="A" * 2_001, email="a@b.example"),
            "first_name",
            "the first name takes at most 2,000",
        ),
    ],
)
def test_what_cannot_be_a_lead_is_refused_and_nothing_is_stored(
    store: Store,
    store_location: str,
    clock: FixedClock,
    entry: NewInterest,
    field: str,
    message: str,
) -> None:
    before = (_count(store, Lead), _count(store, Person), _count(store, ImportRun))
    with (
        _desk(store_location, clock, "rep1") as rep,
        pytest.raises(InputError, match=message) as refused,
    ):
        rep.intake.add_lead(entry)
    assert refused.value.field == field
    assert (_count(store, Lead), _count(store, Person), _count(store, ImportRun)) == before


def test_a_lead_added_by_hand_can_be_undone_until_someone_works_it(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        added = rep.intake.add_lead(ADA)
        rep.intake.undo(added.run_id)
    assert _count(store, Lead) == 0


def test_the_cli_adds_a_lead_and_refuses_bad_input_with_exit_2(
    store: Store, store_location: str, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", store_location, "add-lead", "--as", "rep1"]
    code = cli([*base, "--first-name", "Chen", "--phone", "+44 20 7946 0958", "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code == 0 and shown["outcome"] == "created" and shown["owner"] == "rep1"
    assert cli([*base, "--first-name", "Dee"]) == 2
    assert "--email: give an email or a phone, at least one" in capsys.readouterr().err
    assert cli([*base, "--email", "x@y.example", "--first-name", "X", "--for", "rep2"]) == 3
    assert _count(store, Lead) == 1

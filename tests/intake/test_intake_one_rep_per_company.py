"""One company, one rep: with the policy's one_rep_per_company, a new lead at a company a rep
already works goes to that rep; companies match however their name is written (punctuation,
legal forms) and, for a row without a company, by the email's company domain; a known person
added without a company keeps theirs."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.definition import versions as definition_versions
from leaddesk.desk import open_desk
from leaddesk.domain import Stage
from leaddesk.files.resources import resource_path
from leaddesk.intake.by_hand import NewInterest
from leaddesk.store import Store
from leaddesk.store.models import Lead, Person, User
from tests.cli_in_process import RunCli
from tests.intake.test_intake_import import write_csv

FIRST = [["Ann", "Alpha", "ann@maddox-taylor.example", "", "Maddox-Taylor", "", ""]]
MORE = [
    ["Bob", "Beta", "bob@maddox-taylor.example", "", "Maddox Taylor Ltd", "", ""],
    ["Cy", "Gamma", "cy@maddox-taylor.example", "", "", "", ""],
    ["Di", "Delta", "di@other.example", "", "Other Co", "", ""],
    ["Ed", "Epsilon", "ed@other.example", "", "Other Co.", "", ""],
    ["Flo", "Free", "flo@gmail.com", "", "", "", ""],
]


def _one_rep_per_company(store: Store, clock: FixedClock) -> None:
    text = resource_path("definitions", "bant.toml").read_text(encoding="utf-8")
    assert "one_rep_per_company = false" in text
    with store.transaction() as session:
        lead1 = session.scalar(select(User.id).where(User.name == "lead1"))
        definition_versions.publish(
            session,
            text.replace("one_rep_per_company = false", "one_rep_per_company = true", 1),
            source="one-rep.toml",
            at=clock(),
            actor_id=lead1,
        )


def _leads(store: Store) -> dict[str, tuple[int | None, str | None]]:
    """First name -> (account id, rep's user name) of each lead."""
    with store.reading() as session:
        rows = session.execute(
            select(Person.first_name, Lead.account_id, User.name)
            .join(Person, Person.id == Lead.person_id)
            .outerjoin(User, User.id == Lead.assigned_to_id)
            .order_by(Lead.id)
        ).all()
    return {first: (account, rep) for first, account, rep in rows}


def test_a_new_lead_at_a_company_a_rep_works_goes_to_that_rep(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    _one_rep_per_company(store, clock)
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "first.csv", FIRST))
        ann_account, ann_rep = _leads(store)["Ann"]
        assert ann_account is not None and ann_rep is not None
        summary = lead1.intake.import_file(write_csv(tmp_path / "more.csv", MORE))
    leads = _leads(store)
    assert leads["Bob"] == (ann_account, ann_rep)  # "Maddox Taylor Ltd" is "Maddox-Taylor"
    assert leads["Cy"] == (ann_account, ann_rep)  # no company: her email's domain says it
    other_account, other_rep = leads["Di"]
    assert leads["Ed"] == (other_account, other_rep)  # one new company, one rep
    assert other_account not in (None, ann_account)
    assert leads["Flo"][0] is None  # free mail names no company
    assert sum(summary.assigned_to.values()) == summary.counts.assigned == 5


def test_without_the_policy_the_company_still_matches_but_turns_go_round(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "first.csv", FIRST))
        lead1.intake.import_file(write_csv(tmp_path / "more.csv", MORE[:2]))
    leads = _leads(store)
    assert leads["Ann"][0] == leads["Bob"][0] == leads["Cy"][0]
    assert {leads["Ann"][1], leads["Bob"][1], leads["Cy"][1]} == {"rep1", "rep2"}


def test_without_the_policy_both_reps_are_told_the_other_works_the_company(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path, run_cli: RunCli
) -> None:
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "first.csv", FIRST))
        lead1.intake.import_file(write_csv(tmp_path / "more.csv", MORE[:1]))
    with store.reading() as session:
        ids = dict(
            session.execute(
                select(Person.first_name, Lead.id).join(Person, Person.id == Lead.person_id)
            ).all()
        )
    leads = _leads(store)
    assert leads["Ann"][1] != leads["Bob"][1]  # turns went round: two reps, one company
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        ann, bob = lead1.queue.lead_file(ids["Ann"]), lead1.queue.lead_file(ids["Bob"])
    assert [(o.name, o.owner) for o in ann.also_worked_by] == [("Bob Beta", bob.assigned_to)]
    assert [(o.name, o.owner) for o in bob.also_worked_by] == [("Ann Alpha", ann.assigned_to)]
    code, out, _err = run_cli("lead", str(ids["Bob"]), "--as", "lead1", db=store_location)
    assert code == 0
    assert f"Also open at this company: Ann Alpha with {ann.assigned_to}. Agree who calls." in out


def test_with_the_policy_a_company_worked_by_one_rep_is_flagged_to_nobody(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    _one_rep_per_company(store, clock)
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "first.csv", FIRST))
        lead1.intake.import_file(write_csv(tmp_path / "more.csv", MORE[:1]))
        with store.reading() as session:
            bob = session.scalar(
                select(Lead.id)
                .join(Person, Person.id == Lead.person_id)
                .where(Person.first_name == "Bob")
            )
        assert bob is not None
        file = lead1.queue.lead_file(bob)
    assert [other.name for other in file.colleagues] == ["Ann Alpha"]
    assert file.also_worked_by == ()


def test_a_known_person_added_without_a_company_keeps_theirs(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    gus = [["Gus", "Gee", "gus@gmail.com", "", "Maddox-Taylor", "", ""]]  # no company domain
    with open_desk(store_location, "lead1", clock=clock) as lead1:
        lead1.intake.import_file(write_csv(tmp_path / "first.csv", gus))
    with store.transaction() as session:
        first = session.scalars(select(Lead)).one()
        first.stage, account, first_id = Stage.NURTURE, first.account_id, first.id
    assert account is not None
    with open_desk(store_location, "rep1", clock=clock) as rep1:
        added = rep1.intake.add_lead(
            NewInterest(first_name="Gus", last_name="Gee", email="gus@gmail.com")
        )
    assert added.outcome == "merged" and added.lead_id != first_id
    with store.reading() as session:
        lead = session.get(Lead, added.lead_id)
        assert lead is not None and lead.account_id == account

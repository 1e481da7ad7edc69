"""Importing exports into the store through the desk: duplicates, preview, chunks, resume, undo."""

from __future__ import annotations

import csv
import json
import multiprocessing
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.definition import Assignment, evaluate
from leaddesk.definition import versions as definition_versions
from leaddesk.definition.business_time import sla_deadline
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Role, Stage
from leaddesk.errors import Conflict, NotPermitted
from leaddesk.files.resources import resource_path
from leaddesk.intake import cleaning, importing
from leaddesk.intake.assignment import Assigner, _Rep
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.planning import MORE_INTEREST_POINTS
from leaddesk.intake.summary import ImportCancelled
from leaddesk.people import users as user_ops
from leaddesk.qualifying.facts import lead_facts
from leaddesk.queue.policy import current_policy
from leaddesk.store import Store, open_store
from leaddesk.store.bulk_writes import BulkWriter
from leaddesk.store.models import (
    Account,
    Base,
    ImportRun,
    Lead,
    Note,
    Person,
    SourceMapping,
)
from leaddesk.store.models import Assignment as Handover
from leaddesk.team.reassign import LeadPick
from tests.factories import add_team

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Lead Source", "Message"]


def desk_as(store_location: str, clock: FixedClock, user: str) -> Desk:
    return open_desk(store_location, user, clock=clock)


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with desk_as(store_location, clock, "lead1") as desk:
        yield desk


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def content(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """People, accounts, leads, notes and assignments as plain rows: what an import may
    change."""
    with store.reading() as session:
        return {
            "people": sorted(
                session.execute(select(Person.email, Person.phone, Person.last_name)).tuples()
            ),
            "accounts": sorted(session.execute(select(Account.name, Account.name_key)).tuples()),
            "leads": sorted(
                (lead.person_id, lead.stage.value, lead.interest_score, json.dumps(lead.extra))
                for lead in session.scalars(select(Lead))
            ),
            "notes": sorted(session.execute(select(Note.lead_id, Note.text)).tuples()),
            "assignments": sorted(
                session.execute(
                    select(Handover.lead_id, Handover.to_user_id, Handover.reason)
                ).tuples()
            ),
        }


def count(store: Store, model: Any) -> int:
    with store.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


ADA = [
    "Ada",
    "Lovelace",
    "ada@engines.example",
    "+1 212 555 0101",
    "Engines Ltd",
    "Web form",
    "Pricing",
]
BOB = ["Bob", "Stone", "bob@quarry.example", "+1 303 555 0199", "Quarry Inc", "Webinar", ""]


def test_dry_run_reports_each_row_and_stores_nothing(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = write_csv(tmp_path / "leads.csv", [ADA, BOB, ["", "", "nope", "12", "X", "", ""]])
    report = tmp_path / "preview.csv"
    summary = lead1.intake.import_file(export, dry_run=True, report_path=report)
    assert (summary.counts.rows, summary.counts.created, summary.counts.invalid) == (3, 2, 1)
    assert count(store, Lead) == count(store, Person) == count(store, ImportRun) == 0
    with report.open(encoding="utf-8-sig") as handle:
        reasons = {(row["row"], row["reason"].split(":")[0]) for row in csv.DictReader(handle)}
    assert reasons == {("2", "new lead"), ("3", "new lead"), ("4", "row skipped")}


def test_imported_lead_is_ready_for_the_call_queue(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA]))
    assert summary.counts.created == 1 and summary.counts.assigned == 1
    with store.reading() as session:
        lead = session.scalars(select(Lead)).one()
        policy = current_policy(session)
        assert lead.stage is Stage.NEW and lead.hold_reason is None
        assert lead.sla_due_at == sla_deadline(clock(), policy)
        assert lead.person.zone_key == "America/New_York"
        assert lead.person.country == "US"
        assert lead.interest_score > 0  # a web form asking for pricing is interest
        owner = lead.assigned_to_id
    with store.reading() as session:
        owner_name = user_ops.info(session.get(user_ops.User, owner)).name  # type: ignore[arg-type]
    with desk_as(store_location, clock, owner_name) as rep:
        assert [row.lead_id for row in rep.queue.page()] == [lead.id]


def everything(store: Store) -> dict[str, list[str]]:
    """Every row of every table (runs, audit trail, mappings too), as text."""
    with store.reading() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables
        }


def test_reimporting_the_same_file_changes_nothing(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = write_csv(tmp_path / "leads.csv", [ADA, BOB, ["", "", "x", "", "", "", ""]])
    first = lead1.intake.import_file(export)
    before = everything(store)
    report = tmp_path / "again.csv"
    again = lead1.intake.import_file(export, report_path=report)
    assert (again.counts.unchanged, again.counts.invalid, again.counts.created) == (2, 1, 0)
    assert (again.status, again.run_id, again.dry_run) == ("already_imported", first.run_id, False)
    assert everything(store) == before  # not even a run or an audit event
    assert report.read_text(encoding="utf-8-sig").count("unchanged: already imported") == 2
    # The same rows in another file: nothing new either, but that is a run of its own.
    renamed = lead1.intake.import_file(write_csv(tmp_path / "copy.csv", [BOB, ADA]))
    assert renamed.counts.unchanged == 2 and renamed.status == "finished"
    undone = lead1.intake.undo(first.run_id)  # type: ignore[arg-type]
    assert undone.leads_removed == 2
    assert lead1.intake.import_file(export).counts.created == 2  # undone: the file counts as new


def test_known_email_without_open_lead_gets_a_new_lead_on_the_same_person(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA]))
    with store.transaction() as session:
        session.scalars(select(Lead)).one().stage = Stage.NURTURE
    later = [*ADA[:5], "Webinar", "Came back for the webinar"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [later]))
    assert (summary.counts.merged, summary.counts.created) == (1, 0)
    assert count(store, Person) == 1 and count(store, Lead) == 2


def test_an_email_is_the_same_person_whatever_its_capitals(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    shouting = ["Ada", "Lovelace", "Ada.Lovelace@Engines.example", "", "Engines", "Web", "Hi"]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [shouting]))
    with store.transaction() as session:
        session.scalars(select(Lead)).one().stage = Stage.NURTURE
    quiet = ["Ada", "Lovelace", "ada.lovelace@engines.example", "", "", "Webinar", "Back again"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [quiet]))
    assert (summary.counts.merged, summary.counts.created) == (1, 0)
    assert count(store, Person) == 1


def test_more_interest_goes_onto_the_open_lead_not_a_second_one(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA]))
    with store.reading() as session:
        score = session.scalars(select(Lead)).one().interest_score
    again = ["Ada", "Lovelace", "", "(212) 555-0101", "Engines", "Webinar", "Webinar Q&A"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [again]))
    assert summary.counts.attached == 1
    with store.reading() as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.interest_score == min(100, score + MORE_INTEREST_POINTS)
        notes = session.scalars(select(Note.text)).all()
    assert len(notes) == 1 and "Webinar Q&A" in notes[0] and "row 2" in notes[0]


def test_close_name_at_the_same_company_is_the_same_person(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA]))
    with store.transaction() as session:
        session.scalars(select(Lead)).one().stage = Stage.DISQUALIFIED
    typo = ["Ada", "Lovelase", "ada.l@home.example", "", "ENGINES LTD.", "Event", "Booth"]
    other = ["Alan", "Turing", "alan@engines.example", "", "Engines Ltd", "Event", "Booth"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [typo, other]))
    assert (summary.counts.merged, summary.counts.created) == (1, 1)
    assert count(store, Account) == 1


def test_shared_switchboard_number_with_different_emails_is_two_people(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    colleague = ["Grace", "Hopper", "grace@engines.example", ADA[3], "Engines Ltd", "", ""]
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA, colleague]))
    assert summary.counts.created == 2 and count(store, Person) == 2


def test_company_of_a_customer_is_flagged_existing_account(
    store: Store, lead1: Desk, clock: FixedClock, tmp_path: Path
) -> None:
    with store.transaction() as session:
        session.add(
            Account(name="Engines Limited", name_key="engines limited", is_customer=True,
                    owner_name="Dana", created_at=clock())
        )  # fmt: skip
        session.add(
            Account(name="Engines", name_key="engines", is_customer=True, owner_name="Dana",
                    created_at=clock())
        )  # fmt: skip
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA, BOB]))
    assert summary.counts.existing_account == 1
    with store.reading() as session:
        flagged = session.scalars(select(Lead).where(Lead.existing_account.is_(True))).one()
        assert flagged.person.email == "ada@engines.example"


def test_unknown_columns_and_formulas_are_kept_as_plain_text(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    header = [*HEADER, "Favourite Colour"]
    row = [
        '=HYPERLINK("http://x")',
        "@SUM(A1)",
        "ada@engines.example",
        "",
        "+Co",
        "",
        "=1+1",
        "teal",
    ]
    report = tmp_path / "report.csv"
    lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [row], header), report_path=report)
    with store.reading() as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.person.first_name == '=HYPERLINK("http://x")'
        assert lead.person.last_name == "@SUM(A1)"
        assert lead.inquiry == "=1+1"
        assert lead.extra is not None and lead.extra["columns"] == {"Favourite Colour": "teal"}


def test_report_lists_rejected_and_flagged_rows_with_field_and_reason(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    rows = [ADA, ["Eve", "", "eve@", "+1 212 555 0177", "", "", ""], ["", "", "", "", "", "", "x"]]
    report = tmp_path / "report.csv"
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", rows), report_path=report)
    assert summary.report == str(report)
    with report.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert [(line["row"], line["field"]) for line in lines] == [
        ("3", "Email"),
        ("4", "Email, Phone"),
    ]
    assert (
        "kept as typed" in lines[0]["reason"] and "no usable email or phone" in lines[1]["reason"]
    )


def test_mapping_is_saved_per_source_and_reused(store: Store, lead1: Desk, tmp_path: Path) -> None:
    header = ["Who", "Mail", "Dial"]
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"columns": {"Who": "full_name", "Mail": "email", "Dial": "phone"}})
    )
    first = write_csv(tmp_path / "a.csv", [["Ada Lovelace", "ada@engines.example", ""]], header)
    summary = lead1.intake.import_file(first, source="fair", mapping=str(mapping))
    assert summary.mapping_how == "from mapping.json"
    with store.reading() as session:
        assert session.scalars(select(SourceMapping.source)).all() == ["fair"]
    second = write_csv(tmp_path / "b.csv", [["Bob Stone", "bob@quarry.example", ""]], header)
    again = lead1.intake.import_file(second, source="fair")
    assert again.mapping_how == "saved for fair" and again.counts.created == 1


def test_new_columns_the_saved_mapping_never_named_feed_the_lead_when_recognised(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    header = ["Who", "Mail", "Dial", "Firm", "Shoe size"]
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "Who": "full_name",
                    "Mail": "email",
                    "Dial": "phone",
                    "Firm": "company",
                },
                "extras": ["Shoe size"],
            }
        )
    )
    ada = ["Ada Lovelace", "ada@engines.example", "", "Engines Ltd", "38"]
    lead1.intake.import_file(
        write_csv(tmp_path / "a.csv", [ada], header), source="fair", mapping=str(mapping)
    )
    # The same form now also asks for a job title and a head count.
    bob = ["Bob Stone", "bob@quarry.example", "", "Quarry Inc", "44", "VP Sales", "450"]
    wider = [*header, "Job Title", "Employees"]
    again = lead1.intake.import_file(write_csv(tmp_path / "b.csv", [bob], wider), source="fair")
    assert again.mapping_how == "saved for fair, 2 new columns recognised"
    with store.reading() as session:
        person = session.scalars(select(Person).where(Person.email == "bob@quarry.example")).one()
        firm = session.scalars(select(Account).where(Account.name == "Quarry Inc")).one()
        assert (person.title, firm.employees) == ("VP Sales", 450)
        saved = session.scalars(select(SourceMapping).where(SourceMapping.source == "fair")).one()
    # Remembered for the next file; the column kept as an extra on purpose stays one.
    assert saved.mapping["columns"]["Job Title"] == "title"
    assert "Shoe size" in saved.mapping["extras"] and "Shoe size" not in saved.mapping["columns"]


def test_interrupted_import_resumes_after_its_checkpoint(
    store: Store, lead1: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    rows = [[f"P{n}", "Test", f"p{n}@x.example", "", f"Co {n}", "", ""] for n in range(10)]
    export = write_csv(tmp_path / "leads.csv", rows)
    chunks: list[int] = []
    with pytest.raises(ImportCancelled) as stopped:
        lead1.intake.import_file(
            export,
            progress=lambda done, _total: chunks.append(done),
            cancelled=lambda: bool(chunks),
        )
    assert stopped.value.summary.counts.rows == 3 and count(store, Lead) == 3
    resumed = lead1.intake.import_file(export)
    assert resumed.run_id == stopped.value.summary.run_id
    assert resumed.resumed_after_row == 4  # the header is row 1
    assert (resumed.counts.rows, resumed.counts.created) == (10, 10)
    assert count(store, Lead) == 10


def test_undo_removes_what_the_run_added_and_takes_back_added_interest(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA]))
    before = content(store)
    again = [*ADA[:5], "Webinar", "Came again"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", [again, BOB]))
    assert (summary.counts.attached, summary.counts.created) == (1, 1)
    assert summary.run_id is not None
    undone = lead1.intake.undo(summary.run_id)
    assert (undone.leads_removed, undone.people_removed, undone.leads_restored) == (1, 1, 1)
    assert content(store) == before


def test_undo_is_refused_once_a_rep_worked_a_lead(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA]))
    with store.reading() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    with desk_as(store_location, clock, "rep1") as rep:
        rep.calls.log(lead_id, CallOutcome.NO_ANSWER)
    assert summary.run_id is not None
    with pytest.raises(Conflict, match="cannot be undone"):
        lead1.intake.undo(summary.run_id)
    assert count(store, Lead) == 1


def test_undo_takes_back_the_runs_assignments_but_not_a_later_move(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA, BOB]))
    with store.reading() as session:
        handed_out = session.execute(
            select(Handover.to_user_id, Handover.by_user_id, Handover.reason)
        ).all()
        ids = {u.name: u.id for u in session.scalars(select(user_ops.User))}
    assert sorted(handed_out) == [
        (ids["rep1"], ids["lead1"], "Imported from leads.csv (round robin)"),
        (ids["rep2"], ids["lead1"], "Imported from leads.csv (round robin)"),
    ]
    assert summary.run_id is not None
    assert lead1.intake.undo(summary.run_id).leads_removed == 2
    assert count(store, Handover) == count(store, Lead) == 0

    again = lead1.intake.import_file(write_csv(tmp_path / "again.csv", [ADA, BOB]))
    with store.reading() as session:
        moved = session.scalars(select(Lead.id).where(Lead.assigned_to_id == ids["rep1"])).one()
    lead1.team.reassign(LeadPick(lead_ids=(moved,)), to_user="rep2", reason="rep1 is away")
    assert again.run_id is not None
    with pytest.raises(Conflict, match="cannot be undone"):
        lead1.intake.undo(again.run_id)
    assert (count(store, Lead), count(store, Handover)) == (2, 3)


def test_a_qualifier_may_not_undo_someone_elses_import(
    store: Store, lead1: Desk, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA]))
    assert summary.run_id is not None
    with desk_as(store_location, clock, "rep1") as rep, pytest.raises(NotPermitted):
        rep.intake.undo(summary.run_id)


def test_sales_cannot_import(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with desk_as(store_location, clock, "sales1") as sales, pytest.raises(NotPermitted):
        sales.intake.import_file(write_csv(tmp_path / "leads.csv", [ADA]), dry_run=True)


def test_round_robin_skips_reps_without_spare_capacity() -> None:
    reps = [
        _Rep(1, "a", 2, 2, frozenset()),
        _Rep(2, "b", 5, 0, frozenset()),
        _Rep(3, "c", 5, 1, frozenset()),
    ]
    assigner = Assigner(Assignment.ROUND_ROBIN, reps)
    assert [assigner.assign("US") for _ in range(4)] == [2, 3, 2, 3]


def test_territory_assignment_uses_the_persons_country_else_the_pool() -> None:
    reps = [_Rep(1, "a", 9, 0, frozenset({"DE"})), _Rep(2, "b", 9, 0, frozenset({"US", "CA"}))]
    assigner = Assigner(Assignment.TERRITORY, reps)
    assert [assigner.assign(c) for c in ("CA", "DE", "FR", "US")] == [2, 1, None, 2]


def test_territory_rep_without_territories_takes_leads_from_anywhere() -> None:
    reps = [_Rep(1, "a", 9, 0, frozenset({"DE"})), _Rep(2, "b", 9, 0, frozenset())]
    assigner = Assigner(Assignment.TERRITORY, reps)
    assert [assigner.assign(c) for c in ("FR", "DE", "DE", None)] == [2, 1, 2, 1]


def test_pool_policy_leaves_every_lead_unassigned() -> None:
    assigner = Assigner(Assignment.POOL, [_Rep(1, "a", 9, 0, frozenset())])
    assert assigner.assign("US") is None


@pytest.mark.parametrize(
    ("sample", "shape"),
    [
        ("salesforce_leads.csv", "salesforce"),
        ("hubspot_contacts.csv", "hubspot"),
        ("marketo_list.csv", "marketo"),
        ("linkedin_leadgen.csv", "linkedin"),
        ("plain_contacts.csv", "plain"),
        ("plain_contacts.xlsx", "plain"),
    ],
)
def test_each_sample_export_imports_with_its_detected_mapping(
    store: Store, lead1: Desk, sample: str, shape: str
) -> None:
    summary = lead1.intake.import_file(resource_path("samples", sample))
    assert summary.mapping.shape.value == shape and summary.mapping_how == "detected"
    assert summary.counts.created >= summary.counts.rows - 2
    assert count(store, Lead) == summary.counts.created


# -- interruptions, the dry run's reasons, assignment, the helper process ------------------------


class PowerCut(Exception):
    """Stands in for the process dying in the middle of writing a chunk."""


def cut_power_at_leads_of_chunk(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Make the ``chunk``-th chunk fail after its accounts and people are written, while its
    leads are being written: the worst moment for half a row."""
    real = BulkWriter.insert
    seen = {"leads": 0}

    def insert(self: BulkWriter, table: Any, rows: Any) -> None:
        if table.name == "leads":
            seen["leads"] += 1
            if seen["leads"] == chunk:
                raise PowerCut
        real(self, table, rows)

    monkeypatch.setattr(BulkWriter, "insert", insert)


def person_rows(count: int) -> list[list[str]]:
    return [[f"P{n}", "Test", f"p{n}@x.example", "", f"Co {n}", "", ""] for n in range(count)]


def test_an_import_cut_off_mid_chunk_keeps_whole_chunks_and_resumes(
    store: Store, lead1: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK_ROWS", 4)
    export = write_csv(tmp_path / "leads.csv", person_rows(10))
    with monkeypatch.context() as patch:
        cut_power_at_leads_of_chunk(patch, 2)
        with pytest.raises(PowerCut):
            lead1.intake.import_file(export)
    # The first chunk whole, nothing of the second: no person without their lead.
    assert count(store, Lead) == count(store, Person) == count(store, Account) == 4
    with store.reading() as session:
        run = session.scalars(select(ImportRun)).one()
        assert (run.status, run.checkpoint_row) == ("running", 5)
    resumed = lead1.intake.import_file(export)
    assert (resumed.run_id, resumed.resumed_after_row, resumed.status) == (run.id, 5, "finished")
    assert (resumed.counts.rows, resumed.counts.created) == (10, 10)
    assert count(store, Lead) == count(store, Person) == 10
    before = content(store)
    again = lead1.intake.import_file(export)
    assert again.counts.unchanged == 10 and content(store) == before


def test_an_import_cut_off_mid_chunk_can_be_undone_instead(
    store: Store, lead1: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA]))
    before = content(store)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    again = [*ADA[:5], "Webinar", "Came again"]
    export = write_csv(tmp_path / "leads.csv", [again, *person_rows(5)])
    with monkeypatch.context() as patch:
        cut_power_at_leads_of_chunk(patch, 2)
        with pytest.raises(PowerCut):
            lead1.intake.import_file(export)
    with store.reading() as session:
        run_id = session.scalars(select(ImportRun.id).where(ImportRun.status == "running")).one()
    undone = lead1.intake.undo(run_id)
    assert (undone.leads_removed, undone.people_removed, undone.leads_restored) == (2, 2, 1)
    assert content(store) == before
    with store.reading() as session:
        assert session.get(ImportRun, run_id).status == "undone"  # type: ignore[union-attr]


def test_dry_run_gives_each_rows_reason_against_the_store(
    store: Store, lead1: Desk, clock: FixedClock, tmp_path: Path
) -> None:
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA, BOB]))
    with store.transaction() as session:
        bob = session.scalars(select(Lead).join(Person).where(Person.last_name == "Stone")).one()
        bob.stage = Stage.NURTURE
        session.add(
            Account(name="Quarry Inc", name_key="quarry", is_customer=True, owner_name="Dana",
                    created_at=clock())
        )  # fmt: skip
    before = content(store)
    rows = [
        ADA,  # the same row again
        [*ADA[:5], "Webinar", "Came back"],  # Ada's lead is open: more interest
        [*BOB[:5], "Event", "Booth"],  # Bob's lead is in nurture: a new lead on Bob
        ["Cy", "Young", "cy@new.example", "", "Quarry Inc", "", ""],  # a customer's company
        ["", "", "nope", "", "", "", ""],
    ]
    report = tmp_path / "preview.csv"
    summary = lead1.intake.import_file(
        write_csv(tmp_path / "second.csv", rows), dry_run=True, report_path=report
    )
    counts = summary.counts
    assert (counts.unchanged, counts.attached, counts.merged, counts.created) == (1, 1, 1, 1)
    assert (counts.existing_account, counts.invalid) == (2, 1)  # Bob works there too
    assert content(store) == before
    with report.open(encoding="utf-8-sig") as handle:
        reasons: dict[str, list[str]] = {}
        for line in csv.DictReader(handle):
            reasons.setdefault(line["row"], []).append(line["reason"].split(":")[0])
    assert reasons == {
        "2": ["unchanged"],
        "3": ["attached"],
        "4": ["existing account", "merged"],
        "5": ["existing account", "new lead"],
        "6": ["row skipped"],
    }


def report_reasons(path: Path) -> dict[int, list[str]]:
    """Row -> its report reasons, each cut after its kind and any "interest now" figure."""
    reasons: dict[int, list[str]] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for line in csv.DictReader(handle):
            kind, _, rest = line["reason"].partition(":")
            if kind in ("new lead", "existing account"):
                continue  # an import's report leaves out new leads; the same either way
            figure = rest.rpartition("; ")[2] if "interest now" in rest else ""
            reasons.setdefault(int(line["row"]), []).append(f"{kind} {figure}".strip())
    return reasons


def test_a_dry_run_across_chunks_says_what_the_import_then_does(
    store: Store, lead1: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows match rows of earlier chunks (kept on disk by the dry run, in the store by the
    import): by email, phone and name at the company, on stored people and new ones."""
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA, BOB]))
    with store.transaction() as session:
        bob = session.scalars(select(Lead).join(Person).where(Person.last_name == "Stone")).one()
        bob.stage = Stage.NURTURE
    monkeypatch.setattr(importing, "CHUNK_ROWS", 3)
    cy = ["Cy", "Young", "cy@new.example", "+1 303 555 0111", "New Co", "Web form", "Hi"]
    dee = ["Dee", "Smith", "dee@labs.example", "+1 303 555 0122", "Acme Labs", "Web form", ""]
    rows = [
        cy,  # row 2: new
        dee,  # 3: new
        [*ADA[:5], "Webinar", "Again"],  # 4: more interest on Ada's stored lead
        [*cy[:5], "Webinar", "Back"],  # 5: onto Cy's lead from row 2 (an earlier chunk)
        ["D", "", "", dee[3], "", "Event", ""],  # 6: Dee by phone
        ["Dee", "Smith", "dee@home.example", "", "Acme Labs", "Event", "x"],  # 7: by name
        [*ADA[:5], "Event", "Third time"],  # 8: Ada's stored lead again: its score goes on
        [*BOB[:5], "Event", "Booth"],  # 9: Bob's lead is in nurture: a new lead on Bob
        [*BOB[:5], "Webinar", "Later"],  # 10: onto that new lead of Bob's
        cy,  # 11: row 2 again
        ["Eve", "Stone", "eve@new.example", "", "New Co", "", ""],  # 12: new, at row 2's company
        ["", "", "nope", "", "", "", ""],  # 13: unusable
        [*cy[:5], "Event", "Third"],  # 14: Cy's lead again, its interest raised twice now
    ]
    export = write_csv(tmp_path / "second.csv", rows)
    preview = lead1.intake.import_file(export, dry_run=True, report_path=tmp_path / "preview.csv")
    before = content(store)
    done = lead1.intake.import_file(export, report_path=tmp_path / "done.csv")
    assert content(store) != before
    assert preview.counts == done.counts
    assert (done.counts.created, done.counts.merged, done.counts.attached) == (3, 1, 7)
    said, did = report_reasons(tmp_path / "preview.csv"), report_reasons(tmp_path / "done.csv")
    assert said == did
    assert [kinds[0].split()[0] for kinds in said.values()] == [
        "attached", "attached", "attached", "attached", "attached", "merged", "attached",
        "unchanged", "row", "attached",
    ]  # fmt: skip
    # Ada's stored lead gets the interest of row 4 and then of row 8, in a later chunk.
    assert int(said[8][0].split()[-1]) == int(said[4][0].split()[-1]) + 10
    assert int(said[14][0].split()[-1]) == int(said[5][0].split()[-1]) + 10
    assert "the open lead from row 2" in (tmp_path / "preview.csv").read_text(encoding="utf-8-sig")


def test_new_leads_go_to_reps_with_spare_capacity_else_to_the_pool(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    lead1.people.change("rep1", capacity=2)
    lead1.people.change("rep2", capacity=0)
    summary = lead1.intake.import_file(write_csv(tmp_path / "leads.csv", person_rows(5)))
    assert (summary.counts.assigned, summary.counts.pool) == (2, 3)
    with store.reading() as session:
        owners = sorted(
            (name or "pool")
            for name in session.scalars(
                select(user_ops.User.name)
                .select_from(Lead)
                .outerjoin(user_ops.User, user_ops.User.id == Lead.assigned_to_id)
            )
        )
    assert owners == ["pool", "pool", "pool", "rep1", "rep1"]


def test_cleaning_in_a_helper_process_stores_what_cleaning_in_process_does(
    store_location: str, clock: FixedClock, tmp_path: Path, sqlite_template: Path
) -> None:
    """Big files are cleaned in a second process; forced here on a small file."""
    rows = [
        *person_rows(30),
        ADA,
        BOB,
        [*ADA[:5], "Webinar", "Again"],
        ["", "", "x", "1", "", "", ""],
    ]
    export = write_csv(tmp_path / "leads.csv", rows)
    results = []
    for parallel, location in ((False, tmp_path / "serial.sqlite3"), (True, store_location)):
        if parallel is False:
            shutil.copyfile(sqlite_template, location)
        target = open_store(location)
        with target.transaction() as session:
            add_team(session, clock(), [("lead1", Role.TEAM_LEAD)])
        with target.reading() as session:
            lead_id = session.scalars(select(user_ops.User.id)).one()
        options = importing.ImportOptions(
            parallel=parallel, report_path=tmp_path / f"{parallel}.csv"
        )
        summary = importing.import_file(
            target, actor_id=lead_id, path=export, at=clock(), options=options
        )
        results.append((summary.counts.as_json(), content(target)))
        target.close()
    assert results[0] == results[1]
    assert results[1][0]["created"] == 32 and results[1][0]["attached"] == 1
    assert (tmp_path / "False.csv").read_bytes() == (tmp_path / "True.csv").read_bytes()


def test_a_file_error_found_by_the_helper_process_is_reported_as_from_in_process(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "broken.csv"
    good = "".join(f"P{n},T,p{n}@x.example,,Co,,\n" for n in range(50))
    export.write_text(",".join(HEADER) + "\n" + good + 'Bad,"Row,bad@x.example,,Co,,\n')
    with pytest.raises(IntakeFileError, match=r"broken\.csv, row 52.*never closed"):
        importing.import_file(
            store, actor_id=1, path=export, at=lead1.clock(),
            options=importing.ImportOptions(dry_run=True, parallel=True),
        )  # fmt: skip


def test_the_cleaning_helper_works_when_spawned_as_from_the_window(
    sqlite_store_path: Path, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The window imports from a worker thread, where forking is unsafe: the helper is spawned.
    monkeypatch.setattr(cleaning, "_context", lambda: multiprocessing.get_context("spawn"))
    target = open_store(sqlite_store_path)
    with target.transaction() as session:
        add_team(session, clock(), [("lead1", Role.TEAM_LEAD)])
    export = write_csv(tmp_path / "leads.csv", [*person_rows(20), ["", "", "x", "", "", "", ""]])
    summary = importing.import_file(
        target, actor_id=1, path=export, at=clock(), options=importing.ImportOptions(parallel=True)
    )
    assert (summary.counts.created, summary.counts.invalid) == (20, 1)
    assert count(target, Lead) == 20
    target.close()


def test_a_known_persons_seniority_and_title_count_in_the_new_leads_fit(
    store: Store, lead1: Desk, tmp_path: Path, clock: FixedClock
) -> None:
    """A new lead on a known person is scored with what the store knows of them, as the
    questionnaire scores it later: the card and the questionnaire show one fit."""
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [ADA, BOB]))
    with store.transaction() as session:
        for lead in session.scalars(select(Lead)):
            lead.stage = Stage.NURTURE
        ada = session.scalars(select(Person).where(Person.first_name == "Ada")).one()
        bob = session.scalars(select(Person).where(Person.first_name == "Bob")).one()
        ada.seniority, ada.title = "VP", "Engineer"  # the title alone says nothing of rank
        bob.title = "Head of Operations"  # no seniority: the title tells
    again = [[*ADA[:5], "Webinar", "Back"], [*BOB[:5], "Webinar", "Back"]]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", again))
    assert summary.counts.merged == 2
    with store.reading() as session:
        definition = definition_versions.definition_for_version(
            session, definition_versions.current_id(session) or 0
        )
        fresh = session.scalars(select(Lead).where(Lead.stage == Stage.NEW)).all()
        assert len(fresh) == 2
        first_fits = {lead.person_id: lead.fit_score for lead in fresh}
        for lead in fresh:
            live = evaluate(definition, {}, lead_facts(session, lead, lead.arrived_at)).scores
            assert (lead.fit_score, lead.interest_score) == (live.fit, live.interest)
    # The rank counted: the same rows for people the store knows nothing of score lower.
    with store.transaction() as session:
        for person in session.scalars(select(Person)):
            person.seniority = person.title = None
        for lead in session.scalars(select(Lead).where(Lead.stage == Stage.NEW)):
            lead.stage = Stage.NURTURE
    third = [[*ADA[:5], "Webinar", "Once more"], [*BOB[:5], "Webinar", "Once more"]]
    lead1.intake.import_file(write_csv(tmp_path / "third.csv", third))
    with store.reading() as session:
        plain = {
            lead.person_id: lead.fit_score
            for lead in session.scalars(select(Lead).where(Lead.stage == Stage.NEW))
        }
    assert all(plain[person] < fit for person, fit in first_fits.items())

"""The team's do-not-call list: nobody on it reaches a queue, whether they were in the store
before, arrive in an import, or are typed in by hand."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaddesk.cli import main as cli
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Role
from leaddesk.errors import InputError, NotPermitted
from leaddesk.intake.by_hand import NewInterest
from leaddesk.intake.planning import LISTED_ROW
from leaddesk.store import Store
from leaddesk.store.models import AuditEvent, DoNotCallEntry, Lead, Person
from tests.csv_sheets import write_csv
from tests.factories import small_team

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company"]
ADA = ["Ada", "Meyer", "ada@meyer.example", "+1 212 555 0101", "Meyer Labs"]
BRUNO = ["Bruno", "Kim", "Bruno@Kim.example", "(212) 555-0102", "Kim Works"]
CARLA = ["Carla", "Rossi", "carla@rossi.example", "+12125550103", "Rossi Srl"]


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    with small_team(
        store_location,
        clock,
        [
            ("rep1", Role.QUALIFIER),
            ("lead1", Role.TEAM_LEAD),
            ("admin1", Role.ADMIN),
            ("sales1", Role.SALES),
        ],
    ) as store:
        yield store


def _desk(store_location: str, clock: FixedClock, user: str) -> Desk:
    return open_desk(store_location, user, clock=clock)


def _export(path: Path, *rows: list[str]) -> Path:
    return write_csv(path, HEADER, rows)


def _people(store: Store) -> dict[str, Person]:
    with store.reading() as session:
        return {p.first_name: p for p in session.scalars(select(Person))}


def _leads_of(store: Store, person_id: int) -> list[Lead]:
    with store.reading() as session:
        return list(session.scalars(select(Lead).where(Lead.person_id == person_id)))


def test_an_imported_row_with_a_listed_phone_arrives_held_and_never_in_the_queue(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        added = lead.privacy.add_do_not_call("(212) 555-0102", "registry scrub")
        assert added.value == "+12125550102" and added.added == 1 and added.people == 0
        report = tmp_path / "report.csv"
        summary = lead.intake.import_file(
            _export(tmp_path / "in.csv", ADA, BRUNO), report_path=report
        )
    assert summary.counts.created == 2 and summary.counts.do_not_call == 1
    with report.open(encoding="utf-8-sig") as handle:
        lines = list(csv.DictReader(handle))
    assert [(line["row"], line["field"], line["reason"]) for line in lines] == [
        ("3", "phone", LISTED_ROW)
    ]
    people = _people(store)
    assert people["Bruno"].do_not_call and people["Bruno"].do_not_call_at == clock()
    assert not people["Ada"].do_not_call
    (held,) = _leads_of(store, people["Bruno"].id)
    assert held.hold_reason == "do_not_call"
    with _desk(store_location, clock, "rep1") as rep:
        queued = [row.lead_id for row in rep.queue.page(limit=100)]
        nobody_else = rep.queue.next(), rep.queue.next()
    assert held.id not in queued and len(queued) == 1
    assert all(row is None or row.lead_id != held.id for row in nobody_else)


def test_a_listed_email_matches_whatever_its_capitals_and_a_dry_run_says_so(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.privacy.add_do_not_call("BRUNO@kim.EXAMPLE", "opt-out email")
        dry = lead.intake.import_file(_export(tmp_path / "in.csv", BRUNO), dry_run=True)
    assert dry.counts.do_not_call == 1
    assert [(p.field, p.reason) for p in dry.problems] == [("email", LISTED_ROW)]


def test_adding_an_entry_flags_known_people_and_holds_their_open_leads_with_an_audit_event(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA, BRUNO))
    with _desk(store_location, clock, "rep1") as rep:
        before = len(rep.queue.page(limit=100))
        added = rep.privacy.add_do_not_call("ada@MEYER.example", "asked on a call")
        after = [row.lead_id for row in rep.queue.page(limit=100)]
    assert (added.people, added.leads_held) == (1, 1)
    ada = _people(store)["Ada"]
    assert ada.do_not_call
    assert [lead.hold_reason for lead in _leads_of(store, ada.id)] == ["do_not_call"]
    assert len(after) == before - 1
    with store.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "do_not_call_listed")
        ).one()
    assert event.reason == "asked on a call"
    assert event.details is not None and event.details["people_ids"] == [ada.id]
    assert "ada" not in (event.subject or "")


def test_a_listed_known_person_in_a_new_import_is_flagged_and_their_open_lead_held(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "first.csv", CARLA))
        with store.transaction() as session:  # listed straight in the store: flags nobody yet
            from leaddesk.privacy.do_not_call import Value

            value = Value("phone", "+12125550103")
            session.add(
                DoNotCallEntry(
                    kind="phone",
                    value=value.value,
                    digest=value.digest,
                    reason="",
                    added_at=clock(),
                )
            )
        again = ["Carla", "Rossi", "carla@rossi.example", "+12125550103", "Rossi Srl"]
        again[2] = "CARLA@rossi.example"
        summary = lead.intake.import_file(_export(tmp_path / "second.csv", again), source="webinar")
    assert summary.counts.do_not_call == 1
    carla = _people(store)["Carla"]
    assert carla.do_not_call
    assert {lead.hold_reason for lead in _leads_of(store, carla.id)} == {"do_not_call"}


def test_a_lead_typed_in_by_hand_with_a_listed_number_arrives_held(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        rep.privacy.add_do_not_call("+12125550142", "asked on a call")
        added = rep.intake.add_lead(
            NewInterest(first_name="Ada", last_name="Quill", phone="(212) 555-0142")
        )
        assert LISTED_ROW in added.notes
        assert added.lead_id not in [row.lead_id for row in rep.queue.page()]
    with store.reading() as session:
        lead = session.get(Lead, added.lead_id)
        assert lead is not None and lead.hold_reason == "do_not_call"


def test_who_may_add_list_and_remove_entries(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "rep1") as rep:
        rep.privacy.add_do_not_call("+12125550101", "asked on a call")
        with pytest.raises(NotPermitted):
            rep.privacy.remove_do_not_call("+12125550101")
        with pytest.raises(NotPermitted):
            rep.privacy.do_not_call_list()
    with _desk(store_location, clock, "sales1") as sales, pytest.raises(NotPermitted):
        sales.privacy.add_do_not_call("+12125550102", "x")
    with _desk(store_location, clock, "admin1") as admin:
        admin.privacy.add_do_not_call("carla@rossi.example", "suppression list")
        assert [e.value for e in admin.privacy.do_not_call_list()] == [
            "carla@rossi.example",
            "+12125550101",
        ]
    with _desk(store_location, clock, "lead1") as lead:
        removed = lead.privacy.remove_do_not_call("(212) 555-0101")
        assert removed.value == "+12125550101"
        with pytest.raises(InputError, match="not on the do-not-call list"):
            lead.privacy.remove_do_not_call("+12125550101")
        assert lead.privacy.count_do_not_call() == 1


def test_removing_an_entry_leaves_the_people_it_flagged_flagged(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA))
        lead.privacy.add_do_not_call("ada@meyer.example", "opt-out email")
        removed = lead.privacy.remove_do_not_call("ada@meyer.example")
    assert removed.still_flagged == 1 and "does not un-flag" in removed.message()
    assert _people(store)["Ada"].do_not_call


def test_adding_a_value_twice_keeps_one_entry(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.privacy.add_do_not_call("+12125550101", "one")
        again = lead.privacy.add_do_not_call("+1 (212) 555-0101", "two")
        assert (again.added, again.already) == (0, 1)
        assert "already" in again.message()
        assert lead.privacy.count_do_not_call() == 1


def test_a_value_that_is_neither_a_phone_nor_an_email_is_refused(
    store: Store, store_location: str, clock: FixedClock
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        for bad in ("12", "ada@", "   "):
            with pytest.raises(InputError):
                lead.privacy.add_do_not_call(bad, "x")
        with pytest.raises(InputError, match="say why") as refused:
            lead.privacy.add_do_not_call("+12125550101", " ")
        assert refused.value.field == "reason"


# -- the CLI ------------------------------------------------------------------------------------


def _list_file(path: Path, rows: list[list[str]], header: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _entries(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(DoNotCallEntry)) or 0


def test_cli_imports_a_list_file_and_flags_known_people(
    store: Store,
    store_location: str,
    clock: FixedClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA, BRUNO))
    listing = _list_file(
        tmp_path / "scrub.csv",
        [
            ["+12125550101", "", "registry"],
            ["", "bruno@kim.example", ""],
            ["+447911123456", "", ""],
        ],
        ["Phone", "Email", "Reason"],
    )
    db = ["--db", store_location]
    assert cli([*db, "dnc", "import", str(listing), "--as", "lead1", "--reason", "scrub"]) == 0
    out = capsys.readouterr().out
    assert "3 new entries" in out and "2 people flagged" in out
    assert cli([*db, "dnc", "list", "--as", "lead1", "--json"]) == 0
    import json

    shown = json.loads(capsys.readouterr().out)
    assert {(e["value"], e["reason"]) for e in shown} == {
        ("+12125550101", "registry"),
        ("bruno@kim.example", "scrub"),
        ("+447911123456", "scrub"),
    }
    people = _people(store)
    assert people["Ada"].do_not_call and people["Bruno"].do_not_call


def test_cli_a_bad_row_in_a_list_file_stores_nothing_and_names_the_row(
    store: Store,
    store_location: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    listing = _list_file(
        tmp_path / "scrub.csv",
        [["+12125550101", ""], ["12", ""], ["", "carla@rossi.example"]],
        ["Phone", "Email"],
    )
    code = cli(["--db", store_location, "dnc", "import", str(listing), "--as", "lead1"])
    assert code == 2
    error = capsys.readouterr().err
    assert "scrub.csv, row 3, column 'Phone'" in error
    assert _entries(store) == 0
    empty_row = _list_file(
        tmp_path / "gap.csv", [["+12125550101", ""], ["", ""]], ["Phone", "Email"]
    )
    # A wholly empty row is skipped by the reader; a row with neither value but other cells is not.
    assert cli(["--db", store_location, "dnc", "import", str(empty_row), "--as", "lead1"]) == 0
    capsys.readouterr()
    no_value = _list_file(
        tmp_path / "novalue.csv", [["", "", "opt-out"]], ["Phone", "Email", "Reason"]
    )
    assert cli(["--db", store_location, "dnc", "import", str(no_value), "--as", "lead1"]) == 2
    assert "novalue.csv, row 2: no phone number or email" in capsys.readouterr().err
    no_columns = _list_file(tmp_path / "names.csv", [["Ada Meyer"]], ["Name"])
    assert cli(["--db", store_location, "dnc", "import", str(no_columns), "--as", "lead1"]) == 2
    assert "no phone or email column" in capsys.readouterr().err
    assert _entries(store) == 1


def test_cli_a_rep_adds_but_cannot_remove_or_import(
    store: Store,
    store_location: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = ["--db", store_location]
    assert cli([*db, "dnc", "add", "+12125550101", "--reason", "asked", "--as", "rep1"]) == 0
    assert "+12125550101 is on the do-not-call list" in capsys.readouterr().out
    # An email typed without its @ is not called a bad phone number.
    assert cli([*db, "dnc", "add", "ada at acme.example", "--reason", "asked", "--as", "rep1"]) == 2
    assert capsys.readouterr().err.strip() == (
        "leaddesk: 'ada at acme.example': neither a phone number nor an email address"
    )
    assert cli([*db, "dnc", "remove", "+12125550101", "--as", "rep1"]) == 3
    assert "cannot manage the do-not-call list" in capsys.readouterr().err
    listing = _list_file(tmp_path / "l.csv", [["+12125550102"]], ["Phone"])
    assert cli([*db, "dnc", "import", str(listing), "--as", "rep1"]) == 3
    assert cli([*db, "dnc", "list", "--as", "rep1"]) == 3
    assert cli([*db, "dnc", "remove", "+12125550101", "--as", "lead1", "--json"]) == 0
    assert _entries(store) == 0


def test_a_long_import_checks_its_rows_against_the_list_held_in_memory(
    store: Store,
    store_location: str,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leaddesk.intake import importing
    from leaddesk.intake.do_not_call_check import ListCheck
    from leaddesk.privacy.do_not_call import add_entry

    monkeypatch.setattr(ListCheck, "FEW_ROWS", 0)  # as a file of thousands of rows is checked
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)  # and an entry added between chunks is seen
    with _desk(store_location, clock, "lead1") as lead:
        lead.privacy.add_do_not_call("bruno@kim.example", "opt-out email")
        lead.intake.import_file(_export(tmp_path / "one.csv", CARLA))
        lead.privacy.erase_person(CARLA[2], "erasure request")
        real = ListCheck.rows

        def listing_while_importing(self: ListCheck, session: Session, rows: list[Any]) -> Any:
            if any(row.first_name == "Ada" for row in rows):
                # Someone put Ada's number on the list since the last chunk was checked.
                add_entry(session, ADA[3], reason="x", actor_id=None, at=clock(), region=None)
            return real(self, session, rows)

        monkeypatch.setattr(ListCheck, "rows", listing_while_importing)
        two = _export(tmp_path / "two.csv", BRUNO, CARLA, ADA)
        summary = lead.intake.import_file(two, source="webinar")
    assert (summary.counts.do_not_call, summary.counts.erased) == (2, 1)
    people = _people(store)
    assert people["Bruno"].do_not_call and people["Ada"].do_not_call
    for name in ("Ada", "Bruno"):
        assert {lead.hold_reason for lead in _leads_of(store, people[name].id)} == {"do_not_call"}

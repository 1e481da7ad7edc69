"""A person asked to be forgotten: no trace of them stays in the store, their leads leave every
queue, the figures still add up, and an import cannot bring them back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from leaddesk.cli import main as cli
from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import CallOutcome, Role, Stage, Verdict
from leaddesk.errors import InputError, NotPermitted
from leaddesk.intake.by_hand import NewInterest
from leaddesk.intake.planning import ERASED_ROW
from leaddesk.store import Store
from leaddesk.store.models import (
    Answer,
    AuditEvent,
    CallAttempt,
    DoNotCallEntry,
    Lead,
    Note,
    Person,
    VerdictRecord,
)
from tests.csv_sheets import write_csv
from tests.factories import small_team

HEADER = ["First Name", "Last Name", "Email", "Phone", "Mobile", "Company", "City", "Description"]
ADA = [
    "Adelheid",
    "Quenstedt",
    "adelheid.quenstedt@quill.example",
    "+1 212 555 0101",
    "+1 917 555 0199",
    "Quill Labs",
    "Yonkers",
    "Call Adelheid on her cell",
]
BRUNO = ["Bruno", "Kim", "bruno@kim.example", "+12125550102", "", "Kim Works", "", ""]
TRACES = ("Adelheid", "Quenstedt", "adelheid", "quill.example", "5550101", "5550199", "Yonkers")


@pytest.fixture
def store(store_location: str, clock: FixedClock) -> Iterator[Store]:
    with small_team(
        store_location, clock, [("rep1", Role.QUALIFIER), ("lead1", Role.TEAM_LEAD)]
    ) as store:
        yield store


def _desk(store_location: str, clock: FixedClock, user: str) -> Desk:
    return open_desk(store_location, user, clock=clock)


def _export(path: Path, *rows: list[str]) -> Path:
    return write_csv(path, HEADER, rows)


def _ada(store: Store) -> tuple[Person, list[Lead]]:
    with store.reading() as session:
        person = session.scalars(select(Person).order_by(Person.id)).first()
        assert person is not None
        leads = list(session.scalars(select(Lead).where(Lead.person_id == person.id)))
        return person, leads


def _worked_on(store_location: str, clock: FixedClock, lead_id: int) -> None:
    """A rep talked to Ada: a call note, a note, a free-text answer and a verdict."""
    with _desk(store_location, clock, "rep1") as rep:
        rep.calls.log(lead_id, CallOutcome.CONNECTED, note="Adelheid says call after 5")
        rep.calls.save_note(lead_id, "Adelheid Quenstedt prefers email")
        rep.qualifying.answer(
            lead_id, {"current_process": "Adelheid's husband keeps a spreadsheet"}
        )
        rep.qualifying.give_verdict(lead_id, Verdict.NURTURE, "Adelheid: not before spring")


def _dump(store: Store, table: str) -> str:
    with store.reading() as session:
        rows = session.execute(text(f"SELECT * FROM {table}")).all()
    return json.dumps([list(map(str, row)) for row in rows])


def test_erasure_leaves_no_trace_of_the_person_in_the_store(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA, BRUNO))
    person, (lead_row,) = _ada(store)
    _worked_on(store_location, clock, lead_row.id)
    assert "Quenstedt" in _dump(store, "people") and "Adelheid" in _dump(store, "notes")

    with _desk(store_location, clock, "lead1") as lead:
        erased = lead.privacy.erase_person("adelheid.quenstedt@QUILL.example", "erasure request")
    assert erased.person_id == person.id and erased.closed == ()
    assert (erased.notes, erased.answers) == (1, 1)

    for table in ("people", "leads", "notes", "call_attempts", "answers", "verdicts"):
        dump = _dump(store, table)
        for trace in TRACES:
            assert trace not in dump, (table, trace)
    dump = _dump(store, "do_not_call_entries") + _dump(store, "audit_events")
    for trace in TRACES:
        assert trace not in dump, trace
    with store.reading() as session:
        gone = session.get(Person, person.id)
        assert gone is not None and gone.erased_at == clock() and gone.do_not_call
        kept = session.get(Lead, lead_row.id)
        assert kept is not None and kept.stage is Stage.NURTURE  # closed already: kept so
        # Kept as rows: the figures still count them.
        assert session.scalar(select(func.count()).select_from(Lead)) == 2
        assert session.scalar(select(func.count()).select_from(Note)) >= 1
        assert session.scalar(select(func.count()).select_from(CallAttempt)) == 1
        entries = session.scalars(select(DoNotCallEntry)).all()
        assert {(e.kind, e.value) for e in entries} == {("email", None), ("phone", None)}
        assert len(entries) == 3  # email, phone and mobile, as digests
        events = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.action.in_(("person_erased", "lead_closed_erased"))
            )
        ).all()
        assert sorted(events) == ["person_erased"]
        assert [a.value for a in session.scalars(select(Answer))] == [""]
        (verdict,) = session.scalars(select(VerdictRecord)).all()
        assert verdict.answers == {"current_process": ""}
    with _desk(store_location, clock, "rep1") as rep:
        assert lead_row.id not in [row.lead_id for row in rep.queue.page(limit=100)]
    with _desk(store_location, clock, "lead1") as lead:
        funnel = lead.team.report("funnel").as_json()
    assert funnel["rows"][0]["leads"] == 2  # both arrivals still counted


def test_an_erased_person_is_not_imported_again(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA, BRUNO))
        _person, (lead_row,) = _ada(store)
        lead.privacy.erase_person(str(lead_row.id), "erasure request")
        # A later export from another tool, with her phone only, and her email in capitals.
        by_phone = list(ADA)
        by_phone[2], by_phone[4] = "", ""
        by_email = list(ADA)
        by_email[2], by_email[3], by_email[4] = ADA[2].upper(), "", ""
        by_mobile = ["Ada", "Q", "", "", "+19175550199", "", "", ""]
        report = tmp_path / "report.csv"
        summary = lead.intake.import_file(
            _export(tmp_path / "later.csv", by_phone, by_email, by_mobile, BRUNO),
            source="purchased_list",
            report_path=report,
        )
    counts = summary.counts
    assert counts.erased == 3 and counts.created == 0
    assert counts.rows == (
        counts.created
        + counts.merged
        + counts.attached
        + counts.unchanged
        + counts.invalid
        + counts.erased
    )
    report_text = report.read_text(encoding="utf-8-sig")
    assert report_text.count(ERASED_ROW) == 3
    for trace in TRACES:
        assert trace not in report_text
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 2
    with (
        _desk(store_location, clock, "rep1") as rep,
        pytest.raises(InputError, match="asked to be forgotten"),
    ):
        rep.intake.add_lead(NewInterest(first_name="Ada", email=ADA[2]))


def test_erasure_turns_a_plain_list_entry_into_a_digest(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", ADA))
        lead.privacy.add_do_not_call("+12125550101", "asked on a call")
        lead.privacy.erase_person("+1 (212) 555-0101", "erasure request")
        shown = lead.privacy.do_not_call_list()
        assert all(entry.value is None for entry in shown)
        assert "erased person's" in shown[0].shown
        # Taken off by the value, when the person gets in touch again themselves.
        lead.privacy.remove_do_not_call(ADA[2])
        assert lead.privacy.count_do_not_call() == 2


def test_only_team_leads_and_admins_erase_and_a_person_is_named_exactly(
    store: Store, store_location: str, clock: FixedClock, tmp_path: Path
) -> None:
    shared = list(BRUNO)
    shared[0], shared[2], shared[3] = "Carla", "carla@kim.example", "+12125550102"
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", BRUNO, shared))
    with _desk(store_location, clock, "rep1") as rep, pytest.raises(NotPermitted):
        rep.privacy.erase_person("bruno@kim.example", "x")
    with _desk(store_location, clock, "lead1") as lead:
        with pytest.raises(InputError, match="2 people have"):
            lead.privacy.erase_person("+12125550102", "erasure request")
        with pytest.raises(InputError, match="no lead 2125550102"):
            lead.privacy.erase_person("2125550102", "erasure request")
        with pytest.raises(InputError, match="nobody in the store"):
            lead.privacy.erase_person("nobody@kim.example", "erasure request")
        with pytest.raises(InputError, match="say why") as refused:
            lead.privacy.erase_person("bruno@kim.example", "")
        assert refused.value.field == "reason"
        lead.privacy.erase_person("bruno@kim.example", "erasure request")
        with pytest.raises(InputError, match="already erased"):
            lead.privacy.erase_person("#1", "again")


def test_cli_erase(
    store: Store,
    store_location: str,
    clock: FixedClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _desk(store_location, clock, "lead1") as lead:
        lead.intake.import_file(_export(tmp_path / "in.csv", BRUNO))
    db = ["--db", store_location]
    assert cli([*db, "erase", "bruno@kim.example", "--as", "rep1", "--reason", "x"]) == 3
    with pytest.raises(SystemExit) as exited:  # --reason is required
        cli([*db, "erase", "bruno@kim.example", "--as", "lead1"])
    assert exited.value.code == 2
    assert cli([*db, "erase", "nobody@kim.example", "--as", "lead1", "--reason", "x"]) == 2
    capsys.readouterr()
    assert cli([*db, "erase", "#1", "--as", "lead1", "--reason", "request", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["person_id"] == 1 and shown["closed"] == [1]

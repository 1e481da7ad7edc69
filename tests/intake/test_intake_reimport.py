"""Importing a finished file again changes nothing, whatever each row matched the first time."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.desk import Desk
from leaddesk.intake import importing
from leaddesk.leads.contact_corrections import ContactDetails
from leaddesk.store import Store
from leaddesk.store.models import Lead, Person
from tests.benchmarks.bench_intake import write_file
from tests.intake.test_intake_import import everything, lead1, write_csv  # noqa: F401

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Lead Source", "Message"]
ADA = ["Ada", "Lovelace", "ada@engines.example", "(212) 555-0101", "Engines", "Web", "Hi"]
FILLER = ["Fil", "Ler", "fil@filler.example", "(212) 555-0102", "Filler", "Web", "Hi"]
BOB = ["Bob", "Smith", "bob@other.example", "(212) 555-0199", "Other", "Web", "Pricing"]


@pytest.mark.parametrize(
    "again",
    [
        ["Ada", "Lovelace", "ada.home@mail.example", "(212) 555-0199", "Engines", "Webinar", ""],
        ["Ada", "Lovelace", "", "(212) 555-0199", "Engines", "Webinar", "Back again"],
    ],
    ids=["with-another-email", "without-email"],
)
def test_a_row_matched_by_name_is_recognised_after_its_phone_came_to_someone_else(
    store: Store,
    lead1: Desk,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    again: list[str],
) -> None:
    """Ada comes back with a new number: she matches by name at her company, her interest goes
    onto her lead. Bob, later in the file, has that number too. Imported again, Ada's row met
    Bob's number first and was taken for new (or for Bob's), unless its key is looked for on
    the leads of the people at her company as well."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # Ada's first row in another chunk
    export = write_csv(tmp_path / "leads.csv", [ADA, FILLER, again, BOB], HEADER)
    first = lead1.intake.import_file(export)
    assert (first.counts.created, first.counts.attached) == (3, 1)
    before = everything(store)
    second = lead1.intake.import_file(export)
    assert (second.status, second.counts.unchanged) == ("already_imported", 4)
    assert everything(store) == before


def test_a_row_attached_by_phone_stays_imported_after_the_number_was_corrected(
    store: Store,
    lead1: Desk,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Someone calls in from Ada's number: their row goes onto Ada's lead by phone. A rep then
    corrects Ada's number. Imported again, the row matches no one by phone any more; it is
    still recognised from what the first run recorded, and nothing is created."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # Ada's own row in another chunk
    called = ["", "", "", "(212) 555-0101", "", "Inbound call", "Called back"]
    gus = ["Gus", "Grey", "gus@grey.example", "(212) 555-0103", "Grey", "Web", ""]
    export = write_csv(tmp_path / "leads.csv", [ADA, FILLER, called, gus], HEADER)
    first = lead1.intake.import_file(export)
    assert (first.counts.created, first.counts.attached) == (3, 1)
    with store.reading() as session:
        ada = session.scalar(
            select(Lead.id).join(Person).where(Person.email == "ada@engines.example")
        )
    assert ada is not None
    lead1.calls.change_contact(ada, ContactDetails(phone="(212) 555-0155"))
    before = everything(store)
    second = lead1.intake.import_file(export)
    assert (second.status, second.counts.unchanged) == ("already_imported", 4)
    assert everything(store) == before


@pytest.mark.slow
def test_reimporting_the_benchmark_file_changes_nothing(
    store: Store,
    lead1: Desk,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The benchmark's export (people known by email, by phone, by name at their company,
    unusable rows, new people) on a store that knows none of them: the second time, nothing."""
    export = tmp_path / "export-10000.csv"
    write_file(export, 10_000, known=2_000)  # people recur, so many rows meet earlier ones
    first = lead1.intake.import_file(export)
    assert first.status == "finished" and first.counts.attached > 200
    before = everything(store)
    second = lead1.intake.import_file(export)
    assert second.status == "already_imported"
    assert second.counts.unchanged == 10_000 - second.counts.invalid
    assert everything(store) == before

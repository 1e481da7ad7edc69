"""A rep who imports a file can trust it: everyone in it is imported, attached to the right
person, or listed with a reason (#21 items 2, 3, 4 and 6). Real files in tmp_path, real SQLite
and PostgreSQL stores."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.matching import key_before_names
from leaddesk.intake.rows import CleanRow
from leaddesk.store import Store
from leaddesk.store.models import FileValue, Lead, Note, Person

HEADER = ["First Name", "Last Name", "Email", "Phone", "Mobile", "Company", "Message"]


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def report(path: Path) -> dict[int, list[str]]:
    """Row -> its reasons in the report, as written."""
    found: dict[int, list[str]] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for line in csv.DictReader(handle):
            found.setdefault(int(line["row"]), []).append(line["reason"])
    return found


def people(store: Store) -> list[tuple[str, str, str | None, str | None]]:
    with store.reading() as session:
        return sorted(
            session.execute(
                select(Person.first_name, Person.last_name, Person.email, Person.phone)
            ).tuples()
        )


def leads_of(store: Store) -> dict[str, int]:
    """First name -> how many leads that person has."""
    with store.reading() as session:
        return dict(
            session.execute(
                select(Person.first_name, func.count(Lead.id))
                .join(Lead, Lead.person_id == Person.id)
                .group_by(Person.first_name)
            )
            .tuples()
            .all()
        )


# -- nobody lost, nobody merged by mistake ---------------------------------------------------


def test_same_email_under_a_variant_of_the_name_is_one_lead_with_both_interests(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    rows = [
        ["Jon", "Smith", "jon@acme.example", "", "", "Acme", "Pricing"],
        ["John", "Smith", "jon@acme.example", "", "", "Acme", "Pricing"],
        ["J.", "Smith", "JON@acme.example", "", "", "Acme", "A demo"],
    ]
    out = tmp_path / "report.csv"
    summary = lead1.intake.import_file(write_csv(tmp_path / "in.csv", rows), report_path=out)
    counts = summary.counts
    assert (counts.created, counts.attached, counts.unchanged, counts.to_decide) == (1, 2, 0, 0)
    reasons = report(out)
    assert reasons[3][0].startswith("attached: more interest on the open lead from row 2")
    assert "(same email)" in reasons[3][0] and reasons[4][0].startswith("attached:")
    with store.reading() as session:
        notes = session.scalars(select(Note.text)).all()
    assert sorted(notes) == [
        "More interest on 2026-11-18: A demo (import of in.csv, row 4)",
        "More interest on 2026-11-18: Pricing (import of in.csv, row 3)",
    ]
    assert leads_of(store) == {"Jon": 1}


def test_same_email_under_another_persons_name_is_listed_to_decide_not_dropped(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    ann = ["Ann", "Lee", "info@acme.example", "", "", "Acme", "Pricing"]
    bob = ["Bob", "Jones", "info@acme.example", "", "", "Acme", "Pricing"]
    out = tmp_path / "report.csv"
    preview = lead1.intake.import_file(
        write_csv(tmp_path / "in.csv", [ann, bob]), dry_run=True, report_path=out
    )
    said = report(out)
    summary = lead1.intake.import_file(tmp_path / "in.csv", report_path=out)
    assert preview.counts == summary.counts
    assert (summary.counts.created, summary.counts.unchanged, summary.counts.to_decide) == (1, 0, 1)
    reasons = report(out)
    assert reasons[3] == said[3]
    assert reasons[3][0].startswith("to decide: info@acme.example is already Ann Lee (row 2)")
    assert "this row says Bob Jones; not imported" in reasons[3][0]
    assert [p[:2] for p in people(store)] == [("Ann", "Lee")]

    # Against the store, the person is named by number; the row is listed again, not lost.
    again = write_csv(tmp_path / "later.csv", [[*bob[:6], "Later"]])
    summary = lead1.intake.import_file(again, report_path=out)
    assert summary.counts.to_decide == 1 and summary.counts.created == 0
    with store.reading() as session:
        ann_id = session.scalars(select(Person.id)).one()
    assert f"is already Ann Lee (person #{ann_id})" in report(out)[2][0]


def test_a_switchboard_number_never_merges_two_people_and_is_kept_on_both(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    board = "+1 212 555 0100"
    rows = [
        ["Ada", "Lovelace", "ada@engines.example", board, "", "Engines", "Pricing"],
        ["Grace", "Hopper", "", board, "", "Engines", "A demo"],  # no email: names differ
        ["Alan", "Turing", "alan@engines.example", board, "", "Engines", ""],
        ["Ada", "Lovelace", "", board, "", "Engines", "Call me"],  # the same Ada
    ]
    out = tmp_path / "report.csv"
    summary = lead1.intake.import_file(write_csv(tmp_path / "in.csv", rows), report_path=out)
    counts = summary.counts
    assert (counts.created, counts.attached, counts.shared_phone) == (3, 1, 2)
    assert [(p[0], p[3]) for p in people(store)] == [
        ("Ada", "+12125550100"),
        ("Alan", "+12125550100"),
        ("Grace", "+12125550100"),
    ]
    reasons = report(out)
    assert reasons[3] == ["shared number: also Ada Lovelace (row 2)'s; kept on both, not merged"]
    assert reasons[5][0].startswith("attached: more interest on the open lead from row 2")
    with store.reading() as session:
        grace = session.scalars(select(Lead).join(Person).where(Person.first_name == "Grace")).one()
        ada = session.scalars(select(Lead).join(Person).where(Person.first_name == "Ada")).one()
    # Flagged on every one of them, each naming the others.
    assert grace.extra is not None
    assert grace.extra["shared_phone"] == {"+12125550100": ["Ada Lovelace", "Alan Turing"]}
    assert ada.extra is not None
    assert ada.extra["shared_phone"] == {"+12125550100": ["Grace Hopper", "Alan Turing"]}
    file = lead1.queue.lead_file(grace.id)
    shown = ("Shared number", "+12125550100, also Ada Lovelace, Alan Turing's")
    assert shown in file.from_the_file


def test_a_name_close_only_in_another_word_order_needs_more_than_that(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    first = ["Lee", "Min", "lee.min@acme.example", "+1 212 555 0101", "", "Acme", ""]
    lead1.intake.import_file(write_csv(tmp_path / "first.csv", [first]))
    rows = [
        # Another word order, another email, another phone: another person.
        ["Min", "Lee", "min.lee@acme.example", "+1 212 555 0199", "", "Acme", ""],
        # The same order with a typo and no phone: the same person, as before.
        ["Lee", "Minn", "lm@home.example", "", "", "Acme", "Again"],
    ]
    summary = lead1.intake.import_file(write_csv(tmp_path / "second.csv", rows))
    assert (summary.counts.created, summary.counts.attached) == (1, 1)
    assert [p[:2] for p in people(store)] == [("Lee", "Min"), ("Min", "Lee")]


def test_a_row_whose_phone_and_mobile_are_one_number_previews_and_imports(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    same = "+1 212 555 0142"
    rows = [
        ["Ann", "Lee", "ann@lee.example", same, same, "Lee Co", ""],
        ["Ann", "Lee", "", same, "", "Lee Co", "Later"],  # matches her by that number
    ]
    export = write_csv(tmp_path / "in.csv", rows)
    preview = lead1.intake.import_file(export, dry_run=True)
    done = lead1.intake.import_file(export)
    assert preview.counts == done.counts
    assert (done.counts.created, done.counts.attached) == (1, 1)
    assert people(store) == [("Ann", "Lee", "ann@lee.example", "+12125550142")]


# -- encodings and countries -----------------------------------------------------------------

NATIONAL = {
    # encoding: (first, last, company, country)
    "shift_jis": ("太郎", "山田", "株式会社サンプル", "Japan"),
    "euc_kr": ("민준", "김", "삼성전자 주식회사", "South Korea"),
    "gb18030": ("伟", "王", "北京科技有限公司", "China"),
    "cp1250": ("Łukasz", "Żółkiewski", "Zakład Produkcyjny Łódź", "Poland"),
    "cp1251": ("Иван", "Петров", "ООО Ромашка", "Russia"),
}


@pytest.mark.parametrize("encoding", sorted(NATIONAL))
def test_a_national_encoding_is_detected_never_imported_as_mojibake(
    store: Store, lead1: Desk, tmp_path: Path, encoding: str
) -> None:
    first, last, company, country = NATIONAL[encoding]
    header = "First Name,Last Name,Email,Company,Country\n"
    text = header + f"{first},{last},a@x.example,{company},{country}\n"
    text += f"{last},{first},b@x.example,Other,{country}\n"
    export = tmp_path / f"{encoding}.csv"
    export.write_bytes(text.encode(encoding))
    summary = lead1.intake.import_file(export)
    assert summary.counts.created == 2
    with store.reading() as session:
        names = session.execute(
            select(Person.first_name, Person.last_name).order_by(Person.id)
        ).all()
    assert [tuple(name) for name in names] == [(first, last), (last, first)]


def test_a_file_that_is_not_its_declared_encoding_is_refused_naming_it(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "gb.csv"
    export.write_bytes("First Name,Email\n王伟,w@x.example\n".encode("gb18030"))
    with pytest.raises(IntakeFileError, match=r"gb\.csv, row 2: is not utf-8 \(byte 0x"):
        lead1.intake.import_file(export, encoding="utf-8")
    assert people(store) == []


def test_a_national_number_is_read_in_the_rows_country_else_assumed_and_said_so(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    header = ["First Name", "Email", "Phone", "Country"]
    rows = [
        ["Hans", "hans@x.example", "030 1234567", "Germany"],
        ["Amy", "amy@x.example", "(212) 555-0101", ""],
        ["Zoe", "zoe@x.example", "+44 20 7946 0958", ""],
    ]
    lead1.intake.import_file(write_csv(tmp_path / "in.csv", rows, header))
    with store.reading() as session:
        found = {
            person.first_name: (person.phone, person.country, (lead.extra or {}))
            for lead, person in session.execute(select(Lead, Person).join(Person)).tuples()
        }
    assert found["Hans"][:2] == ("+49301234567", "DE")
    assert found["Amy"][:2] == ("+12125550101", "US")
    assert found["Zoe"][:2] == ("+442079460958", "GB")
    assert [name for name, (_, _, extra) in found.items() if "country_assumed" in extra] == ["Amy"]
    with store.reading() as session:
        amy = session.scalars(select(Lead.id).join(Person).where(Person.first_name == "Amy")).one()
    file = lead1.queue.lead_file(amy)
    assert file.country_assumed == "US"
    assert ("Country assumed", "US (the number had no country code)") in file.from_the_file


# -- an import that imports nothing is not a success ------------------------------------------


def test_a_file_without_an_email_or_phone_column_is_refused_naming_its_columns(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = write_csv(tmp_path / "names.csv", [["Ann", "Lee", "Acme"]], ["First", "Last", "Org"])
    with pytest.raises(IntakeFileError) as refused:
        lead1.intake.import_file(export)
    message = str(refused.value)
    assert message.startswith("names.csv: no email or phone column recognised")
    assert "(found: First, Last, Org)" in message and "Email, Phone or Mobile" in message
    assert people(store) == []
    look = lead1.intake.look(export)  # the window opens the columns instead
    assert look.problem is not None and "no email or phone column" in look.problem


def test_null_n_a_and_dash_are_empty_cells(store: Store, lead1: Desk, tmp_path: Path) -> None:
    rows = [
        ["Ann", "N/A", "ann@x.example", "null", "-", "NULL", "n/a"],
        ["Bob", "-", "N/A", "+1 212 555 0123", "", "none", ""],
    ]
    out = tmp_path / "report.csv"
    summary = lead1.intake.import_file(write_csv(tmp_path / "in.csv", rows), report_path=out)
    assert (summary.counts.created, summary.counts.flagged, summary.counts.invalid) == (2, 0, 0)
    assert people(store) == [
        ("Ann", "", "ann@x.example", None),
        ("Bob", "", None, "+12125550123"),
    ]
    with store.reading() as session:
        assert session.scalars(select(Lead.account_id)).all() == [None, None]
        assert session.scalars(select(Lead.inquiry)).all() == [None, None]


# -- everything kept is visible and searchable -------------------------------------------------


def test_kept_numbers_columns_and_the_crm_id_show_on_the_card_and_are_searchable(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    header = ["Record ID", "First Name", "Last Name", "Email", "Phone", "Mobile", "Colour"]
    row = ["00Q5e000001AbCd", "Mia", "Wong", "mia@wong.example", "", "(646) 555-0111", "Teal"]
    summary = lead1.intake.import_file(write_csv(tmp_path / "crm.csv", [row], header))
    with store.reading() as session:
        lead_id = session.scalars(select(Lead.id)).one()
    file = lead1.queue.lead_file(lead_id)
    assert file.from_the_file[:2] == (
        ("CRM record id", "00Q5e000001AbCd"),
        ("Country assumed", "US (the number had no country code)"),
    )
    assert ("Colour", "Teal") in file.from_the_file
    assert ("Imported from", "crm.csv, row 2") in file.from_the_file
    for typed in ("00q5e000001", "teal", "(646) 555-0111", "+1646555"):
        found = lead1.queue.search(typed)
        assert [hit.lead_id for hit in found] == [lead_id], typed
    lead1.intake.undo(summary.run_id or 0)
    assert lead1.queue.search("00Q5e") == []
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(FileValue)) == 0


def test_a_file_imported_before_names_were_in_import_keys_changes_nothing_again(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    rows = [["Ann", "Lee", "ann@lee.example", "", "", "Lee Co", "Pricing"]]
    export = write_csv(tmp_path / "in.csv", rows)
    first = lead1.intake.import_file(export)
    # As an import before #21 stored it: the key made of the email alone.
    with store.transaction() as session:
        lead = session.scalars(select(Lead)).one()
        row = CleanRow(2, "Ann", "Lee", "", "ann@lee.example", "ann@lee.example",
                       "lee.example", None, "", None, None, "", "Lee Co", "lee co", "", None,
                       "", "", "", "", "", "", "", "Pricing", None, "", "", "", {}, ())  # fmt: skip
        old = key_before_names(first.source, row)
        assert old is not None and old != lead.import_key
        lead.import_key = old
    with store.reading() as session:
        before = session.execute(select(Lead.id, Lead.interest_score, Lead.import_key)).all()
    again = lead1.intake.import_file(
        write_csv(tmp_path / "in-again.csv", rows), source=first.source
    )
    assert (again.counts.unchanged, again.counts.attached, again.counts.created) == (1, 0, 0)
    with store.reading() as session:
        assert session.execute(select(Lead.id, Lead.interest_score, Lead.import_key)).all() == (
            before
        )

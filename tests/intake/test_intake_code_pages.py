"""Files in a national code page (#21 item 3): ISO-8859-2 (Polish, Czech), Windows-1257
(Baltic) and DOS code page 437 are read in the right one, or refused with exit 2 naming the one
tried, never imported as mojibake. The samples are resources/samples, made by
tests/intake/make_encoded_samples.py; real SQLite and PostgreSQL stores."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.intake.legible_text import legibility
from leaddesk.intake.reading import open_export
from leaddesk.store import Store
from leaddesk.store.models import Person
from tests.cli_in_process import RunCli
from tests.intake.make_encoded_samples import ENCODED, SAMPLES
from tests.intake.test_intake_import_cli import dump

# The samples' name columns: (first, last), or one column with the whole name.
NAME_COLUMNS = {
    "central_europe_iso8859_2.csv": ("First Name", "Last Name"),
    "baltic_contacts_cp1257.csv": ("First Name", "Last Name"),
    "dos_contacts_cp437.csv": ("NAME",),
    "polish_crm_cp1250.csv": ("Imię", "Nazwisko"),  # Polish headers, recognised as such
}


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def rows_as_written(name: str) -> list[dict[str, str]]:
    """The sample's rows as the generator wrote them, before they were encoded."""
    text = ENCODED[name][2]
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def test_the_samples_on_disk_are_the_ones_the_generator_writes(tmp_path: Path) -> None:
    from tests.intake.make_encoded_samples import write_samples

    for written in write_samples(tmp_path):
        assert written.read_bytes() == (SAMPLES / written.name).read_bytes(), written.name


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_each_code_page_sample_is_read_in_its_own_code_page(name: str) -> None:
    encoding = ENCODED[name][0]
    with open_export(SAMPLES / name) as export:
        read = [row.values for row in export.rows()]
        # ISO-8859-2 and Windows-1250 spell these names with the same bytes; either reads them.
        assert (SAMPLES / name).read_bytes().decode(export.encoding) == (
            (SAMPLES / name).read_bytes().decode(encoding)
        )
    assert read == rows_as_written(name)


@pytest.mark.parametrize("name", sorted(NAME_COLUMNS))
def test_a_code_page_sample_imports_every_name_with_its_letters(
    store: Store, lead1: Desk, name: str
) -> None:
    summary = lead1.intake.import_file(SAMPLES / name)
    written = rows_as_written(name)
    assert summary.counts.created == len(written)
    with store.reading() as session:
        found = set(session.execute(select(Person.first_name, Person.last_name)).tuples())
    columns = NAME_COLUMNS[name]
    if len(columns) == 1:  # the DOS file keeps a whole name in one column
        expected = {tuple(row[columns[0]].split(" ", 1)) for row in written}
    else:
        expected = {(row[columns[0]], row[columns[1]]) for row in written}
    assert found == expected


# Short files, where a detector guessing by letter frequencies alone read them wrong.
SHORT = {
    "two Polish rows, ISO-8859-2": (
        "iso8859_2",
        "Name,Email\nJózef Ślązak,j@x.pl\nAgnieszka Woźniak,a@x.pl\n",
    ),
    "one Czech row, ISO-8859-2": ("iso8859_2", "Name,Email\nŠárka Šťastná,s@x.cz\n"),
    "one Lithuanian row, Windows-1257": (
        "cp1257",
        "Name,Email,Company\nJonas Šimkus,j@x.lt,UAB Šviesa\n",
    ),
    "Latvian names, Windows-1257": (
        "cp1257",
        "Name,Email\nĒriks Ķēniņš,e@x.lv\nLīga Bērziņa,l@x.lv\n",
    ),
    "capitals from DOS, code page 437": (
        "cp437",
        "NAME,PHONE\nJÜRGEN MÜLLER,030 1234567\nJOSE NUÑEZ,912345678\n",
    ),
    "one Spanish row from DOS, code page 437": ("cp437", "Name,Email\nJosé Núñez,j@x.es\n"),
    "Swedish names from DOS, code page 437": (
        "cp437",
        "Name,Email\nÅsa Ström,a@x.se\nBjörn Ångström,b@x.se\n",
    ),
    "Hungarian, Windows-1250": ("cp1250", "Name,Email\nŐrsi Szűcs,o@x.hu\n"),
    # One Russian name also reads as Korean Hanja in CP949 ("珞造彦 柑午業荻").
    "one Russian row, Windows-1251": ("cp1251", "Name,Email\nСергей Кузнецов,s@x.ru\n"),
    "one Russian row, KOI8-R": ("koi8_r", "Name,Email\nСергей Кузнецов,s@x.ru\n"),
    "Turkish, Windows-1254": ("cp1254", "Name,Email\nŞükrü Çağlar,s@x.tr\nAyşe Yılmaz,a@x.tr\n"),
}


@pytest.mark.parametrize("case", sorted(SHORT))
def test_a_short_file_in_a_national_code_page_reads_as_written(tmp_path: Path, case: str) -> None:
    encoding, text = SHORT[case]
    path = tmp_path / "short.csv"
    path.write_bytes(text.encode(encoding))
    with open_export(path) as export:
        names = [next(iter(row.values.values())) for row in export.rows()]
    assert names == [line.split(",")[0] for line in text.splitlines()[1:]]


def test_a_word_spelt_in_two_alphabets_reads_worse_than_one_spelt_in_one() -> None:
    # The same bytes: Windows-1257 (Lithuanian), then Windows-1252 (Icelandic Þ, Dutch ë).
    right = legibility("Rūta Žukauskienė, Kauno Ąžuolas")
    wrong = legibility("Rûta Þukauskienë, Kauno Àþuolas")
    assert right.rank() < wrong.rank()
    assert (right.broken, right.foreign) == (0, 0)
    assert wrong.first_broken == ("Þukauskienë", "Àþuolas")


def test_box_drawing_and_control_characters_break_a_word() -> None:
    assert legibility("▐aneta Kalni“a").broken == 2
    assert legibility("Jos\x85 Smith").broken == 1
    assert legibility("Acme® costs £5").rank()[:2] == (0, 0)


def glued_file(path: Path) -> Path:
    """Two exports glued into one file: Polish rows in Windows-1250, Russian in Windows-1251.
    No one code page reads it."""
    polish = "First Name,Last Name,Email\nŁukasz,Żółkiewski,l@x.pl\nMałgorzata,Wąsowska,m@x.pl\n"
    russian = "Иван,Петров,i@x.ru\nОльга,Смирнова,o@x.ru\n"
    path.write_bytes(polish.encode("cp1250") + russian.encode("cp1251"))
    return path


def test_a_file_no_code_page_reads_is_refused_with_exit_2_naming_the_one_tried(
    store: Store, store_location: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = glued_file(tmp_path / "glued.csv")
    before = dump(store_location)
    code, out, err = run_cli("import", str(export), "--as", "lead1", db=store_location)
    assert code == 2 and not out and "Traceback" not in err
    assert err.startswith("leaddesk: glued.csv: is not UTF-8, and read as CP1250 its names come")
    assert "(“Čâŕí”, “Ďĺňđîâ”, “Îëüăŕ”)" in err and "--encoding" in err
    code, out, _ = run_cli("import", str(export), "--as", "lead1", "--json", db=store_location)
    refused = json.loads(out)
    assert code == 2 and refused["kind"] == "encoding" and "CP1250" in refused["error"]
    assert dump(store_location) == before


def test_a_refused_file_imports_once_its_encoding_is_named(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "kaunas.csv"
    export.write_bytes(SAMPLES.joinpath("baltic_contacts_cp1257.csv").read_bytes())
    summary = lead1.intake.import_file(export, encoding="cp1257")
    assert summary.counts.created == 3
    with store.reading() as session:
        assert "Žukauskienė" in session.scalars(select(Person.last_name)).all()


def test_a_dry_run_names_the_code_page_it_detected_so_the_rep_can_check(
    store: Store, store_location: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "kaunas.csv"
    export.write_bytes(SAMPLES.joinpath("baltic_contacts_cp1257.csv").read_bytes())
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--dry-run", db=store_location)
    assert code == 0, err
    assert out.splitlines()[1] == (
        "Read as CP1257 (detected; if names look wrong, import again with --encoding NAME)"
    )
    code, out, _ = run_cli(
        "import", str(export), "--as", "lead1", "--dry-run", "--json", db=store_location
    )
    assert code == 0 and json.loads(out)["code_page"] == "CP1257"
    declared = ("--encoding", "cp1257")
    code, out, _ = run_cli(
        "import", str(export), "--as", "lead1", "--dry-run", *declared, db=store_location
    )
    assert code == 0 and "Read as" not in out  # the rep said which
    unicode = tmp_path / "utf8.csv"
    unicode.write_text("Name,Email\nRūta Žukauskienė,r@x.lt\n", encoding="utf-8")
    code, out, _ = run_cli("import", str(unicode), "--as", "lead1", "--dry-run", db=store_location)
    assert code == 0 and "Read as" not in out


def test_a_polish_number_without_its_country_code_says_what_it_was_read_as_and_what_to_do(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    lead1.intake.import_file(SAMPLES / "polish_crm_cp1250.csv", report_path=report)
    with report.open(encoding="utf-8-sig") as handle:
        reasons = {line["row"]: line["reason"] for line in csv.DictReader(handle)}
    assert reasons["2"] == (
        "phone kept as typed: too short for a US number; add its country code, or a Country column"
    )
    with store.reading() as session:  # the number given with its code was read
        assert "+48123456789" in session.scalars(select(Person.phone)).all()


def test_a_short_number_on_a_row_that_names_its_country_is_not_told_to_add_a_country(
    lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "fair.csv"
    export.write_text(
        "Name,Email,Phone,Country\nBen Short,ben@short.example,12,GB\n"
        "Cleo Short,cleo@short.example,12,\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.csv"
    lead1.intake.import_file(export, report_path=report, dry_run=True)
    with report.open(encoding="utf-8-sig") as handle:
        reasons = {line["row"]: line["reason"] for line in csv.DictReader(handle) if line["field"]}
    assert reasons["2"] == (
        "phone kept as typed: too short for a GB number; check the number (read for the row's "
        "country)"
    )
    assert reasons["3"] == (
        "phone kept as typed: too short for a US number; add its country code, or a Country column"
    )

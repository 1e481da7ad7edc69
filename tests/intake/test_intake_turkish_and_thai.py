"""Turkish files saved by Excel in Windows-1254 (or ISO-8859-9) are read as Turkish, never as
Baltic Windows-1257; Baltic names keep reading as Windows-1257; a Thai file in Windows-874 is
read as Thai, never as Mac Roman. A file so short that Latin pages spell it equally well is read
in the team's region's page, or refused with exit 2 naming each reading. Real SQLite and
PostgreSQL stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Role
from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.legible_text import legibility
from leaddesk.intake.reading import open_export
from leaddesk.intake.spelling import misspelt
from leaddesk.store import Store
from tests.cli_in_process import RunCli
from tests.factories import small_team
from tests.intake.test_intake_greek_and_short_cjk import names, team_in


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


TURKISH_ROWS = [
    ("Şükrü", "Öztürk", "İstanbul"),
    ("Ayşe", "Yılmaz", "Ankara"),
    ("Çağlar", "Güneş", "İzmir"),
    ("İbrahim", "Doğan", "Eskişehir"),
]


def turkish_file(path: Path, rows: list[tuple[str, str, str]], encoding: str) -> Path:
    lines = ["First Name,Last Name,Email,City"]
    lines += [f"{first},{last},p{n}@x.example,{city}" for n, (first, last, city) in enumerate(rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def read_names(path: Path, region: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    with open_export(path, region=region) as export:
        rows = [(row.values["First Name"], row.values["Last Name"]) for row in export.rows()]
        return export.encoding, rows


@pytest.mark.parametrize("encoding", ["cp1254", "iso8859_9"])
@pytest.mark.parametrize("count", [1, 4], ids=["one row", "four rows"])
def test_a_turkish_file_without_a_bom_is_read_as_turkish_not_baltic(
    tmp_path: Path, encoding: str, count: int
) -> None:
    rows = TURKISH_ROWS[:count]
    found, read = read_names(turkish_file(tmp_path / "tr.csv", rows, encoding))
    assert read == [(first, last) for first, last, _ in rows]
    # Both spell Turkish letters with the same bytes; Windows-1254 also has € and the quotes.
    assert found in ("cp1254", "iso8859-9")


@pytest.mark.parametrize("region", ["US", "TR", "LT"])
def test_a_turkish_excel_file_is_imported_with_its_names_whatever_the_teams_region(
    store: Store, lead1: Desk, tmp_path: Path, region: str
) -> None:
    team_in(lead1, region)
    summary = lead1.intake.import_file(turkish_file(tmp_path / "tr.csv", TURKISH_ROWS, "cp1254"))
    assert summary.counts.created == len(TURKISH_ROWS)
    assert summary.code_page == "CP1254"
    assert names(store) == [(first, last) for first, last, _ in TURKISH_ROWS]


BALTIC = {
    "Lithuanian": ("Rūta", "Žukauskienė"),
    "Latvian": ("Ēriks", "Ķēniņš"),
    "Estonian": ("Jüri", "Põder"),
}


@pytest.mark.parametrize("language", sorted(BALTIC))
def test_baltic_names_keep_reading_as_windows_1257_in_a_turkish_team(
    store: Store, lead1: Desk, tmp_path: Path, language: str
) -> None:
    team_in(lead1, "TR")
    first, last = BALTIC[language]
    export = tmp_path / "baltic.csv"
    text = f"First Name,Last Name,Email\n{first},{last},b@x.example\nLīga,Šimkutė,l@x.example\n"
    export.write_bytes(text.encode("cp1257"))
    lead1.intake.import_file(export)
    assert names(store) == [(first, last), ("Līga", "Šimkutė")]


def test_an_estonian_teams_file_is_named_as_windows_1257(tmp_path: Path) -> None:
    export = tmp_path / "ee.csv"
    export.write_bytes("First Name,Last Name\nJüri,Põder\nMari,Mänd\n".encode("cp1257"))
    # Windows-1252 reads these bytes alike; the team's region names the page it is saved in.
    assert read_names(export, "EE") == ("cp1257", [("Jüri", "Põder"), ("Mari", "Mänd")])


@pytest.mark.parametrize(
    ("region", "first"), [("TR", "Ayşe"), ("LT", "Ayže"), ("PL", "Ayţe")], ids=["TR", "LT", "PL"]
)
def test_the_teams_region_says_which_reading_of_a_one_name_latin_file_to_take(
    store: Store, lead1: Desk, tmp_path: Path, region: str, first: str
) -> None:
    team_in(lead1, region)
    export = tmp_path / "one.csv"
    export.write_bytes("First Name,Last Name,Email\nAyşe,Kaya,a@x.example\n".encode("cp1254"))
    lead1.intake.import_file(export)
    assert names(store) == [(first, "Kaya")]


def test_a_one_name_file_latin_pages_read_alike_is_refused_in_a_us_team(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "one.csv"
    export.write_bytes("First Name,Last Name,Email\nŞükrü,Öztürk,s@x.example\n".encode("cp1254"))
    with pytest.raises(IntakeFileError) as refused:
        lead1.intake.import_file(export)
    assert refused.value.kind is FileProblem.ENCODING
    message = str(refused.value)
    assert message.startswith("one.csv: is not UTF-8, and has too few names to tell")
    assert "CP1254 (Latin: “Şükrü”)" in message and "CP1257 (Latin: “Žükrü”)" in message
    assert names(store) == []


@pytest.fixture
def db(store_location: str, clock: FixedClock) -> str:
    with small_team(store_location, clock, [("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER)]):
        return store_location


def test_the_cli_refuses_a_short_turkish_file_with_exit_2_naming_the_readings(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "tr.csv"
    export.write_bytes("Name,Email\nAyşe,a@x.example\n".encode("cp1254"))
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    assert code == 2 and "Traceback" not in err
    refused = json.loads(out)
    assert refused["kind"] == "encoding"
    for reading in ("CP1254 (Latin: “Ayşe”)", "CP1257 (Latin: “Ayže”)", "--encoding"):
        assert reading in refused["error"]
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--encoding", "cp1254", db=db)
    assert code == 0, err


THAI_ROWS = [
    ("สมชาย", "ใจดี"),
    ("สมหญิง", "รักไทย"),
    ("วิชัย", "ศรีสุข"),
    ("ประเสริฐ", "แก้วมณี"),
]


@pytest.mark.parametrize("count", [1, 4], ids=["one row", "four rows"])
def test_a_thai_file_in_windows_874_is_read_as_thai_not_mac_roman(
    tmp_path: Path, count: int
) -> None:
    export = tmp_path / "th.csv"
    lines = ["First Name,Last Name,Email"]
    lines += [f"{first},{last},t{n}@x.example" for n, (first, last) in enumerate(THAI_ROWS[:count])]
    export.write_bytes(("\n".join(lines) + "\n").encode("cp874"))
    assert read_names(export) == ("cp874", THAI_ROWS[:count])


def test_a_thai_file_is_imported_with_its_names_and_its_code_page_named(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "th.csv"
    lines = ["First Name,Last Name,Email"]
    lines += [f"{first},{last},t{n}@x.example" for n, (first, last) in enumerate(THAI_ROWS)]
    export.write_bytes(("\n".join(lines) + "\n").encode("cp874"))
    summary = lead1.intake.import_file(export)
    assert summary.code_page == "CP874"
    assert names(store) == THAI_ROWS


def test_thai_spelling_puts_vowel_and_tone_marks_on_a_consonant() -> None:
    for word in ("สมชาย", "ใจดี", "แก้วมณี", "กรุงเทพ", "เชียงใหม่"):
        assert not misspelt(word), word
    assert misspelt("ี่กา")  # a vowel mark with no consonant under it
    assert misspelt("าม")  # a vowel written after a consonant, first
    assert misspelt("กเ")  # a vowel written before a consonant, last
    assert legibility("สมชาย ใจดี").rank()[:2] == (0, 0)
    assert legibility("¡™“¬ „®¥’").broken == 2  # Mac Roman's reading: symbols, no letters


def test_turkish_and_icelandic_spelling_tell_windows_1254_from_its_neighbours() -> None:
    assert not misspelt("Çağlar") and not misspelt("Doğan") and not misspelt("Þórður")
    assert misspelt("Ğimkus")  # Lithuanian "Šimkus" read as Windows-1254
    assert misspelt("Ayþe")  # Turkish "Ayşe" read as Windows-1252
    assert misspelt("Ðimkus")  # Icelandic ð never starts a word
    assert legibility("İstanbul").foreign == 0


@pytest.mark.parametrize(("region", "page"), [("LT", "cp1257"), ("PL", "cp1250")], ids=["LT", "PL"])
def test_a_one_row_lithuanian_file_is_read_in_the_teams_page(
    tmp_path: Path, region: str, page: str
) -> None:
    export = tmp_path / "lt.csv"
    export.write_bytes("First Name,Last Name\nJonas,Šimkus\n".encode("cp1257"))
    # "Šimkus" in Windows-1250 is "Đimkus", a Croatian-looking name: only the region tells.
    last = "Šimkus" if page == "cp1257" else "Đimkus"
    assert read_names(export, region) == (page, [("Jonas", last)])


def test_a_thai_teams_western_file_is_read_as_windows_1252(tmp_path: Path) -> None:
    export = tmp_path / "dk.csv"
    export.write_bytes("First Name,Last Name\nMette,Sørensen\n".encode("cp1252"))
    assert read_names(export, "TH") == ("cp1252", [("Mette", "Sørensen")])

"""Greek files saved by Excel in Windows-1253 (or ISO-8859-7) are read as Greek, never as
Cyrillic; a one- or two-name file in Chinese, Japanese or Korean that reads equally well in
another of them is refused with exit 2 naming what it could be, unless the team's phone region
says which. Real SQLite and PostgreSQL stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from leaddesk.clock import FixedClock
from leaddesk.desk import Desk, open_desk
from leaddesk.domain import Role
from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.reading import open_export
from leaddesk.store import Store
from leaddesk.store.models import Person
from tests.cli_in_process import RunCli
from tests.factories import small_team

BANT = (Path(__file__).parents[2] / "resources" / "definitions" / "bant.toml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def lead1(store: Store, store_location: str, clock: FixedClock) -> Iterator[Desk]:
    with open_desk(store_location, "lead1", clock=clock) as desk:
        yield desk


def team_in(desk: Desk, region: str) -> None:
    """Publish the reference definition with the team's phone region set to ``region``."""
    text = BANT.replace('default_phone_region = "US"', f'default_phone_region = "{region}"')
    assert f'default_phone_region = "{region}"' in text
    desk.qualifying.publish_definition(text, f"{region.lower()}.toml")


def names(store: Store) -> list[tuple[str | None, str | None]]:
    with store.reading() as session:
        rows = session.execute(select(Person.first_name, Person.last_name).order_by(Person.id))
        return [(first, last) for first, last in rows]


GREEK_FILES = {
    # One name and an email: Windows-1251 read it as "Гйюсгпт Рбрбдьрпхлпт".
    "one name": [("Γιώργος", "Παπαδόπουλος", "Αθηναϊκή Ζυθοποιία")],
    # Capitals without accents, as Greek CRMs export them.
    "capitals": [
        ("ΓΙΩΡΓΟΣ", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "ΣΚΛΑΒΕΝΙΤΗΣ"),
        ("ΜΑΡΙΑ", "ΚΩΝΣΤΑΝΤΙΝΟΥ", "ΕΛΛΗΝΙΚΑ ΠΕΤΡΕΛΑΙΑ"),
    ],
    # Lower case throughout: KOI8-R read it as capitals, near enough a transliteration.
    "lower case": [("γιώργος", "παπαδόπουλος", "ζυθοποιία"), ("μαρία", "κωνσταντίνου", "όμιλος")],
}


@pytest.mark.parametrize("encoding", ["cp1253", "iso8859_7"])
@pytest.mark.parametrize("kind", sorted(GREEK_FILES))
def test_a_greek_file_without_a_bom_is_read_as_greek_not_cyrillic(
    tmp_path: Path, kind: str, encoding: str
) -> None:
    rows = GREEK_FILES[kind]
    text = "First Name,Last Name,Email,Company\n" + "".join(
        f"{first},{last},p{index}@x.example,{company}\n"
        for index, (first, last, company) in enumerate(rows)
    )
    export = tmp_path / "greek.csv"
    export.write_bytes(text.encode(encoding))
    with open_export(export) as opened:
        read = [(row.values["First Name"], row.values["Last Name"]) for row in opened.rows()]
        assert opened.encoding in ("cp1253", "iso8859-7")
    assert read == [(first, last) for first, last, _ in rows]


def test_a_greek_capital_with_an_accent_tells_iso_8859_7_from_windows_1253(
    tmp_path: Path,
) -> None:
    # "Ά" is 0xB6 in ISO-8859-7 but 0xA2 in Windows-1253 (where 0xB6 is "¶").
    text = "Name,Email\nΆννα Ιωάννου,a@x.example\nΈλλη Λαμπέτη,b@x.example\n"
    for encoding, read_as in (("iso8859_7", "iso8859-7"), ("cp1253", "cp1253")):
        export = tmp_path / f"{encoding}.csv"
        export.write_bytes(text.encode(encoding))
        with open_export(export) as opened:
            assert opened.encoding == read_as
            assert [row.values["Name"] for row in opened.rows()] == [
                "Άννα Ιωάννου",
                "Έλλη Λαμπέτη",
            ]


def test_a_greek_excel_file_is_imported_with_its_names_and_its_code_page_named(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    export = tmp_path / "leads.csv"
    export.write_bytes(
        "First Name,Last Name,Email\nΓιώργος,Παπαδόπουλος,g@x.example\n".encode("cp1253")
    )
    summary = lead1.intake.import_file(export)
    assert summary.counts.created == 1
    assert summary.code_page == "CP1253"
    assert names(store) == [("Γιώργος", "Παπαδόπουλος")]


# One Chinese name reads as Japanese kanji too ("藍琉"); one Korean name as Chinese or Japanese.
SHORT_CJK = {
    "gb18030": ("王伟", ("GB18030", "EUC_JP")),
    "euc_kr": ("김민준", ("CP949", "GB18030", "BIG5")),
}


@pytest.mark.parametrize("encoding", sorted(SHORT_CJK))
def test_a_one_name_cjk_file_that_cannot_be_told_is_refused_naming_what_it_could_be(
    store: Store, lead1: Desk, tmp_path: Path, encoding: str
) -> None:
    name, could_be = SHORT_CJK[encoding]
    export = tmp_path / "one.csv"
    export.write_bytes(f"Name,Email\n{name},a@x.example\n".encode(encoding))
    with pytest.raises(IntakeFileError) as refused:
        lead1.intake.import_file(export)
    assert refused.value.kind is FileProblem.ENCODING
    message = str(refused.value)
    assert message.startswith("one.csv: is not UTF-8, and has too few names to tell")
    assert all(page in message for page in could_be), message
    assert f"“{name}”" in message and "--encoding" in message
    assert names(store) == []


@pytest.mark.parametrize(
    ("region", "name"), [("CN", ("王", "伟")), ("JP", ("藍", "琉"))], ids=["CN", "JP"]
)
def test_the_teams_phone_region_says_which_reading_of_a_short_cjk_file_to_take(
    store: Store, lead1: Desk, tmp_path: Path, region: str, name: tuple[str, str]
) -> None:
    team_in(lead1, region)
    export = tmp_path / "one.csv"
    export.write_bytes("Last Name,First Name,Email\n王,伟,a@x.example\n".encode("gb18030"))
    lead1.intake.import_file(export)
    assert names(store) == [(name[1], name[0])]


def test_a_korean_teams_short_file_is_read_as_korean(
    store: Store, lead1: Desk, tmp_path: Path
) -> None:
    team_in(lead1, "KR")
    export = tmp_path / "one.csv"
    export.write_bytes("Last Name,First Name,Email\n김,민준,a@x.example\n".encode("euc_kr"))
    look = lead1.intake.look(export)
    assert look.samples[0]["First Name"] == "민준"
    lead1.intake.import_file(export)
    assert names(store) == [("민준", "김")]


@pytest.fixture
def db(store_location: str, clock: FixedClock) -> str:
    with small_team(store_location, clock, [("lead1", Role.TEAM_LEAD), ("rep1", Role.QUALIFIER)]):
        return store_location


def test_the_cli_refuses_a_short_cjk_file_with_exit_2_and_json_naming_the_encodings(
    db: str, tmp_path: Path, run_cli: RunCli
) -> None:
    export = tmp_path / "cn.csv"
    export.write_bytes("Name,Email\n王伟,w@x.example\n".encode("gb18030"))
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--json", db=db)
    assert code == 2 and "Traceback" not in err
    refused = json.loads(out)
    assert refused["kind"] == "encoding"
    assert "GB18030 (Chinese: “王伟”)" in refused["error"]
    assert "EUC_JP (Japanese: “藍琉”)" in refused["error"]
    code, out, err = run_cli("import", str(export), "--as", "lead1", "--encoding", "gb18030", db=db)
    assert code == 0, err


@pytest.mark.parametrize(("region", "last"), [("US", "Mañana"), ("PL", "Mańana")], ids=["US", "PL"])
def test_a_file_that_reads_equally_in_two_western_pages_is_read_in_the_teams(
    store: Store, lead1: Desk, tmp_path: Path, region: str, last: str
) -> None:
    # "ñ" in Windows-1252 is "ń" in Windows-1250: both readings spell names.
    team_in(lead1, region)
    export = tmp_path / "western.csv"
    export.write_bytes("First Name,Last Name,Email\nFrançois,Mañana,f@x.example\n".encode("cp1252"))
    lead1.intake.import_file(export)
    assert names(store) == [("François", last)]

"""Mis-encoded text and damaged or booby-trapped workbooks, at `import` and `dnc import`: exit 2
naming the file and the place (row, byte, sheet), and the store not touched, byte for byte."""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli_in_process import RunCli
from tests.intake.test_intake_import_cli import db, dump  # noqa: F401 (fixture)
from tests.one_store import sqlite_only

HEADER = "First Name,Last Name,Email,Phone,Company\n"


def rows(count: int) -> str:
    return "".join(
        f"Ada,Row{n},a{n}@x{n}.example,+1303{3000000 + n:07d},Co {n}\n" for n in range(count)
    )


def bom_and_cp1252(count: int, bad_row: int) -> bytes:
    """A UTF-8 file with its byte-order mark and one Windows-1252 dash typed into one row."""
    data = codecs.BOM_UTF8 + (HEADER + rows(count)).encode()
    return data.replace(f"Row{bad_row - 2},".encode(), f"R\u2013ow{bad_row - 2},".encode("cp1252"))


def utf16_with_lone_surrogate(count: int, bad_row: int) -> bytes:
    data = (HEADER + rows(count)).encode("utf-16")
    at = data.index(f"Row{bad_row - 2},".encode("utf-16-le"))
    return data[:at] + b"\x00\xd8" + data[at + 2 :]


def workbook(change: Callable[[dict[str, bytes]], None] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet.append(["First Name", "Last Name", "Email", "Phone", "Company"])
    for n in range(30):
        sheet.append(["Ada", f"Row{n}", f"a{n}@x{n}.example", f"+1303{3000000 + n:07d}", f"Co {n}"])
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if change is not None:
        change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
    + "".join(
        f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n > 1 else "&lol;") * 10}">' for n in range(1, 10)
    )
    + "]>"
)


def cut_sheet(parts: dict[str, bytes]) -> None:
    text = parts[SHEET].decode()
    parts[SHEET] = text[: text.index('<row r="12"') + 20].encode()


def laughing_sheet(parts: dict[str, bytes]) -> None:
    text = re.sub(r"^<\?xml[^>]*\?>", "", parts[SHEET].decode())
    parts[SHEET] = (LAUGHS + text.replace("<t>Row3<", "<t>&lol9;<")).encode()


def laughing_workbook(parts: dict[str, bytes]) -> None:
    text = re.sub(r"^<\?xml[^>]*\?>", "", parts["xl/workbook.xml"].decode())
    parts["xl/workbook.xml"] = (LAUGHS + text.replace('name="Leads"', 'name="&lol9;"')).encode()


def laughs_after_a_comment(parts: dict[str, bytes]) -> None:
    text = re.sub(r"^<\?xml[^>]*\?>", "", parts[SHEET].decode())
    laughs = LAUGHS.replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!-- <a> -->')
    parts[SHEET] = (laughs + text.replace("<t>Row3<", "<t>&lol9;<")).encode()


def broken_workbook_part(parts: dict[str, bytes]) -> None:
    parts["xl/workbook.xml"] = b"<workbook><sheets><sheet name='Leads'"


# name -> (file name, its bytes, words the one-line message must hold)
HOSTILE: dict[str, tuple[str, Callable[[], bytes], list[str]]] = {
    "bom_and_cp1252_byte": (
        "bom.csv",
        lambda: bom_and_cp1252(50, bad_row=9),
        ["row 9", "not valid utf-8", "byte 0x96 at byte 336"],
    ),
    "bom_and_cp1252_byte_late": (
        "bom-late.csv",
        lambda: bom_and_cp1252(3000, bad_row=2902),
        ["row 2902", "not valid utf-8", "byte 0x96 at byte 149,309"],
    ),
    "utf16_lone_surrogate": (
        "wide.csv",
        lambda: utf16_with_lone_surrogate(50, bad_row=9),
        ["row 9", "not valid utf-16", "bytes 00 D8 at byte 666"],
    ),
    "utf16_lone_surrogate_late": (
        "wide-late.csv",
        lambda: utf16_with_lone_surrogate(3000, bad_row=2902),
        ["row 2902", "not valid utf-16", "at byte 298,612"],
    ),
    "utf16_cut_short": (
        "odd.csv",
        lambda: (HEADER + rows(50)).encode("utf-16") + b"A",
        ["row 52", "not valid utf-16", "cut short at byte 4,504"],
    ),
    "xlsx_damaged_workbook": (
        "broken.xlsx",
        lambda: workbook(broken_workbook_part),
        ["damaged excel workbook", "save it again"],
    ),
    "xlsx_damaged_sheet": (
        "cut.xlsx",
        lambda: workbook(cut_sheet),
        ["row 12", "sheet 'leads' is damaged after row 11"],
    ),
    "xlsx_entity_bomb_in_sheet": (
        "laughs.xlsx",
        lambda: workbook(laughing_sheet),
        ["part xl/worksheets/sheet1.xml declares xml entities"],
    ),
    "xlsx_entity_bomb_in_workbook": (
        "laughs-book.xlsx",
        lambda: workbook(laughing_workbook),
        ["part xl/workbook.xml declares xml entities"],
    ),
    "xlsx_entity_bomb_after_a_comment": (
        "laughs-hidden.xlsx",
        lambda: workbook(laughs_after_a_comment),
        ["declares xml entities"],
    ),
}


def store_digest(location: str) -> str | None:
    """SHA-256 of a SQLite store's files (the database and its write-ahead log)."""
    path = Path(location)
    if not path.exists():
        return None
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


# The file is read whole before anything is written (and on SQLite the store's bytes are
# compared too): the store's kind plays no part.
@sqlite_only
@pytest.mark.parametrize("command", [["import"], ["dnc", "import"]], ids=["import", "dnc"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_mis_encoded_or_damaged_file_exits_2_naming_the_place_and_changes_nothing(
    db: str,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    name: str,
    command: list[str],
    run_cli: RunCli,
) -> None:
    file_name, make, says = HOSTILE[name]
    path = tmp_path / file_name
    path.write_bytes(make())
    before, digest = dump(db), store_digest(db)
    code, out, err = run_cli(*command, str(path), "--as", "lead1", db=db)
    message = err.strip()
    assert code == 2, (name, err)
    assert message.startswith(f"leaddesk: {file_name}"), message
    for words in says:
        assert words.casefold() in message.casefold(), (words, message)
    assert "Traceback" not in err and len(message.splitlines()) == 1 and out == ""
    assert store_digest(db) == digest
    assert dump(db) == before


def test_a_workbook_without_declarations_still_imports(
    db: str,  # noqa: F811
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    path = tmp_path / "fine.xlsx"
    path.write_bytes(workbook())
    code, _out, err = run_cli("import", str(path), "--as", "lead1", db=db)
    assert code == 0, err

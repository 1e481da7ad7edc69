"""Reading sales' feedback file (docs/architecture.md §6): the bytes as text whatever Excel
saved, the CSV read strictly, the header checked, each row checked for form.

A file that cannot be read as a feedback file (missing or unknown columns, ragged rows, an
unclosed quote, no rows) is refused whole, naming the row and the column. A Salesforce
converted-leads report or a HubSpot deals or leads export is read too (``crm_feedback``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from leaddesk.errors import InputError
from leaddesk.files.reading import utf16_without_bom
from leaddesk.handoff.crm_feedback import CrmShape, as_template, crm_id_of, shape_of
from leaddesk.handoff.feedback import COLUMNS, REQUIRED_COLUMNS, Decision, Problem, check_row


def _column_key(text: str) -> str:
    return "_".join(text.strip().lstrip("\ufeff").lower().replace("-", " ").split())


SAVE_AS_CSV = "save the decisions as CSV (File ▸ Save As ▸ CSV) and record that file"
# A column name quoted in a message is cut here: a wrong file can have a "header" of any length.
SHOWN_COLUMN_CHARS = 40


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with its byte-order mark (and tabs between fields).
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not readable as the UTF-16 text it says it is") from exc
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{name}: an Excel workbook (or another zip file), not CSV; {SAVE_AS_CSV}")
    if b"\x00" in data[:65536]:
        # UTF-16 saved without its byte-order mark; anything else with NULs is not text (a
        # program, a picture, a database…).
        wide = utf16_without_bom(data[:65536])
        if wide is None:
            raise InputError(f"{name}: not a text file; {SAVE_AS_CSV}")
        try:
            return data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not readable as the UTF-16 text it seems to be") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in the machine's code page.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not a text file (UTF-8 or Windows-1252)") from exc


def _shown_column(column: str) -> str:
    if len(column) <= SHOWN_COLUMN_CHARS:
        return repr(column)
    return repr(column[:SHOWN_COLUMN_CHARS]) + "…"


def _delimiter(header: str) -> str:
    """Excel writes commas, semicolons where the decimal mark is a comma, tabs as "text"."""
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


NOTHING_RECORDED = "nothing from this file was recorded"


def read_feedback(path: Path) -> tuple[list[Decision], list[Problem], str, int]:
    """Parse a feedback file: decisions, row problems, the file's SHA-256, the row count.

    Raises InputError for a file that is not a feedback file at all, or whose rows cannot all
    be accounted for (an unclosed quote, a row with the wrong number of cells, a lead id that
    is not a number): nothing is applied from it.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(data).hexdigest()
    table = _records(_decode(data, name), name)
    if not table:
        raise InputError(f"{name}: empty; start from the feedback template")
    header_line, header_cells = table[0]
    header = [_column_key(cell) for cell in header_cells]
    shape = shape_of(header)
    if shape is not None:
        answered, not_applied = _crm_rows(shape, header, table[1:], name)
        return answered, not_applied, digest, len(table) - 1
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InputError(
            f"{name}: row {header_line}: unknown column {_shown_column(unknown[0])}; "
            f"columns are {', '.join(COLUMNS)}"
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputError(f"{name}: row {header_line}: the column {missing[0]} is missing")
    if len(set(header)) != len(header):
        raise InputError(f"{name}: row {header_line}: a column appears twice")
    body = table[1:]
    if not body:
        raise InputError(f"{name}: no rows after the header")
    for number, cells in body:
        # Extra empty cells at the end (a spreadsheet's used range) hold nothing to lose.
        if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header) :]):
            raise InputError(
                f"{name}: row {number}: {len(cells)} fields but the header has {len(header)}; "
                f"{NOTHING_RECORDED}"
            )
        raw_id = cells[header.index("lead_id")].strip().removeprefix("#")
        if not (raw_id.isascii() and raw_id.isdigit()):
            raise InputError(
                f"{name}: row {number}, lead_id: {_shown_column(raw_id)} is not a lead id "
                f"(a whole number); {NOTHING_RECORDED}"
            )
    decisions: list[Decision] = []
    problems: list[Problem] = []
    for number, cells in body:
        values = {column: cells[i].strip() for i, column in enumerate(header)}
        checked = check_row(values, number)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            decisions.append(checked)
    return decisions, problems, digest, len(body)


def _crm_rows(
    shape: CrmShape, header: list[str], body: list[tuple[int, list[str]]], name: str
) -> tuple[list[Decision], list[Problem]]:
    """A CRM export's rows as decisions; a row the CRM has not answered yet is left out, a
    row without its LeadDesk id is a problem naming the row."""
    if not body:
        raise InputError(f"{name}: {shape.name} with no rows after the header")
    decisions: list[Decision] = []
    problems: list[Problem] = []
    for number, cells in body:
        row = {
            column: (cells[i].strip() if i < len(cells) else "") for i, column in enumerate(header)
        }
        values = as_template(shape, row)
        if values is None:
            continue
        crm_id = crm_id_of(shape, row)
        if not values["lead_id"] and not crm_id:
            problems.append(
                Problem(number, "lead_id", "no LeadDesk Lead ID on this row; not applied")
            )
            continue
        checked = check_row(values, number, crm_id=crm_id)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            decisions.append(checked)
    return decisions, problems


def _records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """The file's records with the line each starts on; blank and # lines between records are
    skipped. Read strictly: a quote never closed or text after a closing quote refuses the
    file, naming the row and the column, rather than running rows together."""
    lines = io.StringIO(text, newline="")
    first = next((line for line in lines if line.strip() and not _comment(line)), "")
    hint = _separator_hint(first)
    if hint is not None:  # Excel's "sep=;" line names the delimiter; the header comes next
        first = next((line for line in lines if line.strip() and not _comment(line)), "")
    delimiter = hint or _delimiter(first)
    lines.seek(0)
    where = _Place()
    taken: list[str] = []  # the lines of the record being read, for naming the column

    def physical() -> Iterator[str]:
        for line in lines:
            where.line += 1
            if where.between:
                if not line.strip() or _comment(line):
                    continue
                if hint is not None and not records and _separator_hint(line) is not None:
                    continue
                where.start, where.between = where.line, False
                taken.clear()
            taken.append(line)
            yield line

    reader = csv.reader(physical(), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] = []
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            said = str(exc)
            raise _unreadable(name, where.start, said, "".join(taken), delimiter, header) from exc
        if cells is None:
            return records
        records.append((where.start, cells))
        header = header or [_column_key(cell) for cell in cells]
        where.between = True


@dataclass
class _Place:
    """Where the reader is: the line last read, the line its record starts on, and whether it
    is between records (where blank and # lines are skipped)."""

    line: int = 0
    start: int = 0
    between: bool = True


def _separator_hint(line: str) -> str | None:
    """The delimiter Excel's first line ``sep=;`` names, or None for any other line."""
    text = line.strip("\r\n")
    if len(text) == 5 and text[:4].lower() == "sep=" and text[4] in ",;\t|":
        return text[4]
    return None


def _comment(line: str) -> bool:
    """A # line is a comment, but not one that starts with a lead's number as LeadDesk
    writes it ("#1234,accepted,…")."""
    text = line.lstrip()
    return text.startswith("#") and not text[1:2].isdigit()


def _unreadable(
    name: str, row: int, said: str, record: str, delimiter: str, header: list[str]
) -> InputError:
    index = _cell_at_end(record, delimiter)
    column = header[index] if index < len(header) else f"column {index + 1}"
    where = f"{name}: row {row}, {column}"
    if "unexpected end of data" in said or "field larger" in said:
        what = 'a quoted cell opened on this row is never closed (missing ")'
    elif "expected after" in said:
        expected = _delimiter_said(delimiter)
        what = f"text after a closing quote (\"); expected {expected} or the row's end"
    else:
        what = f"not readable as CSV ({said})"
    return InputError(f"{where}: {what}; {NOTHING_RECORDED}")


def _cell_at_end(record: str, delimiter: str) -> int:
    """0-based index of the cell a (cut short) record ends in, by the plain CSV quote rule."""
    index, quoted = 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            index += 1
    return index


def _delimiter_said(delimiter: str) -> str:
    return {",": "a comma", ";": "a semicolon", "\t": "a tab"}.get(delimiter, repr(delimiter))

"""Read an XLSX export with openpyxl, refusing XML bombs first (docs/architecture.md §6)."""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from leaddesk.intake.errors import FileProblem, IntakeFileError, NothingToImport
from leaddesk.intake.export_file import PREAMBLE_ROWS, ExportFile, RawRow, header_names, ragged


def open_xlsx(path: Path, sheet: str | None) -> ExportFile:
    # Imported here: openpyxl is slow to import and most imports are CSV.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _refuse_xml_declarations(path)
    # Opened as a stream so openpyxl does not judge by the extension (an .xlsx renamed .csv).
    handle = path.open("rb")
    try:
        # data_only: a formula cell gives the value Excel last showed, never the formula run.
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        handle.close()
        raise IntakeFileError(
            path, "is a zip archive but not an Excel workbook (.xlsx)", kind=FileProblem.BINARY
        ) from error
    except Exception as error:  # openpyxl on a damaged workbook: any error
        handle.close()
        raise IntakeFileError(
            path,
            f"is a damaged Excel workbook ({_said(error)}); open it in Excel and save it again",
            kind=FileProblem.MALFORMED,
        ) from error
    closer = _Closer(book, handle)
    try:
        if sheet is None:
            if not book.worksheets:
                raise IntakeFileError(path, "has no worksheets", kind=FileProblem.EMPTY)
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            names = ", ".join(book.sheetnames)
            raise IntakeFileError(
                path, f"has no sheet named '{sheet}' (sheets: {names})", kind=FileProblem.NO_SHEET
            )
        stream = _XlsxStream(path, worksheet.title, worksheet.iter_rows(values_only=True))
        header, header_row, first = stream.start()
    except BaseException:
        closer.close()
        raise
    export = ExportFile(path, "xlsx", header, header_row, first, stream.rows(), closer)
    export.sheet = worksheet.title
    export.sheets = tuple(book.sheetnames)
    return export


class _Closer:
    def __init__(self, book: Any, handle: IO[bytes]) -> None:
        self.book, self.handle = book, handle

    def close(self) -> None:
        self.book.close()
        self.handle.close()


# Every part of a workbook is XML; Excel never writes a DTD, and entity declarations are how an
# "XML bomb" grows a few kilobytes into gigabytes. Their prolog is read up to this far.
PROLOG_LIMIT = 1024 * 1024


def _refuse_xml_declarations(path: Path) -> None:
    """Refuse a workbook any of whose XML parts declares a DTD or entities, before openpyxl
    parses it; a part that cannot be read is left for openpyxl to report."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if member.is_dir():
                    continue
                with archive.open(member) as part:
                    start = part.read(PROLOG_LIMIT)
                if _declares(start) is not False:
                    raise IntakeFileError(
                        path,
                        f"part {member.filename[:80]} declares XML entities or a DTD, which "
                        "Excel never writes; refused (it can expand to gigabytes). Open it in "
                        "Excel and save it again",
                        kind=FileProblem.MALFORMED,
                    )
    except IntakeFileError:
        raise
    except Exception:  # a damaged archive: openpyxl says what is wrong
        return


def _declares(start: bytes) -> bool | None:
    """Whether an XML document starting with these bytes has a DTD (``<!DOCTYPE``) before its
    first element; None when its prolog does not end within them. Not XML at all: False."""
    encoding = "utf-8"
    for mark, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if start.startswith(mark):
            encoding, start = name, start[len(mark) :]
    if start.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif start.startswith(b"\x00<"):
        encoding = "utf-16-be"
    text = start.decode(encoding, errors="replace").lstrip("\ufeff")
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at >= len(text):
            return None if len(start) >= PROLOG_LIMIT else False
        if text.startswith("<?", at):
            end, skip = text.find("?>", at), 2
        elif text.startswith("<!--", at):
            end, skip = text.find("-->", at + 4), 3
        else:
            return text.startswith("<!", at)  # a declaration before any element: a DTD
        if end < 0:
            return None
        at = end + skip


def _said(error: BaseException) -> str:
    # A parser's own words, kept short: they may quote the file.
    words = " ".join(str(error).split()) or type(error).__name__
    return words if len(words) <= 100 else words[:100] + "…"


class _XlsxStream:
    def __init__(self, path: Path, sheet: str, cells: Iterator[tuple[Any, ...]]) -> None:
        self.path = path
        self.sheet = sheet
        self.cells = self._read(cells)
        self.header: list[str] = []
        # Rows read ahead while looking for the header past a preamble, given back as data.
        self.replay: list[tuple[int, tuple[Any, ...]]] = []

    def _read(self, cells: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Numbered rows; a damaged sheet (broken XML, a bad zip entry) is an IntakeFileError
        naming the sheet and the row where reading stopped."""
        number = 0
        while True:
            try:
                row = next(cells, None)
            except Exception as error:  # openpyxl on damaged XML: any error
                raise IntakeFileError(
                    self.path,
                    f"sheet '{self.sheet}' is damaged after row {number} ({_said(error)}); "
                    "open it in Excel and save it again",
                    kind=FileProblem.MALFORMED,
                    row=number + 1,
                ) from error
            if row is None:
                return
            number += 1
            yield number, row

    def start(self) -> tuple[list[str], int, RawRow]:
        for number, row in self.cells:
            values = [cell_text(cell) for cell in row]
            if "".join(values).strip():
                if _filled(values) == 1:
                    values, number = self._past_preamble(values, number)
                self.header = header_names(self.path, _trim_trailing(values), number)
                first = next(self.rows(), None)
                if first is None:
                    raise NothingToImport(
                        self.path,
                        "has a header row but no data rows; nothing to import",
                        kind=FileProblem.HEADER_ONLY,
                    )
                return self.header, number, first
        raise IntakeFileError(self.path, "is empty (no cells)", kind=FileProblem.EMPTY)

    def _past_preamble(self, values: list[str], number: int) -> tuple[list[str], int]:
        """As for a CSV: one-cell lines above the header ("Notes:") are skipped when a wider
        row follows within a few rows; else the rows read ahead are data."""
        ahead: list[tuple[int, tuple[Any, ...]]] = []
        for later, row in self.cells:
            cells = [cell_text(cell) for cell in row]
            if _filled(cells) >= 2:
                return cells, later
            ahead.append((later, row))
            if len(ahead) >= PREAMBLE_ROWS:
                break
        self.replay = ahead
        return values, number

    def rows(self) -> Iterator[RawRow]:
        header, width = self.header, len(self.header)
        while self.replay:
            number, row = self.replay.pop(0)
            yield from self._row(number, row, header, width)
        for number, row in self.cells:
            yield from self._row(number, row, header, width)

    @staticmethod
    def _row(number: int, row: tuple[Any, ...], header: list[str], width: int) -> Iterator[RawRow]:
        values = [cell_text(cell) for cell in row]
        if not "".join(values).strip():
            return
        if len(values) == width:
            yield RawRow(number, dict(zip(header, values, strict=True)))
        else:
            yield RawRow(number, ragged(header, values))


def _filled(values: list[str]) -> int:
    return sum(1 for value in values if value.strip())


def _trim_trailing(values: list[str]) -> list[str]:
    # A sheet's used range often runs past the last header cell; those columns are not columns.
    end = len(values)
    while end and not values[end - 1].strip():
        end -= 1
    return values[:end]


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user would type: dates as ISO, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Phone numbers stored as numbers come back as floats; 4915112345678.0 must not grow ".0".
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)

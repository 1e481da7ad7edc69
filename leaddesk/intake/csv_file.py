"""Read a CSV export: its delimiter, and its rows through bounded lines, every failure an
IntakeFileError naming the row and column (docs/architecture.md §6)."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from leaddesk.intake.errors import FileProblem, IntakeFileError, NothingToImport
from leaddesk.intake.export_file import (
    PREAMBLE_ROWS,
    ExportFile,
    RawRow,
    column_letter,
    header_names,
    ragged,
)
from leaddesk.intake.file_encoding import (
    check_declared,
    detect_encoding,
    fallback_seen,
    not_in_encoding,
    refuse_binary,
)

# One field may hold at most this many characters. csv keeps a field in a UCS-4 buffer, so this
# caps its memory at 4 MiB; a longer field is almost always an unclosed quote eating the file.
FIELD_LIMIT = 1024 * 1024
# A physical line is handed to csv at most this long; a longer one is an error, so one huge
# unbroken line never sits in memory whole.
LINE_LIMIT = 4 * FIELD_LIMIT

_DELIMITERS = ",;\t|"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class _LineTooLong(Exception):
    def __init__(self, chunk: str) -> None:
        self.chunk = chunk


def open_csv(
    path: Path, sample: bytes, whole: bool, declared: str | None, region: str | None = None
) -> ExportFile:
    if not sample.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE):
        raise IntakeFileError(path, "is empty", kind=FileProblem.EMPTY)
    if declared is not None:
        encoding, errors = check_declared(path, sample, whole, declared), "strict"
    else:
        encoding, errors = detect_encoding(path, sample, whole, region)
    try:
        text_sample = codecs.getincrementaldecoder(encoding)(errors=errors).decode(sample, whole)
    except UnicodeDecodeError as error:
        raise not_in_encoding(path, encoding, declared=declared is not None) from error
    refuse_binary(path, text_sample)
    if not text_sample.strip(" \t\r\n\ufeff"):
        raise IntakeFileError(path, "is empty", kind=FileProblem.EMPTY)
    delimiter, skip_sep_line = _detect_delimiter(text_sample)

    raw = path.open("rb")
    try:
        text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
        stream = _CsvStream(path, text, delimiter, skip_sep_line, declared is not None)
        header, header_row, first = stream.start()
    except BaseException:
        raw.close()
        raise
    export = ExportFile(path, "csv", header, header_row, first, stream.rows(), text)
    export.encoding = encoding
    export.delimiter = delimiter
    stream.warnings = export.warnings
    return export


_QUOTED = re.compile(r'"[^"]*"')
_SEP_LINE = re.compile(r"sep=(.)\r?\n?$", re.IGNORECASE)


def _detect_delimiter(text: str) -> tuple[str, bool]:
    """Sniff the delimiter on the first lines, checked against the header line.

    Returns the delimiter and whether the first line is Excel's ``sep=;`` hint (not a row).
    """
    lines = text.splitlines(keepends=True)
    sep = _SEP_LINE.match(lines[0]) if lines else None
    if sep:
        return sep.group(1), True
    header_line = _QUOTED.sub("", lines[0] if lines else "")
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff("".join(lines[:20]), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if counts.get(sniffed, 0) > 0:
        return sniffed, False
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return (best if counts[best] else ","), False


class _CsvStream:
    """csv.reader over bounded lines, translating every failure into IntakeFileError."""

    def __init__(
        self, path: Path, text: IO[str], delimiter: str, skip_sep_line: bool, declared: bool
    ) -> None:
        self.path = path
        self.text = text
        self.delimiter = delimiter
        self.declared = declared
        self.warnings: list[str] = []
        # The row where the cp1252 fallback first decoded something.
        self.fallback_rows: list[int] = []
        # Lines of the record being parsed, kept only to name the column of a runaway field.
        self.pending: list[str] = []
        if csv.field_size_limit() != FIELD_LIMIT:
            csv.field_size_limit(FIELD_LIMIT)
        self.reader = csv.reader(self._lines(), delimiter=delimiter, strict=True)
        self.number = 0
        if skip_sep_line:
            self._next()
            self.number = 0
        self.header: list[str] = []
        # Rows read ahead while looking for the header past a preamble, given back as data.
        self.replay: list[tuple[int, list[str]]] = []

    def _lines(self) -> Iterator[str]:
        readline, pending = self.text.readline, self.pending
        while True:
            line = readline(LINE_LIMIT)
            if not line:
                return
            if len(line) >= LINE_LIMIT and line[-1] not in "\r\n":
                raise _LineTooLong(line)
            pending.append(line)
            yield line

    def _next(self) -> list[str] | None:
        """The next record, None at the end; numbers every record as a spreadsheet would."""
        self.pending.clear()
        try:
            values = next(self.reader, None)
        except Exception as error:
            raise self._translate(error, self.number + 1) from error
        if values is not None:
            self.number += 1
        return values

    def start(self) -> tuple[list[str], int, RawRow]:
        while True:
            cells = self._next()
            if cells is None:
                raise IntakeFileError(self.path, "is empty", kind=FileProblem.EMPTY)
            if "".join(cells).strip():
                break
        header_row = self.number
        if _filled(cells) == 1:
            cells, header_row = self._past_preamble(cells)
        self.header = header_names(self.path, cells, header_row)
        first = next(self._rows(), None)
        if first is None:
            raise NothingToImport(
                self.path,
                "has a header row but no data rows; nothing to import",
                kind=FileProblem.HEADER_ONLY,
            )
        return self.header, header_row, first

    def _past_preamble(self, cells: list[str]) -> tuple[list[str], int]:
        """The header after lines of one cell each ("Notes:" and a sentence, as LinkedIn's
        Connections export starts), if a wider row follows within a few rows; else the first
        row is the header of a one-column file and the rows read ahead are its data."""
        ahead: list[tuple[int, list[str]]] = []
        while len(ahead) < PREAMBLE_ROWS:
            values = self._next()
            if values is None:
                break
            if _filled(values) >= 2:
                return values, self.number
            ahead.append((self.number, values))
        self.replay = ahead
        return cells, ahead[0][0] - 1 if ahead else self.number

    def rows(self) -> Iterator[RawRow]:
        yield from self._rows()
        self._note_fallback()

    def _rows(self) -> Iterator[RawRow]:
        header, width, reader, pending = self.header, len(self.header), self.reader, self.pending
        seen = getattr(fallback_seen, "count", 0)
        while self.replay:
            number, values = self.replay.pop(0)
            if "".join(values).strip():
                yield RawRow(number, ragged(header, values))
        try:
            for values in reader:
                self.number += 1
                pending.clear()
                if not "".join(values).strip():
                    continue
                if len(values) == width:
                    yield RawRow(self.number, dict(zip(header, values, strict=True)))
                else:
                    yield RawRow(self.number, ragged(header, values))
                if getattr(fallback_seen, "count", 0) != seen:
                    seen = fallback_seen.count
                    if not self.fallback_rows:
                        self.fallback_rows.append(self.number)
        except Exception as error:
            raise self._translate(error, self.number + 1) from error

    def _note_fallback(self) -> None:
        # The decoder works a block ahead of the rows, so the row is where it was noticed.
        if self.fallback_rows:
            self.warnings.append(
                f"some characters are not UTF-8 (first around row {self.fallback_rows[0]}); "
                "read them as cp1252"
            )

    def _translate(self, error: Exception, row: int) -> Exception:
        path = self.path
        if isinstance(error, IntakeFileError):
            return error
        if isinstance(error, _LineTooLong):
            column = self._long_column("".join(self.pending) + error.chunk)
            return IntakeFileError(
                path,
                f"a line is over {LINE_LIMIT // (1024 * 1024)} MB; "
                'check for an unclosed quote (") on this row',
                kind=FileProblem.FIELD_TOO_LARGE,
                row=row,
                column=column,
            )
        if isinstance(error, UnicodeDecodeError):
            name = self.text.encoding if isinstance(self.text, io.TextIOWrapper) else "utf-8"
            return not_in_encoding(path, name, declared=self.declared)
        message = str(error)
        if isinstance(error, csv.Error) and "field limit" in message:
            return IntakeFileError(
                path,
                f"a field is over {FIELD_LIMIT // (1024 * 1024)} MB; "
                'check for an unclosed quote (") on this row',
                kind=FileProblem.FIELD_TOO_LARGE,
                row=row,
                column=self._long_column("".join(self.pending)),
            )
        if isinstance(error, csv.Error) and "unexpected end of data" in message:
            return IntakeFileError(
                path,
                'a quoted field opened on this row is never closed (missing ")',
                kind=FileProblem.UNBALANCED_QUOTES,
                row=row,
            )
        if isinstance(error, csv.Error) and "expected after" in message:
            return IntakeFileError(
                path,
                f'text after a closing quote ("); expected a {_name(self.delimiter)} '
                "or the end of the line",
                kind=FileProblem.MALFORMED,
                row=row,
            )
        if isinstance(error, csv.Error):
            return IntakeFileError(
                path, f"cannot be read as CSV ({message})", kind=FileProblem.MALFORMED, row=row
            )
        if isinstance(error, OSError):
            return IntakeFileError(
                path, f"cannot be read ({error.strerror or error})", kind=FileProblem.UNREADABLE
            )
        return error

    def _long_column(self, record: str) -> str | None:
        index = long_field_index(record, self.delimiter, FIELD_LIMIT)
        if index is None:
            return None
        return self.header[index] if index < len(self.header) else f"column {column_letter(index)}"


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _name(delimiter: str) -> str:
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))


def long_field_index(record: str, delimiter: str, limit: int) -> int | None:
    """0-based index of the first field over ``limit`` characters in a (possibly cut) record.

    A record cut short ends inside its runaway field, so the field still open at the end counts.
    Only used on the error path; quote handling is the plain CSV rule.
    """
    index, start, quoted = 0, 0, False
    for match in re.finditer(f'["\\r\\n{re.escape(delimiter)}]', record):
        char = match.group()
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if match.start() - start > limit:
                return index
            if char != delimiter:
                return None
            index += 1
            start = match.end()
    return index

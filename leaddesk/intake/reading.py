"""Open a CSV or XLSX export and stream its rows, in flat memory however long the file is.

Everything a user can get wrong about the file itself (empty, binary, bad encoding, broken
quoting, a runaway field, duplicate headers) becomes an IntakeFileError naming the file, and the
row and column where known. The header and first data row are read when the file is opened, so
most of these surface before the caller writes anything.

Encoding policy: an encoding the caller declares is trusted and checked strictly; if the file is
not in it, that is an error saying what the file looks like instead (guessing behind an explicit
choice would hide mojibake). Without a declaration the encoding is detected on a leading sample;
when detection says UTF-8 but a later byte is not, that byte is read as cp1252 (Excel's Western
default, the usual culprit) and a warning is recorded on the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

import charset_normalizer

from leaddesk.files.reading import utf16_without_bom
from leaddesk.intake.errors import FileProblem, IntakeFileError, NothingToImport

SAMPLE_BYTES = 64 * 1024
# One field may hold at most this many characters. csv keeps a field in a UCS-4 buffer, so this
# caps its memory at 4 MiB; a longer field is almost always an unclosed quote eating the file.
FIELD_LIMIT = 1024 * 1024
# A physical line is handed to csv at most this long; a longer one is an error, so one huge
# unbroken line never sits in memory whole.
LINE_LIMIT = 4 * FIELD_LIMIT

_DELIMITERS = ",;\t|"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Signatures of files people rename to .csv by mistake, for a message that says what it is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file; save it as .xlsx or CSV"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_ZIP_MAGIC = b"PK\x03\x04"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_FALLBACK = "leaddesk-cp1252-fallback"
_fallback_seen = threading.local()


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 refused as cp1252 (latin-1 for its five unassigned bytes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    _fallback_seen.count = getattr(_fallback_seen, "count", 0) + 1
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), error.end


codecs.register_error(_UTF8_FALLBACK, _cp1252_fallback)


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as typed: ``number`` is the row a spreadsheet shows (the header is row 1)."""

    number: int
    values: dict[str, str]


class _LineTooLong(Exception):
    def __init__(self, chunk: str) -> None:
        self.chunk = chunk


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ExportFile:
    """An opened export: ``header`` is known; ``rows()`` streams the data rows once.

    Use as a context manager (or call ``close``) so the file handle is released.
    """

    path: Path
    format: Literal["csv", "xlsx"]
    header: list[str]
    header_row: int
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    warnings: list[str]

    def __init__(
        self,
        path: Path,
        fmt: Literal["csv", "xlsx"],
        header: list[str],
        header_row: int,
        first: RawRow,
        rest: Iterator[RawRow],
        closer: Any,
    ) -> None:
        self.path = path
        self.format = fmt
        self.header = header
        self.header_row = header_row
        self.encoding = None
        self.delimiter = None
        self.sheet = None
        self.warnings = []
        self._first: RawRow | None = first
        self._rest = rest
        self._closer = closer

    def rows(self) -> Iterator[RawRow]:
        """Data rows in file order, entirely empty rows skipped; can be iterated once."""
        first, self._first = self._first, None
        if first is None:
            raise RuntimeError("rows() of an export can be read only once")
        yield first
        yield from self._rest

    def close(self) -> None:
        self._closer.close()

    def __enter__(self) -> ExportFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_export(
    path: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ExportFile:
    """Open a CSV or XLSX export, read its header and check there is at least one data row.

    The format is decided by content, not extension: a zip signature means XLSX. ``sheet`` picks
    a worksheet by name (default: the first). Raises IntakeFileError, or its subclass
    NothingToImport when the file has a header but no data rows.
    """
    path = Path(path)
    try:
        with path.open("rb") as probe:
            sample = probe.read(SAMPLE_BYTES)
            whole = len(sample) < SAMPLE_BYTES
    except OSError as error:
        raise IntakeFileError(
            path, f"cannot be read ({error.strerror or error})", kind=FileProblem.UNREADABLE
        ) from error
    if sample.startswith(_ZIP_MAGIC):
        return _open_xlsx(path, sheet)
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise IntakeFileError(
                path, f"is {what}, not a CSV or XLSX export", kind=FileProblem.BINARY
            )
    return _open_csv(path, sample, whole, encoding)


# --- CSV ----------------------------------------------------------------------------------------


def _open_csv(path: Path, sample: bytes, whole: bool, declared: str | None) -> ExportFile:
    if not sample.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE):
        raise IntakeFileError(path, "is empty", kind=FileProblem.EMPTY)
    if declared is not None:
        encoding, errors = _check_declared(path, sample, whole, declared), "strict"
    else:
        encoding, errors = _detect_encoding(path, sample, whole)
    try:
        text_sample = codecs.getincrementaldecoder(encoding)(errors=errors).decode(sample, whole)
    except UnicodeDecodeError as error:
        raise not_in_encoding(path, encoding, declared=declared is not None) from error
    _refuse_binary(path, text_sample)
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


def _check_declared(path: Path, sample: bytes, whole: bool, declared: str) -> str:
    try:
        name = codecs.lookup(declared).name
    except LookupError as error:
        raise IntakeFileError(
            path, f"unknown encoding '{declared}'", kind=FileProblem.ENCODING
        ) from error
    if name == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    try:
        codecs.getincrementaldecoder(name)().decode(sample, whole)
    except UnicodeDecodeError as error:
        row = sample[: error.start].count(b"\n") + 1
        looks = _guess(sample)
        hint = f"; it looks like {looks}" if looks and looks != name else ""
        raise IntakeFileError(
            path,
            f"is not {declared} (byte 0x{sample[error.start]:02X}){hint}; "
            "import it again with the right encoding, or none to detect it",
            kind=FileProblem.ENCODING,
            row=row,
        ) from error
    wide = utf16_without_bom(sample) if b"\x00" in sample else None
    if wide is not None and not name.startswith(("utf-16", "utf-32")):
        # Read as a one-byte encoding, UTF-16 text turns into NULs between the letters.
        raise IntakeFileError(
            path,
            f"is {wide.upper()} text, not {declared}; import it again with the encoding "
            f"{wide}, or none to detect it",
            kind=FileProblem.ENCODING,
        )
    return name


# charset-normalizer often ties cp1250, cp1252 and cp1257 on Western text (and cp1250 turns
# "Ødegård" into "Řdegĺrd"); on a tie, Excel's Western default is the likely truth.
_PREFERRED_ON_TIE = ("utf_8", "cp1252", "latin_1", "iso8859_15")


def _guess(sample: bytes) -> str | None:
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    tied = {
        match.encoding
        for match in matches
        if match.percent_chaos <= best.percent_chaos + 0.1
        and match.percent_coherence >= best.percent_coherence - 1.0
    }
    chosen = next((name for name in _PREFERRED_ON_TIE if name in tied), best.encoding)
    return codecs.lookup(chosen).name


def _detect_encoding(path: Path, sample: bytes, whole: bool) -> tuple[str, str]:
    """The encoding to read with and the error handler: BOM first, then UTF-8, then a guess."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name, "strict"
    if b"\x00" in sample:
        # Anything with NULs in it that is not UTF-16 is not text at all.
        wide = utf16_without_bom(sample)
        if wide is not None:
            return wide, "strict"
        raise IntakeFileError(path, "is a binary file, not a CSV export", kind=FileProblem.BINARY)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, whole)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", _UTF8_FALLBACK
    guessed = _guess(sample)
    if guessed is None:
        raise IntakeFileError(
            path,
            "is not text in any encoding we recognise; is it really a CSV export?",
            kind=FileProblem.BINARY,
        )
    return guessed, "strict"


def _refuse_binary(path: Path, text: str) -> None:
    # Control characters other than layout ones mean a binary file decoded as if it were text.
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise IntakeFileError(path, "is a binary file, not a CSV export", kind=FileProblem.BINARY)


def not_in_encoding(path: Path, encoding: str, *, declared: bool) -> IntakeFileError:
    """The error for a file with bytes its encoding cannot have, naming the first of them: its
    row (line) and its offset in the file. Only on the error path: the file is read again."""
    place = first_bad_byte(path, encoding)
    looks = "" if declared else " as detected"
    if place is None:  # the file changed while it was read
        return IntakeFileError(
            path, f"is not valid {encoding}{looks}; import it again", kind=FileProblem.ENCODING
        )
    offset, value, row = place
    if value is None:
        what = "the last character, cut short"
    elif len(value) == 1:
        what = f"byte 0x{value[0]:02X}"
    else:
        what = "bytes " + " ".join(f"{byte:02X}" for byte in value)
    shown = codecs.lookup(encoding).name.removesuffix("-sig").upper()
    return IntakeFileError(
        path,
        f"is not valid {shown}{looks} ({what} at byte {offset:,}); "
        "save it as UTF-8, or import it again naming its encoding",
        kind=FileProblem.ENCODING,
        row=row,
    )


def first_bad_byte(path: Path, encoding: str) -> tuple[int, bytes | None, int] | None:
    """(offset in the file, the bytes or None at a cut-short end, its line) of the first byte
    ``encoding`` cannot decode; None when the whole file decodes."""
    plain, skip = _without_bom(encoding, path)
    decoder = codecs.getincrementaldecoder(plain)("strict")
    newline = "\n".encode(plain)
    fed, lines = skip, 0
    try:
        with path.open("rb") as handle:
            handle.seek(skip)
            while True:
                block = handle.read(1 << 20)
                try:
                    decoder.decode(block, final=not block)
                except UnicodeDecodeError as error:
                    held = max(0, len(error.object) - len(block))  # bytes held over
                    offset = max(0, fed - held + error.start)
                    lines += error.object[held : error.start].count(newline)
                    cut = error.start >= len(error.object) or "truncated" in error.reason
                    bad = error.object[error.start : max(error.end, error.start + 1)][:4]
                    return offset, None if cut else bad, lines + 1
                if not block:
                    return None
                # Lines counted on raw bytes: an encoded newline never occurs inside another
                # character in UTF-8, and in UTF-16/32 only misaligned, which is rare enough
                # for a message.
                lines += block.count(newline)
                fed += len(block)
    except OSError:
        return None


def _without_bom(encoding: str, path: Path) -> tuple[str, int]:
    """The codec that reads the file after its byte-order mark, and the mark's length."""
    name = codecs.lookup(encoding).name
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError:
        start = b""
    for bom, plain in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if name in ("utf-8-sig", "utf-16", "utf-32") and start.startswith(bom):
            return plain, len(bom)
    if name == "utf-8-sig":
        return "utf-8", 0
    if name in ("utf-16", "utf-32"):
        return f"{name}-le", 0  # Python's default without a mark
    return name, 0


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
        self.header = header_names(self.path, cells, self.number)
        header_row = self.number
        first = next(self._rows(), None)
        if first is None:
            raise NothingToImport(
                self.path,
                "has a header row but no data rows; nothing to import",
                kind=FileProblem.HEADER_ONLY,
            )
        return self.header, header_row, first

    def rows(self) -> Iterator[RawRow]:
        yield from self._rows()
        self._note_fallback()

    def _rows(self) -> Iterator[RawRow]:
        header, width, reader, pending = self.header, len(self.header), self.reader, self.pending
        seen = getattr(_fallback_seen, "count", 0)
        try:
            for values in reader:
                self.number += 1
                pending.clear()
                if not "".join(values).strip():
                    continue
                if len(values) == width:
                    yield RawRow(self.number, dict(zip(header, values, strict=True)))
                else:
                    yield RawRow(self.number, _ragged(header, values))
                if getattr(_fallback_seen, "count", 0) != seen:
                    seen = _fallback_seen.count
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


def _ragged(header: list[str], values: list[str]) -> dict[str, str]:
    # Short rows are padded; values past the header keep a spreadsheet-style name, never dropped.
    width = len(header)
    row = dict(zip(header, values[:width], strict=False))
    for name in header[len(values) :]:
        row[name] = ""
    for index in range(width, len(values)):
        if values[index].strip():
            row[f"column {column_letter(index)}"] = values[index]
    return row


def header_names(path: Path, cells: list[str], row: int) -> list[str]:
    """Tidy header cells; name blank ones by their letter; refuse a repeated name."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = " ".join(cell.replace("\ufeff", "").split())
        if not name:
            name = f"column {column_letter(index)}"
        key = name.casefold()
        if key in seen:
            raise IntakeFileError(
                path,
                f"appears twice (columns {column_letter(seen[key])} and "
                f"{column_letter(index)}); rename one and import again",
                kind=FileProblem.DUPLICATE_HEADER,
                row=row,
                column=name,
            )
        seen[key] = index
        names.append(name)
    return names


# --- XLSX ---------------------------------------------------------------------------------------


def _open_xlsx(path: Path, sheet: str | None) -> ExportFile:
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

    def rows(self) -> Iterator[RawRow]:
        header, width = self.header, len(self.header)
        for number, row in self.cells:
            values = [cell_text(cell) for cell in row]
            if not "".join(values).strip():
                continue
            if len(values) == width:
                yield RawRow(number, dict(zip(header, values, strict=True)))
            else:
                yield RawRow(number, _ragged(header, values))


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

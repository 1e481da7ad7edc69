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

from pathlib import Path

from leaddesk.intake.csv_file import open_csv
from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.export_file import ExportFile
from leaddesk.intake.xlsx_file import open_xlsx

SAMPLE_BYTES = 64 * 1024

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


def open_export(
    path: str | Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    region: str | None = None,
) -> ExportFile:
    """Open a CSV or XLSX export, read its header and check there is at least one data row.

    The format is decided by content, not extension: a zip signature means XLSX. ``sheet`` picks
    a worksheet by name (default: the first). ``region``, the team's phone region, picks
    between code pages that read a short file equally well in different scripts. Raises
    IntakeFileError, or its subclass NothingToImport when the file has a header but no data
    rows.
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
        return open_xlsx(path, sheet)
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise IntakeFileError(
                path, f"is {what}, not a CSV or XLSX export", kind=FileProblem.BINARY
            )
    return open_csv(path, sample, whole, encoding, region)


def other_sheets(read: str, sheets: tuple[str, ...]) -> str:
    """Says which sheet of a workbook was read and which others it has."""
    others = ", ".join(f"'{name}'" for name in sheets if name != read)
    return f"read sheet '{read}'; the workbook also has {others} (choose another by its name)"


def on_other_sheets(error: IntakeFileError, export: ExportFile) -> IntakeFileError:
    """A sheet with no recognisable column, in a workbook with others: the error says which
    sheet was read and what the others are called, so the user can pick the one with leads."""
    if error.kind is not FileProblem.NO_COLUMNS or len(export.sheets) < 2:
        return error
    others = ", ".join(f"'{name}'" for name in export.sheets if name != export.sheet)
    return IntakeFileError(
        export.path,
        f"sheet '{export.sheet}' has {error.problem}; the workbook also has {others}: "
        "name the sheet with the leads (--sheet NAME)",
        kind=FileProblem.NO_COLUMNS,
    )

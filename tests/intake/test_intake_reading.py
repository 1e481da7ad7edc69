"""Reading exports: dialects, encodings, spreadsheets, and every way a file can be wrong."""

from __future__ import annotations

import csv
import os
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from leaddesk.intake import FileProblem, IntakeFileError, NothingToImport, open_export
from leaddesk.intake.csv_file import FIELD_LIMIT
from leaddesk.intake.export_file import RawRow

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Notes"]
ROWS = [
    ["Zoë", "Ødegård", "zoe@fjordenergy.no", "+47 22 12 34 56", "Fjord Energy AS", "Prix: 5 €"],
    ["Jürgen", "Müller", "j.mueller@mueller.de", "+49 89 12345678", "Müller GmbH", "naïve, café"],
    ["François", "Lefèvre", "f@atelier.fr", "+33 1 42 68 53 00", "Atelier Lumière", 'say "hi"'],
]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: list[str] = HEADER,
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_all(path: Path, **options: str) -> tuple[list[str], list[RawRow]]:
    with open_export(path, **options) as export:  # type: ignore[arg-type]
        return export.header, list(export.rows())


def expect_error(path: Path, kind: FileProblem, **options: str) -> IntakeFileError:
    with pytest.raises(IntakeFileError) as caught:
        read_all(path, **options)
    assert caught.value.kind is kind, caught.value
    assert path.name in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


# --- the happy paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "encoding", "delimiter"),
    [
        ("salesforce_leads.csv", "csv", "utf-8", ","),
        ("hubspot_contacts.csv", "csv", "utf-8-sig", ","),
        ("marketo_list.csv", "csv", "cp1252", ";"),
        ("linkedin_leadgen.csv", "csv", "utf-16", ","),
        ("plain_contacts.csv", "csv", "utf-8", ","),
        ("plain_contacts.xlsx", "xlsx", None, None),
    ],
)
def test_every_sample_export_opens_with_its_encoding_and_delimiter_detected(
    name: str, fmt: str, encoding: str | None, delimiter: str | None
) -> None:
    with open_export(SAMPLES / name) as export:
        rows = list(export.rows())
        assert (export.format, export.encoding, export.delimiter) == (fmt, encoding, delimiter)
        assert export.warnings == []
    assert 10 <= len(rows) <= 30
    assert rows[0].number == 2
    assert all(set(row.values) >= set(export.header) for row in rows)


def test_accented_names_survive_the_cp1252_marketo_sample() -> None:
    _, rows = read_all(SAMPLES / "marketo_list.csv")
    names = {row.values["First Name"] + " " + row.values["Last Name"] for row in rows}
    assert {"Jürgen Müller", "Zoë Ødegård", "Chloé Lefèvre", "Sofía García"} <= names


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_the_same_content_reads_back_equal_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    header, rows = read_all(write_csv(tmp_path / "leads.csv", ROWS, encoding=encoding))
    assert header == HEADER
    assert [list(row.values.values()) for row in rows] == ROWS


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_common_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    rows = [[*row[:5], "a, b; c | d"] for row in ROWS]
    header, read = read_all(write_csv(tmp_path / "x.csv", rows, delimiter=delimiter))
    assert header == HEADER
    assert read[0].values["Notes"] == "a, b; c | d"


def test_excel_sep_hint_line_sets_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nName;Email\nAda;ada@example.org\n", encoding="utf-8")
    header, rows = read_all(path)
    assert header == ["Name", "Email"]
    assert rows == [RawRow(2, {"Name": "Ada", "Email": "ada@example.org"})]


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    # A quoted field with line breaks is one row; a blank line is a row that is skipped.
    path = tmp_path / "multi.csv"
    path.write_text(
        'Name,Message\nAda,"line one\nline two, with comma"\n\n,\nBob,hi\r\nCy,"x"\n',
        encoding="utf-8",
    )
    _, rows = read_all(path)
    assert [(row.number, row.values["Name"]) for row in rows] == [(2, "Ada"), (5, "Bob"), (6, "Cy")]
    assert rows[0].values["Message"] == "line one\nline two, with comma"


def test_ragged_rows_are_padded_and_extra_cells_kept_under_a_column_letter(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("Name,Email\nAda\nBob,b@example.org,surplus\n", encoding="utf-8")
    _, rows = read_all(path)
    assert rows[0].values == {"Name": "Ada", "Email": ""}
    assert rows[1].values == {"Name": "Bob", "Email": "b@example.org", "column C": "surplus"}


def test_blank_header_cells_get_their_column_letter(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("Name,,Email\nAda,x,a@example.org\n", encoding="utf-8")
    header, _ = read_all(path)
    assert header == ["Name", "column B", "Email"]


def test_xlsx_cells_become_text_with_iso_dates_and_whole_numbers(tmp_path: Path) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Phone", "Created", "Score", "Formula text"])
    sheet.append(["Ada", 4915112345678, datetime(2024, 3, 5, 14, 30), 2.5, "=HYPERLINK(1)"])
    # As CRM exporters write it: text that looks like a formula, stored as text.
    sheet["E2"].data_type = "s"
    sheet.append([])
    sheet.append(["Bob", None, None, None, None])
    book.create_sheet("Second").append(["Email"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    header, rows = read_all(path)
    assert header == ["Name", "Phone", "Created", "Score", "Formula text"]
    assert rows[0] == RawRow(
        2,
        {
            "Name": "Ada",
            "Phone": "4915112345678",
            "Created": "2024-03-05T14:30:00",
            "Score": "2.5",
            "Formula text": "=HYPERLINK(1)",
        },
    )
    assert rows[1].number == 4
    with pytest.raises(NothingToImport):
        read_all(path, sheet="Second")
    error = expect_error(path, FileProblem.NO_SHEET, sheet="Leads")
    assert "Second" in str(error)


def test_an_xlsx_renamed_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((SAMPLES / "plain_contacts.xlsx").read_bytes())
    with open_export(path) as export:
        assert export.format == "xlsx"
        assert export.header[:4] == ["name", "email", "phone", "company"]


def test_a_late_cp1252_byte_in_a_utf8_looking_file_is_read_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    filler = "".join(f"Person {i},p{i}@example.org\n" for i in range(5000))  # > the sample
    path.write_bytes(
        ("Name,Email\n" + filler).encode() + "José,jose@example.org\n".encode("cp1252")
    )
    with open_export(path) as export:
        rows = list(export.rows())
        assert export.encoding == "utf-8"
        assert rows[-1].values["Name"] == "José"
        assert rows[-1].number == 5002
        assert len(export.warnings) == 1
        assert "cp1252" in export.warnings[0]


# --- hostile files ------------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    expect_error(path, FileProblem.EMPTY)
    path.write_bytes(b"\xef\xbb\xbf\r\n  \n\n")
    expect_error(path, FileProblem.EMPTY)


def test_a_header_without_rows_is_nothing_to_import(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", [])
    error = expect_error(path, FileProblem.HEADER_ONLY)
    assert isinstance(error, NothingToImport)
    path.write_text("Name,Email\n,\n  ,  \n", encoding="utf-8")
    assert isinstance(expect_error(path, FileProblem.HEADER_ONLY), NothingToImport)


def test_a_png_renamed_csv_is_refused_as_an_image(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    assert "PNG" in str(expect_error(path, FileProblem.BINARY))


def test_random_binary_and_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(256)) * 40)
    expect_error(path, FileProblem.BINARY)
    path.write_bytes(b"Name,Email\nAda\x00\x01\x02,a@x.org\n" + os.urandom(500).replace(b"\n", b""))
    expect_error(path, FileProblem.BINARY)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "zip" in str(expect_error(path, FileProblem.BINARY))


def test_an_old_xls_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "leads.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert ".xlsx" in str(expect_error(path, FileProblem.BINARY))


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    expect_error(tmp_path / "nowhere.csv", FileProblem.UNREADABLE)


def test_duplicate_headers_are_refused_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Name,Email,Phone,email\nAda,a@x.org,1,b@x.org\n", encoding="utf-8")
    error = expect_error(path, FileProblem.DUPLICATE_HEADER)
    assert error.column == "email"
    assert error.row == 1
    assert "columns B and D" in str(error)


def test_an_unclosed_quote_names_the_row_where_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        'Name,Email\nAda,a@x.org\nBob,"b@x.org\nCy,c@x.org\nDee,d@x.org\n', encoding="utf-8"
    )
    error = expect_error(path, FileProblem.UNBALANCED_QUOTES)
    assert error.row == 3


def test_text_after_a_closing_quote_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text('Name,Email\nAda,a@x.org\n"Bob"by,b@x.org\n', encoding="utf-8")
    assert expect_error(path, FileProblem.MALFORMED).row == 3


def test_a_declared_encoding_that_is_wrong_is_an_error_saying_what_it_looks_like(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "latin.csv", ROWS * 3, encoding="cp1252")
    error = expect_error(path, FileProblem.ENCODING, encoding="utf-8")
    assert "cp1252" in str(error)
    assert error.row == 2
    expect_error(path, FileProblem.ENCODING, encoding="klingon")
    _, rows = read_all(path, encoding="cp1252")
    assert rows[0].values["First Name"] == "Zoë"


def test_utf16_without_a_bom_declared_as_a_one_byte_encoding_says_it_is_utf16(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes("Name,Email\nZoë,zoe@x.org\n".encode("utf-16-le"))
    error = expect_error(path, FileProblem.ENCODING, encoding="cp1252")
    assert "is UTF-16-LE text, not cp1252" in str(error)
    _, rows = read_all(path)  # detected without a declared encoding
    assert rows[0].values["Name"] == "Zoë"
    _, rows = read_all(path, encoding="utf-16-le")
    assert rows[0].values["Email"] == "zoe@x.org"


def _huge_field_file(path: Path, size: int, *, quoted_lines: bool) -> Path:
    chunk = "x" * 1_000_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Name,Email,Notes\nAda,a@x.org,short\nBob,b@x.org,")
        if quoted_lines:
            handle.write('"')
        for _ in range(size // len(chunk)):
            handle.write(chunk + ("\n" if quoted_lines else ""))
        handle.write('"\n' if quoted_lines else "\n")
        handle.write("Cy,c@x.org,short\n")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("quoted_lines", [False, True], ids=["one-line", "quoted-multiline"])
def test_a_50mb_field_is_refused_naming_row_and_column_in_flat_memory(
    tmp_path: Path, quoted_lines: bool
) -> None:
    path = _huge_field_file(tmp_path / "huge.csv", 50_000_000, quoted_lines=quoted_lines)
    tracemalloc.start()
    try:
        error = expect_error(path, FileProblem.FIELD_TOO_LARGE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (error.row, error.column) == (3, "Notes")
    assert peak < 40 * FIELD_LIMIT  # a few MiB, nowhere near the 50 MB field


@pytest.mark.slow
def test_reading_200000_rows_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(200_000):
            writer.writerow(
                [f"First{i}", f"Last{i}", f"p{i}@example.org", f"+1 415 555 {i % 10000:04d}",
                 f"Company {i % 977}", "Asked for pricing, \"urgent\""]
            )  # fmt: skip
    size = path.stat().st_size
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with open_export(path) as export:
            count = sum(1 for _ in export.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    assert count == 200_000
    assert peak < size / 20, (peak, size)
    print(f"\nread {count} rows ({size / 1e6:.0f} MB) in {seconds:.2f}s under tracemalloc")

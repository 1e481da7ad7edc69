"""An opened export: its header, and its data rows streamed once (docs/architecture.md §6).

CSV and XLSX files open into the same ``ExportFile``; the header rules (tidy names, blank
cells named by their letter, no name twice) and ragged rows are handled alike for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.shapes import explain_repeats

# How far past one-cell lines at the top ("Notes:" and a sentence) the header is looked for.
PREAMBLE_ROWS = 10


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as typed: ``number`` is the row a spreadsheet shows (the header is row 1)."""

    number: int
    values: dict[str, str]


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
    sheets: tuple[str, ...]  # every sheet of a workbook, the one read among them
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
        self.sheets = ()
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


def ragged(header: list[str], values: list[str]) -> dict[str, str]:
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
    """Tidy header cells; name blank ones by their letter. A repeated name is refused unless a
    known export shape explains it (a HubSpot export's company columns), which names each
    column after its side."""
    names: list[str] = []
    seen: dict[str, int] = {}
    repeat: tuple[str, int, int] | None = None
    for index, cell in enumerate(cells):
        name = " ".join(cell.replace("\ufeff", "").split())
        if not name:
            name = f"column {column_letter(index)}"
        key = name.casefold()
        if key in seen and repeat is None:
            repeat = (name, seen[key], index)
        seen.setdefault(key, index)
        names.append(name)
    if repeat is None:
        return names
    sided = explain_repeats(names)
    if sided is not None:
        return sided
    name, first, second = repeat
    raise IntakeFileError(
        path,
        f"appears twice (columns {column_letter(first)} and "
        f"{column_letter(second)}); rename one and import again",
        kind=FileProblem.DUPLICATE_HEADER,
        row=row,
        column=name,
    )

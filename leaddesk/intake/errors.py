"""The one failure intake raises about a file, with the kind of problem for callers that branch."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from leaddesk.errors import InputError


class FileProblem(StrEnum):
    """What is wrong with a file; the CLI and UI may word or treat some kinds differently."""

    UNREADABLE = "unreadable"
    EMPTY = "empty"
    HEADER_ONLY = "header_only"
    BINARY = "binary"
    ENCODING = "encoding"
    FIELD_TOO_LARGE = "field_too_large"
    UNBALANCED_QUOTES = "unbalanced_quotes"
    MALFORMED = "malformed"
    DUPLICATE_HEADER = "duplicate_header"
    NO_SHEET = "no_sheet"
    NO_COLUMNS = "no_columns"
    BAD_MAPPING = "bad_mapping"


class IntakeFileError(InputError):
    """A file the user can fix: one line naming the file, and the row and column where known."""

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        kind: FileProblem,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        where = Path(path).name or str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {problem}")
        self.path = Path(path)
        self.problem = problem
        self.kind = kind
        self.row = row
        self.column = column


class NothingToImport(IntakeFileError):
    """The file has a header but no data rows: callers report "nothing to import", not a failure."""

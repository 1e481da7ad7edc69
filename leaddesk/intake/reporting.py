"""The per-row report of an import, spooled to a temporary file as chunks finish."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from leaddesk.intake.rows import RowProblem, write_report
from leaddesk.intake.summary import ImportSummary


class Reporter:
    """Report lines spooled to a temporary file as chunks finish, so memory stays flat; the
    report is written (atomically) at the end."""

    def __init__(self, path: Path | None, summary: ImportSummary, *, every_row: bool) -> None:
        self.path = path
        self.summary = summary
        self.every_row = every_row
        self.spool: IO[str] | None = None
        self.writer: Any = None

    def __enter__(self) -> Reporter:
        if self.path is not None:
            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            self.writer = csv.writer(self.spool)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.spool is not None:
            self.spool.close()

    def add(self, problems: list[RowProblem]) -> None:
        if self.writer is not None:
            self.writer.writerows((p.row, p.field, p.reason, p.value) for p in problems)

    def finish(self) -> str | None:
        if self.path is None or self.spool is None:
            return None
        self.spool.seek(0)
        write_report(self.path, self._read())
        return str(self.path)

    def _read(self) -> Iterator[RowProblem]:
        assert self.spool is not None
        for row, column, reason, value in csv.reader(self.spool):
            yield RowProblem(int(row), column, reason, value)

"""What an import did (or, for a dry run, would do): its options, counts and summary.

The desk, the CLI and the import window read these; see docs/architecture.md §6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaddesk.intake.mapping import Mapping
from leaddesk.intake.rows import RowProblem
from leaddesk.intake.runs import RunStatus
from leaddesk.intake.source_mappings import AUTO

Progress = Callable[[int, int], None]  # (rows done, total rows or an estimate)
Cancelled = Callable[[], bool]


def no_progress(_done: int, _total: int) -> None:
    pass


def never_cancelled() -> bool:
    return False


@dataclass(frozen=True)
class ImportOptions:
    source: str | None = None
    mapping: str = AUTO
    dry_run: bool = False
    report_path: Path | None = None
    encoding: str | None = None
    sheet: str | None = None
    day_first: bool = False
    # Clean rows in a helper process while this one talks to the store; None decides by size.
    parallel: bool | None = None
    # A rep's own import stays theirs unless they say False; None: theirs for a rep, the
    # policy's assignment for anyone else. ``keep_for`` is who it was kept for, once decided.
    keep_mine: bool | None = None
    keep_for: int | None = None
    # The campaign of rows that name none (``--campaign``); a row's own campaign wins.
    campaign: str = ""


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    merged: int = 0
    attached: int = 0
    existing_account: int = 0
    unchanged: int = 0
    invalid: int = 0
    flagged: int = 0
    assigned: int = 0
    pool: int = 0
    # Rows whose email or phone is on the do-not-call list: their lead arrives held.
    do_not_call: int = 0
    # Rows of people erased at their request: not imported.
    erased: int = 0
    # Rows whose email is someone else's under another name: not imported, in the report.
    to_decide: int = 0
    # New people whose number someone else has too (a switchboard): kept on both, flagged.
    shared_phone: int = 0

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: object) -> Counts:
        counts = cls()
        if isinstance(data, dict):
            for name in counts.__dict__:
                value = data.get(name)
                if isinstance(value, int):
                    setattr(counts, name, value)
        return counts


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do), row by row in the report."""

    file: str
    source: str
    dry_run: bool
    mapping: Mapping
    mapping_how: str
    counts: Counts
    run_id: int | None = None
    status: str = RunStatus.FINISHED
    resumed_after_row: int | None = None
    report: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    total_rows: int = 0
    # Who got how many new leads in this run (display name -> count), most first.
    assigned_to: dict[str, int] = field(default_factory=dict)
    kept_for: str | None = None  # a rep's own import, kept for them
    campaign: str = ""  # given for rows without one
    # The code page a file not in Unicode was detected in (None: Unicode, declared, or XLSX).
    code_page: str | None = None

    def as_json(self) -> dict[str, Any]:
        counts = self.counts
        return {
            "file": self.file,
            "source": self.source,
            "dry_run": self.dry_run,
            "run": self.run_id,
            "status": self.status,
            **counts.as_json(),
            "assigned_to": dict(self.assigned_to),
            "kept_for": self.kept_for,
            "code_page": self.code_page,
            "report": self.report,
            "resumed_after_row": self.resumed_after_row,
            "mapping": {
                "how": self.mapping_how,
                "shape": self.mapping.shape.value,
                "confidence": round(self.mapping.confidence, 2),
                "columns": {name: target.value for name, target in self.mapping.columns.items()},
                "extras": list(self.mapping.extras),
            },
            "warnings": self.warnings,
            "problems": [
                {"row": p.row, "field": p.field, "reason": p.reason, "value": p.value[:200]}
                for p in self.problems
            ],
            "seconds": round(self.seconds, 3),
        }


class ImportCancelled(Exception):
    """The user cancelled; what was committed stays and can be resumed or undone."""

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__("import cancelled")
        self.summary = summary

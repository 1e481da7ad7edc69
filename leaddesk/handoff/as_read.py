"""A batch's files made a chunk of records at a time, as the export reads them
(read_ahead.py hands each chunk over as its records are made, while the next is read).

The JSON Lines need nothing but the record. A CSV row needs the file's columns, which depend
on every record (the framework's axes, the "Marketing Qualified" column), so rows are made
under the columns the first chunk shows, and made again at the end in the rare batch whose
later records bring others (leads qualified under another version of the definition).
"""

from __future__ import annotations

from collections.abc import Sequence

from leaddesk.handoff import marketing_qualified
from leaddesk.handoff.json_lines import JsonLines
from leaddesk.handoff.one_line import OneLine
from leaddesk.handoff.records import HandoffRecord
from leaddesk.handoff.render import (
    BatchFacts,
    axis_labels,
    named_like_columns,
    plain_rows,
)

_Shape = tuple[list[str], bool]  # the axes' columns, and whether "Marketing Qualified" is one


class FilesAsRead:
    """The batch's JSON Lines and CSV rows, made as its records come in."""

    def __init__(self, facts: BatchFacts) -> None:
        self.json_lines = JsonLines(facts)
        self.lines: OneLine = self.json_lines.lines  # shared: each text made one line once
        self._shape: _Shape | None = None
        self._table: list[list[str | int | None]] = []
        self._lead_ids: list[int] = []
        self._mobile: dict[str | None, bool] = {}

    def add(self, records: list[HandoffRecord]) -> None:
        """The next records of the batch, in order."""
        self.json_lines.add(records)
        self._lead_ids += [record.lead_id for record in records]
        if not records:
            return
        if self._shape is None:
            self._shape = _shape_of(records)
        labels, marketing = self._shape
        if not named_like_columns(labels):
            self._table += plain_rows(records, labels, marketing, self.lines, self._mobile)

    def csv_rows(self, records: Sequence[HandoffRecord]) -> list[list[str | int | None]] | None:
        """The CSV's rows as made while reading, if they are ``records``' rows under the
        batch's columns; None when they must be made again."""
        if (
            self._shape is None
            or len(self._table) != len(records)
            or self._lead_ids != [record.lead_id for record in records]
            or _shape_of(records) != self._shape
        ):
            return None
        return self._table


def _shape_of(records: Sequence[HandoffRecord]) -> _Shape:
    return axis_labels(records), bool(marketing_qualified.columns(records))

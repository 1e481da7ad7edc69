"""A lead marketing vouched for on arrival, as sales reads it in a hand-off file: the lead
definition's name for the stage ("Basic Qualified Lead") and when the lead met its rule.

The CSV and workbook gain a "Marketing Qualified" column only in a batch that holds such a
lead (other batches keep their columns); each JSONL record says it under "qualification".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaddesk.handoff.records import HandoffRecord

COLUMN = "Marketing Qualified"


def columns(records: Sequence[HandoffRecord]) -> list[str]:
    return [COLUMN] if any(record.marketing_qualified for record in records) else []


def cell(record: HandoffRecord) -> dict[str, str]:
    """ "Basic Qualified Lead (2026-12-07T09:30:00Z)"; empty for a lead that arrived new."""
    found = as_record(record)
    return {COLUMN: f"{found['stage']} ({found['at']})" if found else ""}


def as_record(record: HandoffRecord) -> dict[str, str] | None:
    if record.marketing_qualified is None:
        return None
    label, at = record.marketing_qualified
    return {"stage": " ".join(label.split()), "at": f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"}

""" "Skip for now" as the queue reads it: a lead the rep skipped waits behind the leads that
were next when they skipped it, until those are worked or the skip lapses.

A skip is kept in the audit trail it is recorded in (no column of its own): the rep's skips
of the last hours, each naming the leads it waits behind (read with the queue's other facts in
leaddesk/queue/scope.py).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from leaddesk.queue.rows import QueueRow

# A skip is for now: by the next working day it is forgotten.
SKIP_LASTS = timedelta(hours=12)


def put_skipped_behind(ordered: list[int], skips: dict[int, list[int]]) -> list[int]:
    """``ordered`` (queue order) with each skipped lead moved just after the last of the
    leads it waits behind that is still in the list; once none is, it is back in its place."""
    result = list(ordered)
    for lead_id, behind in skips.items():
        if lead_id not in result:
            continue
        result.remove(lead_id)
        places = [result.index(other) for other in behind if other in result]
        at = max(places) + 1 if places else ordered.index(lead_id)
        result.insert(min(at, len(result)), lead_id)
    return result


def skipped_row(row: QueueRow) -> QueueRow:
    """``row`` as the queue shows a lead skipped for now: its why-line starts by saying so."""
    return dataclasses.replace(row, skipped=True)

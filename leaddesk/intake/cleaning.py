"""Clean an export's rows in chunks, in order; big files in a helper process.

Cleaning (phone and email checks, dates, names) is most of an import's CPU. For a big file a
helper process cleans the next chunks while this process checks and writes the current one,
so two cores share the work. Chunks come back in file order; at most a few are in flight, so
memory stays flat however long the file is.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from leaddesk.intake.mapping import Mapping
from leaddesk.intake.reading import RawRow
from leaddesk.intake.rows import CleanRow, RowProblem, clean_row

# Below this many rows starting a helper process costs more than it saves.
PARALLEL_FROM_ROWS = 20_000
IN_FLIGHT = 3

Item = CleanRow | RowProblem
_FIELDS = CleanRow.__slots__


def cleaned_chunks(
    rows: Iterable[RawRow],
    mapping: Mapping,
    default_region: str | None,
    *,
    day_first: bool,
    chunk_rows: int,
    parallel: bool | None = None,
    expected_rows: int = 0,
) -> Iterator[list[Item]]:
    """Lists of cleaned rows (or the reason a row is unusable), ``chunk_rows`` at a time."""
    if parallel is None:
        parallel = expected_rows >= PARALLEL_FROM_ROWS
    batches = _batches(iter(rows), chunk_rows)
    if not parallel:
        for batch in batches:
            yield [clean_row(raw, mapping, default_region, day_first=day_first) for raw in batch]
        return
    yield from _in_helper(batches, mapping, default_region, day_first)


def _batches(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def _in_helper(
    batches: Iterator[list[RawRow]], mapping: Mapping, region: str | None, day_first: bool
) -> Iterator[list[Item]]:
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=_context(),
        initializer=_start,
        initargs=(mapping, region, day_first),
    ) as pool:
        waiting: deque[Future[list[tuple[Any, ...]]]] = deque()
        try:
            for batch in batches:
                waiting.append(pool.submit(_clean, [(raw.number, raw.values) for raw in batch]))
                if len(waiting) >= IN_FLIGHT:
                    yield _unpack(waiting.popleft().result())
            while waiting:
                yield _unpack(waiting.popleft().result())
        finally:
            for future in waiting:
                future.cancel()


def _context() -> Any:
    # fork is instant and shares the warmed phone metadata; it is only safe while this
    # process runs a single thread (the window imports from a worker thread: use spawn).
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_job: tuple[Mapping, str | None, bool] | None = None


def _start(mapping: Mapping, region: str | None, day_first: bool) -> None:
    global _job
    _job = (mapping, region, day_first)


def _clean(batch: list[tuple[int, dict[str, str]]]) -> list[tuple[Any, ...]]:
    assert _job is not None
    mapping, region, day_first = _job
    return [
        _pack(clean_row(RawRow(number, values), mapping, region, day_first=day_first))
        for number, values in batch
    ]


# Plain tuples cross the process boundary about three times faster than slotted dataclasses.


def _pack(item: Item) -> tuple[Any, ...]:
    if isinstance(item, RowProblem):
        return (None, item.row, item.field, item.reason, item.value)
    values = [getattr(item, name) for name in _FIELDS]
    values[-1] = tuple((p.row, p.field, p.reason, p.value) for p in item.flags)
    return tuple(values)


def _unpack(packed: list[tuple[Any, ...]]) -> list[Item]:
    items: list[Item] = []
    for values in packed:
        if values[0] is None:
            items.append(RowProblem(*values[1:]))
            continue
        row = CleanRow(*values)
        flags: tuple[Any, ...] = row.flags
        row.flags = tuple(RowProblem(*flag) for flag in flags)
        items.append(row)
    return items

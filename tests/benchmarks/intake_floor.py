"""The floor under an import's wall time: the same file read and cleaned on every core, with
nothing written (issue #21 item 7).

This process reads the file and hands batches of raw rows to a pool of worker processes (one a
core) that clean them exactly as an import does (phonenumbers, email-validator, dates, names,
import key, calling zone) and send the cleaned rows back, packed as the import's helper packs
them. No store is opened. What an import takes beyond this is the store's share: look-ups,
planning and writes.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from leaddesk.intake.cleaning import Job, _clean_batch, _pack
from leaddesk.intake.export_file import RawRow
from leaddesk.intake.reading import open_export
from leaddesk.intake.source_mappings import choose_mapping
from leaddesk.queue.policy import current_policy
from leaddesk.store import open_store

# Small batches keep both workers busy to the end; a few in flight per worker keep them fed.
BATCH_ROWS = 2_000
IN_FLIGHT_PER_WORKER = 3

_job: Job | None = None


@dataclass(frozen=True)
class Floor:
    rows: int
    usable: int
    seconds: float
    cpu_here: float
    cpu_workers: float
    workers: int
    peak_worker_mb: float  # the largest child process so far (its workers, when first)


def job_for(store_path: Path | str, export: Path, source: str) -> Job:
    """The cleaning job an import of ``export`` would run (auto-detected mapping, the policy's
    phone region)."""
    with open_store(store_path).reading() as session, open_export(export) as opened:
        chosen = choose_mapping(session, opened.header, file=export, source=source)
        region = current_policy(session).default_phone_region
    return Job(
        path=export,
        encoding=None,
        sheet=None,
        mapping=chosen.mapping,
        region=region,
        day_first=False,
        source=source,
        chunk_rows=BATCH_ROWS,
    )


def measure_floor(job: Job, workers: int | None = None) -> Floor:
    workers = workers or os.cpu_count() or 1
    cpu_before = _cpu()
    started = time.perf_counter()
    rows = usable = 0
    pending: deque[Future[tuple[int, int]]] = deque()
    context = multiprocessing.get_context("fork")
    with (
        ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(job,)
        ) as pool,
        open_export(job.path, encoding=job.encoding, sheet=job.sheet) as export,
    ):
        raw = export.rows()
        while batch := [(row.number, row.values) for row in islice(raw, BATCH_ROWS)]:
            pending.append(pool.submit(_clean, batch))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, good = pending.popleft().result()
                rows, usable = rows + done, usable + good
        while pending:
            done, good = pending.popleft().result()
            rows, usable = rows + done, usable + good
    seconds = time.perf_counter() - started
    here, children = (after - before for after, before in zip(_cpu(), cpu_before, strict=True))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Floor(rows, usable, seconds, here, children, workers, peak)


def _start(job: Job) -> None:
    global _job
    _job = job


def _clean(batch: list[tuple[int, dict[str, str]]]) -> tuple[int, int]:
    assert _job is not None
    chunk = _clean_batch([RawRow(number, values) for number, values in batch], _job)
    packed: list[Any] = _pack(chunk)  # as the import's helper sends rows back
    return len(packed), sum(1 for values in packed if values[0] is not None)


def _cpu() -> tuple[float, float]:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime

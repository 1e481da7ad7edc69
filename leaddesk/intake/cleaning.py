"""Clean an export's rows in chunks, in order; big files in a helper process.

Cleaning (phone and email checks, dates, names, the row's import key and calling zone) is
most of an import's CPU. For a big file a helper process reads the file itself and cleans the
next chunks while this process checks and writes the current one, so two cores share the work
and raw rows never cross the process boundary. Chunks come back in file order; at most a few
are in flight (a bounded queue), so memory stays flat however long the file is.

The helper lives only as long as the process that started it: a killed import (SIGKILL,
SIGTERM, a closed terminal) runs no clean-up, so the helper watches its parent and exits when
it is gone, rather than holding the store and the caller's pipes for ever.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue as queues
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from leaddesk.intake.errors import FileProblem, IntakeFileError
from leaddesk.intake.export_file import ExportFile, RawRow
from leaddesk.intake.mapping import Mapping
from leaddesk.intake.matching import Whereabouts, import_key, whereabouts
from leaddesk.intake.prepared import Prepared, PreparedFor, prepare
from leaddesk.intake.prepared import pack as pack_prepared
from leaddesk.intake.prepared import unpack as unpack_prepared
from leaddesk.intake.reading import open_export
from leaddesk.intake.rows import CleanRow, RowProblem, clean_row

# Below this many rows starting a helper process costs more than it saves.
PARALLEL_FROM_ROWS = 20_000
IN_FLIGHT = 3
# How long to wait for the helper before checking it is still alive.
_POLL_SECONDS = 1.0
# How often the helper checks that the process that started it is still there.
_PARENT_CHECK_SECONDS = 0.2

Item = CleanRow | RowProblem
_FIELDS = CleanRow.__slots__


@dataclass(frozen=True)
class Job:
    """What a cleaning helper needs to read and clean a file by itself."""

    path: Path
    encoding: str | None
    sheet: str | None
    mapping: Mapping
    region: str | None
    day_first: bool
    source: str  # the import's source, part of each row's import key
    chunk_rows: int
    after_row: int = 0  # resume: rows up to this one are already in

    @property
    def prepared_for(self) -> PreparedFor:
        return PreparedFor(self.path.name, self.source, self.region)


@dataclass
class Chunk:
    """Cleaned rows in file order; for each usable row, its import key and whereabouts."""

    items: list[Item] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # "" for a RowProblem
    places: list[Whereabouts | None] = field(default_factory=list)
    # What planning needs of each row beyond its cleaning (``prepared.py``), for the file,
    # source and region in ``prepared_for``; empty when not worked out.
    prepared: list[Prepared | None] = field(default_factory=list)
    prepared_for: PreparedFor | None = None


class CleanedChunks:
    """Chunks of ``job.chunk_rows`` cleaned rows (or the reason a row is unusable), in order.

    Use as a context manager. In parallel mode the helper starts at once (so it cleans while
    the caller still checks the file) and is stopped on leaving the block; the helper's reading
    warnings are added to ``export.warnings`` when the last chunk has come back.
    """

    def __init__(
        self,
        export: ExportFile,
        job: Job,
        *,
        parallel: bool | None = None,
        expected_rows: int = 0,
    ) -> None:
        if parallel is None:
            parallel = expected_rows >= PARALLEL_FROM_ROWS
        self.export = export
        self.job = job
        self._helper: Any = None
        self._results: Any = None
        if parallel:
            context = _context()
            self._results = context.Queue(maxsize=IN_FLIGHT)
            self._helper = context.Process(
                target=_produce, args=(job, self._results, os.getpid()), daemon=True
            )
            self._helper.start()

    def __enter__(self) -> CleanedChunks:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Chunk]:
        if self._helper is None:
            rows = (raw for raw in self.export.rows() if raw.number > self.job.after_row)
            while batch := list(islice(rows, self.job.chunk_rows)):
                yield _prepared(_clean_batch(batch, self.job), self.job)
            return
        yield from self._receive()

    def close(self) -> None:
        helper, results = self._helper, self._results
        if helper is None:
            return
        self._helper = None
        if helper.is_alive():
            helper.terminate()
        helper.join()
        results.close()
        results.cancel_join_thread()

    def _receive(self) -> Iterator[Chunk]:
        helper, results = self._helper, self._results
        while True:
            try:
                kind, payload = results.get(timeout=_POLL_SECONDS)
            except queues.Empty:
                if helper.is_alive():
                    continue
                try:  # it may have finished just now
                    kind, payload = results.get(timeout=_POLL_SECONDS)
                except queues.Empty:
                    raise RuntimeError(
                        f"the cleaning helper stopped unexpectedly (exit code {helper.exitcode})"
                    ) from None
            if kind == "rows":
                packed, prepared = payload
                chunk = _unpack(packed)
                chunk.prepared = unpack_prepared(prepared)
                chunk.prepared_for = self.job.prepared_for
                yield chunk
            elif kind == "done":
                warnings = self.export.warnings
                warnings.extend(w for w in payload if w not in warnings)
                return
            elif kind == "file_error":
                raise _file_error(payload)
            else:
                raise RuntimeError(f"the cleaning helper failed:\n{payload}")


def _clean_batch(batch: list[RawRow], job: Job) -> Chunk:
    chunk = Chunk()
    mapping, region, day_first, source = job.mapping, job.region, job.day_first, job.source
    for raw in batch:
        item = clean_row(raw, mapping, region, day_first=day_first)
        chunk.items.append(item)
        if isinstance(item, CleanRow):
            chunk.keys.append(import_key(source, item))
            chunk.places.append(whereabouts(item, region))
        else:
            chunk.keys.append("")
            chunk.places.append(None)
    return chunk


def _prepared(chunk: Chunk, job: Job) -> Chunk:
    """The chunk with what planning needs of each row worked out (not part of the floor,
    which only cleans)."""
    chunk.prepared_for = job.prepared_for
    chunk.prepared = prepare(chunk.items, chunk.prepared_for)
    return chunk


def _context() -> Any:
    # fork is instant and shares the warmed phone metadata; it is only safe while this
    # process runs a single thread (the window imports from a worker thread: use spawn).
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _produce(job: Job, results: Any, parent: int) -> None:
    """The helper: read the file, clean it chunk by chunk, put each on the queue."""
    _exit_with(parent)
    gc.disable()  # as in the importing process (without_cycle_collection)
    # Ctrl+C in a terminal reaches the whole process group: the importing process decides
    # what it means (stop between chunks); the helper is stopped by it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with open_export(
            job.path, encoding=job.encoding, sheet=job.sheet, region=job.region
        ) as export:
            rows = (raw for raw in export.rows() if raw.number > job.after_row)
            while batch := list(islice(rows, job.chunk_rows)):
                chunk = _prepared(_clean_batch(batch, job), job)
                results.put(("rows", (_pack(chunk), pack_prepared(chunk.prepared))))
            results.put(("done", list(export.warnings)))
    except IntakeFileError as error:
        results.put(("file_error", (str(error.path), error.problem, error.kind.value,
                                    error.row, error.column)))  # fmt: skip
    except BaseException:
        results.put(("crash", traceback.format_exc()))


def _exit_with(parent: int) -> None:
    """Exit at once when ``parent`` is no longer this process's parent (it died: the helper
    was handed to init). A thread, because the helper may sit blocked on a full queue."""
    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _file_error(payload: tuple[str, str, str, int | None, str | None]) -> IntakeFileError:
    path, problem, kind, row, column = payload
    return IntakeFileError(path, problem, kind=FileProblem(kind), row=row, column=column)


# Plain tuples cross the process boundary about three times faster than slotted dataclasses.


def _pack(chunk: Chunk) -> list[tuple[Any, ...]]:
    packed: list[tuple[Any, ...]] = []
    for item, key, place in zip(chunk.items, chunk.keys, chunk.places, strict=True):
        if isinstance(item, RowProblem):
            packed.append((None, item.row, item.field, item.reason, item.value))
            continue
        values = [getattr(item, name) for name in _FIELDS]
        values[-1] = tuple((p.row, p.field, p.reason, p.value) for p in item.flags)
        assert place is not None
        values.append(key)
        values.append(place.country)
        values.append(place.zone_key)
        packed.append(tuple(values))
    return packed


def _unpack(packed: list[tuple[Any, ...]]) -> Chunk:
    chunk = Chunk()
    items, keys, places = chunk.items, chunk.keys, chunk.places
    width = len(_FIELDS)
    for values in packed:
        if values[0] is None:
            items.append(RowProblem(*values[1:]))
            keys.append("")
            places.append(None)
            continue
        row = CleanRow(*values[:width])
        flags: tuple[Any, ...] = row.flags
        if flags:
            row.flags = tuple(RowProblem(*flag) for flag in flags)
        items.append(row)
        keys.append(values[width])
        places.append(Whereabouts(values[width + 1], values[width + 2]))
    return chunk

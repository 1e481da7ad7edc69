"""A big batch's records read with the store's queries one chunk ahead (records.py).

Reading a 14,000-lead batch is a third SQLite's own work (its queries run in C and let other
threads go on) and two thirds Python's (each record made from its rows). So a second thread
runs the next chunk's queries, in a read transaction of its own, while this one makes the
records of the chunk before: the same rows, the same records, in the same order. The queries
make their rows in one step each (store/driver_statements.py, ``in_one_step``): stepping row
by row, the reading thread waited for the busy one at every row and read no faster than one
thread alone.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from leaddesk.handoff.record_rows import ChunkRows, read_chunk, user_names, with_meetings
from leaddesk.handoff.records import (
    HandoffRecord,
    chunks_of,
    make_record,
    readings_of,
    records_as_of,
)
from leaddesk.meetings.booking import MeetingInfo
from leaddesk.meetings.diary import meetings_of
from leaddesk.store import Store

_Read = tuple[ChunkRows, dict[int, MeetingInfo]]


def records_read_ahead(store: Store, ids: Sequence[int], cutoff: datetime) -> list[HandoffRecord]:
    """``records_as_of`` for the leads ``ids`` as of ``cutoff``, in one snapshot of the
    store; a batch of a few chunks is read on this thread alone."""
    ids = sorted(ids)
    chunks = chunks_of(ids)
    if len(chunks) < 3:
        with store.reading() as session:
            return records_as_of(session, ids, cutoff)
    ahead = _ReadAhead(store, chunks, cutoff)
    thread = threading.Thread(target=ahead.read, name="handoff-read-ahead", daemon=True)
    thread.start()
    try:
        users, readings = ahead.take()
        records: list[HandoffRecord] = []
        for _chunk in chunks:
            rows, meetings = ahead.take()
            for lead in rows.leads:
                records.append(make_record(lead, rows, users, readings, meetings.get(lead.id)))
        return records
    finally:
        ahead.stopped.set()
        ahead.drain()
        thread.join()


class _ReadAhead:
    def __init__(self, store: Store, chunks: list[Sequence[int]], cutoff: datetime) -> None:
        self.store, self.chunks, self.cutoff = store, chunks, cutoff
        # Two chunks ahead at most: the rows of a whole batch are never all held at once.
        self.found: queue.Queue[Any] = queue.Queue(maxsize=2)
        self.stopped = threading.Event()

    def read(self) -> None:
        """The second thread: the users and definitions, then each chunk's rows."""
        try:
            with self.store.reading() as session:
                users = user_names(session)
                self._put((users, readings_of(session)))
                decoded: dict[str, Any] = {}
                for chunk in self.chunks:
                    if self.stopped.is_set():
                        return
                    rows = read_chunk(session, chunk, self.cutoff, users, decoded)
                    booked = with_meetings(session, chunk, self.cutoff)
                    meetings = meetings_of(session, booked, self.cutoff) if booked else {}
                    self._put((rows, meetings))
        except BaseException as error:  # handed to the thread that waits for the rows
            self._put(_Failed(error))

    def _put(self, item: Any) -> None:
        while not self.stopped.is_set():
            try:
                self.found.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def take(self) -> Any:
        item = self.found.get()
        if isinstance(item, _Failed):
            raise item.error
        return item

    def drain(self) -> None:
        while True:
            try:
                self.found.get_nowait()
            except queue.Empty:
                return


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error

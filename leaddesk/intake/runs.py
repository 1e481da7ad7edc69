"""Import runs: their states, the id ranges a run records of what each chunk created, and
the runs a file was imported in before (docs/architecture.md §6)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk.store.models import ImportRun, User


class RunStatus:
    RUNNING = "running"  # being written, or interrupted (killed): resumable
    CANCELLED = "cancelled"  # the user stopped it: resumable
    FINISHED = "finished"
    UNDONE = "undone"
    # Not stored: what an import of a file already imported reports when nothing is new.
    ALREADY_IMPORTED = "already_imported"
    RESUMABLE = (RUNNING, CANCELLED)


# The file name of a run that is one lead typed in by hand (File ▸ New lead…, add-lead).
BY_HAND = "entered by hand"


def ranges(ids: Iterable[int]) -> list[list[int]]:
    """[3, 4, 5, 9] -> [[3, 5], [9, 9]]: a chunk's new ids are nearly always one range."""
    found: list[list[int]] = []
    for value in sorted(ids):
        if found and found[-1][1] + 1 == value:
            found[-1][1] = value
        else:
            found.append([value, value])
    return found


def expand(held: object) -> list[int]:
    """The ids of ``ranges`` as read back from JSON; anything malformed is ignored."""
    if not isinstance(held, list):
        return []
    ids: list[int] = []
    for pair in held:
        if isinstance(pair, list) and len(pair) == 2:
            ids.extend(range(int(pair[0]), int(pair[1]) + 1))
    return ids


def finished_run(session: Session, digest: str, source: str) -> int | None:
    return session.scalar(
        select(ImportRun.id)
        .where(
            ImportRun.file_digest == digest,
            ImportRun.source == source,
            ImportRun.status == RunStatus.FINISHED,
        )
        .order_by(ImportRun.id.desc())
        .limit(1)
    )


def resumable_run(session: Session, digest: str, source: str) -> ImportRun | None:
    return session.scalar(
        select(ImportRun)
        .where(
            ImportRun.file_digest == digest,
            ImportRun.source == source,
            ImportRun.status.in_(RunStatus.RESUMABLE),
        )
        .order_by(ImportRun.id.desc())
        .limit(1)
    )


def list_runs(session: Session, *, limit: int = 20, by_hand: bool = True) -> list[dict[str, Any]]:
    """The latest runs, newest first; ``started_by`` is the display name of who ran each.
    ``by_hand=False`` leaves out the one-lead runs of leads typed in by hand."""
    query = select(ImportRun, User.display_name).join(User, User.id == ImportRun.started_by_id)
    if not by_hand:
        query = query.where(ImportRun.file_name != BY_HAND)
    runs = session.execute(query.order_by(ImportRun.id.desc()).limit(limit)).tuples()
    return [
        {
            "run": run.id,
            "file": run.file_name,
            "source": run.source,
            "started_by": started_by,
            "status": run.status,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "checkpoint_row": run.checkpoint_row,
            **((run.summary or {}).get("counts") or {}),
        }
        for run, started_by in runs
    ]

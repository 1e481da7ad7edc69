"""Import an export into the store: a dry run, or chunked commits with a checkpoint.

The real import first reads the whole file once without writing (cheap: the reader streams
well over 100,000 rows a second), so a broken quote or runaway field on row 90,000 is found
before anything is stored. Rows are then cleaned, checked against the store and written in
chunks; each chunk is one transaction that also moves the run's checkpoint, so an interrupted
import never leaves half a row, and importing the same file again resumes after the checkpoint.
``undo_import`` removes what a run added.
"""

from __future__ import annotations

import gc
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Definition, Policy
from leaddesk.domain import Role
from leaddesk.errors import Conflict, InputError
from leaddesk.files.reading import why_no_folder
from leaddesk.intake.attached_keys import keys_attached_by
from leaddesk.intake.cleaning import CleanedChunks, Job
from leaddesk.intake.earlier_rows import EarlierRows
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.export_file import ExportFile
from leaddesk.intake.file_encoding import detected_code_page
from leaddesk.intake.planning import Planner
from leaddesk.intake.reading import on_other_sheets, open_export, other_sheets
from leaddesk.intake.reporting import Reporter
from leaddesk.intake.runs import RunStatus, finished_run, list_runs, resumable_run
from leaddesk.intake.source_mappings import (
    check_source,
    choose_mapping,
    default_source,
    remember_mapping,
    source_with_columns,
)
from leaddesk.intake.summary import (
    Cancelled,
    Counts,
    ImportCancelled,
    ImportOptions,
    ImportSummary,
    Progress,
    never_cancelled,
    no_progress,
)
from leaddesk.intake.undo import undo_run
from leaddesk.intake.writing import write_plan
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.store import Store
from leaddesk.store.models import ImportRun, User
from leaddesk.store.sqlite_tuning import bulk_writes

# What the desk, the CLI and the window use of an import, under the names they call it by.
__all__ = [
    "Cancelled",
    "ImportCancelled",
    "ImportOptions",
    "ImportSummary",
    "Progress",
    "import_file",
    "list_runs",
    "never_cancelled",
    "no_progress",
    "require_importer",
]

# Rows a chunk (one transaction, one checkpoint); a big file takes bigger chunks, so each
# commit and each batched look-up covers more rows.
CHUNK_ROWS = 2_000
BIG_CHUNK_ROWS = 10_000
BIG_FILE_ROWS = 50_000


# -- the import ---------------------------------------------------------------------------------


def import_file(
    store: Store,
    *,
    actor_id: int,
    path: Path,
    options: ImportOptions,
    at: datetime,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ImportSummary:
    started = time.perf_counter()
    path = Path(path)
    source = check_source(options.source) if options.source is not None else None
    if options.report_path is not None:
        _check_report_path(Path(options.report_path))
    with store.reading() as session:
        region = current_policy(session).default_phone_region
    export = open_export(path, encoding=options.encoding, sheet=options.sheet, region=region)
    with export:
        with store.reading() as session:
            # No source given: the same one the import window would suggest for this file.
            suggested = source or source_with_columns(session, export.header)
            try:
                chosen = choose_mapping(
                    session, export.header, file=path, source=suggested, choice=options.mapping
                )
            except IntakeFileError as error:
                raise on_other_sheets(error, export) from error
            policy = current_policy(session)
            definition = current_definition(session)
            keeper = _keeper(session, actor_id, options.keep_mine)
        options = replace(options, keep_for=keeper.id if keeper else None)
        source = suggested or default_source(chosen.mapping, path)
        summary = ImportSummary(
            file=str(path),
            source=source,
            dry_run=options.dry_run,
            mapping=chosen.mapping,
            mapping_how=chosen.how,
            counts=Counts(),
            warnings=list(chosen.mapping.warnings),
            campaign=options.campaign.strip()[:256],
        )
        summary.kept_for = keeper.display_name or keeper.name if keeper else None
        summary.code_page = detected_code_page(export.encoding, options.encoding)
        if options.sheet is not None and export.format != "xlsx":
            summary.warnings.append("a CSV file has no sheets; --sheet ignored")
        if len(export.sheets) > 1:
            summary.warnings.append(other_sheets(export.sheet or "", export.sheets))
        job = Job(
            path=path,
            encoding=options.encoding,
            sheet=options.sheet,
            mapping=chosen.mapping,
            region=policy.default_phone_region,
            day_first=options.day_first,
            source=source,
            chunk_rows=CHUNK_ROWS,
        )
        estimate = _estimate_rows(path, export)
        if estimate >= BIG_FILE_ROWS:
            job = replace(job, chunk_rows=max(CHUNK_ROWS, BIG_CHUNK_ROWS))
        parallel = options.parallel
        if options.dry_run:
            summary.total_rows = estimate
            with CleanedChunks(export, job, parallel=parallel, expected_rows=estimate) as chunks:
                _dry_run(
                    store, chunks, options, summary, policy, definition, at, progress, cancelled
                )
        else:
            digest = file_digest(path)
            with store.reading() as session:
                earlier = resumable_run(session, digest, source)
                job = replace(job, after_row=earlier.checkpoint_row if earlier else 0)
                finished = None if earlier else finished_run(session, digest, source)
                attached = keys_attached_by(session, finished) if finished is not None else set()
            if finished is not None and _nothing_new(
                store, export, job, options, summary, policy, definition, at, progress, cancelled,
                attached,
            ):  # fmt: skip
                # The same file from the same source, imported before, and nothing in it is
                # new: not even a run is recorded. The summary counts every row unchanged.
                summary.dry_run = False
                summary.run_id = finished
                summary.status = RunStatus.ALREADY_IMPORTED
                summary.seconds = time.perf_counter() - started
                return summary
            # The helper starts cleaning while this process reads the whole file once without
            # writing: everything that can be wrong with the file shows up before any write.
            with CleanedChunks(export, job, parallel=parallel, expected_rows=estimate) as chunks:
                summary.total_rows = _check_whole_file(path, options, region)
                _import(
                    store, chunks, options, summary, digest, policy, definition, actor_id, at,
                    progress, cancelled, chosen.save,
                )  # fmt: skip
        summary.warnings.extend(w for w in export.warnings if w not in summary.warnings)
    summary.seconds = time.perf_counter() - started
    return summary


def _nothing_new(
    store: Store,
    export: ExportFile,
    job: Job,
    options: ImportOptions,
    summary: ImportSummary,
    policy: Policy,
    definition: Definition | None,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    attached: set[int],
) -> bool:
    """A dry run of a file imported before: True when it would change nothing. Otherwise the
    summary is cleared for the real import (the file is read again for it). ``attached``: the
    short keys of the rows the earlier run added as more interest, recognised whoever they
    match now."""
    summary.total_rows = _estimate_rows(job.path, export)
    with (
        open_export(job.path, encoding=job.encoding, sheet=job.sheet, region=job.region) as again,
        CleanedChunks(
            again, job, parallel=options.parallel, expected_rows=summary.total_rows
        ) as chunks,
    ):
        _dry_run(
            store, chunks, options, summary, policy, definition, at, progress, cancelled,
            attached,
        )  # fmt: skip
    counts = summary.counts
    if counts.created or counts.merged or counts.attached:
        summary.counts = Counts()
        summary.problems.clear()
        summary.report = None
        return False
    summary.total_rows = counts.rows
    summary.warnings.extend(w for w in again.warnings if w not in summary.warnings)
    return True


def _check_report_path(path: Path) -> None:
    """Before any work: a report that cannot be written there is said now, not at the end."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; name the report file to write", field="report")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        why = why_no_folder(path, error)
        raise InputError(f"cannot write {path}: {why}", field="report") from error


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _check_whole_file(path: Path, options: ImportOptions, region: str) -> int:
    count = 0
    opened = open_export(path, encoding=options.encoding, sheet=options.sheet, region=region)
    with opened as export:
        for _row in export.rows():
            count += 1
    return count


def _estimate_rows(path: Path, export: ExportFile) -> int:
    # A dry run does not read the file twice: size over the bytes of a leading sample's rows.
    if export.format != "csv":
        return 0
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            sample = handle.read(256 * 1024)
    except OSError:
        return 0
    lines = sample.count(b"\n")
    if len(sample) < 256 * 1024:
        # The whole file: its lines (the last may lack its newline) less the header's.
        lines += 0 if sample.rstrip(b"\x00").endswith(b"\n") else 1
        return max(lines - export.header_row, 1)
    return max(int(size / (len(sample) / max(lines, 1))) - export.header_row, 1)


def _dry_run(
    store: Store,
    chunks: CleanedChunks,
    options: ImportOptions,
    summary: ImportSummary,
    policy: Policy,
    definition: Definition | None,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    imported_before: set[int] | None = None,
) -> None:
    with store.reading() as session:
        planner = Planner(
            session,
            summary,
            policy,
            definition,
            at,
            run_id=None,
            dry_run=True,
            keep_for=options.keep_for,
        )
    planner.imported_before = imported_before or set()
    with (
        Reporter(options.report_path, summary, every_row=True) as reporter,
        EarlierRows() as earlier,
        without_cycle_collection(),
    ):
        planner.earlier = earlier
        for chunk in chunks:
            if cancelled():
                raise ImportCancelled(summary)
            with store.reading() as session:
                plan = planner.plan(session, chunk)
            reporter.add(plan.report)
            progress(summary.counts.rows, max(summary.total_rows, summary.counts.rows))
        summary.report = reporter.finish()
    summary.assigned_to = planner.assigner.given_out()


def _import(
    store: Store,
    chunks: CleanedChunks,
    options: ImportOptions,
    summary: ImportSummary,
    digest: str,
    policy: Policy,
    definition: Definition | None,
    actor_id: int,
    at: datetime,
    progress: Progress,
    cancelled: Cancelled,
    save_mapping: bool,
) -> None:
    with store.transaction() as session:
        run = resumable_run(session, digest, summary.source)
        if run is not None and run.checkpoint_row != chunks.job.after_row:
            raise Conflict(
                f"{Path(summary.file).name} is being imported by someone else right now "
                f"(import run {run.id}); try again when it has finished"
            )
        if run is not None:
            summary.resumed_after_row = run.checkpoint_row
            summary.counts = Counts.from_json((run.summary or {}).get("counts"))
        else:
            run = ImportRun(
                file_name=Path(summary.file).name,
                file_digest=digest,
                source=summary.source,
                started_by_id=actor_id,
                started_at=at,
                status=RunStatus.RUNNING,
                checkpoint_row=0,
                summary={"counts": Counts().as_json(), "mapping": summary.mapping.to_json()},
            )
            session.add(run)
            session.flush()
            audit.record(
                session,
                at=at,
                actor_id=actor_id,
                action=AuditAction.IMPORT_STARTED,
                subject=f"import run {run.id}",
                details={
                    "file": run.file_name,
                    "source": summary.source,
                    "rows": summary.total_rows,
                },
            )
        summary.run_id = run_id = run.id
        planner = Planner(
            session,
            summary,
            policy,
            definition,
            at,
            run_id=run_id,
            dry_run=False,
            keep_for=options.keep_for,
        )
    planner.actor_id = actor_id
    try:
        with (
            Reporter(options.report_path, summary, every_row=False) as reporter,
            bulk_writes(store),
            without_cycle_collection(),
        ):
            # One transaction a chunk: its rows and the run's checkpoint, or nothing. (Writing
            # on a second thread while the next chunk is planned was tried: SQLite's executemany
            # hands the interpreter lock back and forth every row, and both threads slowed.)
            for chunk in chunks:
                if cancelled():
                    _set_status(store, run_id, RunStatus.CANCELLED, summary.counts, at)
                    summary.status = RunStatus.CANCELLED
                    summary.report = reporter.finish()
                    raise ImportCancelled(summary)
                with store.transaction() as session:
                    plan = planner.plan(session, chunk)
                    write_plan(session, plan, run_id, actor_id, at, planner.assigned_why)
                reporter.add(plan.report)
                progress(summary.counts.rows, max(summary.total_rows, summary.counts.rows))
            summary.report = reporter.finish()
    except IntakeFileError:
        # The file changed under us after the check: take back what this run stored.
        with store.transaction() as session:
            undo_run(session, run_id=run_id, actor_id=actor_id, at=at, only_if_unworked=False)
        raise
    with store.transaction() as session:
        record = session.get(ImportRun, run_id)
        assert record is not None
        record.status = RunStatus.FINISHED
        record.finished_at = at
        record.summary = {**(record.summary or {}), "counts": summary.counts.as_json()}
        if save_mapping:
            remember_mapping(
                session, source=summary.source, mapping=summary.mapping, actor_id=actor_id, at=at
            )
        audit.record(
            session,
            at=at,
            actor_id=actor_id,
            action=AuditAction.IMPORT_FINISHED,
            subject=f"import run {run_id}",
            details=summary.counts.as_json(),
        )
    summary.status = RunStatus.FINISHED
    summary.assigned_to = planner.assigner.given_out()


def _keeper(session: Session, actor_id: int, keep_mine: bool | None) -> User | None:
    """Who a new lead of this import goes to whatever the policy says: the rep importing,
    unless they chose the policy's assignment (``keep_mine=False``)."""
    user = session.get(User, actor_id) if actor_id else None
    rep = user is not None and user.active and user.role == Role.QUALIFIER
    if keep_mine and not rep:
        raise InputError(
            "only a rep's own import can be kept for them; without it the "
            "policy assigns the new leads",
            field="keep_mine",
        )
    return user if rep and keep_mine is not False else None


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import runs: with a chunk's hundred
    thousand objects alive, its automatic collections cost more than the planning itself.
    The import makes next to no reference cycles (memory stays flat: 241 MB at 100,000 rows,
    251 MB at 300,000); everything else is freed as usual when its last reference goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _set_status(store: Store, run_id: int, status: str, counts: Counts, at: datetime) -> None:
    with store.transaction() as session:
        record = session.get(ImportRun, run_id)
        assert record is not None
        record.status = status
        record.summary = {**(record.summary or {}), "counts": counts.as_json()}


def require_importer(actor_id: int | None) -> int:
    if actor_id is None:
        raise InputError("an import is recorded against a user: name who is importing with --as")
    return actor_id

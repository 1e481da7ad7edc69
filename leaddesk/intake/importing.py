"""Import an export into the store: a dry run, or chunked commits with a checkpoint.

The real import first reads the whole file once without writing (cheap: the reader streams
well over 100,000 rows a second), so a broken quote or runaway field on row 90,000 is found
before anything is stored. Rows are then cleaned, checked against the store and written in
chunks; each chunk is one transaction that also moves the run's checkpoint, so an interrupted
import never leaves half a row, and importing the same file again resumes after the checkpoint.
``undo_import`` removes what a run added.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Table, bindparam, event, select, update
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk.audit.actions import AuditAction
from leaddesk.definition import Definition, Policy
from leaddesk.definition.business_time import sla_deadline
from leaddesk.domain import OPEN_STAGES, Role, Stage
from leaddesk.errors import Conflict, InputError
from leaddesk.files.reading import why_no_folder
from leaddesk.intake.assignment import Assigner
from leaddesk.intake.attached_keys import keys_attached_by
from leaddesk.intake.bulk import BulkWriter
from leaddesk.intake.cleaning import Chunk, CleanedChunks, Job
from leaddesk.intake.cleanup import company_domain
from leaddesk.intake.earlier_rows import EarlierRows, NewLead, NewPerson
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.mapping import Mapping
from leaddesk.intake.matching import (
    KnownAccount,
    KnownLead,
    KnownPerson,
    StoreView,
    Whereabouts,
    company_keys_of,
    look_up,
    now_or_before,
    same_name,
)
from leaddesk.intake.phones import normalise_phone
from leaddesk.intake.reading import ExportFile, open_export
from leaddesk.intake.rows import CleanRow, RowProblem, write_report
from leaddesk.intake.runs import BY_HAND, RunStatus, ranges
from leaddesk.intake.scores import Scorer
from leaddesk.intake.source_mappings import (
    AUTO,
    check_source,
    choose_mapping,
    default_source,
    remember_mapping,
    source_with_columns,
)
from leaddesk.intake.undo import undo_run
from leaddesk.leads import lifecycle
from leaddesk.privacy.do_not_call import ListCheck, Listing, hold_people
from leaddesk.queue.policy import current_definition, current_policy
from leaddesk.store import Store
from leaddesk.store.models import (
    Account,
    Assignment,
    AuditEvent,
    ImportRun,
    Lead,
    Note,
    Person,
    User,
)

# Rows a chunk (one transaction, one checkpoint); a big file takes bigger chunks, so each
# commit and each batched look-up covers more rows.
CHUNK_ROWS = 2_000
BIG_CHUNK_ROWS = 10_000
BIG_FILE_ROWS = 50_000
BULK_CACHE_KIB = 64 * 1024
BULK_WAL_PAGES = 65_536  # 256 MB of 4 KB pages: the WAL of a very long import stays bounded
# Points new interest adds to an open lead's interest score (at most 100).
MORE_INTEREST_POINTS = 10
PREVIEW_PROBLEMS = 20
LISTED_ROW = "do not call: on the team's do-not-call list; the lead is held, out of every queue"
ERASED_ROW = "erased person: not imported (they asked to be forgotten)"
# Columns (lower case, punctuation as spaces) whose number is kept as the person's direct line.
DIRECT_LINE_COLUMNS = frozenset(
    {"direct line", "direct dial", "direct phone", "direct number", "direct", "dd", "ddi"}
)

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
    export = open_export(path, encoding=options.encoding, sheet=options.sheet)
    with export:
        with store.reading() as session:
            # No source given: the same one the import window would suggest for this file.
            suggested = source or source_with_columns(session, export.header)
            chosen = choose_mapping(
                session, export.header, file=path, source=suggested, choice=options.mapping
            )
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
        )
        summary.kept_for = keeper.display_name or keeper.name if keeper else None
        if options.sheet is not None and export.format != "xlsx":
            summary.warnings.append("a CSV file has no sheets; --sheet ignored")
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
                earlier = _resumable_run(session, digest, source)
                job = replace(job, after_row=earlier.checkpoint_row if earlier else 0)
                finished = None if earlier else _finished_run(session, digest, source)
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
                summary.total_rows = _check_whole_file(path, options)
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
        open_export(job.path, encoding=job.encoding, sheet=job.sheet) as again,
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


def _check_whole_file(path: Path, options: ImportOptions) -> int:
    count = 0
    with open_export(path, encoding=options.encoding, sheet=options.sheet) as export:
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
        _Reporter(options.report_path, summary, every_row=True) as reporter,
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
        run = _resumable_run(session, digest, summary.source)
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
            _Reporter(options.report_path, summary, every_row=False) as reporter,
            _bulk_writes(store),
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


@contextmanager
def _bulk_writes(store: Store) -> Iterator[None]:
    """SQLite, while an import writes its chunks: a bigger page cache (a chunk's new rows land
    all over a million-row store's indexes), the WAL copied back into the database at the end
    (or every 256 MB) instead of at every chunk's commit, and chunk commits not waiting for
    the disk (synchronous=NORMAL). A power cut can then lose the last chunks, never part of
    one: their rows and the run's checkpoint go together, so the import resumes before them.
    The run's final commit is made with the store's usual FULL sync, which makes every chunk
    durable."""
    if not store.is_sqlite:
        yield
        return
    tuned: list[Any] = []

    def on_checkout(raw: Any, _record: Any, _proxy: Any) -> None:
        # At checkout, before the transaction begins: the sync level cannot change inside one.
        if all(raw is not done for done in tuned):
            cursor = raw.cursor()
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {BULK_WAL_PAGES}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()
            tuned.append(raw)

    event.listen(store.engine, "checkout", on_checkout)
    try:
        yield
    finally:
        event.remove(store.engine, "checkout", on_checkout)
        for raw in tuned:
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA synchronous = FULL")
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_autocheckpoint = 1000")
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                cursor.close()
            except sqlite3.Error:
                pass  # a connection that went away takes its settings with it


def _finished_run(session: Session, digest: str, source: str) -> int | None:
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


def _resumable_run(session: Session, digest: str, source: str) -> ImportRun | None:
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


def _set_status(store: Store, run_id: int, status: str, counts: Counts, at: datetime) -> None:
    with store.transaction() as session:
        record = session.get(ImportRun, run_id)
        assert record is not None
        record.status = status
        record.summary = {**(record.summary or {}), "counts": counts.as_json()}


# -- planning a chunk ---------------------------------------------------------------------------


@dataclass(eq=False)
class _NewAccount:
    values: dict[str, Any]
    known: KnownAccount
    key: str  # the company key later rows find it by


@dataclass(eq=False)
class _NewPerson:
    values: dict[str, Any]
    known: KnownPerson
    account: KnownAccount | None  # its id is read when the person is written
    phones: tuple[str, ...]  # the numbers and company keys later rows may match them on
    companies: tuple[str, ...]


@dataclass(eq=False)
class _NewLead:
    values: dict[str, Any]
    known: KnownLead
    person: KnownPerson
    new_person: _NewPerson | None
    account: KnownAccount | None
    row: int


@dataclass(eq=False)
class _Interest:
    """New interest for a lead that stays open: its timeline note and the score raise."""

    lead: KnownLead
    new_lead: _NewLead | None
    start_score: int
    notes: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class _ChunkPlan:
    accounts: list[_NewAccount] = field(default_factory=list)
    people: list[_NewPerson] = field(default_factory=list)
    leads: list[_NewLead] = field(default_factory=list)
    interest: dict[int, _Interest] = field(default_factory=dict)  # by id(KnownLead)
    report: list[RowProblem] = field(default_factory=list)
    # People (stored, or new in this chunk) found on the do-not-call list: flagged, and their
    # open leads held, once the chunk is written.
    do_not_call: list[KnownPerson] = field(default_factory=list)
    first_row: int = 0
    last_row: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # the run's counts after this chunk


class Planner:
    """Decides, row by row, what each row becomes: a new lead, a lead on a known person, more
    interest on an open lead, or nothing (already imported, or unusable)."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        policy: Policy,
        definition: Definition | None,
        at: datetime,
        *,
        run_id: int | None,
        dry_run: bool,
        keep_for: int | None = None,
    ) -> None:
        self.summary = summary
        self.counts = summary.counts
        self.source = summary.source
        self.file_name = Path(summary.file).name
        self.policy = policy
        self.at = at
        self.run_id = run_id
        self.dry_run = dry_run
        self.actor_id: int | None = None
        self.entered_by: str | None = None  # a lead typed in by hand: who typed it
        self.scorer = Scorer(definition)
        # Kept with each lead's assignment record: the lead file shows how it reached the rep.
        self.keeping = keep_for is not None
        # One company, one rep: account (id, or id() of one this import adds) -> its rep.
        self._company_reps: dict[int, tuple[int, str] | None] = {}
        self._accounts_by_id: dict[int, KnownAccount | None] = {}
        self._accounts_by_domain: dict[str, KnownAccount] = {}
        self._session: Session | None = None
        if keep_for is not None:
            self.assigner = Assigner.keeping(session, keep_for)
            self.assigned_why = f"Imported from {self.file_name} (their own import)"
        else:
            self.assigner = Assigner.load(session, policy.assignment)
            self.assigned_why = (
                f"Imported from {self.file_name} ({policy.assignment.value.replace('_', ' ')})"
            )
        # Reps cannot act before a lead reaches the desk, so its speed-to-lead clock starts
        # at the import; an old export does not arrive already overdue.
        self.sla_due_at = sla_deadline(at, policy)
        self._where = Whereabouts(None, None)
        self._listed: dict[int, Listing] = {}
        self.do_not_call = ListCheck()
        # A dry run: what earlier chunks would have stored (the store has it in a real import).
        self.earlier: EarlierRows | None = None
        # Short keys of rows an earlier run of the same file added as more interest.
        self.imported_before: set[int] = set()
        # Within one chunk rows are matched against each other too.
        self._reset_pending()

    def _reset_pending(self) -> None:
        self.pending_email: dict[str, KnownPerson] = {}
        self.pending_phone: dict[str, KnownPerson] = {}
        self.pending_company: dict[str, list[KnownPerson]] = {}
        self.pending_accounts: dict[str, KnownAccount] = {}
        self.pending_domains: dict[str, KnownAccount] = {}
        self.pending_new: dict[int, _NewPerson] = {}  # by id(KnownPerson)
        self.pending_new_accounts: dict[int, _NewAccount] = {}  # by id(KnownAccount)
        self.pending_leads: dict[int, _NewLead] = {}  # by id(KnownLead)
        # The chunk's import keys by their first 64 bits (as good at telling rows apart).
        self.pending_keys: dict[int, int] = {}

    def plan(self, session: Session, chunk: Chunk) -> _ChunkPlan:
        self._reset_pending()
        self._session = session
        self._read_domains(session, chunk)
        plan = _ChunkPlan()
        items = chunk.items
        if items:
            plan.first_row, plan.last_row = _number(items[0]), _number(items[-1])
        rows = [item for item in items if isinstance(item, CleanRow)]
        keys = [key for key in chunk.keys if key]
        view = look_up(session, rows, keys)
        self._listed = self.do_not_call.rows(session, rows)
        if self.earlier is not None:
            self.earlier.add_to(view, rows, (int(key[:16], 16) for key in keys))
        counts = self.counts
        for item, key, place in zip(items, chunk.keys, chunk.places, strict=True):
            counts.rows += 1
            if isinstance(item, RowProblem):
                counts.invalid += 1
                plan.report.append(item)
                self._preview(item)
                continue
            if item.flags:
                counts.flagged += 1
                plan.report.extend(item.flags)
                for flag in item.flags:
                    self._preview(flag)
            assert place is not None
            self._where = place
            self._plan_row(item, key, view, plan)
        plan.counts = counts.as_json()
        if self.earlier is not None:
            self.earlier.remember(
                accounts=[(new.key, new.known.name) for new in plan.accounts],
                people=[NewPerson(new.known, new.phones, new.companies) for new in plan.people],
                leads=[NewLead(new.known, new.person, new.row) for new in plan.leads],
                raised=[interest.lead for interest in plan.interest.values()],
                keys=self.pending_keys,
            )
        return plan

    def _preview(self, problem: RowProblem) -> None:
        if len(self.summary.problems) < PREVIEW_PROBLEMS:
            self.summary.problems.append(problem)

    def _plan_row(self, row: CleanRow, key: str, view: StoreView, plan: _ChunkPlan) -> None:
        counts = self.counts
        number = row.number
        if key in view.keys or (self.imported_before and int(key[:16], 16) in self.imported_before):
            counts.unchanged += 1
            plan.report.append(RowProblem(number, "", "unchanged: already imported"))
            return
        short = int(key[:16], 16)
        earlier = self.pending_keys.get(short)
        if earlier is None:
            earlier = view.earlier_keys.get(short)
        if earlier is not None:
            counts.unchanged += 1
            plan.report.append(RowProblem(number, "", f"unchanged: same as row {earlier}"))
            return
        listed = self._listed.get(number)
        if listed is not None and listed.erased:
            # Someone who asked to be forgotten: an old list or export must not bring them
            # back. Their value is not echoed in the report.
            counts.erased += 1
            problem = RowProblem(number, listed.field, ERASED_ROW)
            plan.report.append(problem)
            self._preview(problem)
            return
        self.pending_keys[short] = number

        account = self._account(row, view, plan)
        person, how = self._person(row, view)
        if not row.company and person is not None and person.account_id is not None:
            # A known person without a company in this row keeps the company on file.
            account = self._stored_account(person.account_id) or account
        if listed is not None:
            counts.do_not_call += 1
            problem = RowProblem(number, listed.field, LISTED_ROW, listed.value)
            plan.report.append(problem)
            self._preview(problem)
            if person is not None and not person.do_not_call:
                person.do_not_call = True
                plan.do_not_call.append(person)
        if account is not None and account.is_customer:
            counts.existing_account += 1
            owner = f" (owner {account.owner_name})" if account.owner_name else ""
            reason = f"existing account: {account.name} is a customer{owner}"
            plan.report.append(RowProblem(number, "company", reason, row.company))

        if person is not None:
            lead = person.open_lead()
            if lead is not None:
                self._add_interest(row, key, lead, how, plan)
                return
            counts.merged += 1
            self._new_lead(row, key, person, None, account, plan)
            whose = f"#{person.id}" if person.id is not None else "from an earlier row"
            plan.report.append(
                RowProblem(number, "", f"merged: new lead for known person {whose} ({how})")
            )
            return

        counts.created += 1
        new_person = self._new_person(row, account, plan)
        if listed is not None:
            new_person.known.do_not_call = True
            new_person.values.update(do_not_call=True, do_not_call_at=self.at)
        self._new_lead(row, key, new_person.known, new_person, account, plan)
        if self.dry_run:
            plan.report.append(RowProblem(number, "", "new lead"))

    # -- matching ----------------------------------------------------------------------------

    def _person(self, row: CleanRow, view: StoreView) -> tuple[KnownPerson | None, str]:
        if row.email:
            address = row.email.casefold()
            found = view.by_email.get(address) or self.pending_email.get(address)
            if found is not None:
                return found, "same email"
        for number in (row.phone_e164, row.mobile_e164):
            if not number:
                continue
            candidates = [*view.by_phone.get(number, ())]
            if number in self.pending_phone:
                candidates.append(self.pending_phone[number])
            for person in candidates:
                if row.email and person.email and person.email.casefold() != row.email.casefold():
                    continue  # a shared line (switchboard): different people
                return person, "same phone"
        if row.company and row.full_name:
            for company in company_keys_of(row):
                for person in (
                    *view.by_company.get(company, ()),
                    *self.pending_company.get(company, ()),
                ):
                    if same_name(row, person):
                        return person, "same name at the same company"
        return None, ""

    def _account(self, row: CleanRow, view: StoreView, plan: _ChunkPlan) -> KnownAccount | None:
        """The row's company by its name, written any way ("Maddox-Taylor Ltd" is "Maddox
        Taylor"); a row without one, by its email's company domain (not a free mail one)."""
        for key in company_keys_of(row):
            found = view.accounts.get(key) or self.pending_accounts.get(key)
            if found is not None:
                return found
        domain = company_domain(row.email_domain)
        if not row.company:
            if domain is None:
                return None
            return self._account_with_domain(domain) or self.pending_domains.get(domain)
        known = KnownAccount(None, row.company[:256], False)
        values: dict[str, Any] = {
            "name": row.company[:256],
            "name_key": row.company_key[:256],
            "domain": _domain(row) or domain,
            "industry": row.industry[:128] or None,
            "employees": row.employees,
            "country": None,
            "is_customer": False,
            "owner_name": None,
            "created_at": self.at,
        }
        new = _NewAccount(values, known, row.company_key)
        plan.accounts.append(new)
        self.pending_accounts[row.company_key] = known
        self.pending_new_accounts[id(known)] = new
        if domain is not None:
            self.pending_domains.setdefault(domain, known)
        return known

    def _read_domains(self, session: Session, chunk: Chunk) -> None:
        """The accounts of the company domains of the chunk's rows without a company, read
        in one query per 900 domains (not one per row)."""
        wanted = {
            domain
            for item in chunk.items
            if isinstance(item, CleanRow) and not item.company
            if (domain := company_domain(item.email_domain)) is not None
        }
        self._accounts_by_domain = {}
        listed = sorted(wanted)
        for start in range(0, len(listed), 900):
            for found in session.execute(
                select(
                    Account.domain, Account.id, Account.name, Account.is_customer,
                    Account.owner_name,
                )
                .where(Account.domain.in_(listed[start : start + 900]))
                .order_by(Account.is_customer.asc(), Account.id.desc())
            ):  # fmt: skip
                # Read last wins: the oldest customer account, else the oldest account.
                domain, account_id, name, customer, owner = found
                self._accounts_by_domain[domain] = KnownAccount(
                    account_id, name, bool(customer), owner
                )

    def _account_with_domain(self, domain: str) -> KnownAccount | None:
        return self._accounts_by_domain.get(domain)

    def _stored_account(self, account_id: int) -> KnownAccount | None:
        if account_id not in self._accounts_by_id and self._session is not None:
            found = self._session.get(Account, account_id)
            self._accounts_by_id[account_id] = (
                KnownAccount(found.id, found.name, found.is_customer, found.owner_name)
                if found is not None
                else None
            )
        return self._accounts_by_id.get(account_id)

    def _company_rep(self, account: KnownAccount | None) -> tuple[int, str] | None:
        """The active rep working an open lead at ``account`` (the latest to arrive), or the
        rep this import gave the company's first lead; None when nobody works it."""
        if account is None:
            return None
        key = account.id if account.id is not None else id(account)
        if key not in self._company_reps:
            found = None
            if account.id is not None and self._session is not None:
                found = self._session.execute(
                    select(User.id, User.display_name, User.name)
                    .join(Lead, Lead.assigned_to_id == User.id)
                    .where(
                        Lead.account_id == account.id,
                        Lead.stage.in_(OPEN_STAGES),
                        User.active.is_(True),
                        User.role == Role.QUALIFIER,
                    )
                    .order_by(Lead.arrived_at.desc(), Lead.id.desc())
                    .limit(1)
                ).first()
            self._company_reps[key] = (found[0], found[1] or found[2]) if found else None
        return self._company_reps[key]

    def _assign(self, account: KnownAccount | None, country: str | None) -> int | None:
        """Who gets a new lead: with one rep per company, whoever works its company already;
        else (and for a rep's own import) the assignment's turn."""
        if not self.policy.one_rep_per_company or self.keeping or account is None:
            return self.assigner.assign(country)
        working = self._company_rep(account)
        if working is not None:
            self.assigner.give(*working)
            return working[0]
        rep = self.assigner.assign(country)
        if rep is not None:
            key = account.id if account.id is not None else id(account)
            self._company_reps[key] = (rep, self.assigner.shown.get(rep, ""))
        return rep

    # -- new rows ----------------------------------------------------------------------------

    def _new_person(
        self, row: CleanRow, account: KnownAccount | None, plan: _ChunkPlan
    ) -> _NewPerson:
        where = self._whereabouts(row)
        phone = row.best_phone
        raw = row.phone_raw if row.phone_e164 else row.mobile_raw
        known = KnownPerson(None, row.email, phone, row.first_name[:128], row.last_name[:128], None)
        values: dict[str, Any] = {
            "first_name": row.first_name[:128],
            "last_name": row.last_name[:128],
            "email": row.email[:320] if row.email else None,
            "phone": phone,
            "phone_raw": raw[:64] or None,
            "title": row.title[:256] or None,
            "seniority": None,
            "country": where.country,
            "region": row.state[:128] or None,
            "city": row.city[:128] or None,
            "timezone": None,
            "zone_key": where.zone_key,
            "do_not_call": False,
            "do_not_call_at": None,
            "erased_at": None,
            "created_at": self.at,
        }
        new_account = self.pending_new_accounts.get(id(account)) if account else None
        if account is not None:
            known.account_id = account.id
        if new_account is not None and new_account.values["country"] is None:
            new_account.values["country"] = where.country
        phones = tuple(number for number in (row.phone_e164, row.mobile_e164) if number)
        companies = company_keys_of(row)
        new = _NewPerson(values, known, account, phones, companies)
        plan.people.append(new)
        self.pending_new[id(known)] = new
        if row.email:
            self.pending_email.setdefault(row.email.casefold(), known)
        for number in phones:
            self.pending_phone.setdefault(number, known)
        for company in companies:
            self.pending_company.setdefault(company, []).append(known)
        return new

    def _new_lead(
        self,
        row: CleanRow,
        key: str,
        person: KnownPerson,
        new_person: _NewPerson | None,
        account: KnownAccount | None,
        plan: _ChunkPlan,
    ) -> _NewLead:
        at = self.at
        arrived = now_or_before(row.arrived_at, at)
        source = _source_key(row.source) or self.source
        existing_customer = bool(account is not None and account.is_customer)
        where = self._whereabouts(row)
        facts = {
            "employees": row.employees,
            "industry": _fact_key(row.industry),
            "title": row.title or person.title,
            "seniority": _fact_key(person.seniority) if person.seniority else None,
            "country": where.country,
            "region": row.state or None,
            "state": row.state or None,
            "city": row.city or None,
            "email_domain": row.email_domain,
            "source": source,
            "campaign": row.campaign or None,
            "inquiry": row.inquiry or None,
            "existing_customer": existing_customer,
            "earlier_leads": len(person.leads),
            "hours_since_arrival": max(0.0, (at - arrived).total_seconds() / 3600),
            "call_attempts": 0,
        }
        scores = self.scorer.score(facts)
        rep = self._assign(account, where.country)
        if rep is None:
            self.counts.pool += 1
        else:
            self.counts.assigned += 1
        values: dict[str, Any] = {
            "account_id": None,  # set when written
            "source": source[:64],
            "campaign": row.campaign[:256] or None,
            "inquiry": row.inquiry or None,
            "arrived_at": arrived,
            "stage": lifecycle.NEW_LEAD.value,
            "stage_changed_at": at,
            "lead_type": None,
            "existing_account": existing_customer,
            "assigned_to_id": rep,
            "fit_score": scores.fit,
            "interest_score": scores.interest,
            "framework_score": None,
            "sla_due_at": self.sla_due_at,
            "first_contact_at": None,
            "last_attempt_at": None,
            "next_attempt_at": None,
            "callback_at": None,
            "attempts": 0,
            "claimed_by_id": None,
            "claim_expires_at": None,
            "definition_version_id": None,
            "handoff_batch_id": None,
            "flagged_untouched_at": None,
            "closed_at": None,
            "hold_reason": "do_not_call" if person.do_not_call else None,
            "import_key": key,
            "extra": self._extra(row),
            "version": 1,
            "created_at": at,
        }
        if person.id is not None:
            values["person_id"] = person.id
        known = KnownLead(None, Stage.NEW, scores.interest, None, row=row.number)
        person.leads.append(known)
        new = _NewLead(values, known, person, new_person, account, row.number)
        plan.leads.append(new)
        self.pending_leads[id(known)] = new
        return new

    def _whereabouts(self, _row: CleanRow) -> Whereabouts:
        # Worked out with the cleaning (in the helper process for a big file).
        return self._where

    def _extra(self, row: CleanRow) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "intake": {
                "run": self.run_id,
                "file": self.file_name,
                "row": row.number,
                "source": self.source,
            }
        }
        if row.extra:
            extra["columns"] = row.extra
        for name, value in (
            ("state", row.state),
            ("address", row.address),
            ("website", row.website),
            ("notes", row.notes),
            ("country_as_typed", row.country),
        ):
            if value:
                extra[name] = value
        if row.phone_e164 and row.mobile_e164:
            extra["mobile"] = row.mobile_e164
        direct = self._direct_line(row)
        if direct is not None and direct not in (row.phone_e164, row.mobile_e164):
            extra["direct_line"] = direct
        if row.email is None and row.email_raw:
            extra["email_as_typed"] = row.email_raw
        if row.phone_flag and row.phone_raw and not row.phone_e164:
            extra["phone_as_typed"] = row.phone_raw
        return extra

    def _direct_line(self, row: CleanRow) -> str | None:
        """A direct line kept among the row's other columns ("Direct Line", "Direct Dial", or a
        second phone column such as "Direct Phone"), as E.164 when it reads as a number."""
        for column, value in row.extra.items():
            if _column_words(column) in DIRECT_LINE_COLUMNS:
                number = normalise_phone(value, self.policy.default_phone_region).e164
                if number is not None:
                    return number
        return None

    def _add_interest(
        self,
        row: CleanRow,
        key: str,
        lead: KnownLead,
        how: str,
        plan: _ChunkPlan,
    ) -> None:
        self.counts.attached += 1
        new_lead = self.pending_leads.get(id(lead))
        interest = plan.interest.get(id(lead))
        if interest is None:
            interest = plan.interest[id(lead)] = _Interest(lead, new_lead, lead.interest_score)
        lead.interest_score = min(100, lead.interest_score + MORE_INTEREST_POINTS)
        lead.keys.append(key)
        arrived = now_or_before(row.arrived_at, self.at)
        what = row.inquiry or row.campaign or _source_key(row.source) or self.source
        origin = (
            f"entered by hand by {self.entered_by}"
            if self.entered_by
            else f"import of {self.file_name}, row {row.number}"
        )
        interest.notes.append(f"More interest on {arrived:%Y-%m-%d}: {what} ({origin})")
        interest.rows.append(row.number)
        target = f"open lead #{lead.id}" if lead.id else f"the open lead from row {lead.row}"
        plan.report.append(
            RowProblem(
                row.number,
                "",
                f"attached: more interest on {target} ({how}); interest now {lead.interest_score}",
            )
        )


def _made_by(lead: KnownLead, run_id: int) -> bool:
    intake = (lead.extra or {}).get("intake")
    return isinstance(intake, dict) and intake.get("run") == run_id


def _number(item: CleanRow | RowProblem) -> int:
    return item.number if isinstance(item, CleanRow) else item.row


@lru_cache(maxsize=4096)
def _source_key(text: str) -> str:
    """ "Web form" -> "web_form": sources are compared and reported by key."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()
    return "_".join(words)[:64]


def _fact_key(text: str) -> str | None:
    words = text.strip().casefold().replace("-", " ").replace("/", " ").split()
    return "_".join(words) or None


def _column_words(column: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", column.casefold()).split())


def _domain(row: CleanRow) -> str | None:
    site = row.website.strip().casefold()
    if site:
        for prefix in ("https://", "http://"):
            site = site.removeprefix(prefix)
        site = site.removeprefix("www.").split("/")[0].split("?")[0]
        return site[:256] or None
    return None


# -- writing a chunk ----------------------------------------------------------------------------


def write_plan(
    session: Session,
    plan: _ChunkPlan,
    run_id: int,
    actor_id: int,
    at: datetime,
    assigned_why: str,
) -> None:
    writer = BulkWriter(session.connection())

    def insert_all(table: Any, rows: list[dict[str, Any]]) -> list[int]:
        return writer.insert_with_ids(table, rows)

    account_ids = insert_all(Account.__table__, [a.values for a in plan.accounts])
    for account, new_id in zip(plan.accounts, account_ids, strict=True):
        account.known.id = new_id
    for person in plan.people:
        person.values["account_id"] = person.account.id if person.account is not None else None
    person_ids = insert_all(Person.__table__, [p.values for p in plan.people])
    for person, new_id in zip(plan.people, person_ids, strict=True):
        person.known.id = new_id
    for lead in plan.leads:
        lead.values["person_id"] = lead.person.id
        lead.values["account_id"] = lead.account.id if lead.account is not None else None
    # More interest on a lead created in this very chunk goes into its row before it is written.
    for interest in plan.interest.values():
        if interest.new_lead is not None:
            values = interest.new_lead.values
            values["interest_score"] = interest.lead.interest_score
            values["extra"] = {**values["extra"], "import_keys": list(interest.lead.keys)}
    lead_ids = insert_all(Lead.__table__, [lead.values for lead in plan.leads])
    for lead, new_id in zip(plan.leads, lead_ids, strict=True):
        lead.known.id = new_id
    # A lead handed to a rep on intake has reached them as surely as one moved to them later:
    # the same history row, so "received" and the lead's history count it.
    assignment_ids = insert_all(
        Assignment.__table__,
        [
            {
                "lead_id": lead.known.id,
                "from_user_id": None,
                "to_user_id": lead.values["assigned_to_id"],
                "by_user_id": actor_id,
                "at": at,
                "reason": assigned_why,
            }
            for lead in plan.leads
            if lead.values["assigned_to_id"] is not None
        ],
    )

    updates = []
    notes = []
    for interest in plan.interest.values():
        known = interest.lead
        assert known.id is not None
        if interest.new_lead is None:
            extra = dict(known.extra or {})
            extra["import_keys"] = list(known.keys)
            known.extra = extra
            updates.append({"b_id": known.id, "b_score": known.interest_score, "b_extra": extra})
        for text in interest.notes:
            notes.append(
                {
                    "lead_id": known.id,
                    "user_id": actor_id,
                    "created_at": at,
                    "updated_at": at,
                    "text": text,
                }
            )
    if updates:
        table = cast(Table, Lead.__table__)
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                interest_score=bindparam("b_score"),
                extra=bindparam("b_extra", type_=table.c.extra.type),
                version=table.c.version + 1,
            ),
            updates,
        )
    note_ids = insert_all(Note.__table__, notes)
    events = []
    for interest in plan.interest.values():
        # A lead this run created carries its added interest itself (undo removes it whole);
        # an audit event naming it would keep undo from removing it.
        if interest.new_lead is None and not _made_by(interest.lead, run_id):
            events.append(
                {
                    "at": at,
                    "actor_id": actor_id,
                    "action": AuditAction.IMPORT_INTEREST.value,
                    "lead_id": interest.lead.id,
                    "subject": f"import run {run_id}",
                    "from_state": None,
                    "to_state": None,
                    "reason": "more interest from an import",
                    "details": {
                        "run": run_id,
                        "rows": interest.rows,
                        "from": interest.start_score,
                        "to": interest.lead.interest_score,
                        "keys": interest.lead.keys[-len(interest.rows) :],
                    },
                }
            )
    writer.insert(cast(Table, AuditEvent.__table__), events)
    created = {
        "accounts": ranges(account_ids),
        "people": ranges(person_ids),
        "leads": ranges(lead_ids),
        "notes": ranges(note_ids),
        "assignments": ranges(assignment_ids),
    }
    audit.record(
        session,
        at=at,
        actor_id=actor_id,
        action=AuditAction.IMPORT_CHUNK,
        subject=f"import run {run_id}",
        details={"run": run_id, "rows": [plan.first_row, plan.last_row], "created": created},
    )
    if plan.do_not_call:
        people = [person.id for person in plan.do_not_call if person.id is not None]
        held = hold_people(session, people, at=at)
        # Not naming any lead: a lead nobody worked can still be undone with its import.
        audit.record(
            session,
            at=at,
            actor_id=actor_id,
            action=AuditAction.DO_NOT_CALL_ON_IMPORT,
            subject=f"import run {run_id}",
            reason="email or phone on the do-not-call list",
            details={"run": run_id, "people_ids": people, "leads_held": held},
        )
    run = session.get(ImportRun, run_id)
    assert run is not None
    run.checkpoint_row = plan.last_row
    run.summary = {**(run.summary or {}), "counts": plan.counts}
    session.flush()


# -- the report ---------------------------------------------------------------------------------


class _Reporter:
    """Report lines spooled to a temporary file as chunks finish, so memory stays flat; the
    report is written (atomically) at the end."""

    def __init__(self, path: Path | None, summary: ImportSummary, *, every_row: bool) -> None:
        self.path = path
        self.summary = summary
        self.every_row = every_row
        self.spool: IO[str] | None = None
        self.writer: Any = None

    def __enter__(self) -> _Reporter:
        if self.path is not None:
            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            self.writer = csv.writer(self.spool)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.spool is not None:
            self.spool.close()

    def add(self, problems: list[RowProblem]) -> None:
        if self.writer is not None:
            self.writer.writerows((p.row, p.field, p.reason, p.value) for p in problems)

    def finish(self) -> str | None:
        if self.path is None or self.spool is None:
            return None
        self.spool.seek(0)
        write_report(self.path, self._read())
        return str(self.path)

    def _read(self) -> Iterator[RowProblem]:
        assert self.spool is not None
        for row, column, reason, value in csv.reader(self.spool):
            yield RowProblem(int(row), column, reason, value)


# -- undo ---------------------------------------------------------------------------------------


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


def require_importer(actor_id: int | None) -> int:
    if actor_id is None:
        raise InputError("an import is recorded against a user: name who is importing with --as")
    return actor_id

"""`leaddesk import`: leads from a marketing or CRM export, with a dry run, resume and undo."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType, TracebackType

from leaddesk.cli.common import (
    ProgressLine,
    add_as,
    add_json,
    count,
    desk_for,
    print_json,
    print_table,
    record_number,
)
from leaddesk.desk import (
    ImportCancelled,
    ImportSummary,
    IntakeFileError,
    RunStatus,
    UndoSummary,
)
from leaddesk.errors import InputError, LeadDeskError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help="import leads from a CSV or XLSX export (try --dry-run first)",
        description="Import leads from a CSV or XLSX export. Importing the same file again "
        "changes nothing, or finishes an import that was interrupted.",
    )
    parser.add_argument("file", metavar="FILE", nargs="?", help="the CSV or XLSX export")
    add_as(parser)
    parser.add_argument(
        "--source",
        metavar="NAME",
        help="where the leads come from, e.g. webinar-march (default: the source whose saved "
        "columns the file has, else the exporting tool, else the file name without its date)",
    )
    parser.add_argument(
        "--campaign",
        metavar="NAME",
        default="",
        help="the campaign of rows without one (a Campaign column's value wins)",
    )
    parser.add_argument(
        "--mapping",
        metavar="auto|NAME|FILE",
        default="auto",
        help="columns: detect or reuse the source's saved mapping (auto), the mapping saved "
        "for source NAME, or a .json mapping file",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would happen; store nothing"
    )
    parser.add_argument(
        "--report",
        metavar="PATH",
        help="write a CSV with every row's outcome here (new, merged, skipped, to check)",
    )
    parser.add_argument("--encoding", metavar="NAME", help="the file's encoding (default: detect)")
    parser.add_argument("--sheet", metavar="NAME", help="the XLSX worksheet (default: the first)")
    parser.add_argument(
        "--day-first", action="store_true", help="read 03/05/2026 as 3 May (default: March 5)"
    )
    parser.add_argument(
        "--share",
        action="store_true",
        help="a rep's own import: give the new leads out by the team's assignment policy "
        "(default: they stay the rep's)",
    )
    parser.add_argument(
        "--undo",
        metavar="RUN",
        type=record_number,
        help="remove what import run RUN added, instead",
    )
    parser.add_argument("--runs", action="store_true", help="list the latest import runs")
    add_json(parser)
    parser.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    if args.undo is not None or args.runs:
        if args.file:
            raise InputError("import: give a FILE, or --undo RUN, or --runs; not several")
        return _undo(args) if args.undo is not None else _runs(args)
    if not args.file:
        raise InputError("import: name the FILE to import (a CSV or XLSX export)")
    if not args.json:
        return _import(args)
    try:
        return _import(args)
    except LeadDeskError as refused:
        # A script reading --json gets an object for a refusal too (the message stays on
        # stderr, the exit code says what kind).
        print_json(refusal(refused, args.file))
        raise


def refusal(error: LeadDeskError, file: str) -> dict[str, object]:
    """A refused import as JSON: what, where, and the exit code the command ends with."""
    found: dict[str, object] = {"error": error.message, "exit_code": error.exit_code, "file": file}
    if isinstance(error, IntakeFileError):
        found.update(kind=error.kind.value, row=error.row, column=error.column)
    return found


def _import(args: argparse.Namespace) -> int:
    line = ProgressLine("Checking" if args.dry_run else "Importing", live=sys.stderr.isatty())
    with desk_for(args) as desk, _StopOnCtrlC() as ctrl_c:
        try:
            summary = desk.intake.import_file(
                Path(args.file),
                source=args.source,
                mapping=args.mapping,
                dry_run=args.dry_run,
                report_path=Path(args.report) if args.report else None,
                encoding=args.encoding,
                sheet=args.sheet,
                day_first=args.day_first,
                keep_mine=False if args.share else None,
                campaign=args.campaign,
                progress=line.show,
                cancelled=ctrl_c.is_set,
            )
        except ImportCancelled as stopped:
            _print_stopped(stopped.summary, args.as_user)
            return 130
    line.finish(summary.counts.rows)
    if args.json:
        print_json(summary.as_json())
    else:
        _print_summary(summary)
    return 0


class _StopOnCtrlC:
    """The first Ctrl+C stops the import between chunks, with nothing half-done; a second one
    stops at once, as Ctrl+C always does."""

    def __init__(self) -> None:
        self.asked = False
        self._before: object = None

    def __enter__(self) -> _StopOnCtrlC:
        if threading.current_thread() is threading.main_thread():
            self._before = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(
        self,
        _kind: type[BaseException] | None,
        _error: BaseException | None,
        _trace: TracebackType | None,
    ) -> None:
        if self._before is not None:
            signal.signal(signal.SIGINT, self._before)  # type: ignore[arg-type]

    def _handle(self, _signal: int, _frame: FrameType | None) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        sys.stderr.write("\nStopping after this chunk (Ctrl+C again to stop at once)…\n")
        sys.stderr.flush()

    def is_set(self) -> bool:
        return self.asked


def _print_stopped(summary: ImportSummary, user: str) -> None:
    name = Path(summary.file).name
    if summary.dry_run:
        print(f"Dry run of {name} stopped after {summary.counts.rows:,} rows; nothing was stored.")
        return
    print(
        f"Import of {name} stopped between chunks: {summary.counts.rows:,} rows are in, whole. "
        f"Import the same file again to finish it, or take it out with: "
        f"leaddesk import --undo {summary.run_id} --as {user}"
    )


def _print_summary(summary: ImportSummary) -> None:
    counts = summary.counts
    name = Path(summary.file).name
    if summary.dry_run:
        print(f"Dry run of {name} (source {summary.source}): nothing was stored.")
    elif summary.status == RunStatus.ALREADY_IMPORTED:
        print(
            f"{name} (source {summary.source}) was imported before, as run {summary.run_id}; "
            "nothing in it is new, so nothing was changed."
        )
    elif summary.resumed_after_row is not None:
        print(
            f"Finished import run {summary.run_id} of {name} (source {summary.source}), "
            f"resumed after row {summary.resumed_after_row}."
        )
    else:
        print(f"Imported {name} as run {summary.run_id} (source {summary.source}).")
    mapping = summary.mapping
    pairs = ", ".join(f"{column} → {target.value}" for column, target in mapping.columns.items())
    if summary.code_page:
        print(
            f"Read as {summary.code_page} (detected; if names look wrong, import again "
            "with --encoding NAME)"
        )
    print(f"Columns ({summary.mapping_how}, {mapping.shape.value} export): {pairs}")
    if mapping.extras:
        print(f"Kept as extra details: {', '.join(mapping.extras)}")
    would = "would be " if summary.dry_run else ""
    print(
        f"{_rows(counts.rows)}: {count(counts.created, 'new lead')}, "
        f"{count(counts.merged, 'new lead')} on people already known, "
        f"{counts.attached:,} added to open leads, {counts.unchanged:,} already imported, "
        f"{counts.invalid:,} skipped as unusable"
        + (f", {counts.erased:,} not imported (erased people)." if counts.erased else ".")
    )
    if counts.to_decide:
        print(
            f"{_rows(counts.to_decide)} to decide, not imported: their email is already "
            "someone else's under another name (see the report)."
        )
    if counts.shared_phone:
        print(
            f"{_rows(counts.shared_phone)} with a phone number someone else has too "
            "(a switchboard?): kept on both, not merged, flagged on the lead."
        )
    if counts.do_not_call:
        print(
            f"{_rows(counts.do_not_call)} on the do-not-call list: their leads "
            f"{'would arrive' if summary.dry_run else 'arrived'} held, out of every queue."
        )
    print(
        f"{counts.existing_account:,} from existing customer accounts; "
        f"{_rows(counts.flagged)} kept with a value to check; "
        f"{counts.assigned:,} {would}assigned to reps, {counts.pool:,} {would}left in the pool."
    )
    if summary.assigned_to:
        given = ", ".join(f"{name} {n:,}" for name, n in summary.assigned_to.items())
        if summary.kept_for:
            print(
                f"New leads kept for {summary.kept_for}, who imported them: {given} "
                "(--share gives them out by the team's assignment policy)."
            )
        else:
            print(f"New leads by rep: {given}.")
    for warning in summary.warnings:
        print(f"Note: {warning}")
    if summary.problems:
        print("First problems:")
        for problem in summary.problems:
            where = f"row {problem.row}" + (f", {problem.field}" if problem.field else "")
            value = f" ({problem.value[:60]})" if problem.value else ""
            print(f"  {where}: {problem.reason}{value}")
    if summary.report:
        print(f"Report: {summary.report}")
    elif any((counts.invalid, counts.flagged, counts.do_not_call, counts.erased, counts.to_decide)):
        print("Add --report PATH for every row's reason.")


def _rows(number: int) -> str:
    return count(number, "row")


def _undo(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        result: UndoSummary = desk.intake.undo(args.undo)
    if args.json:
        print_json(result.as_json())
        return 0
    print(
        f"Undid import run {result.run_id}: removed {result.leads_removed:,} leads, "
        f"{result.people_removed:,} people and {result.accounts_removed:,} accounts; "
        f"took back the added interest on {result.leads_restored:,} open leads."
        + (
            f" Reps had only looked at {result.looked_at:,} of the leads (claimed or skipped);"
            " the audit trail keeps those looks."
            if result.looked_at
            else ""
        )
        + (
            f" The sweep had flagged {result.flagged:,} of the leads as untouched;"
            " the audit trail keeps those flags."
            if result.flagged
            else ""
        )
    )
    return 0


def _runs(args: argparse.Namespace) -> int:
    with desk_for(args) as desk:
        runs = desk.intake.runs()
    if args.json:
        print_json(runs)
        return 0
    if not runs:
        print(f"No imports yet. Import a lead list: leaddesk import FILE --as {args.as_user}")
        return 0
    print_table(
        (
            "run",
            "file",
            "source",
            "by",
            "status",
            "last row",
            "rows",
            "created",
            "merged",
            "attached",
        ),
        [
            (
                run["run"],
                run["file"],
                run["source"],
                run["started_by"],
                run["status"],
                run["checkpoint_row"],
                run.get("rows", ""),
                run.get("created", ""),
                run.get("merged", ""),
                run.get("attached", ""),
            )
            for run in runs
        ],
    )
    return 0

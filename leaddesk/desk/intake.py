"""Leads coming in: a look at a file, importing it, undoing a run, a lead by hand.

An import commits chunk by chunk with a checkpoint (resumable, undoable), so the intake
package drives the store itself; see leaddesk/intake/importing.py."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from leaddesk.desk.context import DeskContext
from leaddesk.domain import Source
from leaddesk.errors import InputError
from leaddesk.intake import by_hand, source_mappings
from leaddesk.intake import errors as intake_errors
from leaddesk.intake import importing as intake
from leaddesk.intake import mapping as intake_mapping
from leaddesk.intake import reading as intake_reading
from leaddesk.intake import undo as intake_undo
from leaddesk.people.permissions import Action
from leaddesk.queue.policy import current_policy
from leaddesk.store.models import SourceMapping
from leaddesk.team.moves import target_user


@dataclass(frozen=True)
class ImportLook:
    """What an import would start from. ``problem`` is set when no column is recognised; the
    mapping is then empty (every column an extra attribute) for the user to fill in."""

    path: Path
    format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header: list[str]
    samples: list[dict[str, str]]
    mapping: intake_mapping.Mapping
    mapping_how: str  # "detected", "saved for <source>", or "" when nothing was recognised
    problem: str | None
    source: str  # the one given, else a saved source with this file's columns, else a guess
    saved_sources: list[str]
    sheets: tuple[str, ...] = ()  # a workbook's sheets, to choose another than the first
    source_how: str = ""  # why the source is what it is ("recognised as an export from …")


class Intake:
    """``desk.intake``: leads coming in: files imported (and undone) and leads added by hand."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def add_lead(
        self, entry: by_hand.NewInterest, *, for_user: str | None = None
    ) -> by_hand.AddedLead:
        """Add a lead by hand (an inbound call, a referral) under the import's rules: a known
        person gets a new lead, or the new interest goes onto their open lead.

        ``for_user``: who gets it: a user name, "pool", "policy" (the policy's assignment), or
        None: whoever entered it, if they have a call queue, else the policy. Giving it to
        anyone but yourself is a reassignment: team leads and admins only.

        A salesperson adds a referral: its source is sales_referral, a new lead is credited to
        them, and the policy's assignment gives it to a rep."""
        if not self._ctx.can(Action.IMPORT_LEADS) and self._ctx.can(Action.ADD_REFERRAL):
            referred_by = intake.require_importer(self._ctx.actor.id)
            if for_user:
                raise InputError(
                    "A referral goes to the rep the policy picks; leave out --for.",
                    field="for_user",
                )
            entry = dataclasses.replace(entry, source=Source.SALES_REFERRAL.value)
            with self._ctx.write(None) as session:
                return by_hand.add_lead(
                    session,
                    entry,
                    actor_id=referred_by,
                    owner=by_hand.BY_POLICY,
                    at=self._ctx.clock(),
                    referred_by=referred_by,
                )
        self._ctx.require(Action.IMPORT_LEADS)
        actor_id = intake.require_importer(self._ctx.actor.id)
        wanted = (for_user or "").strip().lower()
        if not wanted:
            wanted = self._ctx.actor.name if self._ctx.can(Action.WORK_QUEUE) else by_hand.BY_POLICY
        if wanted != self._ctx.actor.name:
            self._ctx.require(Action.REASSIGN)
        with self._ctx.write(None) as session:
            owner: int | str | None = by_hand.BY_POLICY
            if wanted != by_hand.BY_POLICY:
                user = target_user(session, wanted)
                owner = user.id if user is not None else None
            return by_hand.add_lead(
                session, entry, actor_id=actor_id, owner=owner, at=self._ctx.clock()
            )

    def import_file(
        self,
        path: Path,
        *,
        source: str | None = None,
        mapping: str = "auto",
        dry_run: bool = False,
        report_path: Path | None = None,
        encoding: str | None = None,
        sheet: str | None = None,
        day_first: bool = False,
        progress: intake.Progress | None = None,
        cancelled: intake.Cancelled | None = None,
        keep_mine: bool | None = None,
        campaign: str = "",
    ) -> intake.ImportSummary:
        """Import a CSV/XLSX export (or, ``dry_run``, only say what it would do).

        A rep's own import stays theirs; ``keep_mine=False`` lets the policy assign it.

        ``progress(rows_done, total_estimate)`` is called after each chunk; ``cancelled()``
        returning True stops after the current chunk (ImportCancelled: resumable, undoable).
        Importing the same file again resumes an interrupted run after its checkpoint.
        ``campaign`` is given to the rows that name none.
        """
        store = self._ctx.store_for(Action.IMPORT_LEADS)
        actor_id = self._ctx.actor.id if dry_run else intake.require_importer(self._ctx.actor.id)
        return intake.import_file(
            store,
            actor_id=actor_id or 0,
            path=Path(path),
            options=intake.ImportOptions(
                source=source,
                mapping=mapping,
                dry_run=dry_run,
                report_path=Path(report_path) if report_path is not None else None,
                encoding=encoding,
                sheet=sheet,
                day_first=day_first,
                keep_mine=keep_mine,
                campaign=campaign,
            ),
            at=self._ctx.clock(),
            progress=progress or intake.no_progress,
            cancelled=cancelled or intake.never_cancelled,
        )

    def undo(self, run_id: int) -> intake_undo.UndoSummary:
        """Remove what an import run added; a qualifier may undo only their own runs."""
        with self._ctx.write(Action.IMPORT_LEADS) as session:
            return intake_undo.undo_run(
                session,
                run_id=run_id,
                actor_id=intake.require_importer(self._ctx.actor.id),
                at=self._ctx.clock(),
                any_run=self._ctx.can(Action.REASSIGN),
            )

    def runs(self, *, limit: int = 20, by_hand: bool = True) -> list[dict[str, object]]:
        """The latest import runs, newest first (who ran each, status, checkpoint, counts);
        ``by_hand=False`` leaves out leads typed in by hand."""
        with self._ctx.read(Action.IMPORT_LEADS) as session:
            return intake.list_runs(session, limit=limit, by_hand=by_hand)

    def look(
        self,
        path: Path,
        *,
        source: str | None = None,
        encoding: str | None = None,
        sheet: str | None = None,
        sample_rows: int = 3,
    ) -> ImportLook:
        """The header, first rows and the mapping an import of ``path`` would start from; writes
        nothing. A file that cannot be imported raises IntakeFileError naming file, row, field."""
        self._ctx.require(Action.IMPORT_LEADS)
        path = Path(path)
        given = source_mappings.check_source(source) if source else None
        with self._ctx.read(None) as session:
            region = current_policy(session).default_phone_region
        opened = intake_reading.open_export(path, encoding=encoding, sheet=sheet, region=region)
        with opened as export:
            header = list(export.header)
            samples = [dict(row.values) for row in itertools.islice(export.rows(), sample_rows)]
            read_as = (export.format, export.encoding, export.delimiter, export.sheet)
            sheets = export.sheets
        with self._ctx.read(None) as session:
            saved = session.scalars(
                select(SourceMapping.source).order_by(SourceMapping.source)
            ).all()
            by_columns = None if given else source_mappings.source_with_columns(session, header)
            suggested = given or by_columns
            problem: str | None = None
            try:
                chosen = source_mappings.choose_mapping(
                    session, header, file=path, source=suggested
                )
            except intake_errors.IntakeFileError as error:
                if error.kind is not intake_errors.FileProblem.NO_COLUMNS:
                    raise
                mapping = intake_mapping.Mapping({}, tuple(header), intake_mapping.Shape.GENERIC, 0)
                how, problem = "", error.message
            else:
                mapping, how = chosen.mapping, chosen.how
        if suggested is None:
            suggested = source_mappings.default_source(mapping, path)
        source_how = source_mappings.why_source(
            mapping, given=given is not None, saved=by_columns is not None
        )
        return ImportLook(
            path, *read_as, header, samples, mapping, how, problem, suggested, list(saved), sheets,
            source_how,
        )  # fmt: skip

"""The desk: one object per open store and acting user, through which every operation goes.

Permissions and the audit trail live here, so there is no path around them. Each method
runs in its own short transaction; the desk holds no session between calls.
"""

from __future__ import annotations

import itertools
import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaddesk import audit
from leaddesk import handoff as handoffs
from leaddesk import queue as call_queue
from leaddesk.admin import backup_restore, backups, restoring
from leaddesk.audit.actions import AuditAction
from leaddesk.calling import call_log as calls
from leaddesk.calling import calling_hours, ending
from leaddesk.calling import my_day as day_summary
from leaddesk.calling.undo import UndoneCall, undo_call
from leaddesk.clock import Clock, system_clock
from leaddesk.definition import versions as definition_versions
from leaddesk.domain import WITH_SALES, CallOutcome, DisqualifyReason, LeadType, Role, Verdict
from leaddesk.errors import InputError, NotPermitted
from leaddesk.handoff.records import HandoffRecord, read_record
from leaddesk.intake import by_hand, do_not_call_file, source_mappings
from leaddesk.intake import errors as intake_errors
from leaddesk.intake import importing as intake
from leaddesk.intake import mapping as intake_mapping
from leaddesk.intake import reading as intake_reading
from leaddesk.intake import undo as intake_undo
from leaddesk.leads import lead_file as lead_files
from leaddesk.leads import lists as lead_reads
from leaddesk.leads import notes
from leaddesk.leads.contact_corrections import ContactChanged, ContactDetails, change_contact
from leaddesk.people import users as user_ops
from leaddesk.people.permissions import Action, can, require
from leaddesk.privacy import do_not_call, erasure
from leaddesk.qualifying import history, qualification, verdicts
from leaddesk.qualifying.undo import UndoneVerdict, undo_verdict
from leaddesk.queue import outlook as queue_outlooks
from leaddesk.queue import search as lead_search
from leaddesk.queue.arrivals import QueueMark, arrivals, mark_now
from leaddesk.queue.callbacks_ahead import callbacks_ahead as booked_callbacks
from leaddesk.queue.policy import current_policy
from leaddesk.sign_in import passwords, windows
from leaddesk.store import Store, grants, open_store
from leaddesk.store.database import default_backup_folder, is_new_local_store, require_writable
from leaddesk.store.models import SourceMapping
from leaddesk.team import reassign as team_reassign
from leaddesk.team import rebalance as team_rebalance
from leaddesk.team import reports as team_reports
from leaddesk.team import sweep as team_sweep
from leaddesk.team import team_view as team_views
from leaddesk.team import user_admin
from leaddesk.team.moves import PlannedMove, target_user
from leaddesk.team.reopen import KEEP, Reopened, reopen_lead


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``id`` is None for the store's owner setting up a local store."""

    id: int | None
    name: str
    role: Role
    display_name: str

    @property
    def is_setup(self) -> bool:
        return self.id is None


SETUP_ACTOR = Actor(id=None, name="setup", role=Role.ADMIN, display_name="Store setup")


class Desk:
    def __init__(
        self,
        store: Store,
        actor: Actor,
        clock: Clock = system_clock,
        *,
        setup_locked: bool = False,
    ) -> None:
        self.store = store
        self.actor = actor
        self.clock = clock
        # The store owner's setup desk on a store with passwords: it may list users (the
        # sign-in window needs that) but do nothing else; the acting user must sign in.
        self.setup_locked = setup_locked
        self.window: windows.ThisWindow | None = None

    # -- plumbing -------------------------------------------------------------------------

    def __enter__(self) -> Desk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self.window is not None:
                self.close_window()
        finally:
            self.store.close()

    def can(self, action: Action) -> bool:
        return not self.setup_locked and can(self.actor.role, action)

    def require(self, action: Action) -> None:
        if self.setup_locked:
            raise NotPermitted(_SIGN_IN_NEEDED)
        require(self.actor.role, action, self.actor.name)

    # -- signing in: passwords and the one window per person ------------------------------

    def passwords_on(self) -> bool:
        """Whether this store asks everyone for a password (else anyone may pick any name)."""
        with self.store.reading() as session:
            return passwords.passwords_on(session)

    def set_password(self, name: str, password: str) -> None:
        """Set ``name``'s password: admins set anyone's, a user may change their own. The
        first password on a store turns passwords on for everyone."""
        own = self.actor.name == name.strip().lower() and not self.actor.is_setup
        if not own and self.actor.role is not Role.ADMIN:
            raise NotPermitted(
                f"{self.actor.name} may change only their own password; an admin sets others'."
            )
        if self.setup_locked:
            raise NotPermitted(_SIGN_IN_NEEDED)
        with self.store.transaction() as session:
            user = user_ops.find_user(session, name)
            passwords.set_password(session, user, password, at=self.clock(), actor_id=self.actor.id)

    def claim_window(self, *, take_over: bool = False) -> None:
        """Hold this person's one window on this store (``WindowTaken`` names who holds it
        now); from then on every write checks the window still holds it."""
        assert self.actor.id is not None, "a window is opened by a signed-in user"
        window = self.window or windows.ThisWindow.here(self.actor.id, self.actor.name)
        with self.store.transaction() as session:
            windows.open_window(session, window, at=self.clock(), take_over=take_over)
        self.window = window
        self.store.write_guard = lambda session: windows.check_window(session, window)

    def keep_window(self) -> None:
        """The window's heartbeat; ``WindowTakenOver`` once another window took its place."""
        if self.window is None:
            return
        window = self.window
        with self.store.transaction() as session:
            windows.keep_window(session, window, at=self.clock())

    def close_window(self) -> None:
        """Give the window's lease back (a no-op once another window took it)."""
        window, self.window = self.window, None
        self.store.write_guard = None
        if window is None:
            return
        with self.store.transaction() as session:
            windows.close_window(session, window)

    # -- users ----------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: Role,
        *,
        capacity: int = user_ops.DEFAULT_CAPACITY,
        display_name: str | None = None,
        territories: tuple[str, ...] = (),
    ) -> user_ops.UserInfo:
        self.require(Action.MANAGE_USERS)
        if role is Role.ADMIN and self.actor.role is not Role.ADMIN:
            raise NotPermitted(f"{self.actor.name} cannot make admins; ask an admin.")
        with self.store.transaction() as session:
            return user_ops.add_user(
                session,
                name=name,
                role=role,
                at=self.clock(),
                actor_id=self.actor.id,
                capacity=capacity,
                display_name=display_name,
                territories=territories,
            )

    def users(self) -> list[user_ops.UserInfo]:
        with self.store.reading() as session:
            return user_ops.list_users(session)

    # -- reading leads ----------------------------------------------------------------------

    def my_open_leads(self, *, limit: int = 50, offset: int = 0) -> list[lead_reads.LeadSummary]:
        """The acting rep's open leads, newest interest first, one page at a time."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_reads.my_open_leads(session, self.actor.id, limit=limit, offset=offset)

    def count_my_open_leads(self) -> int:
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_reads.count_my_open_leads(session, self.actor.id)

    # -- the lead pane and notes -----------------------------------------------------------

    def lead_file(self, lead_id: int) -> lead_files.LeadFile:
        """Person, account, this interest, earlier leads and the timeline, in one read.
        Sales read the leads handed to them, not the ones still being qualified."""
        team_wide = self.can(Action.WORK_QUEUE) or self.can(Action.VIEW_TEAM)
        if not team_wide:
            self.require(Action.READ_HANDOFFS)
        with self.store.reading() as session:
            found = lead_files.read_lead_file(session, lead_id)
        if not team_wide and found.stage not in WITH_SALES:
            raise NotPermitted(f"Lead {lead_id} has not been handed to sales.")
        return found

    def save_note(self, lead_id: int, text: str, note_id: int | None = None) -> int:
        """Saved as typed (the window debounces); returns the note id to pass next time."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        with self.store.transaction() as session:
            return notes.save_note(
                session,
                lead_id=lead_id,
                text=text,
                user_id=self.actor.id,
                at=self.clock(),
                note_id=note_id,
            )

    def my_day(self, zone: str | None = None) -> day_summary.DaySummary:
        """Today's calls, connects, verdicts by type and SLA breaches, for the status bar.

        Today is the team's day (the policy's zone) unless ``zone`` names another."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return day_summary.summarise_day(
                session, user_id=self.actor.id, now=self.clock(), zone=zone
            )

    # -- lead definition and qualification ---------------------------------------------------

    def publish_definition(
        self, text: str, source: str, *, note: str | None = None
    ) -> definition_versions.PublishResult:
        """Check the definition fully and store it as the next immutable version."""
        self.require(Action.PUBLISH_DEFINITION)
        with self.store.transaction() as session:
            return definition_versions.publish_checked(
                session, text, source=source, at=self.clock(), actor_id=self.actor.id, note=note
            )

    def prepare_store(self) -> definition_versions.PublishedVersion:
        """Make a new store ready to work: the shipped lead definition becomes version 1 if
        nothing is published yet (what ``leaddesk init`` and the first profile do)."""
        self.require(Action.MANAGE_STORE)
        with self.store.transaction() as session:
            return definition_versions.ensure_default(session, at=self.clock())

    def definition(self, version: int | None = None) -> definition_versions.ShownDefinition:
        """A published version (the current one by default) with its parsed definition."""
        with self.store.reading() as session:
            return definition_versions.show_definition(session, version)

    def definition_diff(self, text: str, source: str) -> definition_versions.DefinitionDiff:
        """What publishing ``text`` would change for reps, in plain words."""
        with self.store.reading() as session:
            return definition_versions.diff_against_current(session, text, source=source)

    def answer(self, lead_id: int, answers: Mapping[str, object]) -> qualification.Qualification:
        """Save answers the moment they are given (one transaction) and re-evaluate the lead."""
        self.require(Action.QUALIFY)
        assert self.actor.id is not None
        with self.store.transaction() as session:
            return qualification.answer(
                session, lead_id=lead_id, answers=answers, actor_id=self.actor.id, at=self.clock()
            )

    def evaluate(self, lead_id: int) -> qualification.Qualification:
        """The lead's saved answers, the live evaluation and the suggested verdict."""
        self.require(Action.QUALIFY)
        with self.store.reading() as session:
            return qualification.qualification(session, lead_id, at=self.clock())

    def give_verdict(
        self,
        lead_id: int,
        verdict: Verdict,
        reason: str | None = None,
        *,
        lead_type: LeadType | None = None,
        disqualify_reason: DisqualifyReason | None = None,
        recycle_at: datetime | None = None,
        expected_version: int | None = None,
        call_seconds: int | None = None,
    ) -> verdicts.VerdictInfo:
        """Confirm or override the suggestion; an override needs a reason. Ends the claim and
        the connected call (``call_seconds``: its length as the window timed it)."""
        self.require(Action.GIVE_VERDICT)
        assert self.actor.id is not None
        with self.store.transaction() as session:
            return verdicts.give_verdict(
                session,
                lead_id=lead_id,
                verdict=verdict,
                actor_id=self.actor.id,
                at=self.clock(),
                reason=reason,
                lead_type=lead_type,
                disqualify_reason=disqualify_reason,
                recycle_at=recycle_at,
                expected_version=expected_version,
                call_seconds=call_seconds,
            )

    def reopen_lead(self, lead_id: int, reason: str, *, to_user: str | None = KEEP) -> Reopened:
        """Reopen a closed lead (team leads): its verdict withdrawn, open and due now for the
        rep who had it, another rep (``to_user``) or the pool ("pool"). Audited."""
        self.require(Action.REASSIGN)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            return reopen_lead(
                session, lead_id, actor_id=self.actor.id, at=at, reason=reason, to_user=to_user
            )

    def undo_verdict(self, verdict_id: int) -> UndoneVerdict:
        """Take back a verdict given by mistake (within minutes, before a hand-off or anything
        else follows): the lead is as before it, held by the rep, its answers kept."""
        self.require(Action.GIVE_VERDICT)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            return undo_verdict(session, verdict_id, user_id=self.actor.id, at=at)

    def verdict_history(self, lead_id: int) -> list[history.PastVerdict]:
        """Every verdict on the lead with the questions and wording of its own version."""
        if not (self.can(Action.WORK_QUEUE) or self.can(Action.READ_HANDOFFS)):
            self.require(Action.WORK_QUEUE)
        with self.store.reading() as session:
            return history.verdict_history(session, lead_id)

    # -- the call queue ---------------------------------------------------------------------

    def queue(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        band: call_queue.Band | None = None,
        source: str | None = None,
    ) -> list[call_queue.QueueRow]:
        """One page of the acting rep's call queue, best first; each row says why it is there."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return call_queue.queue_page(
                session,
                self.actor.id,
                self.clock(),
                limit=limit,
                offset=offset,
                band=band,
                source=source,
            )

    def callbacks_ahead(self, *, days: int = 7) -> list[call_queue.QueueRow]:
        """The callbacks the acting rep has booked for the next ``days`` days (late ones still
        open first), soonest first: their agenda."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        if not 1 <= days <= 366:
            raise InputError("give a number of days from 1 to 366", field="days")
        with self.store.reading() as session:
            return booked_callbacks(session, self.actor.id, self.clock(), days=days)

    def queue_arrivals(
        self, mark: QueueMark | None = None
    ) -> tuple[list[call_queue.QueueRow], QueueMark]:
        """What came due or came to the acting rep since ``mark`` and can be called now
        (callbacks whose time has come, leads a colleague handed over, new pool leads), in
        queue order, with the mark for the next ask. Without a mark: nothing yet, the mark."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.reading() as session:
            if mark is None:
                return [], mark_now(session, at)
            return arrivals(session, self.actor.id, mark, at)

    def queue_outlook(self) -> queue_outlooks.QueueOutlook:
        """For an empty queue: are there leads at all, and when does the next come due."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return queue_outlooks.queue_outlook(session, self.actor.id, self.clock())

    def next_lead(self) -> call_queue.QueueRow | None:
        """Claim the top of the queue for the acting rep; None when nothing is callable now."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        # Reads the queue in a snapshot, then claims in a short write transaction of its own.
        return call_queue.next_lead(self.store, self.actor.id, self.clock())

    def renew_claim(self, lead_id: int) -> datetime:
        """Keep (or take) the claim on the lead the rep has open; when it now expires."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with call_queue.lease_transaction(self.store) as session:
            return call_queue.renew(
                session,
                lead_id,
                user_id=self.actor.id,
                at=self.clock(),
                any_owner=self.can(Action.REASSIGN),
            )

    def release(self, lead_id: int) -> bool:
        """Give a claimed lead back to the queue; False if it was not claimed."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        at = self.clock()
        with call_queue.lease_transaction(self.store) as session:
            released = call_queue.release(
                session,
                lead_id,
                user_id=self.actor.id,
                at=at,
                any_holder=self.can(Action.REASSIGN),
            )
            # A team lead's move that waited for this call happens now, not at the next sweep.
            team_reassign.move_after_call(session, lead_id, at=at)
            return released

    def log_call(
        self,
        lead_id: int,
        outcome: CallOutcome,
        callback_at: datetime | None = None,
        note: str | None = None,
        duration_seconds: int | None = None,
    ) -> calls.CallResult:
        """Record a call and move the lead on per the cadence, in one transaction."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            result = calls.log_call(
                session,
                lead_id,
                user_id=self.actor.id,
                at=at,
                outcome=outcome,
                callback_at=callback_at,
                note=note,
                duration_seconds=duration_seconds,
                any_lead=self.can(Action.REASSIGN),
            )
            # The call ended (anything but "connected" lets the lead go): a move that waited
            # for it happens now. A connected call keeps the claim, so nothing moves yet.
            team_reassign.move_after_call(session, lead_id, at=at)
            return result

    def why_not_dial(self, lead_id: int) -> str | None:
        """Why the lead's person may not be phoned right now (do-not-call, outside their
        calling hours); None when they may. The window asks before it dials."""
        self.require(Action.LOG_CALL)
        with self.store.reading() as session:
            return calling_hours.why_not_dial(session, lead_id, self.clock())

    def end_interrupted_calls(self) -> list[ending.CallEnded]:
        """The acting rep's connected calls a closed window left open, ended at the last
        moment it saw them on the call (the window does this when it opens, and every minute)."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        with self.store.transaction() as session:
            return ending.end_interrupted_calls(session, user_id=self.actor.id, at=self.clock())

    def end_call(self, call_id: int, duration_seconds: int) -> ending.CallEnded:
        """A connected call is over: record its whole length (the rep's talk time)."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            return ending.end_call(
                session,
                call_id,
                user_id=self.actor.id,
                at=at,
                duration_seconds=duration_seconds,
            )

    def change_contact(self, lead_id: int, details: ContactDetails) -> ContactChanged:
        """Correct the person's name, title, email or phone on a lead the rep works (a team
        lead: any lead), cleaned as an import cleans; audited with what changed."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            return change_contact(
                session,
                lead_id,
                details,
                user_id=self.actor.id,
                at=at,
                any_lead=self.can(Action.REASSIGN),
            )

    def undo_call(self, call_id: int) -> UndoneCall:
        """Take back a call's outcome logged by mistake (within minutes, nothing since): the
        lead is as it was before the call, and the rep holds it to log what happened."""
        self.require(Action.LOG_CALL)
        assert self.actor.id is not None
        at = self.clock()
        with self.store.transaction() as session:
            return undo_call(session, call_id, user_id=self.actor.id, at=at)

    # -- handoff to sales ------------------------------------------------------------------
    # Export spans several transactions by design (reserve, write files, complete), so the
    # handoff package drives the store itself; see leaddesk/handoff/batch_export.py.

    def handoff_preview(self, *, team: bool = False) -> handoffs.HandoffPreview:
        """The leads the next export would hand off (the end-of-day dialog's list)."""
        scope = handoffs.Scope.TEAM if team else handoffs.Scope.OWN
        self.require(scope.action)
        with self.store.reading() as session:
            return handoffs.preview(session, actor_id=self.actor.id, scope=scope)

    def export_handoff(
        self,
        out_dir: Path,
        *,
        team: bool = False,
        xlsx: bool = False,
        progress: handoffs.Progress | None = None,
        cancelled: handoffs.Cancelled | None = None,
    ) -> handoffs.ExportResult:
        """Hand every waiting lead to sales as one batch folder under ``out_dir``.

        ``progress(done, total, step)`` is called as leads are read and files written;
        ``cancelled()`` returning True stops the export with nothing handed off
        (HandoffCancelled is raised).
        """
        scope = handoffs.Scope.TEAM if team else handoffs.Scope.OWN
        self.require(scope.action)
        return handoffs.export(
            self.store,
            actor_id=self.actor.id,
            out_dir=Path(out_dir),
            scope=scope,
            xlsx=xlsx,
            at=self.clock(),
            progress=progress or (lambda _done, _total, _step: None),
            cancelled=cancelled or (lambda: False),
        )

    def rewrite_handoff(self, batch: str, *, out_dir: Path | None = None) -> handoffs.ExportedBatch:
        """Write a batch's files again (lost or deleted): same content, same checksums."""
        if not (self.can(Action.EXPORT_OWN) or self.can(Action.EXPORT_TEAM)):
            self.require(Action.EXPORT_OWN)
        return handoffs.rewrite(
            self.store, actor_id=self.actor.id, code=batch, at=self.clock(), out_dir=out_dir
        )

    def import_sales_feedback(self, path: Path) -> handoffs.FeedbackReport:
        """Sales' accept/reject file; the only way an opportunity enters LeadDesk."""
        self.require(Action.RECORD_SALES_FEEDBACK)
        self.require(Action.RECORD_OPPORTUNITY)
        return handoffs.import_feedback_file(
            self.store, actor_id=self.actor.id, path=Path(path), at=self.clock()
        )

    def record_sales_decision(self, decision: handoffs.Decision) -> bool:
        """One lead's answer from sales; True if it changed anything."""
        self.require(Action.RECORD_SALES_FEEDBACK)
        self.require(Action.RECORD_OPPORTUNITY)
        with self.store.transaction() as session:
            return handoffs.record_decision(
                session, actor_id=self.actor.id, decision=decision, at=self.clock()
            )

    def handoff_record(self, lead_id: int) -> HandoffRecord:
        """A handed-off lead as its batch gave it to sales (answers, scores, notes, calls):
        what a salesperson reads before accepting or rejecting it. Reps read their own."""
        self.require(Action.READ_HANDOFFS)
        with self.store.reading() as session:
            record = read_record(session, lead_id)
        if record is None:
            raise InputError(f"Lead {lead_id} has not been handed off to sales.")
        team_wide = self.can(Action.RECORD_SALES_FEEDBACK) or self.can(Action.VIEW_TEAM)
        if not team_wide and record.qualified_by != self.actor.name:
            raise NotPermitted(f"Lead {lead_id} was qualified by a colleague; ask your team lead.")
        return record

    def handoff_pending(self, *, everything: bool = False) -> handoffs.PendingReport:
        """Handed-off leads sales has not answered within the policy's window (``everything``:
        all those not answered yet, longest waiting first)."""
        self.require(Action.READ_HANDOFFS)
        with self.store.reading() as session:
            return handoffs.pending(
                session, actor_id=self.actor.id, at=self.clock(), everything=everything
            )

    # -- intake (imports) --------------------------------------------------------------------
    # An import commits chunk by chunk with a checkpoint (resumable, undoable), so the intake
    # package drives the store itself; see leaddesk/intake/importing.py.

    def add_lead(
        self, entry: by_hand.NewInterest, *, for_user: str | None = None
    ) -> by_hand.AddedLead:
        """Add a lead by hand (an inbound call, a referral) under the import's rules: a known
        person gets a new lead, or the new interest goes onto their open lead.

        ``for_user``: who gets it: a user name, "pool", "policy" (the policy's assignment), or
        None: whoever entered it, if they have a call queue, else the policy. Giving it to
        anyone but yourself is a reassignment: team leads and admins only."""
        self.require(Action.IMPORT_LEADS)
        actor_id = intake.require_importer(self.actor.id)
        wanted = (for_user or "").strip().lower()
        if not wanted:
            wanted = self.actor.name if self.can(Action.WORK_QUEUE) else by_hand.BY_POLICY
        if wanted != self.actor.name:
            self.require(Action.REASSIGN)
        with self.store.transaction() as session:
            owner: int | str | None = by_hand.BY_POLICY
            if wanted != by_hand.BY_POLICY:
                user = target_user(session, wanted)
                owner = user.id if user is not None else None
            return by_hand.add_lead(session, entry, actor_id=actor_id, owner=owner, at=self.clock())

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
    ) -> intake.ImportSummary:
        """Import a CSV/XLSX export (or, ``dry_run``, only say what it would do).

        A rep's own import stays theirs; ``keep_mine=False`` lets the policy assign it.

        ``progress(rows_done, total_estimate)`` is called after each chunk; ``cancelled()``
        returning True stops after the current chunk (ImportCancelled: resumable, undoable).
        Importing the same file again resumes an interrupted run after its checkpoint.
        """
        self.require(Action.IMPORT_LEADS)
        actor_id = self.actor.id if dry_run else intake.require_importer(self.actor.id)
        return intake.import_file(
            self.store,
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
            ),
            at=self.clock(),
            progress=progress or intake.no_progress,
            cancelled=cancelled or intake.never_cancelled,
        )

    def undo_import(self, run_id: int) -> intake_undo.UndoSummary:
        """Remove what an import run added; a qualifier may undo only their own runs."""
        self.require(Action.IMPORT_LEADS)
        actor_id = intake.require_importer(self.actor.id)
        with self.store.transaction() as session:
            return intake_undo.undo_run(
                session,
                run_id=run_id,
                actor_id=actor_id,
                at=self.clock(),
                any_run=self.can(Action.REASSIGN),
            )

    def import_runs(self, *, limit: int = 20, by_hand: bool = True) -> list[dict[str, object]]:
        """The latest import runs, newest first (who ran each, status, checkpoint, counts);
        ``by_hand=False`` leaves out leads typed in by hand."""
        self.require(Action.IMPORT_LEADS)
        with self.store.reading() as session:
            return intake.list_runs(session, limit=limit, by_hand=by_hand)

    # -- the do-not-call list and erasure ------------------------------------------------------

    def add_to_do_not_call(self, phone_or_email: str, reason: str) -> do_not_call.Added:
        """Put a phone number or email on the team's list: everyone who has it is flagged
        do-not-call and their open leads are held, in one transaction with an audit event.
        Anyone with a call queue may (they heard it on a call), and team leads and admins."""
        self.require(Action.ADD_DO_NOT_CALL)
        with self.store.transaction() as session:
            return do_not_call.add_entry(
                session,
                phone_or_email,
                reason=reason,
                actor_id=self.actor.id,
                at=self.clock(),
                region=current_policy(session).default_phone_region,
            )

    def import_do_not_call(
        self, path: Path, *, reason: str | None = None, encoding: str | None = None
    ) -> do_not_call.Added:
        """Put every phone number and email of a CSV/XLSX file on the list, all or none."""
        self.require(Action.MANAGE_DO_NOT_CALL)
        with self.store.transaction() as session:
            return do_not_call_file.import_entries(
                session,
                Path(path),
                reason=reason,
                actor_id=self.actor.id,
                at=self.clock(),
                region=current_policy(session).default_phone_region,
                encoding=encoding,
            )

    def remove_from_do_not_call(self, what: str | int) -> do_not_call.Removed:
        """Take a phone number or email (or entry id) off the list; nobody is un-flagged."""
        self.require(Action.MANAGE_DO_NOT_CALL)
        with self.store.transaction() as session:
            return do_not_call.remove_entry(
                session,
                what,
                actor_id=self.actor.id,
                at=self.clock(),
                region=current_policy(session).default_phone_region,
            )

    def do_not_call_list(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[do_not_call.Entry]:
        """The list, newest first."""
        self.require(Action.MANAGE_DO_NOT_CALL)
        with self.store.reading() as session:
            return do_not_call.entries(session, limit=limit, offset=offset)

    def count_do_not_call(self) -> int:
        self.require(Action.MANAGE_DO_NOT_CALL)
        with self.store.reading() as session:
            return do_not_call.count_entries(session)

    def erase_person(self, who: str | int, reason: str) -> erasure.Erased:
        """Erase the person named by a lead id, an email or a phone number: their personal
        data blanked, their open leads closed, their email and phone kept on the
        do-not-call list as digests only. Team leads and admins."""
        self.require(Action.ERASE_PERSON)
        with self.store.transaction() as session:
            region = current_policy(session).default_phone_region
            person = erasure.find_person(session, str(who), region)
            return erasure.erase_person(
                session, person, reason=reason, actor_id=self.actor.id, at=self.clock()
            )

    # -- rep workspace (search, my note) -----------------------------------------------------

    def search(
        self, text: str, *, limit: int = 50, closed: bool = False
    ) -> list[call_queue.QueueRow]:
        """Open leads matching a name, company, email or phone prefix that the rep may work;
        with ``closed``, their closed leads after them (newest first), each saying how it
        ended."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_search.search_leads(
                session,
                self.actor.id,
                text,
                self.clock(),
                limit=limit,
                any_owner=self.can(Action.REASSIGN),
                closed=closed,
            )

    def lead_row(self, lead_id: int) -> call_queue.QueueRow | None:
        """One lead as the acting rep's queue shows it (``blocked`` says why it cannot be
        called now), e.g. a lead just added by hand, to work at once."""
        self.require(Action.WORK_QUEUE)
        assert self.actor.id is not None
        with self.store.reading() as session:
            return lead_search.lead_row(session, lead_id, self.actor.id, self.clock())

    def my_note(self, lead_id: int) -> tuple[int, str] | None:
        """The acting rep's latest note on the lead (id, text), to keep editing it."""
        self.require(Action.WORK_QUEUE)
        with self.store.reading() as session:
            mine = [n for n in notes.notes_for(session, lead_id) if n.user_id == self.actor.id]
            return (mine[-1].id, mine[-1].text) if mine else None

    # -- team lead console (reassign, rebalance, sweep, users, team view, reports) ----------
    # The logic lives in leaddesk/team/; previews read, applying writes in one transaction.

    def team_view(self) -> team_views.TeamView:
        """Per rep: open, callbacks today, SLA breaches, untouched, verdicts; pool; sales wait."""
        self.require(Action.VIEW_TEAM)
        with self.store.reading() as session:
            return team_views.team_view(session, at=self.clock())

    def team_leads(self, pick: team_reassign.LeadPick) -> list[PlannedMove]:
        """Open leads of a rep (or the pool, ``from_user="pool"``), oldest first, to pick from."""
        self.require(Action.REASSIGN)
        with self.store.reading() as session:
            return team_reassign.picked_leads(session, pick, self.clock())

    def preview_reassign(
        self, pick: team_reassign.LeadPick, *, to_user: str | None, reason: str | None = None
    ) -> team_reassign.ReassignPreview:
        """Who would move where (and who is on a call), before anything is written."""
        self.require(Action.REASSIGN)
        with self.store.reading() as session:
            return team_reassign.preview_reassign(
                session, pick, to_user=to_user, reason=reason, at=self.clock()
            )

    def apply_reassign(
        self,
        preview: team_reassign.ReassignPreview,
        *,
        force: bool = False,
        after_call: bool = False,
    ) -> team_reassign.ReassignResult:
        """Carry out a preview; Conflict if any lead changed since (nothing is moved then)."""
        self.require(Action.REASSIGN)
        with self.store.transaction() as session:
            return team_reassign.apply_reassign(
                session,
                preview,
                actor_id=self.actor.id,
                at=self.clock(),
                force=force,
                after_call=after_call,
            )

    def reassign(
        self,
        pick: team_reassign.LeadPick,
        *,
        to_user: str | None,
        reason: str | None = None,
        force: bool = False,
        after_call: bool = False,
    ) -> team_reassign.ReassignResult:
        self.require(Action.REASSIGN)
        with self.store.transaction() as session:
            return team_reassign.reassign(
                session,
                pick,
                to_user=to_user,
                reason=reason,
                actor_id=self.actor.id,
                at=self.clock(),
                force=force,
                after_call=after_call,
            )

    def plan_rebalance(self, *, include_pool: bool = True) -> team_rebalance.RebalancePlan:
        self.require(Action.REASSIGN)
        with self.store.reading() as session:
            return team_rebalance.plan_rebalance(
                session, at=self.clock(), include_pool=include_pool
            )

    def plan_spread(self, from_user: str) -> team_rebalance.RebalancePlan:
        """Spread an absent rep's open leads over the others (a preview)."""
        self.require(Action.REASSIGN)
        with self.store.reading() as session:
            return team_rebalance.plan_spread(session, from_user, at=self.clock())

    def apply_rebalance(self, plan: team_rebalance.RebalancePlan) -> team_rebalance.RebalancePlan:
        """Apply a previewed plan; Conflict if any lead changed since (nothing is moved then)."""
        self.require(Action.REASSIGN)
        with self.store.transaction() as session:
            return team_rebalance.apply_plan(session, plan, actor_id=self.actor.id, at=self.clock())

    def rebalance(self, *, include_pool: bool = True) -> team_rebalance.RebalancePlan:
        self.require(Action.REASSIGN)
        with self.store.transaction() as session:
            plan = team_rebalance.plan_rebalance(
                session, at=self.clock(), include_pool=include_pool
            )
            return team_rebalance.apply_plan(session, plan, actor_id=self.actor.id, at=self.clock())

    def sweep(self, *, dry_run: bool = False) -> team_sweep.SweepResult:
        """Flag untouched leads and, if the policy says so, move the long-untouched ones;
        ``dry_run`` says what it would do and changes nothing."""
        self.require(Action.REASSIGN)
        try:
            with self.store.transaction() as session:
                result = team_sweep.sweep(
                    session, actor_id=self.actor.id, at=self.clock(), dry_run=dry_run
                )
                if dry_run:
                    raise _RolledBack(result)  # the transaction is rolled back, not committed
                return result
        except _RolledBack as rolled_back:
            return rolled_back.result

    def deactivate_user(self, name: str) -> user_admin.UserChange:
        """Deactivate a user; their open leads go back to the pool."""
        self.require(Action.MANAGE_USERS)
        with self.store.transaction() as session:
            return _login_follows(
                session,
                user_admin.deactivate_user(
                    session,
                    name,
                    actor_id=self.actor.id,
                    actor_role=self.actor.role,
                    at=self.clock(),
                ),
            )

    def reactivate_user(self, name: str) -> user_admin.UserChange:
        self.require(Action.MANAGE_USERS)
        with self.store.transaction() as session:
            return _login_follows(
                session,
                user_admin.reactivate_user(
                    session,
                    name,
                    actor_id=self.actor.id,
                    actor_role=self.actor.role,
                    at=self.clock(),
                ),
            )

    def change_user(
        self,
        name: str,
        *,
        role: Role | None = None,
        capacity: int | None = None,
        territories: tuple[str, ...] | None = None,
        display_name: str | None = None,
    ) -> user_admin.UserChange:
        self.require(Action.MANAGE_USERS)
        with self.store.transaction() as session:
            return _login_follows(
                session,
                user_admin.change_user(
                    session,
                    name,
                    actor_id=self.actor.id,
                    actor_role=self.actor.role,
                    at=self.clock(),
                    role=role,
                    capacity=capacity,
                    territories=territories,
                    display_name=display_name,
                ),
            )

    # -- backups -----------------------------------------------------------------------------

    def take_backup(
        self, destination: Path | str | None = None, progress: backups.Progress | None = None
    ) -> backups.BackupSummary:
        """Every row of the store to one file (the default backup folder unless named; a
        path ending in a slash names a folder)."""
        self.require(Action.MANAGE_STORE)
        at = self.clock()
        path = backups.backup_path(destination, default_backup_folder(), at)
        summary = backups.take_backup(
            self.store,
            path,
            taken_by=self.actor.name,
            at=at,
            progress=progress or (lambda _done, _total: None),
        )
        with self.store.transaction() as session:
            audit.record(
                session,
                at=at,
                actor_id=self.actor.id,
                action=AuditAction.BACKUP_TAKEN,
                subject=path.name,
                details={"rows": sum(summary.rows.values()), "bytes": summary.size},
            )
        return summary

    def restore_backup(
        self,
        source: Path,
        target: str,
        *,
        dry_run: bool = False,
        progress: backups.Progress | None = None,
        cancelled: restoring.Cancelled = restoring.never_cancelled,
    ) -> backup_restore.RestoreSummary:
        """The backup ``source`` into a new store at ``target`` (a new SQLite file or an empty
        PostgreSQL database); ``dry_run`` reads and checks it all and writes nothing."""
        self.require(Action.MANAGE_STORE)
        return restoring.restore(
            source,
            target,
            at=self.clock(),
            dry_run=dry_run,
            progress=progress or (lambda _done, _total: None),
            cancelled=cancelled,
        )

    def recent_backups(self, limit: int = 10) -> list[backups.BackupTaken]:
        self.require(Action.MANAGE_STORE)
        with self.store.reading() as session:
            return backups.recent_backups(session, limit=limit)

    # -- a team database that enforces the roles itself ------------------------------------

    def apply_database_grants(self) -> list[str]:
        """PostgreSQL: make the group roles and give each role's logins exactly its rights."""
        self.require(Action.MANAGE_STORE)
        with self.store.transaction() as session:
            groups = grants.apply_grants(session.connection())
            audit.record(
                session,
                at=self.clock(),
                actor_id=self.actor.id,
                action=AuditAction.DATABASE_GRANTS,
                subject="database",
                details={"groups": groups},
            )
            return groups

    def set_database_login(self, name: str, password: str | None) -> bool:
        """Give a user a database login of their own (True when made now), or change its
        password; the grants are brought up to date first."""
        self.require(Action.MANAGE_STORE)
        with self.store.transaction() as session:
            user = user_ops.find_user(session, name)
            connection = session.connection()
            grants.apply_grants(connection)
            made = grants.set_login(
                connection, user.name, user.role, password=password, active=user.active
            )
            audit.record(
                session,
                at=self.clock(),
                actor_id=self.actor.id,
                action=AuditAction.DATABASE_LOGIN_MADE
                if made
                else AuditAction.DATABASE_LOGIN_CHANGED,
                subject=f"user {user.name}",
                details={"role": user.role.value, "password_changed": password is not None},
            )
            return made

    def report(
        self, name: str, *, since: date | None = None, until: date | None = None
    ) -> team_reports.Report:
        """One dashboard's figures: funnel, throughput, sla, sources, agreement or workload."""
        self.require(Action.VIEW_TEAM)
        with self.store.reading() as session:
            return team_reports.build_report(
                session, name, since=since, until=until, at=self.clock()
            )

    # -- intake in the window: a look at a file before it is imported ------------------------

    def look_at_import(
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
        self.require(Action.IMPORT_LEADS)
        path = Path(path)
        given = source_mappings.check_source(source) if source else None
        with intake_reading.open_export(path, encoding=encoding, sheet=sheet) as export:
            header = list(export.header)
            samples = [dict(row.values) for row in itertools.islice(export.rows(), sample_rows)]
            read_as = (export.format, export.encoding, export.delimiter, export.sheet)
        sheets = _sheet_names(path) if export.format == "xlsx" else ()
        with self.store.reading() as session:
            saved = session.scalars(
                select(SourceMapping.source).order_by(SourceMapping.source)
            ).all()
            suggested = given or source_mappings.source_with_columns(session, header)
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
        return ImportLook(
            path, *read_as, header, samples, mapping, how, problem, suggested, list(saved), sheets
        )


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


def _sheet_names(path: Path) -> tuple[str, ...]:
    import openpyxl  # slow to import, and only workbooks need it

    with path.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True)
        try:
            return tuple(book.sheetnames)
        finally:
            book.close()


def open_desk(
    location: str | os.PathLike[str] | None,
    as_user: str,
    *,
    clock: Clock = system_clock,
    create: bool = False,
    password: passwords.PasswordAsk | None = None,
) -> Desk:
    """Open the store at ``location`` as the named user; unknown or inactive users are refused.

    On a store with passwords the user's own is asked for through ``password``, unless the
    connection's database login already is that user (a team database: no second sign-in).
    """
    new_path = is_new_local_store(location) if create else None
    if new_path is not None:
        # A store not made yet has no users: say so, and leave no empty file behind.
        db = shlex.quote(str(new_path))
        raise InputError(
            f"No store at {new_path} yet, so no user '{as_user}' in it. Make one with demo "
            f"data: leaddesk --db {db} demo, or an empty one: leaddesk --db {db} init, then "
            f"leaddesk --db {db} users add NAME --role ROLE"
        )
    store = open_store(location, create=create)
    try:
        with store.reading() as session:
            user = user_ops.find_user(session, as_user)
            if not user.active:
                raise NotPermitted(f"{user.name} is deactivated; ask your team lead.")
            login = grants.login_user(session.connection())
            if login is not None and login != user.name:
                raise NotPermitted(
                    f"You are signed in to the team database as {login}; LeadDesk acts as "
                    f"{login} only on this connection, not as {user.name}."
                )
            if login is None:
                passwords.sign_in(session, user, password, store.label)
            actor = Actor(user.id, user.name, user.role, user.display_name)
    except BaseException:
        store.close()
        raise
    return Desk(store, actor, clock)


def check_store_writable(location: str | os.PathLike[str] | None) -> None:
    """The window's check before it opens: a store this user cannot write is refused with
    what to do (the command line still reads it; its writes are refused one by one)."""
    require_writable(location)


def setup_desk(
    location: str | os.PathLike[str] | None,
    *,
    clock: Clock = system_clock,
    create: bool = True,
) -> Desk:
    """The store owner's desk for setting up a local store (init, first users, demo data).

    Whoever holds a local SQLite file owns it anyway. On a team server there is no such
    owner: name an admin or team lead instead.
    """
    store = open_store(location, create=create)
    try:
        with store.reading() as session:
            has_users = user_ops.count_users(session) > 0
            locked = passwords.passwords_on(session)
    except BaseException:
        store.close()
        raise
    if has_users and not store.is_sqlite:
        store.close()
        raise NotPermitted(
            "On a team database, name who is acting with --as (an admin or team lead)."
        )
    return Desk(store, SETUP_ACTOR, clock, setup_locked=locked)


_SIGN_IN_NEEDED = "This store has passwords: name who is acting with --as USER and sign in."


def _login_follows(session: Session, change: user_admin.UserChange) -> user_admin.UserChange:
    """A user's database login (on a team database that has them) follows their role and
    whether they are active, in the same transaction as the change."""
    user = change.user
    grants.follow_user(session.connection(), user.name, user.role, active=user.active)
    return change


class _RolledBack(Exception):
    """Leaves a write transaction without committing it, carrying what was worked out."""

    def __init__(self, result: team_sweep.SweepResult) -> None:
        super().__init__("dry run")
        self.result = result
